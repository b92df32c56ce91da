"""The record built from the raw tables: ids from positions, and conferences from the census's dates."""

from __future__ import annotations

import polars as pl

from cpqa.domain.tables import Record
from cpqa.interop.cin_read.raw import RawTables

SOURCE = "cin-census"

# What a census file cannot tell, table by table and fact by fact (docs/report-schema.md: an
# unavailable table is shown as such, never as zeros).
UNAVAILABLE: dict[str, str] = {
    "attendance": "a CIN census file does not record who was invited to or attended conferences",
    "quoracy": "a CIN census file does not record whether conferences were quorate",
    "participation": "a CIN census file does not record the child's participation in conferences",
    "escalations": "a CIN census file does not record escalations",
    "escalation_children": "a CIN census file does not record escalations",
    "escalation_stages": "a CIN census file does not record escalations",
    "concern_notes": "a CIN census file does not record chairs' concerns or QA case notes",
    "repeat_plan_reviews": "a CIN census file does not record repeat-plan reviews",
    "midway_reviews": "a CIN census file does not record midway reviews",
    "families": "a CIN census file does not link children into families",
    "transfer_out": "a CIN census file does not record transfer-out conferences",
    "conference_due_dates": "a CIN census file records when conferences were held, not when they were due",
    "names": "a CIN census file carries no names",
    "teams": "a CIN census file does not record the allocated team",
    "plan_end_reasons": "a CIN census file does not record why a plan ended",
    "late_reason": "a CIN census file does not record why a conference was held late",
    "visits": "a CIN census file does not record statutory visits",
    "category_combinations": (
        "a CIN census file records one DfE category per plan (MUL for several), not which categories"
    ),
}


def _id(*parts: pl.Expr | str) -> pl.Expr:
    return pl.concat_str([p if isinstance(p, pl.Expr) else pl.lit(p) for p in parts])


def _numbered(frame: pl.DataFrame, episode_id: pl.Expr, marker: str, id_column: str) -> pl.DataFrame:
    """Rows of a module nested in an episode, given its episode's id and their own (e.g. `.../e1/s2`)."""
    return frame.with_columns(
        episode_id.alias("episode_id"), _id(episode_id, marker, pl.col("n").cast(pl.String)).alias(id_column)
    )


def build_record(raw: RawTables) -> Record:
    episode_id = _id(pl.col("child_id"), "/e", pl.col("e_no").cast(pl.String))
    children = raw["children"]
    episodes = raw["episodes"].with_columns(episode_id.alias("episode_id"))

    assessments = _numbered(raw["assessments"], episode_id, "/a", "assessment_id")
    cin_plans = _numbered(raw["cin_plans"], episode_id, "/c", "cin_plan_id")
    s47 = _numbered(raw["s47"], episode_id, "/s", "s47_id")
    plans = _numbered(raw["plans"], episode_id, "/p", "plan_id").with_columns(
        pl.when(pl.col("initial_category").is_not_null())
        .then(pl.concat_list(pl.col("initial_category")))
        .alias("initial_categories"),
        pl.when(pl.col("latest_category").is_not_null())
        .then(pl.concat_list(pl.col("latest_category")))
        .alias("latest_categories"),
    )
    conferences = _conferences(children, episodes, s47, plans, raw["reviews"])
    return Record.of(
        source=SOURCE,
        unavailable=UNAVAILABLE,
        children=children,
        episodes=episodes.drop("e_no", "icpc_date"),
        assessments=assessments.drop("e_no", "n"),
        cin_plans=cin_plans.drop("e_no", "n"),
        s47=s47.drop("e_no", "n", "icpc_date"),
        plans=plans.drop("e_no", "n"),
        conferences=conferences,
    )


def _conferences(
    children: pl.DataFrame,
    episodes: pl.DataFrame,
    s47: pl.DataFrame,
    plans: pl.DataFrame,
    reviews: pl.DataFrame,
) -> pl.DataFrame:
    # The plan a conference started: a plan of the same child starting on the conference date.
    started = (
        plans.select("child_id", pl.col("start_date").alias("held_date"), "plan_id")
        .group_by("child_id", "held_date", maintain_order=True)
        .first()
    )
    births = children.group_by("child_id", maintain_order=True).agg(pl.col("date_of_birth").last())

    def decided(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.join(started, on=["child_id", "held_date"], how="left").with_columns(
            pl.when(pl.col("plan_id").is_not_null())
            .then(pl.lit("plan"))
            .otherwise(pl.lit("no_plan"))
            .alias("outcome")
        )

    initial = (
        decided(
            s47.filter(pl.col("icpc_date").is_not_null()).select(
                (pl.col("s47_id") + "/icpc").alias("conference_id"),
                "child_id",
                "s47_id",
                pl.col("icpc_date").alias("held_date"),
            )
        )
        .join(births, on="child_id", how="left")
        .with_columns(
            # docs/definitions.md#census-initial-conference: held before the child's birth (or with no
            # birth yet) is pre-birth.
            pl.when(pl.col("date_of_birth").is_null() | (pl.col("held_date") < pl.col("date_of_birth")))
            .then(pl.lit("prebirth"))
            .otherwise(pl.lit("initial"))
            .alias("conference_type")
        )
        .drop("date_of_birth")
    )

    # docs/definitions.md#census-transfer-in: an ICPC date on the episode, with no section 47, is
    # a transfer-in.
    transfer_in = decided(
        episodes.filter(pl.col("icpc_date").is_not_null()).select(
            (pl.col("episode_id") + "/ti").alias("conference_id"),
            "child_id",
            pl.col("icpc_date").alias("held_date"),
        )
    ).with_columns(pl.lit("transfer_in").alias("conference_type"))

    plan_of_review = plans.select("child_id", "e_no", pl.col("n").alias("p_no"), "plan_id", "end_date")
    review = reviews.join(plan_of_review, on=["child_id", "e_no", "p_no"], how="left").select(
        _id(pl.col("plan_id"), "/r", pl.col("n").cast(pl.String)).alias("conference_id"),
        "child_id",
        pl.lit("review").alias("conference_type"),
        pl.col("review_date").alias("held_date"),
        "plan_id",
        # docs/definitions.md#census-review: the review that ends a plan carries the plan's end date.
        pl.when(pl.col("review_date").is_null())
        .then(None)
        .when(pl.col("review_date") == pl.col("end_date"))
        .then(pl.lit("plan_ended"))
        .otherwise(pl.lit("plan_continued"))
        .alias("outcome"),
    )
    return pl.concat([initial, transfer_in, review], how="diagonal_relaxed")
