"""Section 4: how children took part in their conferences.

A child is of an age for each form of participation from the ages the authority sets
(`ParticipationAges`), in completed years on the conference date.
"""

from __future__ import annotations

import polars as pl

from cpqa.domain import codes
from cpqa.domain.calendar import ReportingYear, completed_years_expr
from cpqa.domain.config import ParticipationAges
from cpqa.domain.indicators.common import count_where, label_expr, percent_expr
from cpqa.domain.indicators.conferences import held_in_year
from cpqa.domain.tables import Record

PARTICIPATION_MEASURES: dict[str, str] = {
    "booklet_completed": "Consultation booklet completed",
    "views_conveyed": "Child's views conveyed to the conference",
    "advocate_used": "Advocate used",
    "attended": "Child attended the conference",
}


def _conferences_with_age(record: Record, year: ReportingYear) -> pl.DataFrame:
    children = record.children.select("child_id", "date_of_birth").unique(subset="child_id", keep="first")
    return (
        held_in_year(record, year, codes.CHILD_CONFERENCE_TYPES)
        .join(children, on="child_id", how="left")
        .with_columns(completed_years_expr(pl.col("date_of_birth"), pl.col("held_date")).alias("age"))
    )


def child_participation(record: Record, year: ReportingYear, ages: ParticipationAges) -> pl.DataFrame:
    """measure, label, eligible, count, percent: conferences of children old enough for each form
    of participation, and in how many it happened.

    Booklet and views conveyed (codes PN1-PN3, PN5, PN6) from the booklet age, an advocate from
    the advocacy age, attendance (PN1-PN4) from the attendance age.
    """
    held = _conferences_with_age(record, year)
    age = pl.col("age")
    code = pl.col("participation_code")
    measures = {
        "booklet_completed": (ages.booklet_from, pl.col("booklet_completed")),
        "views_conveyed": (ages.booklet_from, code.is_in(list(codes.PARTICIPATION_VIEWS_CONVEYED))),
        "advocate_used": (ages.advocacy_from, pl.col("advocate_used")),
        "attended": (ages.attendance_from, code.is_in(list(codes.PARTICIPATION_ATTENDED))),
    }
    counts = held.select(
        [
            expr
            for name, (from_age, happened) in measures.items()
            for expr in (
                count_where(age >= from_age).alias(f"{name}:eligible"),
                count_where((age >= from_age) & happened).alias(f"{name}:count"),
            )
        ]
    ).row(0, named=True)
    return pl.DataFrame(
        {
            "measure": list(measures),
            "label": [PARTICIPATION_MEASURES[m] for m in measures],
            "eligible": [counts[f"{m}:eligible"] for m in measures],
            "count": [counts[f"{m}:count"] for m in measures],
        },
        schema={"measure": pl.String, "label": pl.String, "eligible": pl.Int64, "count": pl.Int64},
    ).with_columns(percent_expr(pl.col("count"), pl.col("eligible")).alias("percent"))


def participation_codes(record: Record, year: ReportingYear) -> pl.DataFrame:
    """code, label, conferences: conferences held in the year by participation code, PN0 to PN7."""
    counted = (
        held_in_year(record, year, codes.CHILD_CONFERENCE_TYPES)
        .group_by(pl.col("participation_code").alias("code"))
        .agg(pl.len().cast(pl.Int64).alias("conferences"))
    )
    return (
        pl.DataFrame({"code": list(codes.PARTICIPATION)})
        .join(counted, on="code", how="left")
        .with_columns(pl.col("conferences").fill_null(0), label_expr("code", codes.PARTICIPATION))
        .select("code", "label", "conferences")
    )
