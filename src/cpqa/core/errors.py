"""The refusal every layer above can raise and every form can show."""

from __future__ import annotations


class Refusal(ValueError):
    """A write refused because of the state of the record; the message is for the user.

    It names the child by local id and the field, never a name: the record's own refusal
    (`cpqa.record.errors.RecordError`) and the workflows' refusals are kinds of it, so the
    form kit (`cpqa.ui.forms.save_form`) can show any of them without knowing who raised it.
    """
