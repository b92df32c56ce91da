"""The census through the database: import-cin, export-cin and check --db."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from cpqa.interop.cin_read import read_cin
from cpqa.record import models as m

from .conftest import DATA, Run

pytestmark = pytest.mark.django_db

Y2017 = DATA / "cin_2017_gendercurrent.xml"
Y2018 = DATA / "cin_2018_update.xml"
Y2025 = DATA / "cin_2025_sex_repeated.xml"


def test_import_twice_changes_nothing_the_second_time(cpqa: Run) -> None:
    status, out, _ = cpqa("import-cin", str(Y2017))
    assert status == 0 and "children: 2 added" in out
    status, out, _ = cpqa("import-cin", str(Y2017))
    assert status == 0 and "Nothing changed" in out
    assert m.Child.objects.count() == 2


def test_later_year_updates_the_same_children(cpqa: Run) -> None:
    """Importing 2017-18 then 2018-19 separately: FAKE0002's plan (same start, 2017-09-20) is
    the same plan, now ended 2018-11-05; FAKE0005 is new; FAKE0001 gains its 2018 referral."""
    assert cpqa("import-cin", str(Y2017))[0] == 0
    assert cpqa("import-cin", str(Y2018))[0] == 0
    assert m.Child.objects.count() == 3
    plan = m.Plan.objects.get(child__local_id="FAKE0002")
    assert (plan.start_date.isoformat(), plan.end_date.isoformat()) == ("2017-09-20", "2018-11-05")
    assert m.Referral.objects.filter(child__local_id="FAKE0001").count() == 2


def test_refused_record_writes_nothing(cpqa: Run, tmp_path: Path) -> None:
    """A plan that ends the day it starts is readable (rule 8840 reports it) but the record
    cannot hold it: the whole import is refused, even the first, good file, naming the line."""
    bad = tmp_path / "sameday.xml"
    bad.write_text(
        Y2025.read_text().replace(
            "<CPPendDate>2025-03-20</CPPendDate>", "<CPPendDate>2024-10-21</CPPendDate>"
        )
    )
    status, _, err = cpqa("import-cin", str(Y2017), str(bad))
    line = bad.read_text()[: bad.read_text().index("<CPPendDate>2024-10-21")].count("\n") + 1
    assert status == 2 and err.startswith("cpqa: error: 1 problem found, so nothing was imported")
    assert (
        f"sameday.xml, line {line}, child FAKE0004: CPPendDate 2024-10-21 is not after CPPstartDate 2024-10-21"
        in err
    )
    assert m.Child.objects.count() == 0


def test_file_to_database_to_file_keeps_every_cp_fact(
    cpqa: Run, make_cin: Callable[..., Path], tmp_path: Path
) -> None:
    source = make_cin(300)
    assert cpqa("import-cin", str(source))[0] == 0
    out = tmp_path / "export.xml"
    status, stdout, _ = cpqa("export-cin", "--year", "2024-25", "--out", str(out), "--la-code", "886")
    assert status == 0 and "300 children" in stdout
    original, back = read_cin(source), read_cin(out)
    for name in ("children", "episodes", "assessments", "cin_plans", "s47", "plans", "conferences"):
        assert getattr(back, name).equals(getattr(original, name)), name


def test_check_db_judges_the_year_as_its_census(cpqa: Run) -> None:
    """The database holding 2017-18 and 2018-19 finds what the files merged find
    (test_cin_check::test_check_record_judges_each_year_as_its_census, worked there by hand):
    2017-18 has queries only (exit 0); 2018-19 has FAKE0002's never-completed 2017 assessment
    as errors 8736 and 8867 (exit 1)."""
    from cpqa.domain.calendar import ReportingYear
    from cpqa.interop.cin_check import check_record
    from cpqa.interop.cin_read import read_cin_files

    cpqa("import-cin", str(Y2017), str(Y2018))
    merged = read_cin_files([Y2017, Y2018])
    for label, first_year, expected_status in (("2017-18", 2017, 0), ("2018-19", 2018, 1)):
        status, out, _ = cpqa("check", "--db", "--year", label, "--format", "csv")
        assert status == expected_status, label
        from_db = pl.read_csv(out.encode(), infer_schema=False).select("rule", "child_id").rows()
        from_files = check_record(merged, ReportingYear(first_year)).select("rule", "child_id").rows()
        assert from_db == from_files, label
    assert {r for r, _ in from_db} >= {"8736", "8867"}


def test_check_db_exits_1_on_errors(cpqa: Run, tmp_path: Path) -> None:
    """An ICPC (and the plan it started) on Sunday 2025-01-26: rule 8875, an error; the return's
    query 2887Q (no disability code but NONE) stands as in the file."""
    weekend = tmp_path / "sunday.xml"
    weekend.write_text(
        Y2025.read_text()
        .replace(
            "<DateOfInitialCPC>2025-01-28</DateOfInitialCPC>",
            "<DateOfInitialCPC>2025-01-26</DateOfInitialCPC>",
        )
        .replace("<CPPstartDate>2025-01-28</CPPstartDate>", "<CPPstartDate>2025-01-26</CPPstartDate>")
    )
    assert cpqa("import-cin", str(weekend))[0] == 0
    status, out, _ = cpqa("check", "--db", "--year", "2024-25", "--format", "csv")
    assert status == 1
    assert pl.read_csv(out.encode(), infer_schema=False).select("rule", "child_id").rows() == [
        ("8875", "FAKE0003"),
        ("2887Q", None),
    ]


def test_commands_as_a_user_runs_them(tmp_path: Path) -> None:
    """The real command in a fresh process (Django set up by the command itself, a new SQLite
    database under CPQA_HOME): import, import again, export, check."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"CPQA_HOME": str(tmp_path / "home")}

    def cpqa_process(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "cpqa.cli", *argv], check=False, env=env, capture_output=True, text=True
        )

    first = cpqa_process("import-cin", str(Y2025))
    assert first.returncode == 0, first.stderr
    assert "children: 2 added" in first.stdout
    assert "Nothing changed" in cpqa_process("import-cin", str(Y2025)).stdout
    out = tmp_path / "export.xml"
    exported = cpqa_process("export-cin", "--year", "2024-25", "--out", str(out), "--la-code", "999")
    assert exported.returncode == 0, exported.stderr
    original, back = read_cin(Y2025), read_cin(out)
    for name in ("children", "episodes", "assessments", "cin_plans", "s47", "plans", "conferences"):
        assert getattr(back, name).equals(getattr(original, name)), name
    checked = cpqa_process("check", "--db", "--year", "2024-25")
    assert checked.returncode == 0 and "Errors: none" in checked.stdout


