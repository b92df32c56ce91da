"""Counting rules every table shares (docs/definitions.md#counting-rules).

Kept apart from the indicators and the QA rules because both build on them: a plan open on a
day and a count of families mean the same on Today, on the long-plan panel and in the report.
"""

from __future__ import annotations

import datetime as dt

import polars as pl


def plans_open_on(plans: pl.DataFrame, on: dt.date) -> pl.DataFrame:
    """A plan is open on D when start <= D and (no end or end > D)."""
    return plans.filter(
        (pl.col("start_date") <= on) & (pl.col("end_date").is_null() | (pl.col("end_date") > on))
    )


def families_expr() -> pl.Expr:
    """Distinct families among the rows (children with no family recorded are not counted)."""
    return pl.col("family_id").drop_nulls().n_unique().cast(pl.Int64)
