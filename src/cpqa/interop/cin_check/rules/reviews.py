"""The rules about child protection plan reviews (Reviews)."""

from __future__ import annotations

import polars as pl

from cpqa.interop.cin_check.helpers import found, shown
from cpqa.interop.cin_check.registry import ERROR, QUERY, CensusModuleRules, CheckContext

RULES = CensusModuleRules("Reviews")


def _reviews_with_plan(c: CheckContext) -> pl.DataFrame:
    return c.tables.reviews.join(
        c.tables.plans.select("plan_id", "start_date", "end_date"), on="plan_id", how="inner"
    )


@RULES.rule(
    "4003",
    ERROR,
    "CPPreviewDate",
    "A CPP review date is shown as being held at the same time as an open CIN Plan",
)
def _4003(c: CheckContext) -> pl.DataFrame:
    cin = c.tables.cin_plans.select(
        "episode_id", pl.col("start_date").alias("cin_start"), pl.col("end_date").alias("cin_end")
    )
    bad = (
        _reviews_with_plan(c)
        .join(cin, on="episode_id", how="inner")
        .filter(
            c.falls_within("review_date", "cin_start", "cin_end")
            # The review that ends the plan may meet the CIN plan that follows it.
            & (pl.col("review_date") != pl.col("end_date")).fill_null(True)
        )
        .unique("review_id", maintain_order=True)
    )
    return found(
        bad,
        "review_id",
        shown("review_date", "CPPreviewDate"),
        shown("cin_start", "CINPlanStartDate"),
        shown("cin_end", "CINPlanEndDate"),
    )


@RULES.rule(
    "8841",
    ERROR,
    "CPPreviewDate",
    "The review date cannot be on the same day or before the Child protection Plan start date",
)
def _8841(c: CheckContext) -> pl.DataFrame:
    bad = _reviews_with_plan(c).filter(pl.col("review_date") <= pl.col("start_date"))
    return found(bad, "review_id", shown("review_date", "CPPreviewDate"), shown("start_date", "CPPstartDate"))


@RULES.rule("8842Q", QUERY, "CPPreviewDate", "Review Record has a missing date")
def _8842q(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.reviews.filter(pl.col("review_date").is_null())
    return found(bad, "review_id", shown("review_date", "CPPreviewDate"))
