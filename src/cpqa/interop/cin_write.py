"""Write the CP part of the DfE CIN census return from the record.

The file holds the children with a CIN episode open in the year and, within those episodes,
the assessments, CIN plans, section 47 enquiries (with their initial conferences), child
protection plans and review dates active in the year, as they stood on 31 March (see
`CensusTables.for_year`): the child and episode context the DfE's rules need around the CP
facts. `Sex` is written from the 2024-25 census on, `GenderCurrent` before it. Booleans are
written 1/0 (the one spelling every schema version accepts).

The file is written to a temporary name beside the target and moved into place only when
complete, so a failure leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
from lxml import etree

from cpqa import __version__
from cpqa.core.clock import service_now
from cpqa.domain.calendar import ENGLAND, ReportingYear, WorkingCalendar
from cpqa.domain.codes import GENDER_CURRENT_TO_SEX
from cpqa.domain.tables import Record
from cpqa.interop.census import CensusTables, census_tables
from cpqa.interop.errors import CinExportError

# The census year from which the DfE's Sex item replaced GenderCurrent (2024-25).
FIRST_SEX_YEAR = 2024
# Sex back to GenderCurrent: the first code listed for each sex (U -> 0, "not recorded or unborn").
SEX_TO_GENDER_CURRENT: dict[str, str] = {}
for _code, _sex in GENDER_CURRENT_TO_SEX.items():
    SEX_TO_GENDER_CURRENT.setdefault(_sex, _code)

Row = dict[str, Any]

# Census items written from each census-view row, in the schema's element order
# (docs/definitions.md#census-export): (element, column).
EPISODE_ITEMS = (
    ("CINreferralDate", "referral_date"),
    ("ReferralSource", "referral_source"),
    ("PrimaryNeedCode", "primary_need"),
    ("CINclosureDate", "closure_date"),
    ("ReasonForClosure", "closure_reason"),
    ("DateOfInitialCPC", "icpc_date"),
)
ASSESSMENT_ITEMS = (
    ("AssessmentActualStartDate", "start_date"),
    ("AssessmentAuthorisationDate", "authorised_date"),
)
CIN_PLAN_ITEMS = (("CINPlanStartDate", "start_date"), ("CINPlanEndDate", "end_date"))
S47_ITEMS = (
    ("S47ActualStartDate", "start_date"),
    ("InitialCPCtarget", "icpc_target_date"),
    ("DateOfInitialCPC", "icpc_date"),
    ("ICPCnotRequired", "icpc_not_required"),
)
PLAN_ITEMS = (
    ("CPPstartDate", "start_date"),
    ("CPPendDate", "end_date"),
    ("InitialCategoryOfAbuse", "initial_category"),
    ("LatestCategoryOfAbuse", "latest_category"),
    ("NumberOfPreviousCPP", "previous_plans"),
)
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    year: ReportingYear
    children: int
    episodes: int
    s47: int
    initial_conferences: int
    plans: int
    reviews: int


def write_cin(
    record: Record,
    year: ReportingYear,
    out_path: str | os.PathLike[str],
    *,
    la_code: str,
    calendar: WorkingCalendar = ENGLAND,
    generated_at: dt.datetime | None = None,
    progress: Progress | None = None,
) -> ExportSummary:
    """Write `year`'s census file for the record to `out_path`; returns what it holds."""
    if not re.fullmatch(r"\d{3}", la_code or ""):
        raise CinExportError(f"the LA code must be the authority's 3-digit DfE number, not {la_code!r}")
    out = Path(out_path)
    if not out.parent.is_dir():
        raise CinExportError(f"the folder {out.parent} does not exist")
    if out.is_dir():
        raise CinExportError(f"{out} is a folder; give a file name for the census")

    tables = census_tables(record, fill_derivable=True, calendar=calendar).for_year(year)
    if tables.unplaced.height:
        children = sorted(set(tables.unplaced["child_id"].to_list()))
        shown = ", ".join(children[:10]) + (f" and {len(children) - 10} more" if len(children) > 10 else "")
        raise CinExportError(
            f"{len(children)} child(ren) have child protection activity in {year} but no CIN episode "
            f"(referral) to hold it in the census: {shown}. Record the referral, then export again."
        )

    stamp = (generated_at or service_now()).replace(microsecond=0)
    handle, temporary = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)
    os.close(handle)
    try:
        _write(tables, year, Path(temporary), la_code=la_code, stamp=stamp, progress=progress)
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return ExportSummary(
        path=out,
        year=year,
        children=tables.children.height,
        episodes=tables.episodes.height,
        s47=tables.s47.height,
        initial_conferences=tables.s47.filter(pl.col("icpc_date").is_not_null()).height
        + tables.episodes.filter(pl.col("icpc_date").is_not_null()).height,
        plans=tables.plans.height,
        reviews=tables.reviews.height,
    )


def _grouped(frame: pl.DataFrame, key: str, order: Iterable[str]) -> dict[str, list[Row]]:
    groups: dict[str, list[Row]] = defaultdict(list)
    for row in frame.sort([key, *order], nulls_last=True, maintain_order=True).iter_rows(named=True):
        groups[row[key]].append(row)
    return groups


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _leaf(parent: etree._Element, name: str, value: object) -> None:
    """Add `<name>value</name>`, or nothing where the record does not know the value."""
    if value is None:
        return
    etree.SubElement(parent, name).text = _text(value)


def _leaves(parent: etree._Element, row: Row, items: tuple[tuple[str, str], ...]) -> None:
    for name, column in items:
        _leaf(parent, name, row[column])


