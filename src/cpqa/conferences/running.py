"""Running a conference and recording what it decided: who attended, how each child took part,
the Strengthening Families record, and the outcome for each child with its plan.

Like the booking services (`cpqa.conferences.services`), every write is a keyword-only
`do_<verb>_<noun>` in one transaction that checks everything first. Nothing about a conference
can be recorded before the service's day reaches it (one clock, `cpqa.core.clock`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import transaction

from cpqa.accounts.models import User
from cpqa.conferences.services import (
    ATTENDANCE_CODES,
    OUTCOMES_BY_TYPE,
    check_not_after_today,
    is_quorate,
    participation_questions,
)
from cpqa.core.clock import service_today
from cpqa.core.config import authority_config
from cpqa.domain import codes, timescales
from cpqa.domain.calendar import in_words
from cpqa.domain.config import AuthorityConfig
from cpqa.record import models as m
from cpqa.record.errors import RecordError
from cpqa.record.services import (
    do_change_plan_categories,
    do_end_plan,
    do_start_plan,
    field_error,
    note_change,
)


@dataclass(frozen=True)
class InviteeAttendance:
    attendance: str
    report_submitted: bool = False
    report_shared_in_time: bool | None = None


def _check_not_cancelled(conference: m.Conference) -> None:
    if conference.cancelled:
        raise RecordError(f"conference {conference.pk} was cancelled")


def _check_has_happened(conference: m.Conference, what: str) -> None:
    """Nothing is known on the service's day about a conference dated after it (one clock)."""
    day = conference.held_date or conference.scheduled_date
    if day is not None and day > service_today():
        raise RecordError(
            f"The conference is booked for {in_words(day)}, which has not happened yet, "
            f"so {what} cannot be recorded"
        )


@transaction.atomic
def do_record_attendance(
    *,
    conference: m.Conference,
    entries: Mapping[int, InviteeAttendance],
    by: User,
    config: AuthorityConfig | None = None,
) -> bool:
    """Who came, who sent apologies, who sent a report; returns whether the conference is quorate."""
    _check_not_cancelled(conference)
    _check_has_happened(conference, "who attended")
    invitees = {invitee.pk: invitee for invitee in conference.invitees.all()}
    for invitee_pk, entry in entries.items():
        invitee = invitees.get(invitee_pk)
        if invitee is None:
            raise field_error("invitee", f"invitee {invitee_pk} is not invited to conference {conference.pk}")
        if entry.attendance and entry.attendance not in ATTENDANCE_CODES:
            raise field_error(f"attendance_{invitee_pk}", f"unknown attendance {entry.attendance!r}")
        if entry.report_shared_in_time and not entry.report_submitted:
            raise field_error(
                f"report_shared_in_time_{invitee_pk}",
                "a report cannot be shared in time if none was submitted",
            )
    for invitee_pk, entry in entries.items():
        invitee = invitees[invitee_pk]
        invitee.attendance = entry.attendance
        invitee.report_submitted = entry.report_submitted
        invitee.report_shared_in_time = entry.report_shared_in_time if entry.report_submitted else None
        invitee.save(update_fields=["attendance", "report_submitted", "report_shared_in_time"])
    conference.quorate = is_quorate(conference, config)
    conference.save(update_fields=["quorate"])
    note_change(by=by, action="record_attendance", obj=conference, detail=f"quorate {conference.quorate}")
    return conference.quorate


@transaction.atomic
def _participation_age_message(age: int | None) -> str:
    """Why the "too young" answer does or does not fit, in the chair's words."""
    under = codes.PARTICIPATION_TOO_YOUNG_UNDER_AGE
    too_young = codes.PARTICIPATION[codes.PARTICIPATION_TOO_YOUNG]
    if age is None:
        return "This child was not yet born on the day of the conference, so they cannot attend and speak for themselves"
    if age < under:
        return f"This child is {age}, so they cannot attend and speak for themselves"
    return f"This child is {age}: \"{too_young}\" is only for children under {under}. Select how their voice was heard"


