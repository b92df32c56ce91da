"""Section 3a and 3b: repeat plans, long plans and how long ended plans lasted (DfE bases).

Which plans are repeats and how long a plan has run are the QA workflows' own rules
(`cpqa.domain.oversight`), so the repeat-plan list, the long-plan panel and the report agree.
"""

from __future__ import annotations

import polars as pl

from cpqa.domain.calendar import ReportingYear, add_months_expr
from cpqa.domain.counting import families_expr
from cpqa.domain.indicators.common import children_on_plan_at, count_where, in_year_expr, percent_expr
from cpqa.domain.oversight import LONG_PLAN_TWO_YEARS_DAYS, long_plan_band_expr, second_or_subsequent_plans
from cpqa.domain.tables import Record

SHORT_PLAN_MONTHS = 3
LONG_PLAN_DURATIONS: tuple[str, ...] = ("12_to_18_months", "18_to_24_months", "2_years_or_more")


def second_or_subsequent_plans_started(record: Record, year: ReportingYear) -> pl.DataFrame:
    """plans_started, second_or_subsequent, percent (one row).

    Every plan start in the year counts; it is a second or subsequent plan when the child had
    any earlier plan, however long ago: one in the record, or `previous_plans` of 1 or more.
    """
    started = second_or_subsequent_plans(record.plans).filter(in_year_expr("start_date", year))
    return started.select(
        pl.len().cast(pl.Int64).alias("plans_started"),
        count_where(pl.col("is_repeat")).alias("second_or_subsequent"),
    ).with_columns(percent_expr(pl.col("second_or_subsequent"), pl.col("plans_started")).alias("percent"))


def long_plans_at_year_end(record: Record, year: ReportingYear, *, families_known: bool = True) -> pl.DataFrame:
    """duration, children, families: children whose current plan had lasted 12 months or more.

    Bands: 12 to under 18 months, 18 months to under 2 years, 2 years or more (730 days or
    more). `families` is null where the record does not know families.
    """
    long = children_on_plan_at(record, year.end).with_columns(
        long_plan_band_expr(pl.col("start_date"), year.end).alias("duration")
    )
    counted = (
        long.filter(pl.col("duration").is_not_null())
        .group_by("duration")
        .agg(pl.len().cast(pl.Int64).alias("children"), families_expr().alias("families"))
    )
    rows = (
        pl.DataFrame({"duration": list(LONG_PLAN_DURATIONS)})
        .join(counted, on="duration", how="left")
        .with_columns(pl.col("children", "families").fill_null(0))
    )
    if not families_known:
        rows = rows.with_columns(pl.lit(None, dtype=pl.Int64).alias("families"))
    return rows.select("duration", "children", "families")


def _plans_ended_in_year(record: Record, year: ReportingYear) -> pl.DataFrame:
    return record.plans.filter(in_year_expr("end_date", year))


def plans_ended_within_3_months(record: Record, year: ReportingYear) -> pl.DataFrame:
    """plans_ended, within_3_months, percent: plans ended in the year with end <= start + 3 months."""
    within = pl.col("end_date") <= add_months_expr(pl.col("start_date"), SHORT_PLAN_MONTHS)
    return _plans_ended_in_year(record, year).select(
        pl.len().cast(pl.Int64).alias("plans_ended"), count_where(within).alias("within_3_months")
    ).with_columns(percent_expr(pl.col("within_3_months"), pl.col("plans_ended")).alias("percent"))


def plans_ended_after_2_years(record: Record, year: ReportingYear) -> pl.DataFrame:
    """plans_ended, after_2_years, percent: plans ended in the year that lasted 730 days or more."""
    lasted = (pl.col("end_date") - pl.col("start_date")).dt.total_days() >= LONG_PLAN_TWO_YEARS_DAYS
    return _plans_ended_in_year(record, year).select(
        pl.len().cast(pl.Int64).alias("plans_ended"), count_where(lasted).alias("after_2_years")
    ).with_columns(percent_expr(pl.col("after_2_years"), pl.col("plans_ended")).alias("percent"))
