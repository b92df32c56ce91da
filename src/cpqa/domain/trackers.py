"""Today's lists: what is due and what is late, over the record's tables, on a given day.

Pure: a `Record` and a date in, tables out. Every due date comes from the timescale engine
(`cpqa.domain.timescales`) and every midway review from `cpqa.domain.oversight`, so Today, the
lateness reports and the annual report cannot disagree. The web app narrows the record to the
children a user may see before it asks; these functions never decide who sees what.

Each list is one row per child (a conference about three siblings is three rows), with the
child's name and team joined on, sorted by the date that matters most first.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from cpqa.domain import codes
from cpqa.domain.calendar import ReportingYear, WorkingCalendar
from cpqa.domain.config import AuthorityConfig
from cpqa.domain.indicators.reviews import review_history
from cpqa.domain.indicators.timeliness import timed_initial_conferences
from cpqa.domain.oversight import midway_reviews_due
from cpqa.domain.tables import Record
from cpqa.domain.timescales import (
    Status,
    initial_conference_due,
    is_in_time,
    status_on,
    transfer_in_conference_due,
)

# "Reviews due in the next 4 weeks" (issue 5): the horizon for reviews and midway reviews.
LOOKAHEAD_DAYS = 28
# How far back Today still shows something that has happened (a late notification received,
# a rearranged conference held): long enough to be followed up at the next weekly report.
LOOKBACK_DAYS = 28
# Local procedures ask for a strategy discussion's outcome to reach the conference service
# within one working day; later than that eats into the 15 working days to the conference.
QA_NOTIFICATION_WORKING_DAYS = 1

CHILD_COLUMNS = ("child_id", "first_name", "last_name", "team")


def _with_child(frame: pl.DataFrame, record: Record) -> pl.DataFrame:
    children = record.children.select(CHILD_COLUMNS).unique("child_id", keep="first")
    return frame.join(children, on="child_id", how="left")


def _bookings(record: Record, today: dt.date) -> pl.DataFrame:
    """Conferences booked and not held by `today`, one row per child and (s47 or plan).

    Held after `today` counts as booked, so a list asked for a past day reads as it did then.
    """
    not_yet_held = pl.col("held_date").is_null() | (pl.col("held_date") > today)
    return record.conferences.filter(not_yet_held & pl.col("scheduled_date").is_not_null()).select(
        "child_id", "conference_type", "s47_id", "plan_id", "scheduled_date", "meeting_id"
    )


def _status_column(dues: pl.Series, today: dt.date, calendar: WorkingCalendar) -> pl.Series:
    return pl.Series(
        "status", [status_on(due, today, calendar).value for due in dues], dtype=pl.String
    )


# QA manager ----------------------------------------------------------------------------------

AWAITING_SCHEMA: dict[str, pl.DataType] = {
    "s47_id": pl.String,
    "child_id": pl.String,
    "strategy_discussion": pl.Date,
    "due_date": pl.Date,
    "scheduled_date": pl.Date,
    "status": pl.String,
}


def awaiting_initial_conference(
    record: Record, today: dt.date, calendar: WorkingCalendar
) -> pl.DataFrame:
    """Section 47 enquiries started on or before `today` still waiting for their initial conference.

    Waiting means: no initial or pre-birth conference for the enquiry has been held, the
    enquiry is not marked "conference not required" and has not been completed without one.
    `due_date` is the strategy discussion + 15 working days (the timescale engine);
    `scheduled_date` the conference booked for it, if any; `status` is on_track, due_soon
    (within 3 working days) or overdue, judged on the due date whether or not it is booked,
    because a conference booked after its due date will still be late.
    """
    conferences = record.conferences.filter(pl.col("conference_type").is_in(codes.INITIAL_CONFERENCE_TYPES))
    held = conferences.filter(pl.col("held_date").is_not_null() & (pl.col("held_date") <= today))
    booked = (
        _bookings(record, today)
        .filter(pl.col("conference_type").is_in(codes.INITIAL_CONFERENCE_TYPES) & pl.col("s47_id").is_not_null())
        .group_by("s47_id")
        .agg(pl.col("scheduled_date").min())
    )
    waiting = (
        record.s47.filter(
            (pl.col("start_date") <= today)
            & ~pl.col("icpc_not_required").fill_null(False)
            & pl.col("completed_date").is_null()
        )
        .join(held.select("s47_id").unique(), on="s47_id", how="anti")
        .join(booked, on="s47_id", how="left")
    )
    dues = [initial_conference_due(start, calendar) for start in waiting["start_date"]]
    frame = waiting.select(
        "s47_id",
        "child_id",
        pl.col("start_date").alias("strategy_discussion"),
        pl.Series("due_date", dues, dtype=pl.Date),
        "scheduled_date",
    )
    frame = frame.with_columns(_status_column(frame["due_date"], today, calendar))
    return _with_child(frame.cast(AWAITING_SCHEMA), record).sort("due_date", "child_id")


LATE_NOTIFICATION_SCHEMA: dict[str, pl.DataType] = {
    "s47_id": pl.String,
    "child_id": pl.String,
    "strategy_discussion": pl.Date,
    "qa_notified_date": pl.Date,
    "working_days_late": pl.Int64,
    "due_date": pl.Date,
    "working_days_left": pl.Int64,
}


def late_notifications(
    record: Record,
    today: dt.date,
    calendar: WorkingCalendar,
    lookback_days: int = LOOKBACK_DAYS,
    allowed_working_days: int = QA_NOTIFICATION_WORKING_DAYS,
) -> pl.DataFrame:
    """Strategy discussions that reached the conference service late, notified in the last 4 weeks.

    Late means notified more than `allowed_working_days` working days after the strategy
    discussion. `working_days_left` is what the notification left to hold the initial
    conference in time (from the notification to the due date; negative when already past it):
    the figure the seed's "late notification to QA" delays turn on.
    """
    window_start = today - dt.timedelta(days=lookback_days)
    notified = record.s47.filter(
        pl.col("qa_notified_date").is_not_null()
        & (pl.col("qa_notified_date") <= today)
        & (pl.col("qa_notified_date") >= window_start)
    )
    rows = []
    for s47_id, child_id, start, notified_on in notified.select(
        "s47_id", "child_id", "start_date", "qa_notified_date"
    ).iter_rows():
        days_after = calendar.working_days_between(start, notified_on)
        if days_after <= allowed_working_days:
            continue
        due = initial_conference_due(start, calendar)
        rows.append(
            (s47_id, child_id, start, notified_on, days_after - allowed_working_days, due,
             calendar.working_days_between(notified_on, due))
        )
    frame = pl.DataFrame(rows, schema=LATE_NOTIFICATION_SCHEMA, orient="row")
    return _with_child(frame, record).sort("qa_notified_date", "child_id", descending=[True, False])


REVIEW_SCHEMA: dict[str, pl.DataType] = {
    "plan_id": pl.String,
    "child_id": pl.String,
    "previous_conference": pl.Date,
    "due_date": pl.Date,
    "scheduled_date": pl.Date,
    "status": pl.String,
}


def reviews_due(
    record: Record,
    today: dt.date,
    config: AuthorityConfig,
    lookahead_days: int = LOOKAHEAD_DAYS,
) -> pl.DataFrame:
    """Review conferences due within the next 4 weeks (and any overdue) for plans open today.

    The next review is the one the midway-review rule works towards (first review: plan start
    + 3 months; later: previous review + 6 months), so both lists share one computation.
    `scheduled_date` is a review booked for the plan and not yet held.
    """
    horizon = today + dt.timedelta(days=lookahead_days)
    intervals = midway_reviews_due(record.plans, record.conferences, record.midway_reviews, today, config)
    booked = (
        _bookings(record, today)
        .filter((pl.col("conference_type") == "review") & pl.col("plan_id").is_not_null())
        .group_by("plan_id")
        .agg(pl.col("scheduled_date").min())
    )
    due = (
        intervals.filter(pl.col("next_review_due") <= horizon)
        .select("plan_id", "child_id", "previous_conference", pl.col("next_review_due").alias("due_date"))
        .join(booked, on="plan_id", how="left")
    )
    frame = due.with_columns(_status_column(due["due_date"], today, config.calendar)).cast(REVIEW_SCHEMA)
    return _with_child(frame, record).sort("due_date", "child_id")


def held_without_outcome(record: Record, today: dt.date) -> pl.DataFrame:
    """Conferences held on or before `today` with no outcome recorded for the child."""
    frame = record.conferences.filter(
        pl.col("held_date").is_not_null() & (pl.col("held_date") <= today) & pl.col("outcome").is_null()
    ).select("conference_id", "meeting_id", "child_id", "conference_type", "held_date", "chair_id")
    return _with_child(frame, record).sort("held_date", "child_id")


def rearranged_conferences(
    record: Record, today: dt.date, lookback_days: int = LOOKBACK_DAYS
) -> pl.DataFrame:
    """Conferences moved at least once: those still to be held, and those held in the last 4 weeks.

    The due date stays the original one (a rearranged conference keeps its due date), so
    `in_time` says whether the new date still meets it.
    """
    window_start = today - dt.timedelta(days=lookback_days)
    frame = record.conferences.filter(
        (pl.col("rearrangements").fill_null(0) > 0)
        & (pl.col("held_date").is_null() | (pl.col("held_date") >= window_start))
    ).select(
        "conference_id", "meeting_id", "child_id", "conference_type", "due_date", "scheduled_date",
        "held_date", "rearrangements", "late_reason",
    )
    in_time = [
        None if due is None or (held or scheduled) is None else is_in_time(held or scheduled, due)
        for due, scheduled, held in frame.select("due_date", "scheduled_date", "held_date").iter_rows()
    ]
    frame = frame.with_columns(pl.Series("in_time", in_time, dtype=pl.Boolean))
    return _with_child(frame, record).sort(
        pl.coalesce("held_date", "scheduled_date"), "child_id", nulls_last=True
    )


# Chair ---------------------------------------------------------------------------------------


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday to Sunday of the week `day` falls in."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def chair_conferences_this_week(record: Record, chair_id: str, today: dt.date) -> pl.DataFrame:
    """The conferences `chair_id` chairs this week (Monday to Sunday), held or still to be held."""
    monday, sunday = week_of(today)
    day = pl.coalesce("held_date", "scheduled_date")
    frame = record.conferences.filter(
        (pl.col("chair_id") == chair_id) & day.is_between(monday, sunday)
    ).select(
        "conference_id", "meeting_id", "child_id", "conference_type", "due_date", "scheduled_date",
        "held_date", "outcome",
    )
    return _with_child(frame, record).sort(pl.coalesce("held_date", "scheduled_date"), "meeting_id", "child_id")


def chair_midway_reviews_due(
    record: Record,
    chair_id: str,
    today: dt.date,
    config: AuthorityConfig,
    lookahead_days: int = LOOKAHEAD_DAYS,
) -> pl.DataFrame:
    """The chair's midway reviews not yet held, due within the next 4 weeks or overdue."""
    horizon = today + dt.timedelta(days=lookahead_days)
    frame = midway_reviews_due(record.plans, record.conferences, record.midway_reviews, today, config).filter(
        (pl.col("chair_id") == chair_id) & (pl.col("status") != "held") & (pl.col("due_date") <= horizon)
    )
    return _with_child(frame, record).sort("due_date", "child_id")


