"""The quality-assurance rules: who is due for which review, and when a response is due.

Pure: tables in, tables (or dates) out. The oversight app turns its models into these tables
and back; the indicators read the same rules, so the QA manager's lists and the annual report
can never disagree about who counts.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from cpqa.domain.calendar import add_months_expr
from cpqa.domain.codes import ESCALATION_STAGE
from cpqa.domain.config import AuthorityConfig
from cpqa.domain.counting import families_expr, plans_open_on
from cpqa.domain.documents import papers_as_for_a_review
from cpqa.domain.timescales import midway_review_due, review_due, status_on

FIRST_STAGE = min(ESCALATION_STAGE)
LAST_STAGE = max(ESCALATION_STAGE)

LONG_PLAN_PANEL_MONTHS = 12
LONG_PLAN_FLAG_MONTHS = 18
# docs/definitions.md#long-plan-bands: "2 years or more" is at least 730 days (the DfE's "more
# than 729 days").
LONG_PLAN_TWO_YEARS_DAYS = 730
LONG_PLAN_BANDS: dict[str, str] = {
    "12_to_18_months": "12 months to under 18 months",
    "18_to_24_months": "18 months to under 2 years",
    "2_years_or_more": "2 years or more",
}



# Escalations ---------------------------------------------------------------------------------


def escalation_response_due(stage_started: dt.date, stage: int, config: AuthorityConfig) -> dt.date:
    """The date the stage's owner must respond by: the stage's start + its working days."""
    if stage not in ESCALATION_STAGE:
        raise ValueError(f"escalation stage {stage} is not one of {', '.join(map(str, ESCALATION_STAGE))}")
    days = config.escalation_response_working_days.get(stage)
    if days is None:
        raise ValueError(f"no response time is configured for escalation stage {stage}")
    return config.calendar.add_working_days(stage_started, days)


def next_escalation_stage(stage: int) -> int:
    """The stage an escalation goes to from `stage`; stage 3 (director) is the last."""
    if stage not in ESCALATION_STAGE:
        raise ValueError(f"escalation stage {stage} is not one of {', '.join(map(str, ESCALATION_STAGE))}")
    if stage == LAST_STAGE:
        raise ValueError(f"stage {LAST_STAGE} is the last stage: it cannot be escalated further")
    return stage + 1


# Social work reports -------------------------------------------------------------------------


def report_shared_working_days(conference_type: str, config: AuthorityConfig) -> int:
    """Working days before the conference by which the family should have the report (initial,
    pre-birth and transfer-in conferences: the shorter deadline)."""
    if papers_as_for_a_review(conference_type):
        return config.report_shared_days_review
    return config.report_shared_days_initial


def report_shared_in_time(
    shared: dt.date | None, conference: dt.date, conference_type: str, config: AuthorityConfig
) -> bool:
    """Did the family have the report at least the configured working days before the conference?

    A report never shared before the conference (`shared` is None) is not in time.
    """
    if shared is None:
        return False
    needed = report_shared_working_days(conference_type, config)
    return config.calendar.working_days_between(shared, conference) >= needed


def report_feedback_by_team_and_month(conferences: pl.DataFrame, children: pl.DataFrame) -> pl.DataFrame:
    """Graded social work reports per child's team and month held, by grade and shared in time.

    Takes the record's `conferences` and `children` tables; a conference with no grade is not
    counted (the chair has not given feedback yet). Team is null where the child has none.
    """
    graded = conferences.filter(pl.col("held_date").is_not_null() & pl.col("report_grade").is_not_null())
    graded = graded.join(children.select("child_id", "team"), on="child_id", how="left")
    return (
        graded.with_columns(pl.col("held_date").dt.strftime("%Y-%m").alias("month"))
        .group_by("team", "month")
        .agg(
            pl.len().alias("graded"),
            (pl.col("report_grade") == "outstanding").sum().alias("outstanding"),
            (pl.col("report_grade") == "good").sum().alias("good"),
            (pl.col("report_grade") == "requires_improvement").sum().alias("requires_improvement"),
            (pl.col("report_grade") == "inadequate").sum().alias("inadequate"),
            pl.col("report_shared_in_time").fill_null(False).sum().alias("shared_in_time"),
        )
        .with_columns(
            pl.col(c).cast(pl.Int64)
            for c in ("graded", "outstanding", "good", "requires_improvement", "inadequate", "shared_in_time")
        )
        .sort("team", "month", nulls_last=True)
    )


# Repeat plans --------------------------------------------------------------------------------


def second_or_subsequent_plans(plans: pl.DataFrame) -> pl.DataFrame:
    """Every plan with `earlier_plans` (plans of the same child starting before it) and `is_repeat`.

    docs/definitions.md#repeat-plans: a plan is a second or subsequent plan where the child had
    any earlier CP plan, however long ago: one in the record, or `previous_plans >= 1` from
    another system.
    """
    earlier = pl.col("start_date").rank(method="min").over("child_id").cast(pl.Int64) - 1
    return plans.with_columns(earlier.alias("earlier_plans")).with_columns(
        ((pl.col("earlier_plans") >= 1) | (pl.col("previous_plans").fill_null(0) >= 1)).alias("is_repeat")
    )


def repeat_plans_started_in(plans: pl.DataFrame, month: str) -> pl.DataFrame:
    """Second or subsequent plans that started in `month` (`YYYY-MM`): the QA manager's list."""
    _check_month(month)
    marked = second_or_subsequent_plans(plans)
    return marked.filter(pl.col("is_repeat") & (pl.col("start_date").dt.strftime("%Y-%m") == month)).sort(
        "start_date", "child_id"
    )


