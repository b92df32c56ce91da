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
    cannot hold it: the whole import is refused, even the first, good file."""
    bad = tmp_path / "sameday.xml"
    bad.write_text(
        Y2025.read_text().replace(
            "<CPPendDate>2025-03-20</CPPendDate>", "<CPPendDate>2024-10-21</CPPendDate>"
        )
    )
    status, _, err = cpqa("import-cin", str(Y2017), str(bad))
    assert status == 2 and err.startswith("cpqa: error: nothing was imported:") and "FAKE0004" in err
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
    """The database holding 2017-18 and 2018-19: 2017-18 has FAKE0001's 18A query only;
    2018-19 is clean (the same as the files merged, test_cin_check)."""
    cpqa("import-cin", str(Y2017), str(Y2018))
    status, out, _ = cpqa("check", "--db", "--year", "2017-18", "--format", "csv")
    assert status == 0
    assert pl.read_csv(out.encode(), infer_schema=False).select("rule", "child_id").rows() == [
        ("8945Q", "FAKE0001")
    ]
    status, out, _ = cpqa("check", "--db", "--year", "2018-19")
    assert status == 0 and "Errors: none" in out and "Queries: none" in out


def test_check_db_exits_1_on_errors(cpqa: Run, tmp_path: Path) -> None:
    """An ICPC (and the plan it started) on Sunday 2025-01-26: rule 8875, an error."""
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
        ("8875", "FAKE0003")
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
