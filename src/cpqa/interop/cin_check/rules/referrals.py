"""The rules about referrals (CINdetails): dates, codes, closure and overlapping episodes;
registered with the module's other rules (`cin_details.RULES`)."""

from __future__ import annotations

import datetime as dt

import polars as pl

from cpqa.domain.codes import PRIMARY_NEED, REASON_FOR_CLOSURE, REFERRAL_SOURCE
from cpqa.interop.cin_check.helpers import found, is_true, pairs_within_child, shown
from cpqa.interop.cin_check.registry import ERROR, QUERY, CheckContext
from cpqa.interop.cin_check.rules.cin_details import RULES

# Rule 8866 asks for a referral source on referrals from this day on.
SOURCE_REQUIRED_FROM = dt.date(2013, 4, 1)


def _with_child(c: CheckContext, *columns: str) -> pl.DataFrame:
    return c.tables.episodes.join(
        c.tables.children.unique("child_id", keep="last").select("child_id", *columns),
        on="child_id",
        how="inner",
    )


def _further_action() -> pl.Expr:
    return pl.col("referral_nfa").eq(False)


@RULES.rule("8555Q", QUERY, "CINreferralDate", "Child cannot be referred after its recorded date of death")
def _8555q(c: CheckContext) -> pl.DataFrame:
    bad = _with_child(c, "date_of_death").filter(pl.col("referral_date") > pl.col("date_of_death"))
    return found(
        bad,
        "episode_id",
        shown("referral_date", "CINreferralDate"),
        shown("date_of_death", "PersonDeathDate"),
    )


@RULES.rule("8568", ERROR, "ReferralNFA", "RNFA flag is missing or invalid")
def _8568(c: CheckContext) -> pl.DataFrame:
    # Present and one of 1, 0, true or false (any case): anything else was read as blank.
    bad = c.tables.episodes.filter(pl.col("referral_nfa").is_null())
    return found(bad, "episode_id", pl.lit("ReferralNFA missing or not 1, 0, true or false"))


@RULES.rule(
    "8569Q",
    QUERY,
    "ReferralNFA",
    "A case with referral date before one working day prior to the collection start date must not be flagged "
    "as a no further action case",
)
def _8569q(c: CheckContext) -> pl.DataFrame:
    cutoff = c.calendar.subtract_working_days(c.period_start, 1)
    bad = c.tables.episodes.filter((pl.col("referral_date") < cutoff) & is_true("referral_nfa"))
    return found(
        bad, "episode_id", shown("referral_date", "CINreferralDate"), shown("referral_nfa", "ReferralNFA")
    )


@RULES.rule(
    "8585Q",
    QUERY,
    "ReasonForClosure",
    "Please check and either amend or provide a reason: CIN episode shows Died as the Closure Reason, however "
    "child has no recorded Date of Death",
)
def _8585q(c: CheckContext) -> pl.DataFrame:
    bad = _with_child(c, "date_of_death").filter(
        (pl.col("closure_reason") == "RC2") & pl.col("date_of_death").is_null()
    )
    return found(bad, "episode_id", shown("closure_reason", "ReasonForClosure"))


