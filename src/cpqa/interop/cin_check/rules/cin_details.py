"""The rules about referrals and episodes (CINdetails): activity on closed or no-further-action cases."""

from __future__ import annotations

import polars as pl

from cpqa.interop.cin_check.helpers import episode_has, found, is_true, shown
from cpqa.interop.cin_check.registry import ERROR, QUERY, CensusModuleRules, CheckContext

RULES = CensusModuleRules("CINdetails")


# Days before birth a referral may be made: 40 weeks (rule 8606).
PREGNANCY_DAYS = 280


@RULES.rule(
    "8606", ERROR, "CINreferralDate", "Child referral date is more than 40 weeks before DOB or expected DOB"
)
def _8606(c: CheckContext) -> pl.DataFrame:
    # DfE: not more than 280 days before PersonBirthDate or ExpectedPersonBirthDate: either date,
    # where a child has both, is judged.
    births = pl.concat(
        [
            c.tables.children.select("child_id", pl.col(column).alias("birth"))
            for column in ("date_of_birth", "expected_date_of_birth")
        ]
    ).filter(pl.col("birth").is_not_null())
    early = (
        c.tables.episodes.join(births, on="child_id", how="inner")
        .filter(pl.col("referral_date") < pl.col("birth") - pl.duration(days=PREGNANCY_DAYS))
        .unique("episode_id", keep="first", maintain_order=True)
    )
    return found(early, "episode_id", shown("referral_date", "CINreferralDate"), shown("birth", "birth date"))


@RULES.rule(
    "2990",
    ERROR,
    "ReasonForClosure",
    "Activity is recorded against a case marked as 'Case closed after assessment, no further action' or "
    "'case closed after assessment, referred to early help'",
)
def _2990(c: CheckContext) -> pl.DataFrame:
    t = c.tables
    closed = t.episodes.filter(pl.col("closure_reason").is_in(["RC8", "RC9"]))
    flagged = (
        closed.join(episode_has(t.s47, "has_s47"), on="episode_id", how="left")
        .join(episode_has(t.plans, "has_plan"), on="episode_id", how="left")
        .join(episode_has(t.cin_plans, "has_cin_plan"), on="episode_id", how="left")
        .filter(
            is_true("has_s47")
            | is_true("has_plan")
            | is_true("has_cin_plan")
            | pl.col("icpc_date").is_not_null()
        )
    )
    return found(flagged, "episode_id", shown("closure_reason", "ReasonForClosure"))


@RULES.rule(
    "2991Q", QUERY, "Assessments", "A Section 47 module is recorded and there is no assessment on the episode"
)
def _2991q(c: CheckContext) -> pl.DataFrame:
    with_s47 = c.tables.episodes.join(c.tables.s47, on="episode_id", how="semi")
    bad = with_s47.join(c.tables.assessments, on="episode_id", how="anti")
    return found(bad, "episode_id", pl.lit("no Assessments module"))


# Every dated activity of an episode that rule 8565 compares with its closure, as the census
# names it: (census view table, its id column, census item, date column).
_EPISODE_ACTIVITY = (
    ("assessments", "assessment_id", "AssessmentActualStartDate", "start_date"),
    ("assessments", "assessment_id", "AssessmentAuthorisationDate", "authorised_date"),
    ("s47", "s47_id", "S47ActualStartDate", "start_date"),
    ("s47", "s47_id", "DateOfInitialCPC", "icpc_date"),
    ("episodes", "episode_id", "DateOfInitialCPC", "icpc_date"),
    ("plans", "plan_id", "CPPendDate", "end_date"),
    ("cin_plans", "cin_plan_id", "CINPlanStartDate", "start_date"),
    ("cin_plans", "cin_plan_id", "CINPlanEndDate", "end_date"),
)


@RULES.rule("8565", ERROR, "CINclosureDate", "Activity shown after a case has been closed")
def _8565(c: CheckContext) -> pl.DataFrame:
    t = c.tables
    activity = pl.concat(
        getattr(t, table).select(
            "episode_id",
            pl.col(id_column).alias("record_id"),
            pl.lit(item).alias("item"),
            pl.col(column).alias("day"),
        )
        for table, id_column, item, column in _EPISODE_ACTIVITY
    )
    closed = t.episodes.filter(pl.col("closure_date").is_not_null()).select(
        "episode_id", "child_id", "closure_date"
    )
    bad = closed.join(activity, on="episode_id", how="inner").filter(pl.col("day") > pl.col("closure_date"))
    return bad.select(
        "child_id",
        "record_id",
        pl.concat_str(
            [
                pl.lit("CINclosureDate "),
                pl.col("closure_date").dt.to_string("%Y-%m-%d"),
                pl.lit(", "),
                pl.col("item"),
                pl.lit(" "),
                pl.col("day").dt.to_string("%Y-%m-%d"),
            ]
        ).alias("value"),
    )


@RULES.rule(
    "8831",
    ERROR,
    "ReferralNFA",
    "Activity is recorded against a case marked as a referral with no further action",
)
def _8831(c: CheckContext) -> pl.DataFrame:
    t = c.tables
    assessed = t.assessments.filter(
        pl.col("start_date").is_not_null() | pl.col("authorised_date").is_not_null()
    )
    enquired = t.s47.filter(pl.col("start_date").is_not_null() | pl.col("icpc_date").is_not_null())
    flagged = (
        t.episodes.filter(is_true("referral_nfa"))
        .join(episode_has(assessed, "assessed"), on="episode_id", how="left")
        .join(episode_has(enquired, "enquired"), on="episode_id", how="left")
        .filter(is_true("assessed") | is_true("enquired") | pl.col("icpc_date").is_not_null())
    )
    return found(flagged, "episode_id", pl.lit("ReferralNFA true"))


@RULES.rule(
    "8868",
    ERROR,
    "CINclosureDate",
    "CIN episode is shown as closed, however Section 47 enquiry is not shown as completed by ICPC date or "
    "ICPC not required flag",
)
def _8868(c: CheckContext) -> pl.DataFrame:
    closed = c.tables.episodes.filter(pl.col("closure_date").is_not_null()).select("episode_id")
    unresolved = c.tables.s47.join(closed, on="episode_id", how="semi").filter(
        pl.col("icpc_date").is_null() != is_true("icpc_not_required")
    )
    return found(
        unresolved,
        "s47_id",
        shown("icpc_date", "DateOfInitialCPC"),
        shown("icpc_not_required", "ICPCnotRequired"),
    )
