"""Booking a conference, running it and recording what it decided.

Every write is a keyword-only `do_<verb>_<noun>` function in one transaction: it checks
everything, writes, and notes who did it, or raises and leaves the record as it was. Due dates
come only from `cpqa.domain.timescales`; quoracy and participation ages only from
`cpqa.domain.config.AuthorityConfig`. Refusals are `ValidationError`s keyed by the form field
they belong to, or `RecordError`s for the state of the record (a cancelled conference, a
second open plan); they name the child by local id and never by name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max

from cpqa.accounts.models import User
from cpqa.core.clock import service_today
from cpqa.core.config import authority_config
from cpqa.domain import codes, timescales
from cpqa.domain.calendar import in_words
from cpqa.domain.config import AuthorityConfig
from cpqa.record import models as m
from cpqa.record.errors import RecordError
from cpqa.record.services import (
    field_error,
    note_change,
    open_plan_of,
)

ATTENDANCE_CODES: frozenset[str] = frozenset(code for code, _ in m.Invitee.ATTENDANCE_CHOICES)
OUTCOMES_BY_TYPE: dict[str, tuple[str, ...]] = {
    "initial": ("plan", "no_plan"),
    "prebirth": ("plan", "no_plan"),
    "review": ("plan_continued", "plan_ended"),
    "transfer_in": ("plan", "no_plan"),
}
# Staff who may take the minutes (business support take them where there is no minute taker).
MINUTE_TAKER_ROLES: frozenset[str] = frozenset({"minute_taker", "business_support"})


# --- Due dates: every one from the timescale engine -------------------------------------------


def strategy_discussion_date(section47: m.Section47) -> dt.date:
    """The discussion that initiated the enquiry; the enquiry's start date is that discussion's."""
    if section47.strategy_discussion_id:
        return section47.strategy_discussion.held_date
    return section47.start_date


def initial_conference_due_for(section47: m.Section47, config: AuthorityConfig | None = None) -> dt.date:
    return timescales.initial_conference_due(strategy_discussion_date(section47), authority_config(config).calendar)


def prebirth_target_for(child: m.Child, config: AuthorityConfig | None = None) -> dt.date | None:
    """The local pre-birth target, shown beside the statutory due date for an unborn child."""
    if child.expected_date_of_birth is None or child.date_of_birth is not None:
        return None
    return timescales.prebirth_conference_due(
        child.expected_date_of_birth, authority_config(config).prebirth_days_before_delivery
    )


def last_review_held(plan: m.Plan) -> dt.date | None:
    return m.Conference.objects.filter(
        conference_type="review", cancelled=False, held_date__isnull=False, subjects__plan=plan
    ).aggregate(last=Max("held_date"))["last"]


def review_due_for(plan: m.Plan) -> dt.date:
    """First review (plan start + 3 months) or the next (last review + 6 months)."""
    return timescales.review_due(plan.start_date, last_review_held(plan))


def transfer_in_due_for(
    notification: m.TransferInNotification, config: AuthorityConfig | None = None
) -> dt.date:
    return timescales.transfer_in_conference_due(notification.received_date, authority_config(config).calendar)


# --- Reads the services and pages share -------------------------------------------------------


def agencies_attended(conference: m.Conference) -> set[str]:
    return set(
        conference.invitees.filter(attendance="attended").exclude(agency="").values_list("agency", flat=True)
    )


def agencies_invited(conference: m.Conference) -> set[str]:
    """The agencies with an invitation (children's social care is always invited)."""
    invited = conference.invitees.filter(invited=True).exclude(agency="").values_list("agency", flat=True)
    return set(invited) | {codes.CONVENING_AGENCY}


def has_happened(conference: m.Conference) -> bool:
    """Held, or its day has come and attendance is being recorded."""
    if conference.held_date is not None:
        return True
    return conference.invitees.exclude(attendance="").exists()


def is_quorate(conference: m.Conference, config: AuthorityConfig | None = None) -> bool:
    return authority_config(config).quoracy.is_quorate(frozenset(agencies_attended(conference)))


@dataclass(frozen=True)
class ParticipationQuestions:
    """Which participation questions apply to a child on the conference date (None age: unborn)."""

    age: int | None
    under_participation_age: bool
    booklet: bool
    advocate: bool
    attendance: bool


def participation_questions(
    child: m.Child, on: dt.date, config: AuthorityConfig | None = None
) -> ParticipationQuestions:
    ages = authority_config(config).participation
    age = child.age_on(on)
    return ParticipationQuestions(
        age=age,
        under_participation_age=age is None or age < codes.PARTICIPATION_TOO_YOUNG_UNDER_AGE,
        booklet=age is not None and age >= ages.booklet_from,
        advocate=age is not None and age >= ages.advocacy_from,
        attendance=age is not None and age >= ages.attendance_from,
    )


@dataclass(frozen=True)
class NextDates:
    """What follows a recorded outcome: the next review and the first core group, where due."""

    next_review_due: dt.date | None
    first_core_group_due: dt.date | None


def next_dates_for(subject: m.ConferenceSubject) -> NextDates:
    """The dates the conference page shows under a child's recorded outcome."""
    plan = subject.plan
    if plan is None or subject.outcome not in ("plan", "plan_continued") or plan.end_date is not None:
        return NextDates(None, None)
    core_group = plan.core_groups.order_by("due_date").first() if subject.outcome == "plan" else None
    return NextDates(review_due_for(plan), core_group.due_date if core_group else None)


def pending_conferences(**filters: object) -> list[m.Conference]:
    """Booked conferences not yet held nor cancelled, matching the subjects' filters."""
    return list(m.Conference.objects.filter(cancelled=False, held_date__isnull=True, **filters).distinct())


def check_not_after_today(day: dt.date, field: str, what: str) -> None:
    """A day something happened cannot be after the service's day."""
    today = service_today()
    if day > today:
        raise field_error(field, f"{what} cannot be after today ({in_words(today)}): {in_words(day)} has not happened yet")


# --- Checks shared by the booking services ------------------------------------------------------


def _check_open(conference: m.Conference) -> None:
    """Bookings can change only while a conference is neither cancelled nor held."""
    if conference.cancelled:
        raise RecordError(f"conference {conference.pk} was cancelled")
    if conference.held_date is not None:
        raise RecordError(f"conference {conference.pk} was held on {in_words(conference.held_date)}")


@dataclass(frozen=True)
class Slot:
    """When and where a conference is booked, and why, if that is after its due date."""

    scheduled_date: dt.date
    scheduled_time: dt.time | None = None
    venue: str = ""
    late_reason: str = ""


def _late_reason_for(slot: Slot, due: dt.date, config: AuthorityConfig) -> str:
    """The reason stored with the booking: required after the due date, dropped before it."""
    if not config.calendar.is_working_day(slot.scheduled_date):
        raise field_error(
            "scheduled_date", f"{in_words(slot.scheduled_date)} is not a working day: enter a working day"
        )
    if slot.late_reason and slot.late_reason not in codes.LATE_REASON:
        raise field_error("late_reason", "Select the reason for the delay from the list")
    if slot.scheduled_date <= due:
        return ""
    if not slot.late_reason:
        raise field_error(
            "late_reason",
            f"{in_words(slot.scheduled_date)} is after the due date, {in_words(due)}: select the reason for the delay",
        )
    return slot.late_reason


def _book(
    *,
    conference_type: str,
    due: dt.date,
    slot: Slot,
    subjects: Sequence[dict[str, object]],
    by: User,
    config: AuthorityConfig,
    transfer_notification: m.TransferInNotification | None = None,
) -> m.Conference:
    """Write the booking once every check has passed: the conference, its children (each a dict of
    ConferenceSubject fields), the convening agency's invitation, and who booked it."""
    late_reason = _late_reason_for(slot, due, config)
    conference = m.Conference.objects.create(
        conference_type=conference_type,
        due_date=due,
        scheduled_date=slot.scheduled_date,
        scheduled_time=slot.scheduled_time,
        venue=slot.venue.strip(),
        late_reason=late_reason,
        transfer_notification=transfer_notification,
        booked_date=service_today(),
    )
    m.Invitee.objects.create(conference=conference, agency=codes.CONVENING_AGENCY)
    m.ConferenceSubject.objects.bulk_create(
        [m.ConferenceSubject(conference=conference, **s) for s in subjects]
    )
    note_change(
        by=by,
        action=f"book_{conference_type}_conference",
        obj=conference,
        detail=f"{slot.scheduled_date} due {due}",
    )
    return conference


def _check_siblings(child: m.Child, siblings: Sequence[m.Child]) -> None:
    seen = {child.pk}
    for sibling in siblings:
        if sibling.pk in seen:
            raise field_error("siblings", f"child {sibling.local_id} is listed twice")
        if child.family_id is None or sibling.family_id != child.family_id:
            raise field_error(
                "siblings", f"child {sibling.local_id} is not of the same family as child {child.local_id}"
            )
        seen.add(sibling.pk)


def awaiting_section47(child: m.Child) -> m.Section47 | None:
    """The child's latest enquiry that needs a conference and has none booked or held."""
    # Subjects without an enquiry (reviews) must not reach the NOT IN: a NULL there matches nothing.
    booked = m.ConferenceSubject.objects.filter(conference__cancelled=False, section47__isnull=False).values(
        "section47_id"
    )
    return (
        m.Section47.objects.filter(referral__child=child, conference_not_required=False)
        .exclude(pk__in=booked)
        .order_by("-start_date", "-pk")
        .first()
    )


# --- Booking -------------------------------------------------------------------------------------


@transaction.atomic
def do_book_initial_conference(
    *,
    section47: m.Section47,
    scheduled_date: dt.date,
    by: User,
    scheduled_time: dt.time | None = None,
    venue: str = "",
    siblings: Sequence[m.Child] = (),
    late_reason: str = "",
    config: AuthorityConfig | None = None,
) -> m.Conference:
    """An initial (or, for an unborn child, pre-birth) conference for the enquiry's child and siblings.

    Due 15 working days after the strategy discussion that initiated the enquiry. Each sibling
    brings their own enquiry awaiting a conference where they have one.
    """
    config = authority_config(config)
    child = section47.child
    if section47.conference_not_required:
        raise RecordError(f"child {child.local_id}: the enquiry concluded that no conference is needed")
    if m.ConferenceSubject.objects.filter(section47=section47, conference__cancelled=False).exists():
        raise RecordError(f"child {child.local_id}: an initial conference is already booked for this enquiry")
    _check_siblings(child, siblings)
    for subject_child in (child, *siblings):
        plan = open_plan_of(subject_child)
        if plan is not None:
            raise RecordError(
                f"child {subject_child.local_id} is already on a plan (from {in_words(plan.start_date)}): "
                f"book a review instead"
            )
    if scheduled_date < section47.start_date:
        raise field_error(
            "scheduled_date",
            f"The conference cannot be before the enquiry started on {in_words(section47.start_date)}",
        )
    return _book(
        conference_type="prebirth" if child.is_unborn(scheduled_date) else "initial",
        due=initial_conference_due_for(section47, config),
        slot=Slot(scheduled_date, scheduled_time, venue, late_reason),
        subjects=[
            {"child": child, "section47": section47},
            *({"child": sibling, "section47": awaiting_section47(sibling)} for sibling in siblings),
        ],
        by=by,
        config=config,
    )


@transaction.atomic
def do_book_review_conference(
    *,
    plan: m.Plan,
    scheduled_date: dt.date,
    by: User,
    sibling_plans: Sequence[m.Plan] = (),
    scheduled_time: dt.time | None = None,
    venue: str = "",
    late_reason: str = "",
    config: AuthorityConfig | None = None,
) -> m.Conference:
    """A review of one plan, or of siblings' plans together; due when the earliest review is due."""
    config = authority_config(config)
    plans = [plan, *sibling_plans]
    _check_siblings(plan.child, [p.child for p in sibling_plans])
    for reviewed in plans:
        local_id = reviewed.child.local_id
        if reviewed.end_date is not None:
            raise RecordError(f"child {local_id}: the plan ended on {in_words(reviewed.end_date)}")
        if scheduled_date <= reviewed.start_date:
            raise field_error(
                "scheduled_date",
                f"child {local_id}: a review ({in_words(scheduled_date)}) must come after the start of "
                f"the plan it reviews ({in_words(reviewed.start_date)})",
            )
        if pending_conferences(conference_type="review", subjects__plan=reviewed):
            raise RecordError(f"child {local_id}: a review of this plan is already booked")
    return _book(
        conference_type="review",
        due=min(review_due_for(reviewed) for reviewed in plans),
        slot=Slot(scheduled_date, scheduled_time, venue, late_reason),
        subjects=[{"child": reviewed.child, "plan": reviewed} for reviewed in plans],
        by=by,
        config=config,
    )


@transaction.atomic
def do_book_transfer_in_conference(
    *,
    notification: m.TransferInNotification,
    scheduled_date: dt.date,
    by: User,
    scheduled_time: dt.time | None = None,
    venue: str = "",
    late_reason: str = "",
    config: AuthorityConfig | None = None,
) -> m.Conference:
    """The first conference here for a child on another authority's plan: due 15 working days
    after the written notification."""
    config = authority_config(config)
    child = notification.child
    if open_plan_of(child) is not None:
        raise RecordError("This child is already on a plan here")
    if m.Conference.objects.filter(transfer_notification=notification, cancelled=False).exists():
        raise RecordError(
            f"child {child.local_id}: a transfer-in conference is already booked for this notification"
        )
    if scheduled_date < notification.received_date:
        raise field_error(
            "scheduled_date",
            f"child {child.local_id}: the conference cannot come before the notification "
            f"({in_words(notification.received_date)})",
        )
    return _book(
        conference_type="transfer_in",
        due=transfer_in_due_for(notification, config),
        slot=Slot(scheduled_date, scheduled_time, venue, late_reason),
        subjects=[{"child": child}],
        by=by,
        config=config,
        transfer_notification=notification,
    )


@transaction.atomic
def do_allocate_conference_staff(
    *, conference: m.Conference, chair: m.StaffMember, by: User, minute_taker: m.StaffMember | None = None
) -> m.Conference:
    _check_open(conference)
    if chair.role != "chair" or not chair.active:
        raise field_error("chair", f"staff member {chair.pk} is not an active child protection chair")
    if minute_taker is not None and (minute_taker.role not in MINUTE_TAKER_ROLES or not minute_taker.active):
        raise field_error("minute_taker", f"staff member {minute_taker.pk} is not an active minute taker")
    conference.chair = chair
    conference.minute_taker = minute_taker
    conference.save(update_fields=["chair", "minute_taker"])
    note_change(
        by=by,
        action="allocate_conference_staff",
        obj=conference,
        detail=f"chair {chair.pk} minutes {minute_taker.pk if minute_taker else '-'}",
    )
    return conference


def conference_family_ids(conference: m.Conference) -> set[int]:
    return set(conference.subjects.exclude(child__family=None).values_list("child__family_id", flat=True))


@transaction.atomic
def do_choose_invitees(
    *,
    conference: m.Conference,
    by: User,
    agencies: Iterable[str] = (),
    family_members: Iterable[m.FamilyMember] = (),
) -> list[m.Invitee]:
    """Make the invitation list exactly the agencies and family members chosen.

    Children's social care always stays. Anyone whose attendance is already recorded cannot be
    taken off: the conference has happened for them.
    """
    _check_open(conference)
    chosen_agencies = set(agencies) | {codes.CONVENING_AGENCY}
    unknown = sorted(chosen_agencies - set(codes.AGENCY))
    if unknown:
        raise field_error("agencies", f"unknown agency code(s): {', '.join(unknown)}")
    chosen_members = {member.pk: member for member in family_members}
    families = conference_family_ids(conference)
    strangers = sorted(pk for pk, member in chosen_members.items() if member.family_id not in families)
    if strangers:
        raise field_error(
            "family_members",
            f"family member(s) {', '.join(map(str, strangers))} are not of the family of this conference's children",
        )
    # People invited by name, and those who came uninvited, are not on these checkboxes.
    current = [i for i in conference.invitees.all() if i.invited and (i.family_member_id or not i.name)]
    leaving = [
        invitee
        for invitee in current
        if (invitee.agency and invitee.agency not in chosen_agencies)
        or (invitee.family_member_id and invitee.family_member_id not in chosen_members)
    ]
    recorded = [invitee for invitee in leaving if invitee.attendance]
    if recorded:
        raise field_error(
            "agencies",
            "Attendance is already recorded for "
            + ", ".join(i.name or codes.label(codes.AGENCY, i.agency) for i in recorded)
            + ": they cannot be taken off the list",
        )
    m.Invitee.objects.filter(pk__in=[invitee.pk for invitee in leaving]).delete()
    present_agencies = {i.agency for i in current if i.agency}
    present_members = {i.family_member_id for i in current if i.family_member_id}
    m.Invitee.objects.bulk_create(
        [m.Invitee(conference=conference, agency=a) for a in sorted(chosen_agencies - present_agencies)]
        + [
            m.Invitee(conference=conference, family_member=member, name=member.name)
            for pk, member in chosen_members.items()
            if pk not in present_members
        ]
    )
    note_change(
        by=by,
        action="choose_invitees",
        obj=conference,
        detail=f"{len(chosen_agencies)} agencies, {len(chosen_members)} family members",
    )
    return list(conference.invitees.all())


PAPERWORK_FIELDS: dict[str, str] = {
    "invitations": "invitations_sent_date",
    "decision_letter": "decision_letter_sent_date",
    "minutes": "minutes_sent_date",
}


@transaction.atomic
def do_record_paperwork_sent(
    *, conference: m.Conference, paperwork: str, sent_date: dt.date, by: User
) -> m.Conference:
    """Invitations before the conference; the decision letter and minutes only after it is held."""
    if conference.cancelled:
        raise RecordError(f"conference {conference.pk} was cancelled")
    field = PAPERWORK_FIELDS.get(paperwork)
    if field is None:
        raise field_error("paperwork", f"unknown paperwork {paperwork!r}")
    check_not_after_today(sent_date, "sent_date", "The date it was sent")
    if paperwork != "invitations":
        if conference.held_date is None:
            raise RecordError(f"conference {conference.pk} has not been held yet")
        if sent_date < conference.held_date:
            raise field_error(
                "sent_date", f"the {paperwork.replace('_', ' ')} cannot go before the conference"
            )
    setattr(conference, field, sent_date)
    conference.save(update_fields=[field])
    note_change(by=by, action=f"record_{paperwork}_sent", obj=conference, detail=sent_date.isoformat())
    return conference


def _check_move(conference: m.Conference, to_date: dt.date, config: AuthorityConfig) -> None:
    """A new date must be a working day after each child's enquiry started (or plan, for a review)."""
    if not config.calendar.is_working_day(to_date):
        raise field_error("to_date", f"{in_words(to_date)} is not a working day: enter a working day")
    for subject in conference.subjects.select_related("plan", "child", "section47"):
        if subject.plan_id and conference.conference_type == "review" and to_date <= subject.plan.start_date:
            raise field_error(
                "to_date",
                f"A review must be after the plan started on {in_words(subject.plan.start_date)}",
            )
        if subject.section47_id and to_date < subject.section47.start_date:
            raise field_error(
                "to_date",
                f"The conference cannot be before the enquiry started on {in_words(subject.section47.start_date)}",
            )


@transaction.atomic
def do_rearrange_conference(
    *,
    conference: m.Conference,
    to_date: dt.date,
    reason: str,
    by: User,
    scheduled_time: dt.time | None = None,
    venue: str | None = None,
    config: AuthorityConfig | None = None,
) -> m.Rearrangement:
    """Move a booked conference to another date, time or venue. The due date never moves; the
    reason is kept with the move.

    A move past the due date leaves the conference late: it keeps the late reason it had, or
    takes the rearrangement's. A move back within time clears it.
    """
    config = authority_config(config)
    _check_open(conference)
    if reason not in codes.LATE_REASON:
        raise field_error("reason", "Select why the conference is being rearranged")
    _check_move(conference, to_date, config)
    venue = (venue or "").strip() or None
    from_date = conference.scheduled_date
    unchanged = (
        from_date == to_date
        and scheduled_time in (None, conference.scheduled_time)
        and venue in (None, conference.venue)
    )
    if unchanged:
        raise field_error(
            "to_date", f"The conference is already booked for {in_words(to_date)}: change the date, time or venue"
        )
    if conference.due_date and to_date > conference.due_date:
        conference.late_reason = conference.late_reason or reason
    else:
        conference.late_reason = ""
    conference.scheduled_date = to_date
    if scheduled_time is not None:
        conference.scheduled_time = scheduled_time
    if venue is not None:
        conference.venue = venue[:120]
    conference.save(update_fields=["scheduled_date", "scheduled_time", "venue", "late_reason"])
    rearrangement = m.Rearrangement.objects.create(
        conference=conference, from_date=from_date or to_date, to_date=to_date, reason=reason, recorded_by=by
    )
    note_change(
        by=by, action="rearrange_conference", obj=conference, detail=f"{from_date} to {to_date} {reason}"
    )
    return rearrangement


@transaction.atomic
def do_cancel_conference(*, conference: m.Conference, by: User, reason: str = "") -> m.Conference:
    """Withdraw a booking that will not happen (the enquiry found no conference needed, the
    family moved away), with the reason; its children can then be booked afresh."""
    _check_open(conference)
    if reason not in codes.CANCEL_REASON:
        raise field_error("reason", "Select why the conference is being cancelled")
    conference.cancelled = True
    conference.cancel_reason = reason
    conference.save(update_fields=["cancelled", "cancel_reason"])
    note_change(by=by, action="cancel_conference", obj=conference, detail=reason)
    return conference


# --- The conference itself -----------------------------------------------------------------------
