"""The rules about section 47 enquiries and their initial conferences (Section47)."""

from __future__ import annotations

import polars as pl

from cpqa.domain.timescales import initial_conference_due_expr
from cpqa.interop.cin_check.helpers import found, is_true, is_weekend, pairs_within_child, shown, with_episode
from cpqa.interop.cin_check.registry import ERROR, QUERY, CensusModuleRules, CheckContext

RULES = CensusModuleRules("Section47")


@RULES.rule(
    "1104",
    ERROR,
    "DateOfInitialCPC",
    "The date of the initial child protection conference cannot be before the referral date",
)
def _1104(c: CheckContext) -> pl.DataFrame:
    bad = with_episode(c.tables.s47, c, "referral_date").filter(pl.col("icpc_date") < pl.col("referral_date"))
    return found(
        bad, "s47_id", shown("icpc_date", "DateOfInitialCPC"), shown("referral_date", "CINreferralDate")
    )


@RULES.rule(
    "2884",
    ERROR,
    "DateOfInitialCPC",
    "An initial child protection conference is recorded at both the S47 and CIN Details level "
    "and it should only be recorded in one",
)
def _2884(c: CheckContext) -> pl.DataFrame:
    episode_level = c.tables.episodes.filter(pl.col("icpc_date").is_not_null()).select(
        "child_id", "icpc_date"
    )
    both = c.tables.s47.join(episode_level, on=["child_id", "icpc_date"], how="semi")
    return found(both, "s47_id", shown("icpc_date", "DateOfInitialCPC"))


@RULES.rule("2889", ERROR, "S47ActualStartDate", "The S47 start date cannot be before the referral date")
def _2889(c: CheckContext) -> pl.DataFrame:
    bad = with_episode(c.tables.s47, c, "referral_date").filter(
        pl.col("start_date") < pl.col("referral_date")
    )
    return found(
        bad, "s47_id", shown("start_date", "S47ActualStartDate"), shown("referral_date", "CINreferralDate")
    )


@RULES.rule(
    "8615",
    ERROR,
    "S47ActualStartDate",
    "Section 47 Enquiry Start Date must be present and cannot be later than the date of the initial "
    "Child Protection Conference",
)
def _8615(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.s47.filter(
        pl.col("icpc_date").is_not_null()
        & (pl.col("start_date").is_null() | (pl.col("start_date") > pl.col("icpc_date")))
    )
    return found(
        bad, "s47_id", shown("start_date", "S47ActualStartDate"), shown("icpc_date", "DateOfInitialCPC")
    )


@RULES.rule(
    "8675Q",
    QUERY,
    "S47ActualStartDate",
    "S47 Enquiry started more than 15 working days before the end of the census year, yet there is no "
    "date of initial child protection conference and ICPC not required is false",
)
def _8675q(c: CheckContext) -> pl.DataFrame:
    # The conference was due (strategy discussion + 15 working days, the timescale engine's
    # rule) before the reference date, and neither happened nor was ruled out.
    due = initial_conference_due_expr(pl.col("start_date"), c.calendar)
    bad = c.tables.s47.filter(
        pl.col("icpc_date").is_null() & pl.col("icpc_not_required").eq(False) & (due < c.reference_date)
    )
    return found(bad, "s47_id", shown("start_date", "S47ActualStartDate"), pl.lit("ICPCnotRequired false"))


@RULES.rule(
    "8715",
    ERROR,
    "DateOfInitialCPC",
    "Date of Initial Child Protection Conference must fall within the census year",
)
def _8715(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.s47.filter(pl.col("icpc_date").is_not_null() & ~c.in_period("icpc_date"))
    return found(bad, "s47_id", shown("icpc_date", "DateOfInitialCPC"))


@RULES.rule(
    "8740",
    ERROR,
    "S47ActualStartDate",
    "For a Section 47 Enquiry that has not held the Initial Child Protection Conference by the end of the "
    "census year, the start date must fall within the census year",
)
def _8740(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.s47.filter(
        pl.col("icpc_date").is_null() & pl.col("icpc_not_required").eq(False) & ~c.in_period("start_date")
    )
    return found(bad, "s47_id", shown("start_date", "S47ActualStartDate"))


def _open_enquiries(c: CheckContext) -> pl.DataFrame:
    """Enquiries with no conference date and no decision that none was needed."""
    return c.tables.s47.filter(pl.col("icpc_date").is_null() & ~is_true("icpc_not_required"))


@RULES.rule(
    "8839", ERROR, "DateOfInitialCPC", "Within one CINDetails group there are 2 or more open S47 Assessments"
)
def _8839(c: CheckContext) -> pl.DataFrame:
    bad = _open_enquiries(c).filter(pl.len().over("episode_id") > 1)
    return found(
        bad, "s47_id", shown("start_date", "S47ActualStartDate"), shown("icpc_date", "DateOfInitialCPC")
    )


@RULES.rule(
    "8870Q",
    QUERY,
    "InitialCPCtarget",
    "The Target Date for Initial Child Protection Conference should not be a weekend",
)
def _8870q(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.s47.filter(is_weekend("icpc_target_date"))
    return found(bad, "s47_id", shown("icpc_target_date", "InitialCPCtarget"))


@RULES.rule(
    "8875", ERROR, "DateOfInitialCPC", "The Date of Initial Child Protection Conference cannot be a weekend"
)
def _8875(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.s47.filter(is_weekend("icpc_date"))
    return found(bad, "s47_id", shown("icpc_date", "DateOfInitialCPC"))


@RULES.rule(
    "8890",
    ERROR,
    "S47ActualStartDate",
    "A Section 47 enquiry is shown as starting when there is another Section 47 Enquiry ongoing",
)
def _8890(c: CheckContext) -> pl.DataFrame:
    enquiries = c.tables.s47.filter(pl.col("start_date").is_not_null())
    pairs = pairs_within_child(enquiries, "s47_id", by="episode_id")
    # The other enquiry runs from its start to its conference, or to the reference date while
    # it is still open (no conference and not ruled out).
    other_open = pl.col("icpc_date_other").is_null() & ~is_true("icpc_not_required_other")
    bad = pairs.filter(
        (pl.col("start_date") >= pl.col("start_date_other"))
        & (
            (pl.col("icpc_date_other").is_not_null() & (pl.col("start_date") <= pl.col("icpc_date_other")))
            | (other_open & (pl.col("start_date") <= c.reference_date))
        )
    ).unique("s47_id", maintain_order=True)
    return found(
        bad,
        "s47_id",
        shown("start_date", "S47ActualStartDate"),
        shown("start_date_other", "other S47ActualStartDate"),
    )
