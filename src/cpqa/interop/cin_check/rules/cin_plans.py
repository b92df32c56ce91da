"""The rules about CIN plans (CINplanDates), which may not run alongside a child protection plan."""

from __future__ import annotations

import polars as pl

from cpqa.interop.cin_check.helpers import (
    cin_and_cp_plans,
    found,
    is_true,
    pairs_within_child,
    shown,
    with_episode,
)
from cpqa.interop.cin_check.registry import ERROR, QUERY, CensusModuleRules, CheckContext

RULES = CensusModuleRules("CINplanDates")


@RULES.rule(
    "4001", ERROR, "CINPlanEndDate", "A CIN Plan cannot run concurrently with a Child Protection Plan"
)
def _4001(c: CheckContext) -> pl.DataFrame:
    bad = cin_and_cp_plans(c, "episode_id").filter(pl.col("end_date").is_null() & pl.col("cin_end").is_null())
    return found(
        bad, "cin_plan_id", shown("cin_start", "CINPlanStartDate"), shown("start_date", "CPPstartDate")
    )


@RULES.rule(
    "4016",
    ERROR,
    "CINPlanStartDate",
    "A CIN Plan has been reported as open at the same time as a Child Protection Plan",
)
def _4016(c: CheckContext) -> pl.DataFrame:
    # The CIN plan starts within a CP plan; starting the day the CP plan ends is a step-down.
    bad = (
        cin_and_cp_plans(c, "child_id")
        .filter(c.falls_within("cin_start", "start_date", "end_date"))
        .unique("cin_plan_id", maintain_order=True)
    )
    return found(
        bad,
        "cin_plan_id",
        shown("cin_start", "CINPlanStartDate"),
        shown("start_date", "CPPstartDate"),
        shown("end_date", "CPPendDate"),
    )


def _with_death(c: CheckContext) -> pl.DataFrame:
    deaths = c.tables.children.unique("child_id", keep="last").select("child_id", "date_of_death")
    return c.tables.cin_plans.join(deaths, on="child_id", how="inner")


@RULES.rule("4000", ERROR, "CINPlanStartDate", "CIN Plan details provided for a referral with no further action")
def _4000(c: CheckContext) -> pl.DataFrame:
    bad = with_episode(c.tables.cin_plans, c, "referral_nfa").filter(is_true("referral_nfa"))
    return found(bad, "cin_plan_id", shown("start_date", "CINPlanStartDate"), pl.lit("ReferralNFA true"))


@RULES.rule(
    "4004", ERROR, "CINPlanEndDate", "This child is showing more than one open CIN Plan, i.e. with no End Date"
)
def _4004(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.cin_plans.filter(pl.col("end_date").is_null()).filter(pl.len().over("episode_id") > 1)
    return found(bad, "cin_plan_id", shown("start_date", "CINPlanStartDate"))


@RULES.rule("4008", ERROR, "CINPlanStartDate", "CIN Plan shown as starting after the child\u2019s Date of Death.")
def _4008(c: CheckContext) -> pl.DataFrame:
    bad = _with_death(c).filter(pl.col("start_date") > pl.col("date_of_death"))
    return found(bad, "cin_plan_id", shown("start_date", "CINPlanStartDate"), shown("date_of_death", "PersonDeathDate"))


@RULES.rule("4009Q", QUERY, "CINPlanEndDate", "CIN Plan cannot end after the child\u2019s Date of Death")
def _4009q(c: CheckContext) -> pl.DataFrame:
    bad = _with_death(c).filter(pl.col("end_date") > pl.col("date_of_death"))
    return found(bad, "cin_plan_id", shown("end_date", "CINPlanEndDate"), shown("date_of_death", "PersonDeathDate"))


@RULES.rule("4010", ERROR, "CINPlanStartDate", "CIN Plan start date is missing or out of data collection period")
def _4010(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.cin_plans.filter(pl.col("start_date").is_null() | (pl.col("start_date") > c.reference_date))
    return found(bad, "cin_plan_id", shown("start_date", "CINPlanStartDate"))


@RULES.rule("4011", ERROR, "CINPlanEndDate", "CIN Plan End Date earlier than Start Date")
def _4011(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.cin_plans.filter(pl.col("end_date") < pl.col("start_date"))
    return found(bad, "cin_plan_id", shown("start_date", "CINPlanStartDate"), shown("end_date", "CINPlanEndDate"))


@RULES.rule(
    "4012Q", QUERY, "CINPlanEndDate",
    "Please check and either amend or provide a reason: CIN Plan shown as starting and ending on the same day",
)
def _4012q(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.cin_plans.filter(pl.col("end_date") == pl.col("start_date"))
    return found(bad, "cin_plan_id", shown("start_date", "CINPlanStartDate"), shown("end_date", "CINPlanEndDate"))


@RULES.rule("4013", ERROR, "CINPlanEndDate", "CIN Plan end date must fall within the census year")
def _4013(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.cin_plans.filter(pl.col("end_date").is_not_null() & ~c.in_period("end_date"))
    return found(bad, "cin_plan_id", shown("end_date", "CINPlanEndDate"))


@RULES.rule("4014", ERROR, "CINPlanStartDate", "CIN Plan data contains overlapping dates")
def _4014(c: CheckContext) -> pl.DataFrame:
    # A CIN plan of the child starting on or between another's start and its end (or the
    # reference date, while it is open).
    plans = c.tables.cin_plans.filter(pl.col("start_date").is_not_null())
    pairs = pairs_within_child(plans, "cin_plan_id")
    other_end = pl.coalesce(pl.col("end_date_other"), pl.lit(c.reference_date))
    bad = pairs.filter(
        (pl.col("start_date") >= pl.col("start_date_other")) & (pl.col("start_date") <= other_end)
    ).unique("cin_plan_id", maintain_order=True)
    return found(bad, "cin_plan_id", shown("start_date", "CINPlanStartDate"), shown("start_date_other", "other CINPlanStartDate"))


@RULES.rule("4015", ERROR, "CINPlanStartDate", "The CIN Plan start date cannot be before the referral date")
def _4015(c: CheckContext) -> pl.DataFrame:
    bad = with_episode(c.tables.cin_plans, c, "referral_date").filter(pl.col("start_date") < pl.col("referral_date"))
    return found(bad, "cin_plan_id", shown("start_date", "CINPlanStartDate"), shown("referral_date", "CINreferralDate"))
