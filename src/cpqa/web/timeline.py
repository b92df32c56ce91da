"""The child's record as a person reads it: what happened, where things stand, what is due.

Reads only; the caller has already checked the user may see the child (`access_child`, which
logs the read). Due dates come from the conference services' timescale helpers, which ask
`cpqa.domain.timescales`; nothing here works a date out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cpqa.conferences import services as svc
from cpqa.conferences.core_groups import latest_core_group, next_core_group_due
from cpqa.core.config import authority_config
from cpqa.domain import codes, timescales
from cpqa.domain.calendar import in_words
from cpqa.domain.config import AuthorityConfig
from cpqa.oversight.selectors import child_footprint
from cpqa.record import models as m
from cpqa.record.services import open_plan_of


@dataclass(frozen=True)
class Event:
    on: dt.date
    what: str
    detail: str = ""
    # A URL name and its pk where the event has a page of its own.
    url_name: str = ""
    pk: int | None = None


@dataclass(frozen=True)
class DueItem:
    what: str
    due: dt.date
    status: timescales.Status
    booked_for: dt.date | None = None
    # What the reader can do about it: a URL name and the pk it takes.
    action: str = ""
    url_name: str = ""
    pk: int | None = None


def categories_label(categories: list[str]) -> str:
    return codes.category_combination_label(categories) if categories else "no category recorded"


def _conference_events(child: m.Child) -> list[Event]:
    events = []
    subjects = (
        m.ConferenceSubject.objects.filter(child=child)
        .select_related("conference")
        .prefetch_related("conference__rearrangements")
    )
    for subject in subjects:
        conference = subject.conference
        if conference.date is None:
            continue
        kind = codes.label(codes.CONFERENCE_TYPE, conference.conference_type)
        if conference.cancelled:
            state = "cancelled"
        elif conference.held_date is None:
            state = f"booked (due {in_words(conference.due_date)})" if conference.due_date else "booked"
        else:
            timing = ""
            if conference.due_date:
                timing = (
                    "in time" if timescales.is_in_time(conference.held_date, conference.due_date) else "late"
                )
            outcome = codes.label(codes.CONFERENCE_OUTCOME, subject.outcome) or "outcome not recorded"
            state = ", ".join(part for part in (outcome, timing) if part)
        moves = len(conference.rearrangements.all())
        if moves:
            state += f"; rearranged {moves} time{'s' if moves > 1 else ''}"
        events.append(Event(conference.date, kind, state, "conference_detail", conference.pk))
    return events


def _oversight_events(child: m.Child) -> list[Event]:
    """QA's entries on the child's file (escalations, notes, midway reviews)."""
    return [Event(entry.on, entry.what, entry.detail) for entry in child_footprint(child).entries]


def child_timeline(child: m.Child) -> list[Event]:
    """Everything on the child's record, newest first."""
    events: list[Event] = []
    for referral in child.referrals.all():
        events.append(
            Event(
                referral.referral_date,
                "Referral",
                f"Source: {codes.label(codes.REFERRAL_SOURCE, referral.source)}",
            )
        )
        if referral.closure_date:
            events.append(
                Event(
                    referral.closure_date,
                    "Referral closed",
                    codes.label(codes.REASON_FOR_CLOSURE, referral.closure_reason),
                )
            )
    discussions = m.StrategyDiscussion.objects.filter(referral__child=child)
    for discussion in discussions:
        told = discussion.notified_to_qa_date
        events.append(
            Event(discussion.held_date, "Strategy discussion", f"QA told {in_words(told)}" if told else "")
        )
    for enquiry in m.Section47.objects.filter(referral__child=child):
        detail = "no conference needed" if enquiry.conference_not_required else ""
        events.append(Event(enquiry.start_date, "Section 47 enquiry started", detail))
        if enquiry.completed_date:
            events.append(Event(enquiry.completed_date, "Section 47 enquiry completed"))
    for notification in child.transfer_notifications.all():
        events.append(
            Event(
                notification.received_date, "Transfer-in notification", f"from {notification.from_authority}"
            )
        )
    for plan in child.plans.all():
        start = "transferred in" if plan.from_other_authority else "initial categories"
        events.append(
            Event(
                plan.start_date,
                "Child protection plan started",
                f"{start}: {categories_label(plan.initial_category_set)}",
            )
        )
        if plan.end_date:
            events.append(
                Event(
                    plan.end_date,
                    "Child protection plan ended",
                    codes.label(codes.PLAN_END_REASON, plan.end_reason),
                )
            )
        for group in plan.core_groups.filter(held_date__isnull=False):
            events.append(Event(group.held_date, "Core group"))
        for meeting in plan.core_group_meetings.all():
            events.append(Event(meeting.held_date, "Core group", "Attended: " + ", ".join(meeting.agency_labels)))
    events.extend(_conference_events(child))
    events.extend(_oversight_events(child))
    events.sort(key=lambda e: e.on, reverse=True)
    return events


