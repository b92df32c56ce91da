"""The authority's configuration: the one function every caller reads it through, and the writes
an administrator makes to it, each change logged (who, when, old value, new value).

Everything an authority configures (its name and DfE code, closure days, the quoracy rule, the
local timescales, participation ages, the long-plan panel's flags) is kept in the database
(`cpqa.core.models`) and read here into the domain's `AuthorityConfig`, which the domain's
rules take as an argument. A command with no database (a report straight from a census file)
asks with `database=False` and runs on the domain's defaults.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction

from cpqa.core.errors import Refusal
from cpqa.domain.config import AuthorityConfig, ParticipationAges, QuoracyRule

SETTINGS_PK = 1


def authority_config(given: AuthorityConfig | None = None, *, database: bool = True) -> AuthorityConfig:
    """The configuration the service runs on; `given` (a caller's own, e.g. a test's) wins."""
    if given is not None:
        return given
    if not database:
        return AuthorityConfig()
    from cpqa.core.models import AuthoritySettings, ClosureDay

    closures = frozenset(ClosureDay.objects.values_list("day", flat=True))
    row = AuthoritySettings.objects.filter(pk=SETTINGS_PK).first()
    if row is None:
        return AuthorityConfig(closure_days=closures)
    return _config_of(row, closures)


def _months(text: str) -> tuple[int, ...]:
    return tuple(sorted({int(part) for part in text.split()}))


def _config_of(row: Any, closures: frozenset[dt.date]) -> AuthorityConfig:
    return AuthorityConfig(
        name=row.name,
        la_code=row.la_code,
        closure_days=closures,
        prebirth_days_before_delivery=row.prebirth_days_before_delivery,
        quoracy=QuoracyRule(
            social_care_required=row.quoracy_social_care_required,
            other_agencies_required=row.quoracy_other_agencies_required,
            counted_agencies=frozenset(row.quoracy_counted_agencies.split()),
        ),
        participation=ParticipationAges(
            booklet_from=row.participation_booklet_from,
            advocacy_from=row.participation_advocacy_from,
            attendance_from=row.participation_attendance_from,
        ),
        report_shared_days_initial=row.report_shared_days_initial,
        report_shared_days_review=row.report_shared_days_review,
        agency_report_days_initial=row.agency_report_days_initial,
        agency_report_days_review=row.agency_report_days_review,
        invitation_days_after_booking=row.invitation_days_after_booking,
        invitation_days_before_review=row.invitation_days_before_review,
        decision_letter_days=row.decision_letter_days,
        minutes_days=row.minutes_days,
        escalation_response_working_days={
            1: row.escalation_stage_1_days, 2: row.escalation_stage_2_days, 3: row.escalation_stage_3_days,
        },
        long_plan_flag_months=_months(row.long_plan_flag_months),
        core_group_interval_weeks=row.core_group_interval_weeks,
    )


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _note(by: Any, setting: str, old: object, new: object) -> None:
    from cpqa.core.models import ConfigurationChange

    ConfigurationChange.objects.create(
        user=by, username=by.get_username(), setting=setting, old_value=_shown(old)[:400], new_value=_shown(new)[:400]
    )


def _require_signed_in(by: Any) -> None:
    if by is None or not getattr(by, "is_authenticated", False):
        raise Refusal("A change to the configuration needs the person making it")


@transaction.atomic
def do_update_authority_settings(*, by: Any, values: Mapping[str, object]) -> list[str]:
    """Set the given settings (model field names), log each one that changed; the changed names.

    The values are already validated by the form (`cpqa.web.configuration`); the model's own
    validators check them again, so a bad value refuses the whole change.
    """
    from cpqa.core.models import AuthoritySettings

    _require_signed_in(by)
    row, _ = AuthoritySettings.objects.select_for_update().get_or_create(pk=SETTINGS_PK)
    settable = {f.name for f in AuthoritySettings._meta.fields} - {"id", "updated_at"}
    unknown = set(values) - settable
    if unknown:
        raise Refusal(f"Not a setting of the authority: {', '.join(sorted(unknown))}")
    before = {name: getattr(row, name) for name in values}
    for name, value in values.items():
        setattr(row, name, value)
    row.full_clean()
    changed = [name for name in values if before[name] != getattr(row, name)]
    if changed:
        row.save()
        for name in changed:
            _note(by, name, before[name], getattr(row, name))
    return changed


@transaction.atomic
def do_add_closure_day(*, by: Any, day: dt.date, description: str) -> Any:
    from cpqa.core.models import ClosureDay

    _require_signed_in(by)
    description = description.strip()
    if not description:
        raise Refusal("Enter what the closure day is, for example 'Council closure day'")
    if day.weekday() >= 5:
        raise Refusal(f"{day.day} {day:%B %Y} is a {day:%A}, which is never a working day anyway")
    if ClosureDay.objects.filter(day=day).exists():
        raise Refusal(f"{day.day} {day:%B %Y} is already a closure day")
    closure = ClosureDay.objects.create(day=day, description=description[:120])
    _note(by, "closure_day", "", f"{day.isoformat()} {description[:120]}")
    return closure


@transaction.atomic
def do_remove_closure_day(*, by: Any, day: dt.date) -> None:
    from cpqa.core.models import ClosureDay

    _require_signed_in(by)
    closure = ClosureDay.objects.filter(day=day).first()
    if closure is None:
        raise Refusal(f"{day.day} {day:%B %Y} is not a closure day")
    _note(by, "closure_day", f"{closure.day.isoformat()} {closure.description}", "")
    closure.delete()
