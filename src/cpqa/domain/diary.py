"""The conference diary: every conference in a date range, and where each stands on day D
(docs/definitions.md#conference-diary).

The input is the record's conferences table (one row per child per conference,
`cpqa.domain.tables.SCHEMAS["conferences"]`) with, where the source has them, the office facts
the record's table does not carry: whether the meeting was cancelled, its time, its venue and
the date it was first booked for. A source without them (a census file) still gives a diary:
nothing is cancelled, and time and venue are unknown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

import polars as pl

from cpqa.domain import codes
from cpqa.domain.tables import SCHEMAS

# What the diary reads of the record's conferences table.
_RECORD_COLUMNS = (
    "meeting_id", "child_id", "conference_type", "scheduled_date", "held_date", "outcome",
    "rearrangements", "chair_id",
)
# The meeting's office facts, beside the record's columns; null (or False) where unknown.
OFFICE_COLUMNS: dict[str, pl.DataType] = {
    "cancelled": pl.Boolean,
    "scheduled_time": pl.Time,
    "venue": pl.String,
    "original_date": pl.Date,  # the date it was booked for before its first rearrangement
}
DIARY_INPUT_SCHEMA: dict[str, pl.DataType] = {
    **{column: SCHEMAS["conferences"][column] for column in _RECORD_COLUMNS},
    **OFFICE_COLUMNS,
}

# Where a conference stands on day D, in the order the rule tests them.
CANCELLED = "cancelled"
REARRANGED = "rearranged"
BOOKED = "booked"
OUTCOME_MISSING = "outcome_missing"
HELD = "held"
STATUSES: dict[str, str] = {
    BOOKED: "Booked",
    REARRANGED: "Rearranged",
    HELD: "Held",
    OUTCOME_MISSING: "Outcome missing",
    CANCELLED: "Cancelled",
}

ENTRY_SCHEMA: dict[str, pl.DataType] = {
    "meeting_id": pl.String,
    "date": pl.Date,
    "scheduled_time": pl.Time,
    "venue": pl.String,
    "conference_type": pl.String,
    "chair_id": pl.String,
    "status": pl.String,
    "children": pl.Int64,
    "children_without_outcome": pl.Int64,
    "child_ids": pl.List(pl.String),
    "rearrangements": pl.Int64,
    "original_date": pl.Date,
}


def diary_input(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` with exactly the diary's input columns: a missing office column is unknown (a
    meeting not known to be cancelled is not cancelled); a record conferences table fits as is."""
    columns = []
    for column, dtype in DIARY_INPUT_SCHEMA.items():
        if column in frame.columns:
            columns.append(pl.col(column).cast(dtype))
        elif column == "cancelled":
            columns.append(pl.lit(False).alias(column))
        elif column == "rearrangements":
            columns.append(pl.lit(0, dtype=pl.Int64).alias(column))
        else:
            columns.append(pl.lit(None, dtype=dtype).alias(column))
    return frame.select(columns) if frame.columns else pl.DataFrame(schema=DIARY_INPUT_SCHEMA)


def _status(today: dt.date) -> pl.Expr:
    """The rule (docs/definitions.md#conference-diary), per meeting, first that applies."""
    return (
        pl.when(pl.col("cancelled"))
        .then(pl.lit(CANCELLED))
        .when(pl.col("date").is_null() | (pl.col("date") > today))
        .then(pl.when(pl.col("rearrangements") > 0).then(pl.lit(REARRANGED)).otherwise(pl.lit(BOOKED)))
        .when(pl.col("children_without_outcome") > 0)
        .then(pl.lit(OUTCOME_MISSING))
        .otherwise(pl.lit(HELD))
    )


def diary_entries(
    conferences: pl.DataFrame,
    today: dt.date,
    start: dt.date | None = None,
    end: dt.date | None = None,
    *,
    chair_ids: Collection[str] | None = None,
    conference_types: Collection[str] | None = None,
    statuses: Collection[str] | None = None,
) -> pl.DataFrame:
    """One row per conference dated from `start` to `end` (inclusive; either may be open), with
    its status on `today`; narrowed to the chairs, types and statuses given (None: all).

    A conference's date is the day it was held where recorded, else the day it is booked for,
    as on Today's lists. Rows: by date, then time (unknown last), then meeting.
    """
    rows = diary_input(conferences)
    # Only this authority's own conferences take an outcome per child (a transfer-out is the
    # other authority's), as on Today's list of conferences with no outcome.
    takes_outcome = pl.col("conference_type").is_in(codes.CHILD_CONFERENCE_TYPES)
    meetings = rows.group_by("meeting_id").agg(
        pl.coalesce("held_date", "scheduled_date").first().alias("date"),
        pl.col("scheduled_time").first(),
        pl.col("venue").first(),
        pl.col("conference_type").first(),
        pl.col("chair_id").first(),
        pl.col("cancelled").fill_null(False).any().alias("cancelled"),
        pl.col("child_id").n_unique().cast(pl.Int64).alias("children"),
        (takes_outcome & pl.col("outcome").is_null()).sum().cast(pl.Int64).alias("children_without_outcome"),
        pl.col("child_id").unique().sort().alias("child_ids"),
        pl.col("rearrangements").fill_null(0).max().cast(pl.Int64).alias("rearrangements"),
        pl.col("original_date").first(),
    )
    if start is not None:
        meetings = meetings.filter(pl.col("date") >= start)
    if end is not None:
        meetings = meetings.filter(pl.col("date") <= end)
    if chair_ids is not None:
        meetings = meetings.filter(pl.col("chair_id").is_in(list(chair_ids)))
    if conference_types is not None:
        meetings = meetings.filter(pl.col("conference_type").is_in(list(conference_types)))
    meetings = meetings.with_columns(_status(today).alias("status"))
    if statuses is not None:
        meetings = meetings.filter(pl.col("status").is_in(list(statuses)))
    return meetings.select(list(ENTRY_SCHEMA)).cast(ENTRY_SCHEMA).sort(
        "date", "scheduled_time", "meeting_id", nulls_last=True
    )


def count_by_status(entries: pl.DataFrame) -> dict[str, int]:
    """How many entries have each status, every status named (0 where none)."""
    found = dict(entries.group_by("status").len().iter_rows())
    return {status: int(found.get(status, 0)) for status in STATUSES}