def _line(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_import_names_every_problem_at_once_in_the_census_words(cpqa: Run, tmp_path: Path) -> None:
    """Issue 13: a Sex code of the old GenderCurrent list, an unknown assessment factor and an
    impossible date, in two children of a 2024-25 file: one refusal listing all three, each with
    file, line and child, in the census's own item names; nothing imported, not even the good
    2017 file given first."""
    text = (
        Y2025.read_text()
        .replace("<Sex>M</Sex>", "<Sex>1</Sex>", 1)
        .replace("<AssessmentFactors>19C</AssessmentFactors>", "<AssessmentFactors>RB</AssessmentFactors>")
        .replace("<CINreferralDate>2024-10-01<", "<CINreferralDate>2024-02-30<")
    )
    bad = tmp_path / "bad.xml"
    bad.write_text(text)
    status, _, err = cpqa("import-cin", str(Y2017), str(bad))
    assert status == 2
    assert err.startswith("cpqa: error: 3 problems found, so nothing was imported")
    sex_child = text[text.index("<LAchildID>", text.rindex("<Child>", 0, text.index("<Sex>1"))) + 11 :].split(
        "<"
    )[0]
    assert (
        f"bad.xml, line {_line(text, '<Sex>1')}, child {sex_child}: "
        "Sex '1' is not a code of the 2024-25 census (M, F or U)"
    ) in err
    assert f"line {_line(text, '<FactorsIdentifiedAtAssessment>')}" in err or "AssessmentFactors 'RB'" in err
    assert "AssessmentFactors 'RB' is not a code of the 2024-25 census" in err
    assert (
        f"line {_line(text, '2024-02-30')}, child FAKE0004: CINreferralDate: '2024-02-30' is not a real date"
        in err
    )
    # No internal names (tables, fields) in what the user reads.
    assert "local_id" not in err and "children:" not in err
    assert m.Child.objects.count() == 0


def test_dry_run_shows_what_would_change_and_writes_nothing(cpqa: Run) -> None:
    status, out, _ = cpqa("import-cin", "--dry-run", str(Y2017))
    assert status == 0
    assert "Dry run: nothing was written" in out and "children: 2 added" in out
    assert m.Child.objects.count() == 0
    assert cpqa("import-cin", str(Y2017))[0] == 0
    status, out, _ = cpqa("import-cin", "--dry-run", str(Y2017))
    assert status == 0 and "Nothing changed" in out


def test_round_trip_keeps_former_upn_and_gender_current_9(cpqa: Run, tmp_path: Path) -> None:
    """The 2018-19 fixture's FAKE0005 has GenderCurrent 9 (indeterminate, which has no Sex of
    its own); given a FormerUPN too, both come back out of export-cin as they went in, and the
    LA code comes from the configuration when --la-code is not given."""
    text = Y2018.read_text().replace(
        "<LAchildID>FAKE0005</LAchildID>",
        "<LAchildID>FAKE0005</LAchildID>\n        <FormerUPN>A123456789012</FormerUPN>",
    )
    source = tmp_path / "y2018.xml"
    source.write_text(text)
    assert cpqa("import-cin", str(source))[0] == 0
    child = m.Child.objects.get(local_id="FAKE0005")
    assert (child.former_upn, child.gender_current) == ("A123456789012", "9")
    out = tmp_path / "export.xml"
    status, _, err = cpqa("export-cin", "--year", "2018-19", "--out", str(out))
    assert status == 0, err
    written = out.read_text()
    assert "<FormerUPN>A123456789012</FormerUPN>" in written and "<GenderCurrent>9</GenderCurrent>" in written
    back = read_cin(out).children.filter(pl.col("child_id") == "FAKE0005")
    assert back.select("former_upn", "gender_current").rows() == [("A123456789012", "9")]


def test_import_names_a_too_long_child_id_in_the_census_words(cpqa: Run, tmp_path: Path) -> None:
    """Issue 13 found "children: local_id: Ensure this value has at most 20 characters": the
    record keeps 20 characters of LAchildID, so a 23-character one is named as the census names it."""
    text = Y2025.read_text().replace(
        "<LAchildID>FAKE0004</LAchildID>", "<LAchildID>FAKE0004FAKE0004FAKE000</LAchildID>"
    )
    bad = tmp_path / "long.xml"
    bad.write_text(text)
    status, _, err = cpqa("import-cin", str(bad))
    line = _line(text, "<LAchildID>FAKE0004FAKE")
    assert status == 2
    assert (
        f"long.xml, line {line}, child FAKE0004FAKE0004FAKE000: LAchildID 'FAKE0004FAKE0004FAKE000' is longer "
        "than 20 characters"
    ) in err
    assert "local_id" not in err and m.Child.objects.count() == 0
