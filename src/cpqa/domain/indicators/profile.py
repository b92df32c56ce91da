"""Section 2c: age, gender and ethnicity of the children on a plan at year end."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from cpqa.domain import codes
from cpqa.domain.calendar import ReportingYear, completed_years_expr
from cpqa.domain.indicators.common import children_on_plan_at, count_where, label_expr, percent_expr
from cpqa.domain.tables import Record

# (band, youngest, oldest) in completed years; "18+" is shown only where a child is in it.
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("0-4", 0, 4),
    ("5-9", 5, 9),
    ("10-13", 10, 13),
    ("14-17", 14, 17),
    ("18+", 18, None),
)
UNBORN = "unborn"


def age_band_expr(age: pl.Expr) -> pl.Expr:
    """The report's age band of an age in completed years; `unborn` where there is no age."""
    expr = pl.when(age.is_null()).then(pl.lit(UNBORN))
    for band, _youngest, oldest in AGE_BANDS:
        if oldest is not None:
            expr = expr.when(age <= oldest).then(pl.lit(band))
    return expr.otherwise(pl.lit(AGE_BANDS[-1][0]))


def age_gender_at_year_end(record: Record, year: ReportingYear) -> pl.DataFrame:
    """age_band, female, male, other, total; the sex columns are null on the unborn row."""
    children = children_on_plan_at(record, year.end).with_columns(
        age_band_expr(completed_years_expr(pl.col("date_of_birth"), year.end)).alias("age_band")
    )
    counted = children.group_by("age_band").agg(
        count_where(pl.col("sex") == "F").alias("female"),
        count_where(pl.col("sex") == "M").alias("male"),
        count_where(~pl.col("sex").is_in(["F", "M"]) | pl.col("sex").is_null()).alias("other"),
        pl.len().cast(pl.Int64).alias("total"),
    )
    bands = [UNBORN] + [band for band, _, _ in AGE_BANDS]
    rows = (
        pl.DataFrame({"age_band": bands})
        .join(counted, on="age_band", how="left")
        .with_columns(pl.col("female", "male", "other", "total").fill_null(0))
        # The seed shows sex as N/A for unborn children: it is not known before birth.
        .with_columns(
            [
                pl.when(pl.col("age_band") == UNBORN).then(None).otherwise(pl.col(c)).alias(c)
                for c in ("female", "male", "other")
            ]
        )
    )
    return rows.filter((pl.col("age_band") != "18+") | (pl.col("total") > 0))


def ethnicity_at_year_end(
    record: Record, year: ReportingYear, population: Mapping[str, int] | None, population_total: int | None
) -> pl.DataFrame:
    """code, label, children, percent, population_percent; most children first, ties by code.

    `population` maps DfE ethnicity codes to the authority's children aged 0-17;
    `population_percent` is null without it, or for a code it has no figure for.
    """
    children = children_on_plan_at(record, year.end)
    counted = children.group_by(pl.col("ethnicity").alias("code")).agg(pl.len().cast(pl.Int64).alias("children"))
    total = counted["children"].sum()
    population_frame = pl.DataFrame(
        {"code": list((population or {}).keys()), "population": list((population or {}).values())},
        schema={"code": pl.String, "population": pl.Int64},
    )
    return (
        counted.join(population_frame, on="code", how="left")
        .with_columns(
            label_expr("code", codes.ETHNICITY),
            percent_expr(pl.col("children"), pl.lit(total)).alias("percent"),
            percent_expr(pl.col("population"), pl.lit(population_total or 0)).alias("population_percent"),
        )
        .sort(["children", "code"], descending=[True, False], nulls_last=True)
        .select("code", "label", "children", "percent", "population_percent")
    )
