"""The DfE CIN census rules about section 47 enquiries, conferences, plans and reviews.

The rules are those of data-standards.md §2.5 (the DfE's validation rules for the CP part of
the census), the identity rules they lean on (8500, 8510, 1570, 1580, 4180, 8525Q, 8530Q,
8606, 8750) and the superseded-factor queries (8945Q, 8950Q). Each is one vectorised Polars
query over the census view of a record (`census.CensusTables`), so a whole country's return
is checked in seconds, and the same checks run on a file (`check_cin_file`) and on the
database's record (`check_record`).

Where the DfE validator (csc-validator-be-cin) departs from a rule's own words, the words win:
rule 8565 also checks plan end dates, 8870Q reads ISO dates, and booleans mean the same
whichever spelling (true/1) the file uses. Findings are errors (the return is rejected) or
queries (the DfE asks for a reason).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from cpqa.domain.calendar import ENGLAND, ReportingYear, WorkingCalendar, add_months
from cpqa.domain.codes import CATEGORY, SEX
from cpqa.domain.tables import Record
from cpqa.domain.timescales import initial_conference_due_expr
from cpqa.interop.census import CensusTables, census_period, census_tables
from cpqa.interop.cin_read import CinHeader, read_cin_file
from cpqa.interop.errors import CinFileError

ERROR = "error"
QUERY = "query"

FINDING_SCHEMA: dict[str, pl.DataType] = {
    "rule": pl.String,
    "kind": pl.String,  # error or query
    "child_id": pl.String,  # null for a rule about the whole return
    "table": pl.String,  # the census module, e.g. ChildProtectionPlans
    "field": pl.String,  # the census item, e.g. CPPstartDate
    "value": pl.String,  # the values that broke the rule, named
    "record_id": pl.String,  # the record's id of the row (plan, enquiry, episode, ...)
    "message": pl.String,
}

# Days before birth a referral may be made: 40 weeks (rule 8606).
PREGNANCY_DAYS = 280


@dataclass(frozen=True)
class CheckContext:
    tables: CensusTables
    reference_date: dt.date
    calendar: WorkingCalendar

    @property
    def period_start(self) -> dt.date:
        return census_period(self.reference_date)[0]

    def in_period(self, column: str) -> pl.Expr:
        return pl.col(column).is_between(self.period_start, self.reference_date)

    def falls_within(self, day: str, start: str, end: str, *, end_inclusive: bool = False) -> pl.Expr:
        """`day` is on or after `start` and before `end` (or on it, if inclusive); a period with
        no end is still running on the reference date."""
        before_end = pl.col(day) <= pl.col(end) if end_inclusive else pl.col(day) < pl.col(end)
        return (pl.col(day) >= pl.col(start)) & pl.when(pl.col(end).is_null()).then(
            pl.col(day) <= self.reference_date
        ).otherwise(before_end)


@dataclass(frozen=True)
class Rule:
    code: str
    kind: str
    table: str
    field: str
    message: str
    # Returns child_id, record_id, value for each breach.
    find: Callable[[CheckContext], pl.DataFrame]


RULES: dict[str, Rule] = {}


def rule(code: str, kind: str, table: str, field: str, message: str) -> Callable:
    def register(find: Callable[[CheckContext], pl.DataFrame]) -> Callable[[CheckContext], pl.DataFrame]:
        RULES[code] = Rule(code, kind, table, field, message, find)
        return find

    return register


# --- helpers ----------------------------------------------------------------------------


def shown(column: str, label: str | None = None) -> pl.Expr:
    """`CPPstartDate 2024-06-01` (or `... blank`), for the finding's value."""
    # Dates cast to ISO text, booleans to true/false.
    return pl.concat_str([pl.lit(f"{label or column} "), pl.col(column).cast(pl.String).fill_null("blank")])


def values(*parts: pl.Expr) -> pl.Expr:
    return pl.concat_str(list(parts), separator=", ").alias("value")


def found(frame: pl.DataFrame, record_id: str, *parts: pl.Expr) -> pl.DataFrame:
    return frame.select(pl.col("child_id"), pl.col(record_id).alias("record_id"), values(*parts))


def is_true(column: str) -> pl.Expr:
    return pl.col(column).fill_null(False)


def is_weekend(column: str) -> pl.Expr:
    return pl.col(column).dt.weekday() >= 6


