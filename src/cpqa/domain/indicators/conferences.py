"""Section 2b: child protection conferences by type, month by month.

Conferences are counted per child: the `conferences` table has one row per child per meeting,
so a conference about three siblings is three rows and counts three.
"""

from __future__ import annotations

import polars as pl

from cpqa.domain.calendar import ReportingYear
from cpqa.domain.indicators.common import by_month, count_where, in_year_expr, month_expr
from cpqa.domain.tables import Record
from cpqa.domain.timescales import prebirth_band_expr

# A pre-birth conference is an initial conference; transfer-in conferences are not initial
# conferences in these tables (docs/definitions.md#initial-conference).
INITIAL_TYPES: tuple[str, ...] = ("initial", "prebirth")
# Conferences this authority holds about the child (a transfer-out conference is the receiving
# authority's).
CHILD_CONFERENCE_TYPES: tuple[str, ...] = (*INITIAL_TYPES, "review", "transfer_in")
PREBIRTH_BANDS: tuple[str, ...] = ("under_4_weeks", "weeks_4_to_10", "over_10_weeks")


def held_in_year(record: Record, year: ReportingYear, types: tuple[str, ...]) -> pl.DataFrame:
    """Conferences of `types` held in the year, one row per child."""
    return record.conferences.filter(pl.col("conference_type").is_in(types) & in_year_expr("held_date", year))


def initial_conferences(record: Record, year: ReportingYear) -> pl.DataFrame:
    """Initial conferences held in the year, with `plan` (a plan for the child started that day),
    `prebirth` (held before the birth, or no birth date) and the pre-birth `band`."""
    held = held_in_year(record, year, INITIAL_TYPES)
    plan_starts = (
        record.plans.select("child_id", pl.col("start_date").alias("held_date"))
        .drop_nulls()
        .unique()
        .with_columns(pl.lit(True).alias("plan"))
    )
    children = record.children.select(
        "child_id", "date_of_birth", "expected_date_of_birth", pl.lit(True).alias("child_known")
    )
    born = pl.col("date_of_birth")
    return (
        held.join(plan_starts, on=["child_id", "held_date"], how="left")
        .join(children, on="child_id", how="left")
        .with_columns(
            pl.col("plan").fill_null(False),
            # A child missing from the children table tells us nothing about birth: not pre-birth.
            (pl.col("child_known").fill_null(False) & (born.is_null() | (pl.col("held_date") < born))).alias(
                "prebirth"
            ),
        )
        .with_columns(
            pl.when(pl.col("prebirth"))
            .then(prebirth_band_expr(pl.col("held_date"), pl.coalesce("expected_date_of_birth", "date_of_birth")))
            .alias("band"),
            month_expr("held_date"),
        )
    )


def review_conferences(record: Record, year: ReportingYear) -> pl.DataFrame:
    """Review conferences held in the year, with `plan_ended` (the child's plan ended that day)."""
    plan_ends = (
        record.plans.select("child_id", pl.col("end_date").alias("held_date"))
        .drop_nulls()
        .unique()
        .with_columns(pl.lit(True).alias("plan_ended"))
    )
    return (
        held_in_year(record, year, ("review",))
        .join(plan_ends, on=["child_id", "held_date"], how="left")
        .with_columns(pl.col("plan_ended").fill_null(False), month_expr("held_date"))
    )


def initial_conferences_by_month(record: Record, year: ReportingYear) -> pl.DataFrame:
    """month, plan, no_plan, total."""
    return by_month(
        initial_conferences(record, year),
        year,
        {"plan": count_where(pl.col("plan")), "no_plan": count_where(~pl.col("plan")), "total": pl.len()},
    )


def review_conferences_by_month(record: Record, year: ReportingYear) -> pl.DataFrame:
    """month, plan_continued, plan_ended, total."""
    return by_month(
        review_conferences(record, year),
        year,
        {
            "plan_continued": count_where(~pl.col("plan_ended")),
            "plan_ended": count_where(pl.col("plan_ended")),
            "total": pl.len(),
        },
    )


def prebirth_conferences_by_month(record: Record, year: ReportingYear) -> pl.DataFrame:
    """month, a count per band, band_unknown (no expected or actual birth date), plan, total."""
    prebirth = initial_conferences(record, year).filter(pl.col("prebirth"))
    counts = {band: count_where(pl.col("band") == band) for band in PREBIRTH_BANDS}
    counts["band_unknown"] = count_where(pl.col("band").is_null())
    counts["plan"] = count_where(pl.col("plan"))
    counts["total"] = pl.len()
    return by_month(prebirth, year, counts)


def transfer_conferences_by_month(record: Record, year: ReportingYear) -> pl.DataFrame:
    """month, transfer_in, transfer_out."""
    held = held_in_year(record, year, ("transfer_in", "transfer_out")).with_columns(month_expr("held_date"))
    return by_month(
        held,
        year,
        {
            "transfer_in": count_where(pl.col("conference_type") == "transfer_in"),
            "transfer_out": count_where(pl.col("conference_type") == "transfer_out"),
        },
    )


def record_covers_year(record: Record, year: ReportingYear) -> bool:
    """Whether the record holds the year's conferences, judged by its initial and transfer-in ones.

    A CIN census file holds initial conferences of its own year only, so the year before shows
    none and is not reported as a year of zeros.
    """
    return not held_in_year(record, year, (*INITIAL_TYPES, "transfer_in")).is_empty()
