"""Due dates for every event (docs/definitions.md#due-dates): the one timescale engine.

Every screen, tracker, export and report asks this module; nothing else computes a due date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

import polars as pl

from cpqa.domain.calendar import ENGLAND, WorkingCalendar, add_months, add_months_expr

ICPC_WORKING_DAYS = 15
TRANSFER_IN_WORKING_DAYS = 15
FIRST_CORE_GROUP_WORKING_DAYS = 10
# Later core groups: weeks after the previous one (docs/definitions.md#core-group-due); the
# authority can change it.
DEFAULT_CORE_GROUP_INTERVAL_WEEKS = 4
FIRST_REVIEW_MONTHS = 3
LATER_REVIEW_MONTHS = 6
# Local procedures differ (docs/definitions.md#pre-birth-due); the authority can change it.
DEFAULT_PREBIRTH_DAYS_BEFORE_DELIVERY = 70
# Weeks-before-birth bands (docs/definitions.md#pre-birth-bands): < 28 days, 28 to 70 inclusive, > 70.
PREBIRTH_BAND_UNDER_4_WEEKS_DAYS = 28
PREBIRTH_BAND_10_WEEKS_DAYS = 70


class Status(str, Enum):
    """Where an open item stands today, as the trackers show it."""

    ON_TRACK = "on_track"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    # Only for a conference awaited (an enquiry's initial conference, a plan's review): one is
    # booked, for a day after its due date (late) or on or before it.
    BOOKED_LATE = "booked_late"
    BOOKED = "booked"


DUE_SOON_WORKING_DAYS = 3


def initial_conference_due(strategy_discussion: dt.date, calendar: WorkingCalendar = ENGLAND) -> dt.date:
    """ICPC: the strategy discussion that initiated the s47 enquiry + 15 working days."""
    return calendar.add_working_days(strategy_discussion, ICPC_WORKING_DAYS)


def first_review_due(initial_conference: dt.date) -> dt.date:
    """First review: ICPC date (= plan start) + 3 calendar months."""
    return add_months(initial_conference, FIRST_REVIEW_MONTHS)


def next_review_due(previous_review: dt.date) -> dt.date:
    """Later review: previous review + 6 calendar months."""
    return add_months(previous_review, LATER_REVIEW_MONTHS)


def review_due(plan_start: dt.date, previous_review: dt.date | None) -> dt.date:
    """The review due after `previous_review`, or the first review when there has been none."""
    if previous_review is None:
        return first_review_due(plan_start)
    return next_review_due(previous_review)


def transfer_in_conference_due(notification: dt.date, calendar: WorkingCalendar = ENGLAND) -> dt.date:
    """Transfer-in: written notification from the other authority + 15 working days."""
    return calendar.add_working_days(notification, TRANSFER_IN_WORKING_DAYS)


def first_core_group_due(initial_conference: dt.date, calendar: WorkingCalendar = ENGLAND) -> dt.date:
    """First core group: ICPC date + 10 working days."""
    return calendar.add_working_days(initial_conference, FIRST_CORE_GROUP_WORKING_DAYS)


def next_core_group_due(
    previous_core_group: dt.date, interval_weeks: int = DEFAULT_CORE_GROUP_INTERVAL_WEEKS
) -> dt.date:
    """Later core group: the previous core group + the authority's interval (calendar weeks)."""
    return previous_core_group + dt.timedelta(weeks=interval_weeks)


def core_group_due(
    plan_start: dt.date,
    latest_core_group: dt.date | None,
    calendar: WorkingCalendar = ENGLAND,
    interval_weeks: int = DEFAULT_CORE_GROUP_INTERVAL_WEEKS,
) -> dt.date:
    """The core group due next on a plan: the first while none has been held since the plan's
    conference, else the latest held + the interval."""
    if latest_core_group is None:
        return first_core_group_due(plan_start, calendar)
    return next_core_group_due(latest_core_group, interval_weeks)