# Business support ----------------------------------------------------------------------------

TO_BOOK_SCHEMA: dict[str, pl.DataType] = {
    "conference_type": pl.String,
    "child_id": pl.String,
    "s47_id": pl.String,
    "plan_id": pl.String,
    "due_date": pl.Date,
    "status": pl.String,
}


def transfer_ins_to_book(record: Record, today: dt.date, config: AuthorityConfig) -> pl.DataFrame:
    """Transfer-in notifications received by `today` with no conference booked for them, each due
    15 working days after the notification (the timescale engine)."""
    booked = record.conferences.filter(pl.col("conference_type") == "transfer_in")["notification_id"].drop_nulls()
    waiting = record.transfer_notifications.filter(
        (pl.col("received_date") <= today) & ~pl.col("notification_id").is_in(booked.implode())
    )
    dues = [transfer_in_conference_due(day, config.calendar) for day in waiting["received_date"]]
    waiting = waiting.with_columns(pl.Series("due_date", dues, dtype=pl.Date))
    return waiting.with_columns(_status_column(waiting["due_date"], today, config.calendar))


def conferences_to_book(
    record: Record,
    today: dt.date,
    config: AuthorityConfig,
    lookahead_days: int = LOOKAHEAD_DAYS,
) -> pl.DataFrame:
    """Conferences due and not yet booked: transfer-in notifications not yet answered, initial
    conferences awaited, reviews due within 4 weeks."""
    initial = awaiting_initial_conference(record, today, config.calendar).filter(
        pl.col("scheduled_date").is_null()
    )
    reviews = reviews_due(record, today, config, lookahead_days).filter(pl.col("scheduled_date").is_null())
    transfers = transfer_ins_to_book(record, today, config)
    frame = pl.concat(
        [
            transfers.select(
                pl.lit("transfer_in").alias("conference_type"), "child_id",
                pl.lit(None, dtype=pl.String).alias("s47_id"), pl.lit(None, dtype=pl.String).alias("plan_id"),
                "due_date", "status",
            ),
            initial.select(
                pl.lit("initial").alias("conference_type"), "child_id", "s47_id",
                pl.lit(None, dtype=pl.String).alias("plan_id"), "due_date", "status",
            ),
            reviews.select(
                pl.lit("review").alias("conference_type"), "child_id",
                pl.lit(None, dtype=pl.String).alias("s47_id"), "plan_id", "due_date", "status",
            ),
        ]
    ).cast(TO_BOOK_SCHEMA)
    return _with_child(frame, record).sort("due_date", "child_id")