def repeat_plan_findings(reviews: pl.DataFrame) -> pl.DataFrame:
    """Reviews by finding: distinct families and children (the seed's table), most children first.

    Takes the record's `repeat_plan_reviews` table. A child reviewed twice under one finding
    counts once; a family is counted under each finding any of its children received (families
    counted by the report's own rule, `counting.families_expr`).
    """
    return (
        reviews.filter(pl.col("finding").is_not_null())
        .group_by("finding")
        .agg(
            families_expr().cast(pl.Int64).alias("families"),
            pl.col("child_id").n_unique().cast(pl.Int64).alias("children"),
        )
        .sort(["children", "finding"], descending=[True, False])
    )


def _check_month(month: str) -> None:
    try:
        dt.datetime.strptime(month, "%Y-%m")
    except ValueError:
        raise ValueError(f"month {month!r} is not of the form YYYY-MM") from None


# Long plans ----------------------------------------------------------------------------------


def long_plan_band_expr(start: pl.Expr, on: dt.date) -> pl.Expr:
    """`12_to_18_months`, `18_to_24_months`, `2_years_or_more`, or null under 12 months, on `on`."""
    on_lit = pl.lit(on, dtype=pl.Date)
    days = (on_lit - start).dt.total_days()
    return (
        pl.when(days >= LONG_PLAN_TWO_YEARS_DAYS)
        .then(pl.lit("2_years_or_more"))
        .when(add_months_expr(start, LONG_PLAN_FLAG_MONTHS) <= on_lit)
        .then(pl.lit("18_to_24_months"))
        .when(add_months_expr(start, LONG_PLAN_PANEL_MONTHS) <= on_lit)
        .then(pl.lit("12_to_18_months"))
        .otherwise(pl.lit(None, dtype=pl.String))
    )


def long_plan_milestone_expr(start: pl.Expr, on: dt.date, flag_months: tuple[int, ...]) -> pl.Expr:
    """The latest of the authority's flags (months on a plan) a plan started at `start` has reached
    on `on`; null before the first."""
    on_lit = pl.lit(on, dtype=pl.Date)
    milestone = pl.lit(None, dtype=pl.Int64)
    for months in sorted(flag_months):
        milestone = pl.when(add_months_expr(start, months) <= on_lit).then(pl.lit(months)).otherwise(milestone)
    return milestone


def long_plan_panel(plans: pl.DataFrame, on: dt.date, config: AuthorityConfig) -> pl.DataFrame:
    """Plans open on `on` that have reached the first of the authority's long-plan flags (9 months
    by default), longest first.

    Adds `days_on_plan`, `milestone_months` (the latest flag reached), `band` (the report's bands:
    null under 12 months), `flag_18_months` and `flag_2_years` to the plan's columns.
    """
    open_plans = plans_open_on(plans, on)
    banded = open_plans.with_columns(
        (pl.lit(on, dtype=pl.Date) - pl.col("start_date"))
        .dt.total_days()
        .cast(pl.Int64)
        .alias("days_on_plan"),
        long_plan_milestone_expr(pl.col("start_date"), on, config.long_plan_flag_months).alias("milestone_months"),
        long_plan_band_expr(pl.col("start_date"), on).alias("band"),
    )
    return (
        banded.filter(pl.col("milestone_months").is_not_null())
        .with_columns(
            pl.col("band").is_in(["18_to_24_months", "2_years_or_more"]).fill_null(False).alias("flag_18_months"),
            (pl.col("band") == "2_years_or_more").fill_null(False).alias("flag_2_years"),
        )
        .sort(["start_date", "child_id"])
    )