def _write(
    tables: CensusTables,
    year: ReportingYear,
    path: Path,
    *,
    la_code: str,
    stamp: dt.datetime,
    progress: Progress | None,
) -> None:
    episodes = _grouped(tables.episodes, "child_id", ["referral_date", "episode_id"])
    assessments = _grouped(tables.assessments, "episode_id", ["start_date", "assessment_id"])
    cin_plans = _grouped(tables.cin_plans, "episode_id", ["start_date", "cin_plan_id"])
    enquiries = _grouped(tables.s47, "episode_id", ["start_date", "s47_id"])
    plans = _grouped(tables.plans, "episode_id", ["start_date", "plan_id"])
    reviews = _grouped(tables.reviews, "plan_id", ["review_date", "review_id"])
    sex_item = "Sex" if year.first_year >= FIRST_SEX_YEAR else "GenderCurrent"
    children = tables.children.sort("child_id")
    total = children.height

    with etree.xmlfile(str(path), encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element("Message"):
            xf.write("\n")
            xf.write(_header(year, la_code, stamp), pretty_print=True)
            with xf.element("Children"):
                xf.write("\n")
                for done, child in enumerate(children.iter_rows(named=True), start=1):
                    element = etree.Element("Child")
                    ids = etree.SubElement(element, "ChildIdentifiers")
                    _leaf(ids, "LAchildID", child["child_id"])
                    _leaf(ids, "UPN", child["upn"])
                    _leaf(ids, "FormerUPN", child["former_upn"])
                    _leaf(ids, "UPNunknown", child["upn_unknown"])
                    _leaf(ids, "PersonBirthDate", child["date_of_birth"])
                    _leaf(ids, "ExpectedPersonBirthDate", child["expected_date_of_birth"])
                    _leaf(ids, sex_item, _sex_item(child, sex_item))
                    _leaf(ids, "PersonDeathDate", child["date_of_death"])
                    characteristics = etree.SubElement(element, "ChildCharacteristics")
                    _leaf(characteristics, "Ethnicity", child["ethnicity"])
                    if child["disabilities"]:
                        disabilities = etree.SubElement(characteristics, "Disabilities")
                        for code in child["disabilities"]:
                            _leaf(disabilities, "Disability", code)
                    for episode in episodes.get(child["child_id"], []):
                        _episode(element, episode, assessments, cin_plans, enquiries, plans, reviews)
                    xf.write(element, pretty_print=True)
                    if progress is not None and done % 2000 == 0:
                        progress(done, total)
    if progress is not None:
        progress(total, total)


def _sex_item(child: Row, sex_item: str) -> str | None:
    """Sex, or GenderCurrent: the one the return gave (9 has no Sex of its own), else from the sex."""
    sex = child["sex"]
    if sex_item == "Sex":
        return sex
    given = child.get("gender_current")
    if given is not None and GENDER_CURRENT_TO_SEX.get(given) == sex:
        return given
    return None if sex is None else SEX_TO_GENDER_CURRENT[sex]


def _header(year: ReportingYear, la_code: str, stamp: dt.datetime) -> etree._Element:
    header = etree.Element("Header")
    details = etree.SubElement(header, "CollectionDetails")
    _leaf(details, "Collection", "CIN")
    _leaf(details, "Year", year.first_year + 1)
    _leaf(details, "ReferenceDate", year.end)
    source = etree.SubElement(header, "Source")
    _leaf(source, "SourceLevel", "L")
    _leaf(source, "LEA", la_code)
    _leaf(source, "SoftwareCode", "cpqa")
    _leaf(source, "Release", __version__)
    _leaf(source, "SerialNo", "001")
    _leaf(source, "DateTime", stamp.isoformat())
    return header


def _episode(
    child: etree._Element,
    episode: Row,
    assessments: dict[str, list[Row]],
    cin_plans: dict[str, list[Row]],
    enquiries: dict[str, list[Row]],
    plans: dict[str, list[Row]],
    reviews: dict[str, list[Row]],
) -> None:
    element = etree.SubElement(child, "CINdetails")
    key = episode["episode_id"]
    _leaves(element, episode, EPISODE_ITEMS)
    for assessment in assessments.get(key, []):
        group = etree.SubElement(element, "Assessments")
        _leaves(group, assessment, ASSESSMENT_ITEMS)
        if assessment["factors"]:
            factors = etree.SubElement(group, "FactorsIdentifiedAtAssessment")
            for code in assessment["factors"]:
                _leaf(factors, "AssessmentFactors", code)
    for cin_plan in cin_plans.get(key, []):
        _leaves(etree.SubElement(element, "CINPlanDates"), cin_plan, CIN_PLAN_ITEMS)
    for enquiry in enquiries.get(key, []):
        _leaves(etree.SubElement(element, "Section47"), enquiry, S47_ITEMS)
    _leaf(element, "ReferralNFA", episode["referral_nfa"])
    for plan in plans.get(key, []):
        group = etree.SubElement(element, "ChildProtectionPlans")
        _leaves(group, plan, PLAN_ITEMS)
        held = reviews.get(plan["plan_id"], [])
        if held:
            # The schema's layout: one Reviews holding every review date.
            group_reviews = etree.SubElement(group, "Reviews")
            for review in held:
                # An undated review stays an empty CPPreviewDate, as it came (rule 8842Q).
                etree.SubElement(group_reviews, "CPPreviewDate").text = (
                    _text(review["review_date"]) if review["review_date"] is not None else None
                )
