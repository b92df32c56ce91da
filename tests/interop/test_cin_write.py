"""Writing the census: round trips, the year's scope, derived items, refusals, and the peer."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from cpqa.domain.calendar import ReportingYear
from cpqa.domain.tables import Record
from cpqa.interop.cin_read import read_cin, read_cin_file, read_cin_files
from cpqa.interop.cin_write import write_cin
from cpqa.interop.errors import CinExportError

from .conftest import DATA, GENERATOR

D = dt.date
Y2017 = DATA / "cin_2017_gendercurrent.xml"
Y2018 = DATA / "cin_2018_update.xml"
Y2025 = DATA / "cin_2025_sex_repeated.xml"
STAMP = dt.datetime(2025, 4, 20, 9, 0)


def assert_same_record(first: Record, second: Record) -> None:
    for name in first.table_names():
        assert getattr(first, name).equals(getattr(second, name)), name


def round_trip(path: Path, year: ReportingYear, out: Path) -> Record:
    write_cin(read_cin(path), year, out, la_code="999", generated_at=STAMP)
    return read_cin(out)


@pytest.mark.parametrize(("fixture", "year"), [(Y2017, 2017), (Y2025, 2024)])
def test_round_trip_keeps_every_cp_fact_of_the_fixtures(fixture: Path, year: int, tmp_path: Path) -> None:
    assert_same_record(read_cin(fixture), round_trip(fixture, ReportingYear(year), tmp_path / "out.xml"))


@pytest.mark.parametrize(
    "options", [(), ("--reviews-layout", "repeated", "--bool-style", "word"), ("--faults",)]
)
def test_round_trip_keeps_every_cp_fact_of_generated_files(
    make_cin: Callable[..., Path], options: tuple[str, ...], tmp_path: Path
) -> None:
    """Generated files hold only 2024-25 activity, so the 2024-25 export holds all of it."""
    source = make_cin(400, *options)
    assert_same_record(read_cin(source), round_trip(source, ReportingYear(2024), tmp_path / "out.xml"))


def test_sex_item_follows_the_census_year(tmp_path: Path) -> None:
    """GenderCurrent before 2024-25 (F -> 2, M -> 1), Sex from 2024-25 on."""
    old = tmp_path / "old.xml"
    write_cin(read_cin(Y2017), ReportingYear(2017), old, la_code="999", generated_at=STAMP)
    text = old.read_text()
    assert "<GenderCurrent>2</GenderCurrent>" in text and "<GenderCurrent>1</GenderCurrent>" in text
    assert "<Sex>" not in text
    new = tmp_path / "new.xml"
    write_cin(read_cin(Y2025), ReportingYear(2024), new, la_code="999", generated_at=STAMP)
    assert re.findall(r"<Sex>(\w)</Sex>", new.read_text()) == ["U", "M"]
    assert "GenderCurrent" not in new.read_text()


def test_header_names_the_year_and_authority(tmp_path: Path) -> None:
    out = tmp_path / "out.xml"
    write_cin(read_cin(Y2017), ReportingYear(2017), out, la_code="123", generated_at=STAMP)
    header = read_cin_file(out).header
    assert (header.reference_date, header.year, header.la_code) == (D(2018, 3, 31), 2018, "123")
    assert "<DateTime>2025-04-20T09:00:00</DateTime>" in out.read_text()


def test_each_year_holds_that_year_as_it_stood_on_31_march(tmp_path: Path) -> None:
    """The 2017 and 2018 files merged, exported per year (worked from the fixtures):
    2017-18: FAKE0002's plan ended 2018-11-05 and its episode closed 2018-11-30, both after
    31 March 2018, so the plan is open and the episode open; its reviews: 2017-12-14 only;
    FAKE0001's 2018 episode and FAKE0005 (referred 2018-05-01) are not in it.
    2018-19: FAKE0001's 2017 episode (closed 2018-02-01) is not in it; FAKE0002's transfer-in
    conference (2017-09-20) belongs to 2017-18 and is left out; reviews 2018-06-14, 2018-11-05."""
    record = read_cin_files([Y2017, Y2018])

    first = tmp_path / "2017.xml"
    summary = write_cin(record, ReportingYear(2017), first, la_code="999", generated_at=STAMP)
    back = read_cin(first)
    assert sorted(back.children["child_id"].to_list()) == ["FAKE0001", "FAKE0002"]
    assert back.episodes.select("child_id", "referral_date", "closure_date").sort("child_id").rows() == [
        ("FAKE0001", D(2017, 6, 1), D(2018, 2, 1)),
        ("FAKE0002", D(2017, 9, 4), None),
    ]
    plan = back.plans.filter(pl.col("child_id") == "FAKE0002")
    assert plan.select("start_date", "end_date").rows() == [(D(2017, 9, 20), None)]
    reviews = back.conferences.filter(
        (pl.col("child_id") == "FAKE0002") & (pl.col("conference_type") == "review")
    )
    assert reviews["held_date"].to_list() == [D(2017, 12, 14)]
    assert (summary.children, summary.episodes, summary.plans, summary.reviews) == (2, 2, 2, 3)

    second = tmp_path / "2018.xml"
    write_cin(record, ReportingYear(2018), second, la_code="999", generated_at=STAMP)
    back = read_cin(second)
    assert back.episodes.select("child_id", "referral_date", "closure_date").sort("child_id").rows() == [
        ("FAKE0001", D(2018, 10, 10), None),
        ("FAKE0002", D(2017, 9, 4), D(2018, 11, 30)),
        ("FAKE0005", D(2018, 5, 1), D(2018, 5, 1)),
    ]
    conferences = back.conferences.filter(pl.col("child_id") == "FAKE0002").sort("held_date")
    assert conferences.select("conference_type", "held_date", "outcome").rows() == [
        ("review", D(2018, 6, 14), "plan_continued"),
        ("review", D(2018, 11, 5), "plan_ended"),
    ]


def test_export_fills_target_and_previous_plans_the_record_can_tell(tmp_path: Path) -> None:
    """FAKE0004's second enquiry started Wed 2024-10-02: + 15 working days = Wed 2024-10-23.
    Its plan is its only plan in the record, so NumberOfPreviousCPP is 0."""
    source = tmp_path / "bare.xml"
    source.write_text(
        Y2025.read_text()
        .replace("<InitialCPCtarget>2024-10-23</InitialCPCtarget>", "")
        .replace("<NumberOfPreviousCPP>2</NumberOfPreviousCPP>", "")
    )
    back = round_trip(source, ReportingYear(2024), tmp_path / "out.xml")
    assert back.s47.filter(pl.col("s47_id") == "FAKE0004/e2/s1")["icpc_target_date"].to_list() == [
        D(2024, 10, 23)
    ]
    assert back.plans.filter(pl.col("plan_id") == "FAKE0004/e2/p1")["previous_plans"].to_list() == [0]


def test_undated_review_survives_the_round_trip(tmp_path: Path) -> None:
    source = tmp_path / "undated.xml"
    source.write_text(Y2025.read_text().replace("<CPPreviewDate>2025-03-27</CPPreviewDate>", ""))
    back = round_trip(source, ReportingYear(2024), tmp_path / "out.xml")
    review = back.conferences.filter(pl.col("conference_id") == "FAKE0003/e1/p1/r1")
    assert review.select("conference_type", "held_date").rows() == [("review", None)]


# --- refusals: nothing written ----------------------------------------------------------


def _nothing_written(folder: Path) -> bool:
    return not any(folder.iterdir())


def test_bad_la_code_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CinExportError, match="3-digit"):
        write_cin(read_cin(Y2025), ReportingYear(2024), tmp_path / "out.xml", la_code="12")
    assert _nothing_written(tmp_path)


def test_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CinExportError, match="does not exist"):
        write_cin(read_cin(Y2025), ReportingYear(2024), tmp_path / "no" / "out.xml", la_code="999")


def test_plan_with_no_episode_is_refused_naming_the_child(tmp_path: Path) -> None:
    """A plan the census cannot place (the child has no referral) is never silently dropped."""
    record = Record.of(
        children=pl.DataFrame({"child_id": ["FAKE0009"], "sex": ["F"], "date_of_birth": [D(2015, 1, 1)]}),
        plans=pl.DataFrame(
            {
                "plan_id": ["1"],
                "child_id": ["FAKE0009"],
                "start_date": [D(2024, 6, 3)],
                "initial_category": ["NEG"],
            }
        ),
    )
    with pytest.raises(CinExportError, match="FAKE0009"):
        write_cin(record, ReportingYear(2024), tmp_path / "out.xml", la_code="999")
    assert _nothing_written(tmp_path)


def test_failure_part_way_leaves_no_file(tmp_path: Path) -> None:
    """A failure while writing (here: a progress callback that breaks) removes the partial file."""
    out = tmp_path / "out.xml"

    def broken(done: int, total: int) -> None:
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        write_cin(read_cin(Y2025), ReportingYear(2024), out, la_code="999", progress=broken)
    assert _nothing_written(tmp_path)


# --- the peer validator ------------------------------------------------------------------------

PEER_SCRIPT = GENERATOR.parent / "run_cin_validator.sh"
PEER_VENV = Path(
    os.environ.get("PEER_VENV", Path(os.environ.get("TMPDIR", tempfile.gettempdir())) / "peer-cin")
)


@pytest.mark.slow
def test_peer_validator_finds_no_issue_in_the_export(make_cin: Callable[..., Path], tmp_path: Path) -> None:
    """The DfE-rules validator councils use (csc-validator-be-cin) passes cpqa's export."""
    if not PEER_SCRIPT.exists() or not (PEER_VENV / "bin" / "python").exists():
        pytest.skip("the peer validator's venv is not set up (run ../shared/peers/run_cin_validator.sh once)")
    out = tmp_path / "export.xml"
    write_cin(read_cin(make_cin(300)), ReportingYear(2024), out, la_code="886")
    report = subprocess.run(
        ["bash", str(PEER_SCRIPT), str(out)], capture_output=True, text=True, check=True
    ).stdout
    assert "child-level rules with issues: 0" in report
    assert "return-level (LA/header) issues: none" in report
