"""What stops a census file being imported, all of it at once, in the census's own words.

`cpqa check-cin` reports everything the DfE rules say about a file. `cpqa import-cin` loads
the file into the record, which can only hold what it can make sense of: a real date for each
key date, a known code for each coded item, an id it can keep. Every such problem in the
file is listed here, each with its line, its child and the census item as the file names it
("line 25, child DfEX0000001: Sex '1' is not a code of the 2024-25 census (M, F or U)"),
before anything is written; a file with any problem is not imported at all. What the record
can hold but the DfE rules query (a plan with no review, an ICPC at a weekend) is imported as
it stands, for `cpqa check --db` to report.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import polars as pl

from cpqa.domain import codes
from cpqa.domain.calendar import ReportingYear
from cpqa.interop.cin_read import CinFile

# The census year from which the DfE's Sex item replaced GenderCurrent (2024-25).
FIRST_SEX_YEAR = 2024
# What the record keeps of a child's ids (record.models.Child): LAchildID, UPN, FormerUPN.
LA_CHILD_ID_MAX = 20
UPN_MAX = 13


@dataclass(frozen=True)
class Problem:
    line: int | None
    child_id: str | None
    message: str
    # (record id, census item) whose line is looked up in the file (all at once, at the end).
    where: tuple[str, str] | None = None

    @classmethod
    def at(cls, where: tuple[str, str], child_id: str | None, message: str) -> Problem:
        return cls(None, child_id, message, where)

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.child_id is not None:
            where.append(f"child {self.child_id}" if self.child_id else "a child with no LAchildID")
        return (", ".join(where) + ": " if where else "") + self.message


def _listed(code_list: dict[str, str]) -> str:
    names = list(code_list)
    return ", ".join(names) if len(names) <= 3 else f"see the {len(names)} codes of the census's code set"


def _year_label(cin: CinFile) -> tuple[str, int | None]:
    if cin.header.reference_date is None:
        return "this", None
    year = ReportingYear.containing(cin.header.reference_date)
    return year.label, year.first_year


def import_problems(cin: CinFile) -> list[Problem]:
    """Every problem that stops the file being imported, in file order."""
    found = [
        Problem(p.line, p.child_id, f"{p.element}: {p.problem}" if p.element else p.problem)
        for p in cin.problems
    ]
    located = _located(cin, [*_children(cin), *_coded(cin), *_dated(cin)])
    # A date that could not be read is already named; it is not "missing" as well.
    unreadable = {(p.line, p.child_id) for p in found}
    found.extend(p for p in located if (p.line, p.child_id) not in unreadable)
    return sorted(found, key=lambda p: p.line or 0)


def _located(cin: CinFile, problems: list[Problem]) -> list[Problem]:
    """The problems with their lines, looked up in the file in one pass."""
    lines = cin.lines_of([p.where or (None, None) for p in problems])
    return [Problem(line, p.child_id, p.message) if p.where else p for p, line in zip(problems, lines)]


def _children(cin: CinFile) -> Iterator[Problem]:
    label, first_year = _year_label(cin)
    items = cin.child_items if cin.child_items is not None else pl.DataFrame()
    seen: set[str] = set()
    for child_id, sex_item, gender in items.select("child_id", "sex_item", "gender_current").iter_rows():
        where = (child_id, "LAchildID")
        if not child_id:
            yield Problem.at(where, "", "LAchildID is missing; every child needs the authority's id")
            continue
        if child_id in seen:
            yield Problem.at(where, child_id, f"LAchildID {child_id!r} is used for more than one child")
        seen.add(child_id)
        if len(child_id) > LA_CHILD_ID_MAX:
            yield Problem.at(
                where, child_id, f"LAchildID {child_id!r} is longer than {LA_CHILD_ID_MAX} characters"
            )
        if sex_item is not None and sex_item not in codes.SEX:
            yield Problem.at(
                (child_id, "Sex"),
                child_id,
                f"Sex {sex_item!r} is not a code of the {label} census (M, F or U)",
            )
        if gender is not None and gender not in codes.GENDER_CURRENT:
            yield Problem.at(
                (child_id, "GenderCurrent"),
                child_id,
                f"GenderCurrent {gender!r} is not a code of the {label} census (1, 2, 0 or 9)",
            )
        if sex_item is None and gender is None:
            item = "Sex" if first_year is None or first_year >= FIRST_SEX_YEAR else "GenderCurrent"
            yield Problem.at((child_id, ""), child_id, f"{item} is missing")


# (table, the record's id column, column, census item, code list) for each coded item.
_CODED = (
    ("children", "child_id", "ethnicity", "Ethnicity", codes.ETHNICITY),
    ("children", "child_id", "upn_unknown", "UPNunknown", codes.UPN_UNKNOWN),
    ("episodes", "episode_id", "referral_source", "ReferralSource", codes.REFERRAL_SOURCE),
    ("episodes", "episode_id", "primary_need", "PrimaryNeedCode", codes.PRIMARY_NEED),
    ("episodes", "episode_id", "closure_reason", "ReasonForClosure", codes.REASON_FOR_CLOSURE),
    ("plans", "plan_id", "initial_category", "InitialCategoryOfAbuse", codes.CATEGORY),
    ("plans", "plan_id", "latest_category", "LatestCategoryOfAbuse", codes.CATEGORY),
)
# Coded lists: a child's disabilities, an assessment's factors.
_CODE_LISTS = (
    ("children", "child_id", "disabilities", "Disability", codes.DISABILITY),
    ("assessments", "assessment_id", "factors", "AssessmentFactors", codes.ASSESSMENT_FACTOR),
)


def _coded(cin: CinFile) -> Iterator[Problem]:
    label, _ = _year_label(cin)
    record = cin.record
    for table, id_column, column, item, code_list in _CODED:
        frame = getattr(record, table)
        bad = frame.filter(pl.col(column).is_not_null() & ~pl.col(column).is_in(list(code_list)))
        for child_id, record_id, value in bad.select(
            "child_id", pl.col(id_column).alias("_id"), column
        ).iter_rows():
            yield Problem.at(
                (record_id, item),
                child_id,
                f"{item} {value!r} is not a code of the {label} census ({_listed(code_list)})",
            )
    for table, id_column, column, item, code_list in _CODE_LISTS:
        frame = (
            getattr(record, table)
            .select("child_id", pl.col(id_column).alias("_id"), pl.col(column).alias("code"))
            .explode("code")
        )
        bad = frame.filter(pl.col("code").is_not_null() & ~pl.col("code").is_in(list(code_list)))
        for child_id, record_id, value in bad.iter_rows():
            group = "Disabilities" if item == "Disability" else "FactorsIdentifiedAtAssessment"
            yield Problem.at(
                (record_id, group),
                child_id,
                f"{item} {value!r} is not a code of the {label} census ({_listed(code_list)})",
            )
    for column, item in (("upn", "UPN"), ("former_upn", "FormerUPN")):
        long = record.children.filter(pl.col(column).str.len_chars() > UPN_MAX)
        for child_id, value in long.select("child_id", column).iter_rows():
            yield Problem.at(
                (child_id, item), child_id, f"{item} {value!r} is longer than {UPN_MAX} characters"
            )


# (table, id column, key date, census item, later date, its census item): the dates that key a
# record (it cannot be kept without them), and the date that cannot come before them.
_DATED = (
    ("episodes", "episode_id", "referral_date", "CINreferralDate", "closure_date", "CINclosureDate"),
    (
        "assessments",
        "assessment_id",
        "start_date",
        "AssessmentActualStartDate",
        "authorised_date",
        "AssessmentAuthorisationDate",
    ),
    ("cin_plans", "cin_plan_id", "start_date", "CINPlanStartDate", "end_date", "CINPlanEndDate"),
    ("s47", "s47_id", "start_date", "S47ActualStartDate", None, None),
    ("plans", "plan_id", "start_date", "CPPstartDate", "end_date", "CPPendDate"),
)


def _dated(cin: CinFile) -> Iterator[Problem]:
    record = cin.record
    for table, id_column, key, item, later, later_item in _DATED:
        frame = getattr(record, table)
        for child_id, record_id in (
            frame.filter(pl.col(key).is_null()).select("child_id", id_column).iter_rows()
        ):
            yield Problem.at((record_id, item), child_id, f"{item} is missing")
        if later is None:
            continue
        # A child protection plan must end after the day it starts (the record's rule, and DfE 8840).
        strictly = table == "plans"
        early = frame.filter(
            (pl.col(later) <= pl.col(key)) if strictly else (pl.col(later) < pl.col(key))
        ).select("child_id", id_column, key, later)
        for child_id, record_id, start, end in early.iter_rows():
            relation = "is not after" if strictly else "is before"
            yield Problem.at(
                (record_id, later_item),
                child_id,
                f"{later_item} {end.isoformat()} {relation} {item} {start.isoformat()}",
            )
    unknown_birth = record.children.filter(
        pl.col("date_of_birth").is_null()
        & pl.col("expected_date_of_birth").is_null()
        & (pl.col("child_id") != "")
    )
    for (child_id,) in unknown_birth.select("child_id").iter_rows():
        yield Problem.at(
            (child_id, ""),
            child_id,
            "PersonBirthDate and ExpectedPersonBirthDate are both missing; the record needs one of them",
        )