def do_record_participation(
    *,
    subject: m.ConferenceSubject,
    participation_code: str,
    by: User,
    booklet_completed: bool | None = None,
    advocate_used: bool | None = None,
    config: AuthorityConfig | None = None,
) -> m.ConferenceSubject:
    """How the child's voice was heard; the booklet and advocate questions apply from the
    authority's configured ages on the conference date, PN0 only under 4."""
    conference = subject.conference
    _check_not_cancelled(conference)
    _check_has_happened(conference, "how the child took part")
    child = subject.child
    if participation_code not in codes.PARTICIPATION:
        raise field_error("participation_code", "Select how the child's voice was heard from the list")
    questions = participation_questions(child, conference.date, config)
    if questions.under_participation_age != (participation_code == codes.PARTICIPATION_TOO_YOUNG):
        raise field_error("participation_code", _participation_age_message(questions.age))
    ages = authority_config(config).participation
    if booklet_completed is not None and not questions.booklet:
        raise field_error(
            "booklet_completed",
            f"The consultation booklet is for children aged {ages.booklet_from} or over: this child is "
            f"{questions.age}",
        )
    if advocate_used is not None and not questions.advocate:
        raise field_error(
            "advocate_used",
            f"Advocacy is for children aged {ages.advocacy_from} or over: this child is {questions.age}",
        )
    subject.participation_code = participation_code
    subject.booklet_completed = booklet_completed
    subject.advocate_used = advocate_used
    subject.save(update_fields=["participation_code", "booklet_completed", "advocate_used"])
    note_change(by=by, action="record_participation", obj=subject, detail=participation_code)
    return subject


DOMAIN_FIELDS: tuple[str, ...] = ("working_well", "worries", "childs_voice", "needs_to_happen")


@transaction.atomic
def do_record_domains(
    *,
    conference: m.Conference,
    by: User,
    working_well: str,
    worries: str,
    childs_voice: str,
    needs_to_happen: str,
) -> m.Conference:
    """The Strengthening Families record: what is working well first, then worries, the child's
    voice and what needs to happen (docs/definitions.md#strengthening-families-domains)."""
    _check_not_cancelled(conference)
    _check_has_happened(conference, "what the conference discussed")
    conference.working_well = working_well.strip()
    conference.worries = worries.strip()
    conference.childs_voice = childs_voice.strip()
    conference.needs_to_happen = needs_to_happen.strip()
    conference.save(update_fields=list(DOMAIN_FIELDS))
    note_change(by=by, action="record_domains", obj=conference)
    return conference


@dataclass(frozen=True)
class OutcomeRecorded:
    subject: m.ConferenceSubject
    plan: m.Plan | None
    next_review_due: dt.date | None
    first_core_group_due: dt.date | None
    quorate: bool


def _check_outcome(
    conference: m.Conference, subject: m.ConferenceSubject | None, child: m.Child, outcome: str,
    held_date: dt.date, late_reason: str,
) -> m.ConferenceSubject:
    """Everything an outcome must satisfy before anything is written; the child's subject row."""
    if conference.cancelled:
        raise RecordError(f"conference {conference.pk} was cancelled: no outcome can be recorded")
    if subject is None:
        raise RecordError(f"child {child.local_id} is not a subject of conference {conference.pk}")
    if subject.outcome:
        raise RecordError(
            f"child {child.local_id}: the outcome of conference {conference.pk} is already recorded"
        )
    allowed = OUTCOMES_BY_TYPE.get(conference.conference_type, ())
    if outcome not in allowed:
        raise field_error(
            "outcome",
            f"child {child.local_id}: {outcome!r} is not an outcome of a "
            f"{codes.label(codes.CONFERENCE_TYPE, conference.conference_type).lower()}",
        )
    check_not_after_today(held_date, "held_date", "The date the conference was held")
    if conference.held_date and conference.held_date != held_date:
        raise field_error(
            "held_date", f"conference {conference.pk} was held on {in_words(conference.held_date)}"
        )
    if late_reason and late_reason not in codes.LATE_REASON:
        raise field_error("late_reason", f"unknown reason {late_reason!r}")
    if conference.due_date and held_date > conference.due_date and not (conference.late_reason or late_reason):
        raise field_error(
            "late_reason",
            f"held {in_words(held_date)}, after the due date {in_words(conference.due_date)}: choose the reason",
        )
    return subject