def with_episode(frame: pl.DataFrame, c: CheckContext, *columns: str) -> pl.DataFrame:
    return frame.join(c.tables.episodes.select("episode_id", *columns), on="episode_id", how="inner")


def episode_has(frame: pl.DataFrame, name: str) -> pl.DataFrame:
    """One row per episode that has at least one row in `frame`, flagged `name`."""
    return frame.select("episode_id").unique().with_columns(pl.lit(True).alias(name))


def pairs_within_child(frame: pl.DataFrame, id_column: str, by: str = "child_id") -> pl.DataFrame:
    """Every pair of different rows of the same child (or episode): columns suffixed `_other`."""
    return frame.join(frame, on=by, how="inner", suffix="_other").filter(
        pl.col(id_column) != pl.col(f"{id_column}_other")
    )


# --- identity ------------------------------------------------------------------------------


@rule("8500", ERROR, "ChildIdentifiers", "LAchildID", "LA Child ID missing")
def _8500(c: CheckContext) -> pl.DataFrame:
    missing = c.tables.children.filter(
        pl.col("child_id").is_null() | (pl.col("child_id").str.strip_chars() == "")
    )
    return found(missing, "child_id", pl.lit("LAchildID blank"))


@rule("8510", ERROR, "ChildIdentifiers", "LAchildID", "More than one child record with the same LA Child ID")
def _8510(c: CheckContext) -> pl.DataFrame:
    twice = c.tables.children.filter(pl.len().over("child_id") > 1).unique("child_id", maintain_order=True)
    return found(twice, "child_id", shown("child_id", "LAchildID"))


@rule("1570", ERROR, "ChildIdentifiers", "LAchildID", "LA Child ID must not be longer than 20 characters")
def _1570(c: CheckContext) -> pl.DataFrame:
    long = c.tables.children.filter(pl.col("child_id").str.len_chars() > 20)
    return found(long, "child_id", shown("child_id", "LAchildID"))


@rule(
    "1580",
    ERROR,
    "ChildIdentifiers",
    "LAchildID",
    "LA Child ID must not contain any non-alphanumeric characters",
)
def _1580(c: CheckContext) -> pl.DataFrame:
    odd = c.tables.children.filter(~pl.col("child_id").str.contains(r"^[A-Za-z0-9]*$"))
    return found(odd, "child_id", shown("child_id", "LAchildID"))


