"""The rules about CIN plans (CINplanDates), which may not run alongside a child protection plan."""

from __future__ import annotations

import polars as pl

from cpqa.interop.cin_check.helpers import cin_and_cp_plans, found, shown
from cpqa.interop.cin_check.registry import ERROR, CensusModuleRules, CheckContext

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
