"""Core groups due on day D (docs/definitions.md#core-group-due): the one definition the Today
list, its count and its CSV share.

A row is one child with a plan open on D. Its core group is due 10 working days after the
plan's conference while no core group has been held on the plan since it started, and then
the authority's interval (default 4 weeks) after the latest one held on or before D. Status as
the trackers define it (docs/definitions.md, "Trackers"): overdue when due < D, due soon when
at most 3 working days fall after D up to and including due, else on track.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from cpqa.domain.calendar import WorkingCalendar
from cpqa.domain.config import AuthorityConfig
from cpqa.domain.tables import Record
from cpqa.domain.timescales import core_group_due, status_on

CORE_GROUPS_DUE_SCHEMA: dict[str, pl.DataType] = {
    "plan_id": pl.String,
    "child_id": pl.String,
    "plan_start": pl.Date,
    "last_core_group": pl.Date,
    "due_date": pl.Date,
    "status": pl.String,
}

CHILD_COLUMNS = ("child_id", "first_name", "last_name", "team")


def _open_plans(record: Record, today: dt.date) -> pl.DataFrame:
    plans = record.plans
    is_open = (pl.col("start_date") <= today) & (pl.col("end_date").is_null() | (pl.col("end_date") > today))
    return plans.filter(is_open).select("plan_id", "child_id", pl.col("start_date").alias("plan_start"))


def _latest_held(record: Record, today: dt.date) -> pl.DataFrame:
    """The latest core group held on or before D on each plan (nothing after D is known on D)."""
    return (
        record.core_groups.filter(pl.col("held_date") <= today)
        .group_by("plan_id")
        .agg(pl.col("held_date").max().alias("last_core_group"))
    )


def core_groups_due(
    record: Record, today: dt.date, config: AuthorityConfig, calendar: WorkingCalendar | None = None
) -> pl.DataFrame:
    """One row per child with a plan open on `today`: when its next core group is due and where
    that stands; ordered by due date, then child."""
    calendar = calendar or config.calendar
    plans = _open_plans(record, today).join(_latest_held(record, today), on="plan_id", how="left")
    # A core group recorded before the plan started (a previous plan's) does not count for it.
    rows = []
    for plan_id, child_id, start, latest in plans.select(
        "plan_id", "child_id", "plan_start", "last_core_group"
    ).iter_rows():
        held = latest if latest is not None and latest >= start else None
        due = core_group_due(start, held, calendar, config.core_group_interval_weeks)
        rows.append((plan_id, child_id, start, held, due, status_on(due, today, calendar).value))
    frame = pl.DataFrame(rows, schema=CORE_GROUPS_DUE_SCHEMA, orient="row")
    children = record.children.select(CHILD_COLUMNS).unique("child_id", keep="first")
    return frame.join(children, on="child_id", how="left").sort("due_date", "child_id")