def midway_review_due(previous_conference: dt.date, next_review: dt.date) -> dt.date:
    """Half the interval from the previous conference to the next due review, rounded down."""
    if next_review < previous_conference:
        raise ValueError(
            f"next review due {next_review.isoformat()} is before the previous conference "
            f"{previous_conference.isoformat()}"
        )
    return previous_conference + dt.timedelta(days=(next_review - previous_conference).days // 2)


def prebirth_conference_due(
    expected_delivery: dt.date, days_before_delivery: int = DEFAULT_PREBIRTH_DAYS_BEFORE_DELIVERY
) -> dt.date:
    """Pre-birth ICPC: no later than the configured number of days before the expected delivery."""
    return expected_delivery - dt.timedelta(days=days_before_delivery)


def prebirth_band(conference: dt.date, birth: dt.date) -> str:
    """`under_4_weeks`, `weeks_4_to_10` or `over_10_weeks` before the (expected) birth."""
    days = (birth - conference).days
    if days < PREBIRTH_BAND_UNDER_4_WEEKS_DAYS:
        return "under_4_weeks"
    if days <= PREBIRTH_BAND_10_WEEKS_DAYS:
        return "weeks_4_to_10"
    return "over_10_weeks"


# Columnar twins of the rules above, for whole tables at once (the annual report). Each is
# tested against its scalar rule so the screen and the report cannot disagree.


def initial_conference_due_expr(strategy_discussion: pl.Expr, calendar: WorkingCalendar = ENGLAND) -> pl.Expr:
    return calendar.add_working_days_expr(strategy_discussion, ICPC_WORKING_DAYS)


def first_review_due_expr(initial_conference: pl.Expr) -> pl.Expr:
    return add_months_expr(initial_conference, FIRST_REVIEW_MONTHS)


def next_review_due_expr(previous_review: pl.Expr) -> pl.Expr:
    return add_months_expr(previous_review, LATER_REVIEW_MONTHS)


def review_due_expr(plan_start: pl.Expr, previous_review: pl.Expr) -> pl.Expr:
    """`review_due` per row: the first review where there has been none, else the next."""
    return (
        pl.when(previous_review.is_null())
        .then(first_review_due_expr(plan_start))
        .otherwise(next_review_due_expr(previous_review))
    )


def prebirth_band_expr(conference: pl.Expr, birth: pl.Expr) -> pl.Expr:
    """`prebirth_band` per row; null where the (expected) birth date is unknown."""
    days = (birth - conference).dt.total_days()
    return (
        pl.when(days.is_null())
        .then(None)
        .when(days < PREBIRTH_BAND_UNDER_4_WEEKS_DAYS)
        .then(pl.lit("under_4_weeks"))
        .when(days <= PREBIRTH_BAND_10_WEEKS_DAYS)
        .then(pl.lit("weeks_4_to_10"))
        .otherwise(pl.lit("over_10_weeks"))
    )


def is_in_time(held: dt.date, due: dt.date) -> bool:
    """A conference is in time when held on or before its due date."""
    return held <= due


def status_on(due: dt.date, today: dt.date, calendar: WorkingCalendar = ENGLAND) -> Status:
    """On track, due within 3 working days, or overdue, for an item not yet done."""
    if today > due:
        return Status.OVERDUE
    if calendar.working_days_between(today, due) <= DUE_SOON_WORKING_DAYS:
        return Status.DUE_SOON
    return Status.ON_TRACK


def awaited_conference_status(
    due: dt.date, booked_for: dt.date | None, today: dt.date, calendar: WorkingCalendar = ENGLAND
) -> Status:
    """docs/definitions.md#awaiting-an-initial-conference: where an awaited conference (not yet held) stands.

    In this order: overdue when the due date has passed; booked late when booked for a day
    after the due date (so never on track); booked when booked on or before it; otherwise due
    soon or on track as for anything not yet done.
    """
    if today > due:
        return Status.OVERDUE
    if booked_for is not None:
        return Status.BOOKED_LATE if booked_for > due else Status.BOOKED
    return status_on(due, today, calendar)


@dataclass(frozen=True)
class DueRule:
    """A named rule the `cpqa due` command can apply to one date, with the authority's calendar
    and its pre-birth target."""

    name: str
    description: str
    rule: Callable[[dt.date, WorkingCalendar, int], dt.date]

    def apply(
        self, day: dt.date, calendar: WorkingCalendar, prebirth_days: int = DEFAULT_PREBIRTH_DAYS_BEFORE_DELIVERY
    ) -> dt.date:
        return self.rule(day, calendar, prebirth_days)


DUE_RULES = {
    rule.name: rule
    for rule in (
        DueRule("icpc", f"initial conference: strategy discussion + {ICPC_WORKING_DAYS} working days",
                lambda d, cal, _: initial_conference_due(d, cal)),
        DueRule("review-first", f"first review: initial conference + {FIRST_REVIEW_MONTHS} calendar months",
                lambda d, cal, _: first_review_due(d)),
        DueRule("review-next", f"later review: previous review + {LATER_REVIEW_MONTHS} calendar months",
                lambda d, cal, _: next_review_due(d)),
        DueRule("transfer-in", f"transfer-in conference: notification + {TRANSFER_IN_WORKING_DAYS} working days",
                lambda d, cal, _: transfer_in_conference_due(d, cal)),
        DueRule("core-group", f"first core group: initial conference + {FIRST_CORE_GROUP_WORKING_DAYS} working days",
                lambda d, cal, _: first_core_group_due(d, cal)),
        DueRule("prebirth", "pre-birth conference: expected delivery less the authority's target "
                f"(default {DEFAULT_PREBIRTH_DAYS_BEFORE_DELIVERY} days)",
                lambda d, cal, days: prebirth_conference_due(d, days)),
    )
}