# Midway reviews ------------------------------------------------------------------------------

MIDWAY_SCHEMA: dict[str, pl.DataType] = {
    "plan_id": pl.String,
    "child_id": pl.String,
    "previous_conference": pl.Date,
    "next_review_due": pl.Date,
    "due_date": pl.Date,
    "chair_id": pl.String,
    "midway_id": pl.String,
    "held_date": pl.Date,
    "status": pl.String,
}


def _midway_intervals(plans: pl.DataFrame, held: pl.DataFrame, on: dt.date) -> pl.DataFrame:
    """Per plan open on `on`: the previous conference, the next review due and the midway due.

    The dates come from the timescale engine one plan at a time (its one implementation).
    """
    last_review = (
        held.filter(pl.col("conference_type") == "review")
        .group_by("plan_id")
        .agg(pl.col("held_date").max().alias("last_review"))
    )
    candidates = (
        plans_open_on(plans, on)
        .select("plan_id", "child_id", "start_date")
        .join(last_review, on="plan_id", how="left")
    )
    intervals = []
    for plan_id, child_id, start, previous_review in candidates.iter_rows():
        next_due = review_due(start, previous_review)
        previous_conference = previous_review or start
        intervals.append(
            (plan_id, child_id, previous_conference, next_due, midway_review_due(previous_conference, next_due))
        )
    return pl.DataFrame(
        intervals,
        schema={
            "plan_id": pl.String,
            "child_id": pl.String,
            "previous_conference": pl.Date,
            "next_review_due": pl.Date,
            "due_date": pl.Date,
        },
        orient="row",
    )


def _midway_done(intervals: pl.DataFrame, mids: pl.DataFrame) -> pl.DataFrame:
    """The latest midway review held since each interval's previous conference."""
    return (
        intervals.select("plan_id", "previous_conference")
        .join(mids.filter(pl.col("held_date").is_not_null()), on="plan_id")
        .filter(pl.col("held_date") >= pl.col("previous_conference"))
        .sort("held_date")
        .group_by("plan_id")
        .agg(
            pl.col("midway_id").last().alias("done_id"),
            pl.col("held_date").last(),
            pl.col("chair_id").last().alias("done_chair"),
        )
    )


def _midway_assigned(mids: pl.DataFrame) -> pl.DataFrame:
    """Midway reviews assigned to a chair for a due date and not yet held."""
    return (
        mids.filter(pl.col("held_date").is_null())
        .select(
            "plan_id",
            "due_date",
            pl.col("midway_id").alias("assigned_id"),
            pl.col("chair_id").alias("assigned_chair"),
        )
        .unique(["plan_id", "due_date"], keep="first")
    )


def midway_reviews_due(
    plans: pl.DataFrame,
    conferences: pl.DataFrame,
    midway_reviews: pl.DataFrame,
    on: dt.date,
    config: AuthorityConfig,
) -> pl.DataFrame:
    """The midway review of each plan open on `on`, for the interval `on` falls in.

    The interval runs from the previous conference (the last review held, or the plan's start)
    to the next review due. The midway review is due half way (the timescale engine). One is
    done once a midway review for the plan was held on or after the previous conference.
    `chair_id` is the chair it is assigned to: an assignment recorded for this due date, else
    the chair of the previous conference. `status` is `held`, or the timescale engine's
    on_track / due_soon / overdue.

    Takes the record's `plans`, `conferences` and `midway_reviews` tables.
    """
    held = conferences.filter(
        pl.col("held_date").is_not_null() & (pl.col("held_date") <= on) & pl.col("plan_id").is_not_null()
    )
    intervals = _midway_intervals(plans, held, on)
    chair_of_previous = held.select(
        "plan_id",
        pl.col("held_date").alias("previous_conference"),
        pl.col("chair_id").alias("previous_chair"),
    ).unique(["plan_id", "previous_conference"], keep="first")
    mids = midway_reviews.filter(pl.col("plan_id").is_not_null())
    joined = (
        intervals.join(chair_of_previous, on=["plan_id", "previous_conference"], how="left")
        .join(_midway_done(intervals, mids), on="plan_id", how="left")
        .join(_midway_assigned(mids), on=["plan_id", "due_date"], how="left")
    )
    statuses = [
        "held" if held_date is not None else status_on(due, on, config.calendar).value
        for due, held_date in joined.select("due_date", "held_date").iter_rows()
    ]
    return (
        joined.with_columns(
            pl.when(pl.col("held_date").is_not_null())
            .then(pl.col("done_id"))
            .otherwise(pl.col("assigned_id"))
            .alias("midway_id"),
            pl.when(pl.col("held_date").is_not_null())
            .then(pl.col("done_chair"))
            .otherwise(pl.coalesce("assigned_chair", "previous_chair"))
            .alias("chair_id"),
            pl.Series("status", statuses, dtype=pl.String),
        )
        .select(list(MIDWAY_SCHEMA))
        .cast(MIDWAY_SCHEMA)
        .sort("due_date", "child_id")
    )