@dataclass(frozen=True)
class PlanPeriod:
    plan: m.Plan
    categories: str
    days: int
    reviews: int


def plan_periods(child: m.Child, today: dt.date) -> list[PlanPeriod]:
    periods = []
    for plan in child.plans.order_by("-start_date"):
        reviews = m.Conference.objects.filter(
            conference_type="review", cancelled=False, held_date__isnull=False, subjects__plan=plan
        ).count()
        days = ((plan.end_date or today) - plan.start_date).days
        periods.append(PlanPeriod(plan, categories_label(plan.latest_category_set), days, reviews))
    return periods


def awaiting_outcome(child: m.Child) -> list[m.ConferenceSubject]:
    """The child's places at conferences held (not cancelled) whose outcome is not recorded."""
    return list(
        m.ConferenceSubject.objects.filter(
            child=child, outcome="", conference__cancelled=False, conference__held_date__isnull=False
        ).select_related("conference")
    )


def current_status(child: m.Child) -> str:
    if awaiting_outcome(child):
        return "Conference held, outcome not recorded"
    plan = open_plan_of(child)
    if plan is not None:
        return (
            f"Subject of a child protection plan since {in_words(plan.start_date)} "
            f"({categories_label(plan.latest_category_set)})"
        )
    if svc.awaiting_section47(child) is not None:
        return "Section 47 enquiry awaiting an initial conference"
    if child.referrals.filter(closure_date__isnull=True).exists():
        return "Open referral, not on a plan"
    return "No open involvement"


def due_next(child: m.Child, today: dt.date, config: AuthorityConfig | None = None) -> list[DueItem]:
    """What is due for this child, earliest first, with its status today."""
    config = authority_config(config)
    calendar = config.calendar
    items: list[DueItem] = []

    def add(what: str, due: dt.date, **extra: object) -> None:
        items.append(DueItem(what, due, timescales.status_on(due, today, calendar), **extra))

    for conference in svc.pending_conferences(subjects__child=child):
        add(
            f"{codes.label(codes.CONFERENCE_TYPE, conference.conference_type)} (booked)",
            conference.due_date or conference.scheduled_date,
            booked_for=conference.scheduled_date,
            action="Go to the conference",
            url_name="conference_detail",
            pk=conference.pk,
        )
    for subject in awaiting_outcome(child):
        # The outcome is due the day the conference sits; the plan waits on it.
        add(
            f"Outcome of the {codes.label(codes.CONFERENCE_TYPE, subject.conference.conference_type).lower()}",
            subject.conference.held_date,
            action="Go to the conference",
            url_name="conference_detail",
            pk=subject.conference_id,
        )
    enquiry = svc.awaiting_section47(child)
    if enquiry is not None:
        add(
            "Initial conference",
            svc.initial_conference_due_for(enquiry, config),
            action="Book the initial conference",
            url_name="book_initial_conference",
            pk=enquiry.pk,
        )
    plan = open_plan_of(child)
    if plan is not None:
        if not svc.pending_conferences(conference_type="review", subjects__plan=plan):
            add(
                "Review conference",
                svc.review_due_for(plan),
                action="Book the review",
                url_name="book_review_conference",
                pk=plan.pk,
            )
        # The one core-group rule (cpqa.domain.timescales.core_group_due), from those held.
        held = latest_core_group(plan)
        add("Core group" if held else "First core group", next_core_group_due(plan))
    else:
        for notification in child.transfer_notifications.all():
            if not notification.conferences.filter(cancelled=False).exists():
                add(
                    "Transfer-in conference",
                    svc.transfer_in_due_for(notification, config),
                    action="Book the transfer-in conference",
                    url_name="book_transfer_in_conference",
                    pk=notification.pk,
                )
    items.sort(key=lambda item: item.due)
    return items
