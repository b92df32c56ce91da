"""How long free text may be, named once: the form kit (`cpqa.ui.forms.GovukForm`) checks it as
the user types, and every save of a record row checks it again, so a service called from the
command line or a form that forgot the kit still refuses a 2 MB note.

No migration: the limits for notes (TextField) live here, not in the database; a CharField's own
`max_length` is its limit, which SQLite does not enforce by itself.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

# A note, a concern, a response, a panel's decision: about two pages of typing. Long enough for
# any note the service writes (the longest in the synthetic record is under 1,000), short enough
# that a page listing a child's notes stays readable and a pasted document is refused.
NOTE_MOST = 5000
# A one-line answer with no model field behind it (a name, a venue, a password).
LINE_MOST = 200

# The apps whose rows hold what users type. The logs (`InsertOnly`, written by the code, never by
# a user) are left to their own fields: refusing a log row would lose the event.
CHECKED_APPS = frozenset({"core", "record", "conferences", "oversight"})


def too_long_message(what: str, most: int) -> str:
    """'The concern must be 5,000 characters or fewer' (GOV.UK: say what and the limit)."""
    return f"{what[:1].upper()}{what[1:]} must be {most:,} characters or fewer"


def most_characters(field: models.Field) -> int | None:
    """The limit of a model field that holds text, or None for a field that holds none."""
    if isinstance(field, models.CharField):
        return field.max_length
    if isinstance(field, models.TextField):
        return NOTE_MOST
    return None


def check_text_lengths(instance: models.Model) -> None:
    """Refuse a row whose text is over its limit, naming each field (a field-keyed refusal, so
    a form shows it against the field of the same name)."""
    errors: dict[str, str] = {}
    for field in instance._meta.concrete_fields:
        most = most_characters(field)
        value = getattr(instance, field.attname, None)
        if most is not None and isinstance(value, str) and len(value) > most:
            errors[field.name] = too_long_message(f"the {field.verbose_name}", most)
    if errors:
        raise ValidationError(errors)


def refuse_long_text(sender: type[models.Model], instance: models.Model, raw: bool = False, **_: Any) -> None:
    """pre_save receiver (connected in `cpqa.core.apps`): every .save() and .create() of a row in
    the checked apps. `raw` is a fixture load, which is the database's own data."""
    from cpqa.core.models import InsertOnly

    if raw or sender._meta.app_label not in CHECKED_APPS or issubclass(sender, InsertOnly):
        return
    check_text_lengths(instance)