# The chair's footprint -----------------------------------------------------------------------

FOOTPRINT_COLUMNS = ("consultations", "cases_of_concern", "escalations", "midway_reviews")


def chair_footprint(
    concern_notes: pl.DataFrame,
    escalations: pl.DataFrame,
    escalation_children: pl.DataFrame,
    midway_reviews: pl.DataFrame,
    children: pl.DataFrame,
    start: dt.date,
    end: dt.date,
) -> pl.DataFrame:
    """Per chair (or QA manager) and child's team: what they recorded between `start` and `end`.

    `consultations` are QA case notes (the seed: "summary of case discussions and
    consultations"), `cases_of_concern` the chair case of concern notes, `escalations` the
    formal escalations raised, `midway_reviews` those held. A note about a family with no child
    named, or an escalation whose children sit in two teams, counts once for each team it
    touches; `team` is null where no child is known.

    Takes the record's tables; returns `staff_id`, `team` and the four counts, sorted.
    """
    if end < start:
        raise ValueError(f"footprint period ends {end.isoformat()} before it starts {start.isoformat()}")
    teams = children.select("child_id", "family_id", "team")

    def in_period(column: str) -> pl.Expr:
        return pl.col(column).is_between(pl.lit(start, dtype=pl.Date), pl.lit(end, dtype=pl.Date))

    notes = concern_notes.filter(in_period("recorded_date"))
    by_child = notes.filter(pl.col("child_id").is_not_null()).join(
        teams.select("child_id", "team"), on="child_id", how="left"
    )
    by_family = notes.filter(pl.col("child_id").is_null()).join(
        teams.select("family_id", "team").unique(), on="family_id", how="left"
    )
    note_rows = pl.concat(
        [
            by_child.select("note_id", "author_id", "kind", "team"),
            by_family.select("note_id", "author_id", "kind", "team"),
        ]
    ).unique(["note_id", "team"])
    note_counts = note_rows.group_by(pl.col("author_id").alias("staff_id"), "team").agg(
        (pl.col("kind") == "qa_case_note").sum().cast(pl.Int64).alias("consultations"),
        (pl.col("kind") == "chair_case_of_concern").sum().cast(pl.Int64).alias("cases_of_concern"),
    )

    raised = escalations.filter(in_period("raised_date")).select("escalation_id", "raised_by")
    escalation_teams = (
        raised.join(escalation_children, on="escalation_id", how="left")
        .join(teams.select("child_id", "team"), on="child_id", how="left")
        .unique(["escalation_id", "team"])
    )
    escalation_counts = escalation_teams.group_by(pl.col("raised_by").alias("staff_id"), "team").agg(
        pl.len().cast(pl.Int64).alias("escalations")
    )

    midway_counts = (
        midway_reviews.filter(pl.col("held_date").is_not_null() & in_period("held_date"))
        .join(teams.select("child_id", "team"), on="child_id", how="left")
        .group_by(pl.col("chair_id").alias("staff_id"), "team")
        .agg(pl.len().cast(pl.Int64).alias("midway_reviews"))
    )

    keys = ["staff_id", "team"]
    combined = note_counts.join(escalation_counts, on=keys, how="full", coalesce=True, nulls_equal=True).join(
        midway_counts, on=keys, how="full", coalesce=True, nulls_equal=True
    )
    return (
        combined.with_columns(pl.col(c).fill_null(0) for c in FOOTPRINT_COLUMNS)
        .select("staff_id", "team", *FOOTPRINT_COLUMNS)
        .sort(keys, nulls_last=True)
    )