def count_by_status(frame: pl.DataFrame) -> dict[str, int]:
    """How many rows of a list are on track, due soon and overdue (every status, zeros kept)."""
    counts = {status.value: 0 for status in Status}
    if "status" in frame.columns:
        for status, n in frame.group_by("status").len().iter_rows():
            if status in counts:
                counts[status] = n
    return counts


# Lateness reports (weekly and monthly) -------------------------------------------------------

LATENESS_SCHEMA: dict[str, pl.DataType] = {
    "conference_id": pl.String,
    "child_id": pl.String,
    "conference_type": pl.String,
    "due_date": pl.Date,
    "held_date": pl.Date,
    "working_days_late": pl.Int64,
    "late_reason": pl.String,
}


def month_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the calendar month `day` falls in."""
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def held_late(
    record: Record, start: dt.date, end: dt.date, calendar: WorkingCalendar
) -> pl.DataFrame:
    """Initial and review conferences held from `start` to `end` after their due date, with the reason.

    Whether a conference was late is the annual report's own test (the timeliness indicators),
    applied to each reporting year the period touches, so the weekly figure and the year's
    figure always agree. `working_days_late` counts working days from the due date to the
    day it was held.
    """
    if end < start:
        raise ValueError(f"period ends {end.isoformat()} before it starts {start.isoformat()}")
    in_period = pl.col("held_date").is_between(start, end)
    years = range(ReportingYear.containing(start).first_year, ReportingYear.containing(end).first_year + 1)
    initial = pl.concat(
        [
            timed_initial_conferences(record, ReportingYear(first), calendar)
            .filter(in_period & ~pl.col("in_time"))
            .select("conference_id", "child_id", "conference_type", pl.col("icpc_due").alias("due_date"),
                    "held_date")
            for first in years
        ]
    )
    reviews = (
        review_history(record, end)
        .filter(in_period & pl.col("known") & ~pl.col("in_time"))
        .select("conference_id", "child_id", pl.lit("review").alias("conference_type"), "due_date", "held_date")
    )
    late = pl.concat([initial, reviews]).join(
        record.conferences.select("conference_id", "late_reason"), on="conference_id", how="left"
    )
    days = [calendar.working_days_between(due, held) for due, held in late.select("due_date", "held_date").iter_rows()]
    frame = late.with_columns(pl.Series("working_days_late", days, dtype=pl.Int64)).select(list(LATENESS_SCHEMA))
    return _with_child(frame.cast(LATENESS_SCHEMA), record).sort("held_date", "conference_id")


def lateness_by_reason(late: pl.DataFrame) -> pl.DataFrame:
    """conference_type, late_reason, conferences: how many were late for each recorded reason.

    A missing reason stays null (shown as "not recorded"), after the recorded ones; most first.
    """
    return (
        late.group_by("conference_type", "late_reason")
        .agg(pl.len().cast(pl.Int64).alias("conferences"))
        .sort(
            ["conference_type", pl.col("late_reason").is_null(), "conferences", "late_reason"],
            descending=[False, False, True, False],
        )
    )
