"""Counting rules shared by every table of the annual report (docs/definitions.md#counting-rules).

Each rule is written once, as a Polars expression or a function over a whole table, so every
section counts plans, months and percentages the same way. A plan open on a day is
`cpqa.domain.counting.plans_open_on`, an age is `cpqa.domain.calendar.completed_years_expr`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import polars as pl

from cpqa.domain.calendar import ReportingYear
from cpqa.domain.counting import plans_open_on
from cpqa.domain.tables import Record

NOT_RECORDED = "Not recorded"


def percent_expr(numerator: pl.Expr, denominator: pl.Expr, *, per: int = 100) -> pl.Expr:
    """`per * numerator / denominator`, rounded half up to one decimal place; null when it is 0.

    Worked in whole tenths with integers, so 1/16 gives exactly 6.25 and rounds up to 6.3:
    a float division then `round` would give 6.2 (banker's rounding of an inexact 6.25).
    """
    numerator = numerator.cast(pl.Int64)
    denominator = denominator.cast(pl.Int64)
    tenths = (numerator * (per * 10 * 2) + denominator) // (denominator * 2)
    # Polars may divide by multiplying by 0.1 (63 -> 6.300000000000001); tenths / 10 is within a
    # hair of the one-decimal value, so rounding to 1 place only snaps it to the nearest float.
    return pl.when(denominator > 0).then((tenths / 10).round(1)).otherwise(pl.lit(None, dtype=pl.Float64))


def percent(numerator: int, denominator: int, *, per: int = 100) -> float | None:
    """`percent_expr` for one pair of counts (totals lines), through the same expression."""
    value = pl.select(percent_expr(pl.lit(numerator), pl.lit(denominator), per=per)).item()
    return None if value is None else float(value)


def current_plans_on(plans: pl.DataFrame, day: dt.date) -> pl.DataFrame:
    """One open plan per child on `day`: the latest started, where a record holds overlapping plans."""
    return (
        plans_open_on(plans, day)
        .sort(["child_id", "start_date", "plan_id"])
        .unique(subset="child_id", keep="last", maintain_order=True)
    )


def children_on_plan_on(plans: pl.DataFrame, day: dt.date) -> int:
    """Distinct children with a plan open on `day`."""
    return plans_open_on(plans, day).select(pl.col("child_id").n_unique()).item()


def children_on_plan_at(record: Record, day: dt.date) -> pl.DataFrame:
    """Each child on a plan on `day`: their current plan's columns and the child's own.

    A child missing from the children table still counts (from the plan), with unknown details.
    """
    current = current_plans_on(record.plans, day)
    # Only these children's rows, once each even if a source repeated a child (a child counts once).
    children = record.children.join(current.select("child_id"), on="child_id", how="semi").unique(
        subset="child_id", keep="first", maintain_order=True
    )
    return current.join(children, on="child_id", how="left")


def in_year_expr(column: str, year: ReportingYear) -> pl.Expr:
    return pl.col(column).is_between(
        pl.lit(year.start, dtype=pl.Date), pl.lit(year.end, dtype=pl.Date), closed="both"
    )


def month_expr(column: str) -> pl.Expr:
    """`YYYY-MM` of a date column: the month an event falls in."""
    return pl.col(column).dt.strftime("%Y-%m").alias("month")


def by_month(events: pl.DataFrame, year: ReportingYear, counts: Mapping[str, pl.Expr]) -> pl.DataFrame:
    """One row per month of the year, April first, months with no events as zeros.

    `events` carries a `month` column; `counts` are aggregations over each month's events.
    """
    months = pl.DataFrame({"month": year.months()})
    counted = events.group_by("month").agg([expr.alias(name) for name, expr in counts.items()])
    return months.join(counted, on="month", how="left").select(
        "month", *[pl.col(name).fill_null(0).cast(pl.Int64) for name in counts]
    )


def count_where(condition: pl.Expr) -> pl.Expr:
    """How many rows satisfy `condition` (null counts as not)."""
    return condition.fill_null(False).cast(pl.Int64).sum()


def label_expr(column: str, code_list: Mapping[str, str]) -> pl.Expr:
    """The label of each code (the code itself where the list lacks it; "Not recorded" for null)."""
    return (
        pl.col(column)
        .replace_strict(dict(code_list), default=pl.col(column), return_dtype=pl.String)
        .fill_null(NOT_RECORDED)
        .alias("label")
    )
