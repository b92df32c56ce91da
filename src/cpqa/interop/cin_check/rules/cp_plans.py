"""The rules about child protection plans (ChildProtectionPlans)."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from cpqa.domain.codes import CATEGORY
from cpqa.interop.cin_check.helpers import (
    cin_and_cp_plans,
    found,
    is_true,
    no_findings,
    pairs_within_child,
    shown,
    with_episode,
)
from cpqa.interop.cin_check.registry import ERROR, CensusModuleRules, CheckContext

RULES = CensusModuleRules("ChildProtectionPlans")


@RULES.rule(
    "1105", ERROR, "CPPstartDate", "The child protection plan start date cannot be before the referral date"
)
def _1105(c: CheckContext) -> pl.DataFrame:
    bad = with_episode(c.tables.plans, c, "referral_date").filter(
        pl.col("start_date") < pl.col("referral_date")
    )
    return found(
        bad, "plan_id", shown("start_date", "CPPstartDate"), shown("referral_date", "CINreferralDate")
    )


@RULES.rule(
    "2883",
    ERROR,
    "CPPstartDate",
    "There are more child protection plans starting than initial conferences taking place",
)
def _2883(c: CheckContext) -> pl.DataFrame:
    t = c.tables
    plans = t.plans.filter(c.in_period("start_date")).height
    conferences = (
        t.s47.filter(c.in_period("icpc_date")).height + t.episodes.filter(c.in_period("icpc_date")).height
    )
    if plans <= conferences:
        return no_findings()
    return pl.DataFrame(
        {
            "child_id": [None],
            "record_id": [None],
            "value": [f"{plans} plans started, {conferences} initial conferences held"],
        },
        schema={"child_id": pl.String, "record_id": pl.String, "value": pl.String},
    )


@RULES.rule(
    "2885",
    ERROR,
    "CPPstartDate",
    "Child protection plan shown as starting a different day to the initial child protection conference",
)
def _2885(c: CheckContext) -> pl.DataFrame:
    t = c.tables
    # Enquiries that decided no conference was needed cannot have started a plan.
    enquiries = t.s47.filter(~is_true("icpc_not_required"))
    on_enquiry_conference = (
        enquiries.filter(pl.col("icpc_date").is_not_null())
        .select("episode_id", pl.col("icpc_date").alias("start_date"))
        .unique()
    )
    plans = t.plans.filter(c.in_period("start_date"))
    matched = plans.join(on_enquiry_conference, on=["episode_id", "start_date"], how="semi").select("plan_id")
    # With no enquiry on the episode, the episode's own (transfer-in) conference counts.
    on_episode_conference = (
        plans.join(enquiries, on="episode_id", how="anti")
        .join(t.episodes.select("episode_id", "icpc_date"), on="episode_id", how="inner")
        .filter(pl.col("icpc_date") == pl.col("start_date"))
        .select("plan_id")
    )
    bad = plans.join(pl.concat([matched, on_episode_conference]), on="plan_id", how="anti")
    return found(bad, "plan_id", shown("start_date", "CPPstartDate"))


@RULES.rule(
    "8720", ERROR, "CPPstartDate", "Child Protection Plan Start Date missing or out of data collection period"
)
def _8720(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.plans.filter(pl.col("start_date").is_null() | (pl.col("start_date") > c.reference_date))
    return found(bad, "plan_id", shown("start_date", "CPPstartDate"))


@RULES.rule("8730", ERROR, "NumberOfPreviousCPP", "Total Number of previous Child Protection Plans missing")
def _8730(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.plans.filter(pl.col("previous_plans").is_null() | (pl.col("previous_plans") < 0))
    return found(bad, "plan_id", shown("previous_plans", "NumberOfPreviousCPP"))


@RULES.rule(
    "8832", ERROR, "ReferralNFA", "Child Protection details provided for a referral with no further action"
)
def _8832(c: CheckContext) -> pl.DataFrame:
    bad = with_episode(c.tables.plans, c, "referral_nfa").filter(is_true("referral_nfa"))
    return found(bad, "plan_id", pl.lit("ReferralNFA true"), shown("start_date", "CPPstartDate"))


@RULES.rule("8840", ERROR, "CPPendDate", "Child Protection Plan cannot start and end on the same day")
def _8840(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.plans.filter(pl.col("start_date") == pl.col("end_date"))
    return found(bad, "plan_id", shown("start_date", "CPPstartDate"), shown("end_date", "CPPendDate"))


def _category_rule(column: str, item: str) -> Callable[[CheckContext], pl.DataFrame]:
    def find(c: CheckContext) -> pl.DataFrame:
        bad = c.tables.plans.filter(~pl.col(column).is_in(list(CATEGORY)).fill_null(False))
        return found(bad, "plan_id", shown(column, item))

    return find


RULES.rule(
    "8905",
    ERROR,
    "InitialCategoryOfAbuse",
    "Initial Category of Abuse code missing or invalid (see Category of Abuse table in CIN Census code set)",
)(_category_rule("initial_category", "InitialCategoryOfAbuse"))


RULES.rule(
    "8910",
    ERROR,
    "LatestCategoryOfAbuse",
    "Latest Category of Abuse code missing or invalid (see Category of Abuse table in CIN Census code set)",
)(_category_rule("latest_category", "LatestCategoryOfAbuse"))


def _plans_with_death(c: CheckContext) -> pl.DataFrame:
    deaths = c.tables.children.filter(pl.col("date_of_death").is_not_null()).select(
        "child_id", "date_of_death"
    )
    return c.tables.plans.join(deaths.unique("child_id", keep="last"), on="child_id", how="inner")


@RULES.rule(
    "8915", ERROR, "CPPstartDate", "Child Protection Plan shown as starting after the child's Date of Death"
)
def _8915(c: CheckContext) -> pl.DataFrame:
    bad = _plans_with_death(c).filter(pl.col("start_date") > pl.col("date_of_death"))
    return found(
        bad, "plan_id", shown("start_date", "CPPstartDate"), shown("date_of_death", "PersonDeathDate")
    )


@RULES.rule("8920", ERROR, "CPPendDate", "Child Protection Plan cannot end after the child's Date of Death")
def _8920(c: CheckContext) -> pl.DataFrame:
    bad = _plans_with_death(c).filter(pl.col("end_date") > pl.col("date_of_death"))
    return found(bad, "plan_id", shown("end_date", "CPPendDate"), shown("date_of_death", "PersonDeathDate"))


@RULES.rule("8925", ERROR, "CPPendDate", "Child Protection Plan End Date earlier than Start Date")
def _8925(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.plans.filter(pl.col("end_date") < pl.col("start_date"))
    return found(bad, "plan_id", shown("start_date", "CPPstartDate"), shown("end_date", "CPPendDate"))


@RULES.rule("8930", ERROR, "CPPendDate", "Child Protection Plan End Date must fall within the census year")
def _8930(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.plans.filter(pl.col("end_date").is_not_null() & ~c.in_period("end_date"))
    return found(bad, "plan_id", shown("end_date", "CPPendDate"))


@RULES.rule(
    "8935",
    ERROR,
    "CPPendDate",
    "This child is showing more than one open Child Protection plan, i.e. with no End Date",
)
def _8935(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.plans.filter(pl.col("end_date").is_null()).filter(pl.len().over("child_id") > 1)
    return found(bad, "plan_id", shown("start_date", "CPPstartDate"), shown("end_date", "CPPendDate"))


@RULES.rule("8940", ERROR, "CPPstartDate", "Child Protection Plan data contains overlapping dates")
def _8940(c: CheckContext) -> pl.DataFrame:
    plans = c.tables.plans.filter(pl.col("start_date").is_not_null())
    bad = (
        pairs_within_child(plans, "plan_id")
        .filter(c.falls_within("start_date", "start_date_other", "end_date_other", end_inclusive=True))
        .unique("plan_id", maintain_order=True)
    )
    return found(
        bad,
        "plan_id",
        shown("start_date", "CPPstartDate"),
        shown("start_date_other", "other CPPstartDate"),
        shown("end_date_other", "other CPPendDate"),
    )


@RULES.rule(
    "4017",
    ERROR,
    "CPPstartDate",
    "A CIN Plan has been reported as open at the same time as a Child Protection Plan",
)
def _4017(c: CheckContext) -> pl.DataFrame:
    # The CP plan starts within a CIN plan; starting the day the CIN plan ends is a step-up.
    bad = (
        cin_and_cp_plans(c, "child_id")
        .filter(c.falls_within("start_date", "cin_start", "cin_end"))
        .unique("plan_id", maintain_order=True)
    )
    return found(
        bad,
        "plan_id",
        shown("start_date", "CPPstartDate"),
        shown("cin_start", "CINPlanStartDate"),
        shown("cin_end", "CINPlanEndDate"),
    )