@rule("4180", ERROR, "ChildIdentifiers", "Sex", "Sex must be provided and equal M, F, or U")
def _4180(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.children.filter(~pl.col("sex").is_in(list(SEX)).fill_null(False))
    return found(bad, "child_id", shown("sex", "Sex"))


@rule(
    "8525Q",
    QUERY,
    "ChildIdentifiers",
    "PersonBirthDate",
    "Either Date of Birth or Expected Date of Birth must be provided (but not both)",
)
def _8525q(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.children.filter(
        pl.col("date_of_birth").is_null() == pl.col("expected_date_of_birth").is_null()
    )
    return found(
        bad,
        "child_id",
        shown("date_of_birth", "PersonBirthDate"),
        shown("expected_date_of_birth", "ExpectedPersonBirthDate"),
    )


@rule(
    "8530Q",
    QUERY,
    "ChildIdentifiers",
    "ExpectedPersonBirthDate",
    "Expected Date of Birth is outside the expected range for this census "
    "(from 30 days before to 9 months after the reference date)",
)
def _8530q(c: CheckContext) -> pl.DataFrame:
    earliest = c.reference_date - dt.timedelta(days=30)
    latest = add_months(c.reference_date, 9)
    bad = c.tables.children.filter(
        (pl.col("expected_date_of_birth") <= earliest) | (pl.col("expected_date_of_birth") >= latest)
    )
    return found(bad, "child_id", shown("expected_date_of_birth", "ExpectedPersonBirthDate"))


@rule(
    "8606",
    ERROR,
    "CINdetails",
    "CINreferralDate",
    "Child referral date is more than 40 weeks before DOB or expected DOB",
)
def _8606(c: CheckContext) -> pl.DataFrame:
    births = c.tables.children.select(
        "child_id", pl.coalesce("date_of_birth", "expected_date_of_birth").alias("birth")
    ).unique("child_id", keep="last")
    early = c.tables.episodes.join(births, on="child_id", how="inner").filter(
        pl.col("referral_date") < pl.col("birth") - pl.duration(days=PREGNANCY_DAYS)
    )
    return found(early, "episode_id", shown("referral_date", "CINreferralDate"), shown("birth", "birth date"))


@rule("8750", ERROR, "ChildIdentifiers", "Sex", "Sex must equal U for an unborn child")
def _8750(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.children.filter(
        pl.col("date_of_birth").is_null()
        & pl.col("expected_date_of_birth").is_not_null()
        & (pl.col("sex") != "U").fill_null(True)
    )
    return found(bad, "child_id", shown("sex", "Sex"))


# --- section 47 enquiries and initial conferences -------------------------------------------


@rule(
    "1104",
    ERROR,
    "Section47",
    "DateOfInitialCPC",
    "The date of the initial child protection conference cannot be before the referral date",
)
def _1104(c: CheckContext) -> pl.DataFrame:
    bad = with_episode(c.tables.s47, c, "referral_date").filter(pl.col("icpc_date") < pl.col("referral_date"))
    return found(
        bad, "s47_id", shown("icpc_date", "DateOfInitialCPC"), shown("referral_date", "CINreferralDate")
    )


@rule(
    "2884",
    ERROR,
    "Section47",
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


@rule(
    "2889", ERROR, "Section47", "S47ActualStartDate", "The S47 start date cannot be before the referral date"
)
def _2889(c: CheckContext) -> pl.DataFrame:
    bad = with_episode(c.tables.s47, c, "referral_date").filter(
        pl.col("start_date") < pl.col("referral_date")
    )
    return found(
        bad, "s47_id", shown("start_date", "S47ActualStartDate"), shown("referral_date", "CINreferralDate")
    )


@rule(
    "8615",
    ERROR,
    "Section47",
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


@rule(
    "8675Q",
    QUERY,
    "Section47",
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


@rule(
    "8715",
    ERROR,
    "Section47",
    "DateOfInitialCPC",
    "Date of Initial Child Protection Conference must fall within the census year",
)
def _8715(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.s47.filter(pl.col("icpc_date").is_not_null() & ~c.in_period("icpc_date"))
    return found(bad, "s47_id", shown("icpc_date", "DateOfInitialCPC"))


@rule(
    "8740",
    ERROR,
    "Section47",
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


@rule(
    "8839",
    ERROR,
    "Section47",
    "DateOfInitialCPC",
    "Within one CINDetails group there are 2 or more open S47 Assessments",
)
def _8839(c: CheckContext) -> pl.DataFrame:
    bad = _open_enquiries(c).filter(pl.len().over("episode_id") > 1)
    return found(
        bad, "s47_id", shown("start_date", "S47ActualStartDate"), shown("icpc_date", "DateOfInitialCPC")
    )


@rule(
    "8870Q",
    QUERY,
    "Section47",
    "InitialCPCtarget",
    "The Target Date for Initial Child Protection Conference should not be a weekend",
)
def _8870q(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.s47.filter(is_weekend("icpc_target_date"))
    return found(bad, "s47_id", shown("icpc_target_date", "InitialCPCtarget"))


@rule(
    "8875",
    ERROR,
    "Section47",
    "DateOfInitialCPC",
    "The Date of Initial Child Protection Conference cannot be a weekend",
)
def _8875(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.s47.filter(is_weekend("icpc_date"))
    return found(bad, "s47_id", shown("icpc_date", "DateOfInitialCPC"))


@rule(
    "8890",
    ERROR,
    "Section47",
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


# --- episodes ------------------------------------------------------------------------------------


@rule(
    "2990",
    ERROR,
    "CINdetails",
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


@rule(
    "2991Q",
    QUERY,
    "CINdetails",
    "Assessments",
    "A Section 47 module is recorded and there is no assessment on the episode",
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


@rule("8565", ERROR, "CINdetails", "CINclosureDate", "Activity shown after a case has been closed")
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


@rule(
    "8831",
    ERROR,
    "CINdetails",
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


@rule(
    "8868",
    ERROR,
    "CINdetails",
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


# --- child protection plans ----------------------------------------------------------------------


@rule(
    "1105",
    ERROR,
    "ChildProtectionPlans",
    "CPPstartDate",
    "The child protection plan start date cannot be before the referral date",
)
def _1105(c: CheckContext) -> pl.DataFrame:
    bad = with_episode(c.tables.plans, c, "referral_date").filter(
        pl.col("start_date") < pl.col("referral_date")
    )
    return found(
        bad, "plan_id", shown("start_date", "CPPstartDate"), shown("referral_date", "CINreferralDate")
    )


@rule(
    "2883",
    ERROR,
    "ChildProtectionPlans",
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
        return _no_findings()
    return pl.DataFrame(
        {
            "child_id": [None],
            "record_id": [None],
            "value": [f"{plans} plans started, {conferences} initial conferences held"],
        },
        schema={"child_id": pl.String, "record_id": pl.String, "value": pl.String},
    )


@rule(
    "2885",
    ERROR,
    "ChildProtectionPlans",
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


@rule(
    "8720",
    ERROR,
    "ChildProtectionPlans",
    "CPPstartDate",
    "Child Protection Plan Start Date missing or out of data collection period",
)
def _8720(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.plans.filter(pl.col("start_date").is_null() | (pl.col("start_date") > c.reference_date))
    return found(bad, "plan_id", shown("start_date", "CPPstartDate"))


@rule(
    "8730",
    ERROR,
    "ChildProtectionPlans",
    "NumberOfPreviousCPP",
    "Total Number of previous Child Protection Plans missing",
)
def _8730(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.plans.filter(pl.col("previous_plans").is_null() | (pl.col("previous_plans") < 0))
    return found(bad, "plan_id", shown("previous_plans", "NumberOfPreviousCPP"))


@rule(
    "8832",
    ERROR,
    "ChildProtectionPlans",
    "ReferralNFA",
    "Child Protection details provided for a referral with no further action",
)
def _8832(c: CheckContext) -> pl.DataFrame:
    bad = with_episode(c.tables.plans, c, "referral_nfa").filter(is_true("referral_nfa"))
    return found(bad, "plan_id", pl.lit("ReferralNFA true"), shown("start_date", "CPPstartDate"))


@rule(
    "8840",
    ERROR,
    "ChildProtectionPlans",
    "CPPendDate",
    "Child Protection Plan cannot start and end on the same day",
)
def _8840(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.plans.filter(pl.col("start_date") == pl.col("end_date"))
    return found(bad, "plan_id", shown("start_date", "CPPstartDate"), shown("end_date", "CPPendDate"))


def _category_rule(column: str, item: str) -> Callable[[CheckContext], pl.DataFrame]:
    def find(c: CheckContext) -> pl.DataFrame:
        bad = c.tables.plans.filter(~pl.col(column).is_in(list(CATEGORY)).fill_null(False))
        return found(bad, "plan_id", shown(column, item))

    return find


rule(
    "8905",
    ERROR,
    "ChildProtectionPlans",
    "InitialCategoryOfAbuse",
    "Initial Category of Abuse code missing or invalid (see Category of Abuse table in CIN Census code set)",
)(_category_rule("initial_category", "InitialCategoryOfAbuse"))
rule(
    "8910",
    ERROR,
    "ChildProtectionPlans",
    "LatestCategoryOfAbuse",
    "Latest Category of Abuse code missing or invalid (see Category of Abuse table in CIN Census code set)",
)(_category_rule("latest_category", "LatestCategoryOfAbuse"))


def _plans_with_death(c: CheckContext) -> pl.DataFrame:
    deaths = c.tables.children.filter(pl.col("date_of_death").is_not_null()).select(
        "child_id", "date_of_death"
    )
    return c.tables.plans.join(deaths.unique("child_id", keep="last"), on="child_id", how="inner")


@rule(
    "8915",
    ERROR,
    "ChildProtectionPlans",
    "CPPstartDate",
    "Child Protection Plan shown as starting after the child's Date of Death",
)
def _8915(c: CheckContext) -> pl.DataFrame:
    bad = _plans_with_death(c).filter(pl.col("start_date") > pl.col("date_of_death"))
    return found(
        bad, "plan_id", shown("start_date", "CPPstartDate"), shown("date_of_death", "PersonDeathDate")
    )


@rule(
    "8920",
    ERROR,
    "ChildProtectionPlans",
    "CPPendDate",
    "Child Protection Plan cannot end after the child's Date of Death",
)
def _8920(c: CheckContext) -> pl.DataFrame:
    bad = _plans_with_death(c).filter(pl.col("end_date") > pl.col("date_of_death"))
    return found(bad, "plan_id", shown("end_date", "CPPendDate"), shown("date_of_death", "PersonDeathDate"))


@rule(
    "8925",
    ERROR,
    "ChildProtectionPlans",
    "CPPendDate",
    "Child Protection Plan End Date earlier than Start Date",
)
def _8925(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.plans.filter(pl.col("end_date") < pl.col("start_date"))
    return found(bad, "plan_id", shown("start_date", "CPPstartDate"), shown("end_date", "CPPendDate"))


@rule(
    "8930",
    ERROR,
    "ChildProtectionPlans",
    "CPPendDate",
    "Child Protection Plan End Date must fall within the census year",
)
def _8930(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.plans.filter(pl.col("end_date").is_not_null() & ~c.in_period("end_date"))
    return found(bad, "plan_id", shown("end_date", "CPPendDate"))


@rule(
    "8935",
    ERROR,
    "ChildProtectionPlans",
    "CPPendDate",
    "This child is showing more than one open Child Protection plan, i.e. with no End Date",
)
def _8935(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.plans.filter(pl.col("end_date").is_null()).filter(pl.len().over("child_id") > 1)
    return found(bad, "plan_id", shown("start_date", "CPPstartDate"), shown("end_date", "CPPendDate"))


@rule(
    "8940",
    ERROR,
    "ChildProtectionPlans",
    "CPPstartDate",
    "Child Protection Plan data contains overlapping dates",
)
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


# --- CIN plans against CP plans ---------------------------------------------------------------


def _cin_and_cp_plans(c: CheckContext, by: str) -> pl.DataFrame:
    cin = c.tables.cin_plans.select(
        by,
        "cin_plan_id",
        pl.col("start_date").alias("cin_start"),
        pl.col("end_date").alias("cin_end"),
    )
    return c.tables.plans.join(cin, on=by, how="inner")


@rule(
    "4001",
    ERROR,
    "CINplanDates",
    "CINPlanEndDate",
    "A CIN Plan cannot run concurrently with a Child Protection Plan",
)
def _4001(c: CheckContext) -> pl.DataFrame:
    bad = _cin_and_cp_plans(c, "episode_id").filter(
        pl.col("end_date").is_null() & pl.col("cin_end").is_null()
    )
    return found(
        bad, "cin_plan_id", shown("cin_start", "CINPlanStartDate"), shown("start_date", "CPPstartDate")
    )


@rule(
    "4016",
    ERROR,
    "CINplanDates",
    "CINPlanStartDate",
    "A CIN Plan has been reported as open at the same time as a Child Protection Plan",
)
def _4016(c: CheckContext) -> pl.DataFrame:
    # The CIN plan starts within a CP plan; starting the day the CP plan ends is a step-down.
    bad = (
        _cin_and_cp_plans(c, "child_id")
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


@rule(
    "4017",
    ERROR,
    "ChildProtectionPlans",
    "CPPstartDate",
    "A CIN Plan has been reported as open at the same time as a Child Protection Plan",
)
def _4017(c: CheckContext) -> pl.DataFrame:
    # The CP plan starts within a CIN plan; starting the day the CIN plan ends is a step-up.
    bad = (
        _cin_and_cp_plans(c, "child_id")
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


# --- reviews ---------------------------------------------------------------------------------------


def _reviews_with_plan(c: CheckContext) -> pl.DataFrame:
    return c.tables.reviews.join(
        c.tables.plans.select("plan_id", "start_date", "end_date"), on="plan_id", how="inner"
    )


@rule(
    "4003",
    ERROR,
    "Reviews",
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


@rule(
    "8841",
    ERROR,
    "Reviews",
    "CPPreviewDate",
    "The review date cannot be on the same day or before the Child protection Plan start date",
)
def _8841(c: CheckContext) -> pl.DataFrame:
    bad = _reviews_with_plan(c).filter(pl.col("review_date") <= pl.col("start_date"))
    return found(bad, "review_id", shown("review_date", "CPPreviewDate"), shown("start_date", "CPPstartDate"))


@rule("8842Q", QUERY, "Reviews", "CPPreviewDate", "Review Record has a missing date")
def _8842q(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.reviews.filter(pl.col("review_date").is_null())
    return found(bad, "review_id", shown("review_date", "CPPreviewDate"))


# --- assessments ------------------------------------------------------------------------------------


def _superseded_factor(code: str) -> Callable[[CheckContext], pl.DataFrame]:
    def find(c: CheckContext) -> pl.DataFrame:
        bad = c.tables.assessments.filter(pl.col("factors").list.contains(code).fill_null(False))
        return found(bad, "assessment_id", pl.lit(f"AssessmentFactors {code}"))

    return find


rule(
    "8945Q",
    QUERY,
    "Assessments",
    "AssessmentFactors",
    "Factor 18A (physical abuse) is superseded: 18B or 18C should be used instead",
)(_superseded_factor("18A"))
rule(
    "8950Q",
    QUERY,
    "Assessments",
    "AssessmentFactors",
    "Factor 19A (sexual abuse) is superseded: 19B or 19C should be used instead",
)(_superseded_factor("19A"))


# --- running the rules --------------------------------------------------------------------------------


def _no_findings() -> pl.DataFrame:
    return pl.DataFrame(schema={"child_id": pl.String, "record_id": pl.String, "value": pl.String})


def check_census(
    tables: CensusTables, reference_date: dt.date, *, calendar: WorkingCalendar = ENGLAND
) -> pl.DataFrame:
    """Every rule over a census view: one row per breach (FINDING_SCHEMA), errors first."""
    context = CheckContext(tables=tables, reference_date=reference_date, calendar=calendar)
    frames = []
    for r in RULES.values():
        hits = r.find(context)
        if hits.height:
            frames.append(
                hits.select(
                    pl.lit(r.code).alias("rule"),
                    pl.lit(r.kind).alias("kind"),
                    "child_id",
                    pl.lit(r.table).alias("table"),
                    pl.lit(r.field).alias("field"),
                    "value",
                    "record_id",
                    pl.lit(r.message).alias("message"),
                )
            )
    if not frames:
        return pl.DataFrame(schema=FINDING_SCHEMA)
    findings = pl.concat(frames).cast(FINDING_SCHEMA)  # type: ignore[arg-type]
    return findings.sort(
        [pl.col("kind") != ERROR, "rule", "child_id", "record_id"], nulls_last=False, maintain_order=True
    )


def check_cin_record(
    record: Record, reference_date: dt.date, *, calendar: WorkingCalendar = ENGLAND
) -> pl.DataFrame:
    """The checks on a record read from a census file, judged exactly as the file says."""
    return check_census(census_tables(record, calendar=calendar), reference_date, calendar=calendar)


def check_cin_file(
    path: str | os.PathLike[str], *, year: ReportingYear | None = None, calendar: WorkingCalendar = ENGLAND
) -> pl.DataFrame:
    """Read a census file and check it against its own reference date (or `year`'s end)."""
    cin = read_cin_file(path)
    return check_cin_record(cin.record, reference_date_of(cin.header, year, path), calendar=calendar)


def reference_date_of(header: CinHeader, year: ReportingYear | None, path: str | os.PathLike[str]) -> dt.date:
    """The date the checks judge against: the year asked for, else the file's own."""
    if year is not None:
        return year.end
    if header.reference_date is None:
        raise CinFileError(
            "the file's Header has no CollectionDetails/ReferenceDate; say which census year it is", path=path
        )
    return header.reference_date


def check_record(record: Record, year: ReportingYear, *, calendar: WorkingCalendar = ENGLAND) -> pl.DataFrame:
    """The checks on any record (e.g. the database's) as the census return for `year` would be.

    The record is first narrowed to what that year's census holds and completed where the
    record can tell (`census_tables(fill_derivable=True)`), exactly as `export-cin` writes it,
    so a clean check here means a clean return.
    """
    tables = census_tables(record, fill_derivable=True, calendar=calendar).for_year(year)
    return check_census(tables, year.end, calendar=calendar)


def summary(findings: pl.DataFrame) -> dict[str, int]:
    errors = findings.filter(pl.col("kind") == ERROR)
    queries = findings.filter(pl.col("kind") == QUERY)
    return {
        "errors": errors.height,
        "queries": queries.height,
        "children_with_errors": errors["child_id"].drop_nulls().n_unique(),
        "rules_broken": findings["rule"].n_unique(),
    }
