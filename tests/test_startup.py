"""Start-up of the `cpqa` command (docs/performance.md, "Start-up"): it builds every command's
arguments on each run, so the command modules import what a command needs only when it runs,
and a JSON report loads no renderer, generator or progress bar. Each import check runs in a
fresh interpreter, because this test process has long since imported everything."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

from cpqa.core.commands import collector_paused

ROOT = Path(__file__).resolve().parents[1]
CENSUS_FILE = ROOT / "tests" / "interop" / "data" / "cin_2018_update.xml"
# Libraries one command needs and a JSON report does not: the synthetic generator's (Faker,
# NumPy), the terminal's (rich), the Word, Excel and chart renderers', and the `holidays`
# package (the calendar reads cpqa.domain.bank_holidays instead).
HEAVY = ("faker", "numpy", "rich", "docx", "xlsxwriter", "matplotlib", "holidays")


def _heavy_modules_after(statements: str, tmp_path: Path) -> list[str]:
    """The HEAVY libraries a fresh interpreter has imported once it has run `statements`."""
    code = f"import sys\n{statements}\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), CPQA_HOME=str(tmp_path / "home"))
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()[-1].split()


def test_building_the_command_line_imports_no_heavy_library(tmp_path: Path) -> None:
    assert _heavy_modules_after("from cpqa.cli import build_parser\nbuild_parser()", tmp_path) == []


def test_a_json_report_loads_no_renderer_generator_or_progress_bar(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    argv = ["report", "--year", "2017-18", "--from-cin", str(CENSUS_FILE), "--format", "json", "--out", str(out)]
    statements = f"from cpqa.cli import main\nassert main({argv!r}) == 0"
    assert _heavy_modules_after(statements, tmp_path) == []
    assert out.stat().st_size > 0


def test_the_collector_runs_again_after_start_up() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_freezing_moves_what_start_up_made_out_of_the_collectors_sight() -> None:
    before = gc.get_freeze_count()
    made_at_start_up = [[] for _ in range(1000)]  # lists: objects the collector tracks
    try:
        with collector_paused(freeze=True):
            pass
        assert gc.get_freeze_count() >= before + len(made_at_start_up)
    finally:
        gc.unfreeze()
