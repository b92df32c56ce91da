"""`cpqa report`: clear errors for bad input, and nothing written when it fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from cpqa.cli import main


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    try:
        status = main(["report", *argv])
    except SystemExit as exit_:  # argparse's own usage errors
        status = int(exit_.code or 0)
    return status, capsys.readouterr().err


def test_bad_year_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, err = _run(capsys, "--year", "2017-19", "--out", str(tmp_path / "r.json"))
    assert status == 2
    assert "--year: reporting year '2017-19': the second year must follow the first" in err
    assert not list(tmp_path.iterdir())


def test_unknown_format_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, err = _run(capsys, "--year", "2017-18", "--format", "pdf", "--out", str(tmp_path / "r.pdf"))
    assert status == 2
    assert "invalid choice: 'pdf'" in err


def test_format_cannot_be_told_from_the_file_name(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, err = _run(capsys, "--year", "2017-18", "--out", str(tmp_path / "report.txt"))
    assert status == 2
    assert "cannot tell the format from --out" in err and "report.txt" in err


def test_missing_census_file_is_named(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, err = _run(capsys, "--year", "2017-18", "--from-cin", str(tmp_path / "absent.xml"),
                       "--out", str(tmp_path / "r.json"))
    assert status == 2
    assert "--from-cin file" in err and "absent.xml" in err and "no such file" in err
    assert not list(tmp_path.iterdir())


def test_missing_population_file_is_named(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, err = _run(capsys, "--year", "2017-18", "--population", str(tmp_path / "pop.csv"),
                       "--out", str(tmp_path / "r.json"))
    assert status == 2
    assert "--population file" in err and "pop.csv" in err


def test_bad_benchmarks_file_is_refused_with_its_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bench.json"
    bad.write_text('{"schema": "cpqa-benchmarks/1",\n "area": }', encoding="utf-8")
    status, err = _run(capsys, "--year", "2017-18", "--benchmarks", str(bad), "--out", str(tmp_path / "r.json"))
    assert status == 2
    assert "bench.json line 2" in err
    assert not (tmp_path / "r.json").exists()


def test_output_directory_must_exist(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, err = _run(capsys, "--year", "2017-18", "--out", str(tmp_path / "nowhere" / "r.docx"))
    assert status == 2
    assert "does not exist" in err


def test_binary_formats_cannot_go_to_standard_output(capsys: pytest.CaptureFixture[str]) -> None:
    status, err = _run(capsys, "--year", "2017-18", "--format", "xlsx", "--out", "-")
    assert status == 2
    assert "the xlsx format cannot go to standard output" in err