@RULES.rule("8600", ERROR, "CINreferralDate", "Child referral date missing or after data collection period")
def _8600(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.episodes.filter(
        pl.col("referral_date").is_null() | (pl.col("referral_date") > c.reference_date)
    )
    return found(bad, "episode_id", shown("referral_date", "CINreferralDate"))


@RULES.rule(
    "8610",
    ERROR,
    "PrimaryNeedCode",
    "Primary Need code is missing for a referral which led to further action.",
)
def _8610(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.episodes.filter(_further_action() & pl.col("primary_need").is_null())
    return found(bad, "episode_id", shown("primary_need", "PrimaryNeedCode"))


@RULES.rule(
    "8620", ERROR, "CINclosureDate", "CIN Closure Date present and does not fall within the Census year"
)
def _8620(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.episodes.filter(pl.col("closure_date").is_not_null() & ~c.in_period("closure_date"))
    return found(bad, "episode_id", shown("closure_date", "CINclosureDate"))


@RULES.rule(
    "8630", ERROR, "CINclosureDate", "CIN Closure Date is before CIN Referral Date for the same CIN episode"
)
def _8630(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.episodes.filter(pl.col("closure_date") < pl.col("referral_date"))
    return found(
        bad, "episode_id", shown("closure_date", "CINclosureDate"), shown("referral_date", "CINreferralDate")
    )


@RULES.rule(
    "8640",
    ERROR,
    "ReasonForClosure",
    "CIN Reason for closure code invalid (see Reason for Closure table in CIN Census code set)",
)
def _8640(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.episodes.filter(
        pl.col("closure_reason").is_not_null() & ~pl.col("closure_reason").is_in(list(REASON_FOR_CLOSURE))
    )
    return found(bad, "episode_id", shown("closure_reason", "ReasonForClosure"))


@RULES.rule(
    "8650",
    ERROR,
    "PrimaryNeedCode",
    "Primary Need Code invalid (see Primary Need table in CIN census code set)",
)
def _8650(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.episodes.filter(
        pl.col("primary_need").is_not_null() & ~pl.col("primary_need").is_in(list(PRIMARY_NEED))
    )
    return found(bad, "episode_id", shown("primary_need", "PrimaryNeedCode"))


@RULES.rule(
    "8805",
    ERROR,
    "ReasonForClosure",
    "A CIN case cannot have a CIN closure date without a Reason for Closure",
)
def _8805(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.episodes.filter(pl.col("closure_date").is_not_null() & pl.col("closure_reason").is_null())
    return found(bad, "episode_id", shown("closure_date", "CINclosureDate"))


@RULES.rule(
    "8810", ERROR, "CINclosureDate", "A CIN case cannot have a Reason for Closure without a CIN Closure Date"
)
def _8810(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.episodes.filter(pl.col("closure_reason").is_not_null() & pl.col("closure_date").is_null())
    return found(bad, "episode_id", shown("closure_reason", "ReasonForClosure"))


def _open_with_action(c: CheckContext) -> pl.DataFrame:
    return c.tables.episodes.filter(pl.col("closure_date").is_null() & _further_action())


@RULES.rule(
    "8815",
    ERROR,
    "CINclosureDate",
    "More than one open CIN Details episode (a module with no CIN Closure Date) has been provided for this "
    "child and case is not a referral with no further action.",
)
def _8815(c: CheckContext) -> pl.DataFrame:
    bad = _open_with_action(c).filter(pl.len().over("child_id") > 1)
    return found(bad, "episode_id", shown("referral_date", "CINreferralDate"))


@RULES.rule(
    "8816",
    ERROR,
    "CINreferralDate",
    "An open CIN episode is shown and case is not a referral with no further action, but it is not the latest "
    "episode.",
)
def _8816(c: CheckContext) -> pl.DataFrame:
    latest = c.tables.episodes.group_by("child_id").agg(pl.col("referral_date").max().alias("_latest"))
    bad = _open_with_action(c).join(latest, on="child_id").filter(pl.col("referral_date") < pl.col("_latest"))
    return found(bad, "episode_id", shown("referral_date", "CINreferralDate"))


@RULES.rule("8820", ERROR, "CINreferralDate", "The dates on the CIN episodes for this child overlap")
def _8820(c: CheckContext) -> pl.DataFrame:
    # A referral on or after another episode's referral and before its closure (a re-referral
    # on the day the other closed follows it, it does not overlap), or, for an open episode
    # going on to further action, on or before the reference date.
    pairs = pairs_within_child(c.tables.episodes.filter(pl.col("referral_date").is_not_null()), "episode_id")
    within_other = (
        pl.when(pl.col("closure_date_other").is_not_null())
        .then(pl.col("referral_date") < pl.col("closure_date_other"))
        .when(pl.col("referral_nfa_other").eq(False))
        .then(pl.col("referral_date") <= c.reference_date)
        .otherwise(False)
    )
    bad = pairs.filter((pl.col("referral_date") >= pl.col("referral_date_other")) & within_other).unique(
        "episode_id", maintain_order=True
    )
    return found(
        bad,
        "episode_id",
        shown("referral_date", "CINreferralDate"),
        shown("referral_date_other", "other CINreferralDate"),
    )


@RULES.rule(
    "8825Q",
    QUERY,
    "ReasonForClosure",
    "Please check and either amend data or provide a reason: Reason for Closure code RC8 (case closed after "
    "assessment) or RC9 (case closed after assessment, referred to early help) has been returned but there is "
    "no assessment present for the episode.",
)
def _8825q(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.episodes.filter(pl.col("closure_reason").is_in(["RC8", "RC9"])).join(
        c.tables.assessments.select("episode_id"), on="episode_id", how="anti"
    )
    return found(bad, "episode_id", shown("closure_reason", "ReasonForClosure"))


@RULES.rule("8866", ERROR, "ReferralSource", "Source of Referral is missing or an invalid code")
def _8866(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.episodes.filter(
        (pl.col("referral_date") >= SOURCE_REQUIRED_FROM)
        & ~pl.col("referral_source").is_in(list(REFERRAL_SOURCE)).fill_null(False)
    )
    return found(bad, "episode_id", shown("referral_source", "ReferralSource"))


@RULES.rule(
    "8867",
    ERROR,
    "CINclosureDate",
    "CIN episode is shown as closed, however Assessment is not shown as completed",
)
def _8867(c: CheckContext) -> pl.DataFrame:
    open_assessments = c.tables.assessments.filter(pl.col("authorised_date").is_null()).select("episode_id")
    bad = c.tables.episodes.filter(pl.col("closure_date").is_not_null()).join(
        open_assessments.unique(), on="episode_id", how="semi"
    )
    return found(bad, "episode_id", shown("closure_date", "CINclosureDate"))
