"""Section 2e: parental and child factors of the children on a plan at year end."""

from __future__ import annotations

import polars as pl

from cpqa.domain import codes
from cpqa.domain.calendar import ReportingYear
from cpqa.domain.indicators.common import children_on_plan_at, label_expr
from cpqa.domain.tables import Record


def factors_at_year_end(record: Record, year: ReportingYear) -> pl.DataFrame:
    """code, label, children; most children first, ties by code.

    Each child on a plan at year end counts once for each factor of their latest assessment
    authorised on or before year end (every assessment authorised that latest day, if several).
    """
    on_plan = children_on_plan_at(record, year.end).select("child_id")
    assessed = record.assessments.filter(pl.col("authorised_date") <= year.end).join(
        on_plan, on="child_id", how="semi"
    )
    latest = assessed.filter(pl.col("authorised_date") == pl.col("authorised_date").max().over("child_id"))
    child_factors = (
        latest.select("child_id", pl.col("factors").alias("code"))
        .explode("code")
        .filter(pl.col("code").is_not_null() & (pl.col("code") != ""))
        .unique()
    )
    return (
        child_factors.group_by("code")
        .agg(pl.len().cast(pl.Int64).alias("children"))
        .with_columns(label_expr("code", codes.ASSESSMENT_FACTOR))
        .sort(["children", "code"], descending=[True, False])
        .select("code", "label", "children")
    )