@dataclass(frozen=True)
class _PlanChange:
    plan: m.Plan | None
    next_review: dt.date | None = None
    core_group_due: dt.date | None = None


def _initial_outcome(
    conference: m.Conference, subject: m.ConferenceSubject, child: m.Child, outcome: str, held_date: dt.date,
    categories: Iterable[str], by: User, config: AuthorityConfig,
) -> _PlanChange:
    """An initial, pre-birth or transfer-in conference: a plan starting on its date, or none."""
    section47 = subject.section47
    if section47 is not None and held_date < section47.start_date:
        raise field_error(
            "held_date",
            f"The conference cannot be before the enquiry started on {in_words(section47.start_date)}",
        )
    notification = conference.transfer_notification
    if notification is not None and held_date < notification.received_date:
        raise field_error(
            "held_date",
            f"The conference cannot be before the notification arrived on {in_words(notification.received_date)}",
        )
    if outcome != "plan":
        return _PlanChange(None)
    plan = do_start_plan(
        child=child,
        start_date=held_date,
        categories=categories,
        referral=section47.referral if section47 is not None else None,
        from_other_authority=conference.conference_type == "transfer_in",
        by=by,
    )
    core_group_due = timescales.first_core_group_due(held_date, config.calendar)
    m.CoreGroup.objects.create(plan=plan, due_date=core_group_due)
    return _PlanChange(plan, timescales.first_review_due(held_date), core_group_due)


def _review_outcome(
    conference: m.Conference, subject: m.ConferenceSubject, child: m.Child, outcome: str, held_date: dt.date,
    categories: Iterable[str], end_reason: str, by: User,
) -> _PlanChange:
    """A review: the plan continues (its categories may change) or ends on the review's date."""
    plan = subject.plan
    if plan is None:
        raise RecordError(f"child {child.local_id}: review conference {conference.pk} has no plan to review")
    if held_date <= plan.start_date:
        raise field_error(
            "held_date",
            f"child {child.local_id}: a review ({in_words(held_date)}) must come after the start of the plan "
            f"({in_words(plan.start_date)})",
        )
    if outcome == "plan_continued":
        if categories:
            do_change_plan_categories(plan=plan, categories=categories, by=by)
        return _PlanChange(plan, timescales.next_review_due(held_date))
    do_end_plan(plan=plan, end_date=held_date, end_reason=end_reason, by=by)
    return _PlanChange(plan)


@transaction.atomic
def do_record_outcome(
    *,
    conference: m.Conference,
    child: m.Child,
    outcome: str,
    held_date: dt.date,
    by: User,
    categories: Iterable[str] = (),
    end_reason: str = "",
    late_reason: str = "",
    config: AuthorityConfig | None = None,
) -> OutcomeRecorded:
    """What the conference decided for one child, with the plan changed in the same transaction.

    Initial and pre-birth: a plan starting on the conference date (categories, one or several)
    or no plan. Transfer-in: the plan starts here, or no plan. Review: the plan continues
    (categories may change) or ends on the conference date with a reason. The conference takes
    its held date and its quoracy from this record.
    """
    config = authority_config(config)
    found = conference.subjects.select_related("plan", "section47__referral").filter(child=child).first()
    subject = _check_outcome(conference, found, child, outcome, held_date, late_reason)
    if conference.conference_type in codes.INITIAL_CONFERENCE_TYPES or conference.conference_type == "transfer_in":
        change = _initial_outcome(conference, subject, child, outcome, held_date, categories, by, config)
    else:
        change = _review_outcome(conference, subject, child, outcome, held_date, categories, end_reason, by)
    subject.outcome = outcome
    subject.plan = change.plan
    subject.save(update_fields=["outcome", "plan"])
    conference.held_date = held_date
    if conference.due_date and held_date > conference.due_date and not conference.late_reason:
        conference.late_reason = late_reason
    conference.quorate = is_quorate(conference, config)
    conference.save(update_fields=["held_date", "late_reason", "quorate"])
    note_change(by=by, action="record_outcome", obj=subject, detail=f"{outcome} {held_date.isoformat()}")
    return OutcomeRecorded(
        subject=subject,
        plan=change.plan,
        next_review_due=change.next_review,
        first_core_group_due=change.core_group_due,
        quorate=conference.quorate,
    )
