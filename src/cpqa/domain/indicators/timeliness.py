"""Section 3d: initial conferences held within 15 working days of the section 47 start."""

from __future__ import annotations

import polars as pl

from cpqa.domain import codes
from cpqa.domain.calendar import ENGLAND, ReportingYear, WorkingCalendar
from cpqa.domain.indicators.common import by_month, count_where, label_expr, percent_expr
from cpqa.domain.indicators.conferences import initial_conferences
from cpqa.domain.tables import Record
from cpqa.domain.timescales import initial_conference_due_expr


def timed_initial_conferences(
    record: Record, year: ReportingYear, calendar: WorkingCalendar = ENGLAND
) -> pl.DataFrame:
    """Initial conferences held in the year that have a section 47 start date, with `in_time`.

    The s47 start is the strategy discussion that initiated the enquiry; the conference is in time
    on or before the 15th working day after it.
    """
    s47_starts = record.s47.select("s47_id", pl.col("start_date").alias("s47_start")).drop_nulls()
    return (
        initial_conferences(record, year)
        .join(s47_starts, on="s47_id", how="inner")
        .with_columns(initial_conference_due_expr(pl.col("s47_start"), calendar).alias("icpc_due"))
        .with_columns((pl.col("held_date") <= pl.col("icpc_due")).alias("in_time"))
    )


def initial_conference_timeliness_by_month(
    record: Record, year: ReportingYear, calendar: WorkingCalendar = ENGLAND
) -> pl.DataFrame:
    """month, held, in_time, percent; `held` counts the conferences with an s47 start date."""
    return by_month(
        timed_initial_conferences(record, year, calendar),
        year,
        {"held": pl.len(), "in_time": count_where(pl.col("in_time"))},
    ).with_columns(percent_expr(pl.col("in_time"), pl.col("held")).alias("percent"))


def initial_conference_lateness_reasons(
    record: Record, year: ReportingYear, calendar: WorkingCalendar = ENGLAND
) -> pl.DataFrame:
    """reason, label, conferences, percent: late initial conferences by the reason recorded,
    most first, ties by code, with "not recorded" (a null reason) last."""
    late = timed_initial_conferences(record, year, calendar).filter(~pl.col("in_time"))
    counted = late.group_by(pl.col("late_reason").alias("reason")).agg(
        pl.len().cast(pl.Int64).alias("conferences")
    )
    return (
        counted.with_columns(
            label_expr("reason", codes.LATE_REASON),
            percent_expr(pl.col("conferences"), pl.lit(late.height)).alias("percent"),
        )
        .sort(
            [pl.col("reason").is_null(), "conferences", "reason"],
            descending=[False, True, False],
        )
        .select("reason", "label", "conferences", "percent")
    )
