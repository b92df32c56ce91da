"""Section 3c: review conference timescales, per conference and on the DfE's `RevCP` basis.

A review is due 3 months after the plan started (its initial or transfer-in conference), then
6 months after the review before it (`cpqa.domain.timescales`).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from cpqa.domain.calendar import ReportingYear
from cpqa.domain.indicators.common import children_on_plan_at, count_where, in_year_expr, percent_expr
from cpqa.domain.tables import Record
from cpqa.domain.timescales import first_review_due_expr, review_due_expr

_HISTORY_SCHEMA = {
    "conference_id": pl.String,
    "child_id": pl.String,
    "plan_id": pl.String,
    "start_date": pl.Date,
    "held_date": pl.Date,
}


def review_history(record: Record, up_to: dt.date) -> pl.DataFrame:
    """Every review conference held on or before `up_to`, one row per child, with its plan.

    Adds `previous_review` (the plan's review before it), `due_date`, `in_time` and `known`:
    whether the conference before it is known. The record holds reviews from its first recorded
    review on; a plan's first recorded review is taken as its first review only when the first
    review fell due on or after that day, because one held before it would be missing (a CIN
    census file lists the reviews of its own year only).
    """
    reviews = record.conferences.filter(
        (pl.col("conference_type") == "review") & (pl.col("held_date") <= up_to)
    ).select("conference_id", "child_id", "plan_id", "held_date")
    plans = record.plans.select("plan_id", "child_id", "start_date", "end_date")

    linked = reviews.filter(pl.col("plan_id").is_not_null()).join(
        plans.select("plan_id", "start_date"), on="plan_id", how="left"
    )
    # Where a source did not link a review to its plan: the child's plan running that day
    # (a review that ends a plan is held on its end date).
    unlinked = (
        reviews.filter(pl.col("plan_id").is_null())
        .drop("plan_id")
        .join(plans, on="child_id", how="inner")
        .filter(
            (pl.col("start_date") < pl.col("held_date"))
            & (pl.col("end_date").is_null() | (pl.col("end_date") >= pl.col("held_date")))
        )
        .sort("start_date")
        .unique(subset="conference_id", keep="last", maintain_order=True)
    )
    history = pl.concat(
        [linked.select(list(_HISTORY_SCHEMA)), unlinked.select(list(_HISTORY_SCHEMA))], how="vertical"
    ).sort(["plan_id", "held_date"])
    reviews_known_from = history["held_date"].min()

    previous = pl.col("previous_review")
    start = pl.col("start_date")
    # Sorted by plan, so the row before is the plan's previous review when it is the same plan.
    same_plan = pl.col("plan_id") == pl.col("plan_id").shift(1)
    previous_review = pl.when(same_plan).then(pl.col("held_date").shift(1)).alias("previous_review")
    return history.with_columns(previous_review).with_columns(
        review_due_expr(start, previous).alias("due_date"),
        (previous.is_not_null() | (first_review_due_expr(start) >= pl.lit(reviews_known_from, dtype=pl.Date)))
        .fill_null(False)
        .alias("known"),
    ).with_columns((pl.col("held_date") <= pl.col("due_date")).alias("in_time"))


def review_timeliness(record: Record, year: ReportingYear) -> pl.DataFrame:
    """reviews, in_time, percent: review conferences held in the year whose previous conference
    is known, and how many were held on or before their due date."""
    judged = review_history(record, year.end).filter(in_year_expr("held_date", year) & pl.col("known"))
    return judged.select(
        pl.len().cast(pl.Int64).alias("reviews"), count_where(pl.col("in_time")).alias("in_time")
    ).with_columns(percent_expr(pl.col("in_time"), pl.col("reviews")).alias("percent"))


def review_timeliness_dfe(record: Record, year: ReportingYear) -> pl.DataFrame:
    """children, all_in_time, percent (DfE `RevCP`).

    Children on a plan at year end whose plan had lasted at least 3 months; of them, those whose
    every review of the current plan was in time and none was overdue at year end.
    """
    day = pl.lit(year.end, dtype=pl.Date)
    # "Lasted at least 3 months" is the first review's due date having come.
    eligible = children_on_plan_at(record, year.end).filter(first_review_due_expr(pl.col("start_date")) <= day)
    per_plan = (
        review_history(record, year.end)
        .group_by("plan_id")
        .agg(
            count_where(pl.col("known") & ~pl.col("in_time")).alias("late"),
            pl.col("held_date").max().alias("last_review"),
        )
    )
    next_due = review_due_expr(pl.col("start_date"), pl.col("last_review"))
    all_in_time = (pl.col("late").fill_null(0) == 0) & (next_due >= day)
    return (
        eligible.join(per_plan, on="plan_id", how="left")
        .select(pl.len().cast(pl.Int64).alias("children"), count_where(all_in_time).alias("all_in_time"))
        .with_columns(percent_expr(pl.col("all_in_time"), pl.col("children")).alias("percent"))
    )
