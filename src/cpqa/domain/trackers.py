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
from cpqa.domain.calendar import ReportingYear, WorkingCalendar, add_months
from cpqa.domain.config import AuthorityConfig
from cpqa.domain.counting import plans_open_on
from cpqa.domain.indicators.reviews import review_history
from cpqa.domain.indicators.timeliness import timed_initial_conferences
from cpqa.domain.oversight import long_plan_band_expr, midway_reviews_due
from cpqa.domain.tables import Record
from cpqa.domain.timescales import (
    Status,
    awaited_conference_status,
    initial_conference_due,
    is_in_time,
    review_due,
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


# The product's daily lists (docs/definitions.md#trackers) ----------------------------------

# Reviews are on the reviews-due list from 4 weeks ahead, and on the list to book from 6 weeks.
REVIEWS_DUE_DAYS = 28
TO_BOOK_REVIEW_DAYS = 42
LONG_PLAN_MONTHS = 12
# The chair sees escalation responses due within this many working days (and those overdue).
ESCALATION_DUE_SOON_WORKING_DAYS = 3


def _conference_date() -> pl.Expr:
    """The day a conference is (or was) on: the day held where recorded, else the day booked."""
    return pl.coalesce("held_date", "scheduled_date")


def _held_by(today: dt.date) -> pl.Expr:
    return pl.col("held_date").is_not_null() & (pl.col("held_date") <= today)


def _booked_for(record: Record, today: dt.date, types: tuple[str, ...], key: str) -> pl.DataFrame:
    """The earliest conference of `types` booked and not held by `today`, per `key` (s47 or plan)."""
    return (
        _bookings(record, today)
        .filter(pl.col("conference_type").is_in(types) & pl.col(key).is_not_null())
        .group_by(key)
        .agg(pl.col("scheduled_date").min().alias("booked_for"))
    )


def _awaited_status(frame: pl.DataFrame, today: dt.date, calendar: WorkingCalendar) -> pl.Series:
    values = [
        awaited_conference_status(due, booked, today, calendar).value
        for due, booked in frame.select("due", "booked_for").iter_rows()
    ]
    return pl.Series("status", values, dtype=pl.String)


def _episodes_open_on(record: Record, today: dt.date) -> pl.DataFrame:
    """Episode ids closed on or before `today` (an episode is open on D as a plan is: no closure
    date, or one after D)."""
    return record.episodes.filter(
        pl.col("closure_date").is_not_null() & (pl.col("closure_date") <= today)
    ).select("episode_id")


AWAITING_SCHEMA: dict[str, pl.DataType] = {
    "s47_id": pl.String,
    "child_id": pl.String,
    "enquiry_start": pl.Date,
    "due": pl.Date,
    "booked_for": pl.Date,
    "status": pl.String,
}


def awaiting_initial_conference(record: Record, today: dt.date, config: AuthorityConfig) -> pl.DataFrame:
    """`awaiting_initial_conference` (docs/definitions.md#awaiting-an-initial-conference).

    One row per child of a section 47 enquiry started on or before D, whose episode is open on
    D, with no initial (or pre-birth) conference for it held on or before D, and not closed
    without a conference on or before D. A completion date alone does not take an enquiry off:
    enquiries are completed before their conference. "Conference not required" with no date
    counts as closed on the enquiry's start date. Due: strategy discussion + 15 working days.
    """
    held = record.conferences.filter(
        pl.col("conference_type").is_in(codes.INITIAL_CONFERENCE_TYPES) & _held_by(today)
    ).select("s47_id", "child_id").unique()
    closed_on = pl.coalesce("completed_date", "start_date")
    closed_without = pl.col("icpc_not_required").fill_null(False) & (closed_on <= today)
    waiting = (
        record.s47.filter((pl.col("start_date") <= today) & ~closed_without)
        .join(_episodes_open_on(record, today), on="episode_id", how="anti")
        .join(held, on=["s47_id", "child_id"], how="anti")
        .join(_booked_for(record, today, codes.INITIAL_CONFERENCE_TYPES, "s47_id"), on="s47_id", how="left")
    )
    dues = [initial_conference_due(start, config.calendar) for start in waiting["start_date"]]
    frame = waiting.select(
        "s47_id", "child_id", pl.col("start_date").alias("enquiry_start"),
        pl.Series("due", dues, dtype=pl.Date), "booked_for",
    )
    frame = frame.with_columns(_awaited_status(frame, today, config.calendar)).cast(AWAITING_SCHEMA)
    return _with_child(frame, record).sort("due", "child_id", "s47_id")


def _next_reviews(record: Record, today: dt.date) -> pl.DataFrame:
    """Per plan open on D: its start, the latest review held on or before D, and the next review due."""
    last_review = (
        record.conferences.filter((pl.col("conference_type") == "review") & _held_by(today))
        .group_by("plan_id")
        .agg(pl.col("held_date").max().alias("last_review"))
    )
    plans = plans_open_on(record.plans, today).select("plan_id", "child_id", pl.col("start_date").alias("plan_start"))
    plans = plans.join(last_review, on="plan_id", how="left")
    dues = [review_due(start, last) for start, last in plans.select("plan_start", "last_review").iter_rows()]
    return plans.with_columns(pl.Series("due", dues, dtype=pl.Date))


REVIEW_SCHEMA: dict[str, pl.DataType] = {
    "plan_id": pl.String,
    "child_id": pl.String,
    "plan_start": pl.Date,
    "last_review": pl.Date,
    "due": pl.Date,
    "booked_for": pl.Date,
    "status": pl.String,
}


def reviews_due(record: Record, today: dt.date, config: AuthorityConfig) -> pl.DataFrame:
    """`reviews_due` (docs/definitions.md#reviews-due): one row per child with a plan open on D whose
    next review is due on or before D + 28 days; status as for the awaiting list."""
    horizon = today + dt.timedelta(days=REVIEWS_DUE_DAYS)
    due = (
        _next_reviews(record, today)
        .filter(pl.col("due") <= horizon)
        .join(_booked_for(record, today, ("review",), "plan_id"), on="plan_id", how="left")
    )
    frame = due.with_columns(_awaited_status(due, today, config.calendar)).select(list(REVIEW_SCHEMA))
    return _with_child(frame.cast(REVIEW_SCHEMA), record).sort("due", "child_id", "plan_id")


TO_BOOK_SCHEMA: dict[str, pl.DataType] = {
    "conference_type": pl.String,
    "child_id": pl.String,
    "s47_id": pl.String,
    "plan_id": pl.String,
    "notification_id": pl.String,
    "enquiry_start": pl.Date,
    "plan_start": pl.Date,
    "notification_received": pl.Date,
    "due": pl.Date,
    "status": pl.String,
}


def transfer_ins_to_book(record: Record, today: dt.date, config: AuthorityConfig) -> pl.DataFrame:
    """Transfer-in notifications received on or before D with no transfer-in conference booked or
    held since (one naming the notification, or any for the child dated on or after it), for a
    child not on this authority's plan on D. Due: notification + 15 working days."""
    received = record.transfer_notifications.filter(pl.col("received_date") <= today)
    transfer_ins = record.conferences.filter(
        (pl.col("conference_type") == "transfer_in") & _conference_date().is_not_null()
    ).select("child_id", "notification_id", _conference_date().alias("conference_date"))
    answered = (
        received.join(transfer_ins.select("child_id", "notification_id", "conference_date"), on="child_id")
        .filter(
            (pl.col("notification_id") == pl.col("notification_id_right"))
            | (pl.col("conference_date") >= pl.col("received_date"))
        )
        .select("notification_id")
        .unique()
    )
    on_plan = plans_open_on(record.plans, today).select("child_id").unique()
    waiting = received.join(answered, on="notification_id", how="anti").join(on_plan, on="child_id", how="anti")
    dues = [transfer_in_conference_due(day, config.calendar) for day in waiting["received_date"]]
    return waiting.select(
        "notification_id", "child_id", pl.col("received_date").alias("notification_received"),
        pl.Series("due", dues, dtype=pl.Date),
    )


def to_book(record: Record, today: dt.date, config: AuthorityConfig) -> pl.DataFrame:
    """`to_book` (docs/definitions.md#conferences-to-book): every awaiting row with no conference
    booked; every plan open on D with no review booked and the next review due on or before
    D + 42 days; every transfer-in notification waiting (`transfer_ins_to_book`). Status: overdue,
    due soon or on track (nothing here is booked)."""
    initial = awaiting_initial_conference(record, today, config).filter(pl.col("booked_for").is_null())
    horizon = today + dt.timedelta(days=TO_BOOK_REVIEW_DAYS)
    reviews = (
        _next_reviews(record, today)
        .filter(pl.col("due") <= horizon)
        .join(_booked_for(record, today, ("review",), "plan_id"), on="plan_id", how="left")
        .filter(pl.col("booked_for").is_null())
    )
    transfers = transfer_ins_to_book(record, today, config)
    frame = pl.concat(
        [
            initial.select(pl.lit("initial").alias("conference_type"), "child_id", "s47_id", "enquiry_start", "due"),
            reviews.select(pl.lit("review").alias("conference_type"), "child_id", "plan_id", "plan_start", "due"),
            transfers.select(
                pl.lit("transfer_in").alias("conference_type"), "child_id", "notification_id",
                "notification_received", "due",
            ),
        ],
        how="diagonal",
    )
    frame = frame.with_columns(_status_column(frame["due"], today, config.calendar))
    frame = frame.select([pl.col(c).cast(t) if c in frame.columns else pl.lit(None, dtype=t).alias(c)
                          for c, t in TO_BOOK_SCHEMA.items()])
    return _with_child(frame, record).sort("due", "child_id", "conference_type")


LONG_PLAN_SCHEMA: dict[str, pl.DataType] = {
    "plan_id": pl.String,
    "child_id": pl.String,
    "plan_start": pl.Date,
    "days_on_plan": pl.Int64,
    "band": pl.String,
}
# The report's band names (cpqa.domain.oversight.LONG_PLAN_BANDS) as the daily list writes them.
LONG_PLAN_LIST_BANDS = {"18_to_24_months": "18_months_to_2_years"}


def long_plans(record: Record, today: dt.date, config: AuthorityConfig) -> pl.DataFrame:
    """`long_plans` (docs/definitions.md#long-plans): one row per child with a plan open on D that
    started on or before D - 12 months, banded by the report's rule (`long_plan_band_expr`).

    A plan that started on or before D - 12 months but whose 12-month anniversary (start + 12
    months, a 29 February start) falls after D is in the list's first band.
    """
    cutoff = add_months(today, -LONG_PLAN_MONTHS)
    plans = plans_open_on(record.plans, today).filter(pl.col("start_date") <= cutoff)
    band = long_plan_band_expr(pl.col("start_date"), today).replace(LONG_PLAN_LIST_BANDS).fill_null("12_to_18_months")
    frame = plans.select(
        "plan_id", "child_id", pl.col("start_date").alias("plan_start"),
        (pl.lit(today, dtype=pl.Date) - pl.col("start_date")).dt.total_days().alias("days_on_plan"),
        band.alias("band"),
    ).cast(LONG_PLAN_SCHEMA)
    return _with_child(frame, record).sort("plan_start", "child_id", "plan_id")


OUTCOMES_MISSING_SCHEMA: dict[str, pl.DataType] = {
    "conference_id": pl.String,
    "meeting_id": pl.String,
    "child_id": pl.String,
    "conference_type": pl.String,
    "chair_id": pl.String,
    "due": pl.Date,
    "status": pl.String,
}


def outcomes_missing(record: Record, today: dt.date, config: AuthorityConfig) -> pl.DataFrame:
    """`outcomes_missing` (docs/definitions.md#held-with-no-outcome): one row per child of a
    conference (this authority's: not a transfer-out) dated on or before D with no outcome
    recorded for them, whether or not a held date is. Due: the conference date; overdue."""
    frame = record.conferences.filter(
        pl.col("conference_type").is_in(codes.CHILD_CONFERENCE_TYPES)
        & (_conference_date() <= today)
        & pl.col("outcome").is_null()
    ).select(
        "conference_id", "meeting_id", "child_id", "conference_type", "chair_id",
        _conference_date().alias("due"), pl.lit(Status.OVERDUE.value).alias("status"),
    )
    return _with_child(frame.cast(OUTCOMES_MISSING_SCHEMA), record).sort("due", "child_id", "conference_id")


ESCALATION_SCHEMA: dict[str, pl.DataType] = {
    "escalation": pl.String,
    "stage": pl.Int64,
    "child_id": pl.String,
    "children": pl.List(pl.String),
    "raised_by": pl.String,
    "owner": pl.String,
    "due": pl.Date,
    "status": pl.String,
}


def _stages_awaiting_response(record: Record) -> pl.DataFrame:
    """Escalation stages still open with no response recorded, one row each, with the escalation's
    children (sorted; `child_id` is the first, the one the row is ordered and shown by)."""
    children = record.escalation_children.group_by("escalation_id").agg(pl.col("child_id").sort().alias("children"))
    raised_by = record.escalations.select("escalation_id", "raised_by")
    return (
        record.escalation_stages.filter(pl.col("response_date").is_null() & pl.col("outcome").is_null())
        .join(children, on="escalation_id", how="left")
        .join(raised_by, on="escalation_id", how="left")
        .select(
            pl.col("escalation_id").alias("escalation"), "stage",
            pl.col("children").list.first().alias("child_id"), "children", "raised_by", "owner",
            pl.col("response_due_date").alias("due"),
        )
    )


def escalation_responses_overdue(record: Record, today: dt.date, config: AuthorityConfig) -> pl.DataFrame:
    """`escalation_responses_overdue` (docs/definitions.md#escalation-responses-overdue): one row
    per formal escalation stage (not per child) with no response recorded whose response due
    date is before D. On its due day a response is not yet overdue."""
    frame = _stages_awaiting_response(record).filter(pl.col("due") < today)
    frame = frame.with_columns(pl.lit(Status.OVERDUE.value).alias("status")).cast(ESCALATION_SCHEMA)
    return _with_child(frame, record).sort("due", "child_id", "escalation", "stage")


def escalation_responses_awaited(
    record: Record, today: dt.date, config: AuthorityConfig, *, within_working_days: int | None = None
) -> pl.DataFrame:
    """Escalation stages awaiting a response, one row per stage: overdue ones, and those due on
    or after D (all of them, or only those with at most `within_working_days` working days after
    D up to and including the due date). Status: overdue, due soon or on track."""
    frame = _stages_awaiting_response(record)
    if within_working_days is not None:
        keep = [
            due < today or config.calendar.working_days_between(today, due) <= within_working_days
            for due in frame["due"]
        ]
        frame = frame.filter(pl.Series(keep, dtype=pl.Boolean))
    frame = frame.with_columns(_status_column(frame["due"], today, config.calendar)).cast(ESCALATION_SCHEMA)
    return _with_child(frame, record).sort("due", "child_id", "escalation", "stage")


# docs/definitions.md#conference-documents: documents not sent and due within this many working days.
DOCUMENTS_DUE_WORKING_DAYS = 5
DOCUMENTS_SCHEMA: dict[str, pl.DataType] = {
    "child_id": pl.String,
    "conference": pl.String,
    "document": pl.String,
    "due": pl.Date,
    "status": pl.String,
}


def documents_due(documents: pl.DataFrame, today: dt.date, config: AuthorityConfig) -> pl.DataFrame:
    """`documents_due`: documents not sent by D whose due date is on or before D + 5 working days.

    Takes one row per child, conference and document (`child_id`, `conference`, `document`,
    `due`, `sent_date`); a document with no due date yet (a conference not booked) is not due.
    Status as for the conferences to book.
    """
    horizon = config.calendar.add_working_days(today, DOCUMENTS_DUE_WORKING_DAYS)
    unsent = pl.col("sent_date").is_null() | (pl.col("sent_date") > today)
    frame = documents.filter(unsent & pl.col("due").is_not_null() & (pl.col("due") <= horizon)).select(
        "child_id", "conference", "document", "due"
    )
    frame = frame.with_columns(_status_column(frame["due"], today, config.calendar)).cast(DOCUMENTS_SCHEMA)
    return frame.sort("due", "child_id", "conference", "document")


# Every list of the daily report, by its id, in the order the report gives them.
DAILY_LISTS = {
    "awaiting_initial_conference": awaiting_initial_conference,
    "reviews_due": reviews_due,
    "to_book": to_book,
    "long_plans": long_plans,
    "outcomes_missing": outcomes_missing,
    "escalation_responses_overdue": escalation_responses_overdue,
}
# The keys of each list's rows in the daily report, beside `child`, `due` and `status` (or `band`).
REPORT_FACTS: dict[str, tuple[str, ...]] = {
    "awaiting_initial_conference": ("enquiry_start", "booked_for"),
    "reviews_due": ("plan_start", "booked_for"),
    "to_book": ("conference_type", "enquiry_start", "plan_start"),
    "long_plans": ("plan_start",),
    "outcomes_missing": ("conference_type",),
    "escalation_responses_overdue": ("escalation", "stage"),
    # Not a list over the record's tables: the documents' sent dates are office facts, read apart.
    "documents_due": ("conference", "document"),
}


def report_conference_type(conference_type: str | None) -> str | None:
    """The daily report names a pre-birth initial conference `initial` (it is one)."""
    return "initial" if conference_type == "prebirth" else conference_type


def report_rows(list_id: str, frame: pl.DataFrame) -> list[dict[str, object]]:
    """A list's rows as the daily report gives them: `child`, `due` (ISO or null), `status` or
    `band`, then the list's own facts (dates as ISO text), in the list's order."""
    marker = "band" if list_id == "long_plans" else "status"
    rows = []
    for row in frame.iter_rows(named=True):
        out: dict[str, object] = {"child": row["child_id"], "due": _iso(row.get("due")), marker: row[marker]}
        for key in REPORT_FACTS[list_id]:
            value = row.get(key)
            out[key] = report_conference_type(value) if key == "conference_type" else _iso(value)
        rows.append(out)
    return rows


def _iso(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.date) else value


def daily_report(record: Record, today: dt.date, config: AuthorityConfig) -> dict[str, object]:
    """`{"as_of": ISO, "lists": {id: [row, ...]}}`: every daily list on D, as `cpqa today` writes it."""
    return {
        "as_of": today.isoformat(),
        "lists": {list_id: report_rows(list_id, build(record, today, config)) for list_id, build in DAILY_LISTS.items()},
    }


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


# The chair sees their conferences from D for this many weeks (D and the 27 days after it).
CHAIR_WEEKS_AHEAD = 4


def chair_conferences(
    record: Record, chair_id: str, today: dt.date, weeks: int = CHAIR_WEEKS_AHEAD
) -> pl.DataFrame:
    """The conferences `chair_id` chairs from D for the next `weeks` weeks, one row per child,
    held or still to be held, by day and meeting."""
    last = today + dt.timedelta(days=7 * weeks - 1)
    frame = record.conferences.filter(
        (pl.col("chair_id") == chair_id) & _conference_date().is_between(today, last)
    ).select(
        "conference_id", "meeting_id", "child_id", "conference_type", "due_date", "scheduled_date",
        "held_date", "outcome", _conference_date().alias("conference_date"),
    )
    return _with_child(frame, record).sort("conference_date", "meeting_id", "child_id")


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
