"""Section 2a: how many children are subject of a plan, month by month and per 10,000 children."""

from __future__ import annotations

import polars as pl

from cpqa.domain.calendar import ReportingYear
from cpqa.domain.counting import plans_open_on
from cpqa.domain.indicators.common import by_month, children_on_plan_on, percent_expr
from cpqa.domain.tables import Record

RATE_PER = 10_000


def children_on_plan_by_month(record: Record, year: ReportingYear) -> pl.DataFrame:
    """month, children: distinct children with a plan open on each month's last day."""
    plans = record.plans.select("child_id", "start_date", "end_date")
    open_at_month_end = pl.concat(
        [
            plans_open_on(plans, month_end).select("child_id", pl.lit(month).alias("month"))
            for month, month_end in zip(year.months(), year.month_ends(), strict=True)
        ]
    )
    return by_month(open_at_month_end, year, {"children": pl.col("child_id").n_unique()})


def rate_per_10000(record: Record, year: ReportingYear, population: int | None) -> pl.DataFrame:
    """children_on_plan (at year end, unborn children included), population, rate.

    `population` is the authority's children aged 0-17; without it the rate is null.
    """
    children = children_on_plan_on(record.plans, year.end)
    frame = pl.DataFrame(
        {"children_on_plan": [children], "population": [population]},
        schema={"children_on_plan": pl.Int64, "population": pl.Int64},
    )
    return frame.with_columns(
        percent_expr(pl.col("children_on_plan"), pl.col("population").fill_null(0), per=RATE_PER).alias("rate")
    )
