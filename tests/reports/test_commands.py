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


# End to end: the real command on a real census file and on a real database.


@pytest.fixture(scope="module")
def small_authority():  # type: ignore[no-untyped-def]
    from cpqa.synthetic import generate_authority

    return generate_authority(seed=11, children_on_plan=40)


@pytest.fixture(scope="module")
def census_file(small_authority, tmp_path_factory: pytest.TempPathFactory) -> Path:  # type: ignore[no-untyped-def]
    from cpqa.domain.calendar import ReportingYear
    from cpqa.interop.cin_write import write_cin

    path = tmp_path_factory.mktemp("cin") / "cin-2018.xml"
    write_cin(small_authority.record, ReportingYear.parse("2017-18"), path, la_code=small_authority.config.la_code)
    return path


def test_report_from_a_census_file_never_touches_the_database(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, census_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    import cpqa.core.commands

    def no_database() -> None:
        raise AssertionError("the database was asked for")

    monkeypatch.setattr(cpqa.core.commands, "ensure_database", no_database)
    out = tmp_path / "report.json"
    status = main(["report", "--year", "2017-18", "--from-cin", str(census_file), "--authority",
                   "Census Borough (synthetic)", "--out", str(out)])
    assert status == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["source"] == "cin-census" and report["authority"] == "Census Borough (synthetic)"
    # A census holds no quoracy: the table is there, unavailable, with its reason.
    assert report["tables"]["quorate_conferences"]["available"] is False
    assert report["tables"]["quorate_conferences"]["reason"]
    assert f"Wrote {out} (json: " in capsys.readouterr().out


def test_published_html_to_standard_output(
    capsysbinary: pytest.CaptureFixture[bytes], census_file: Path
) -> None:
    status = main(["report", "--year", "2017-18", "--from-cin", str(census_file), "--suppress", "--format", "html",
                   "--out", "-"])
    assert status == 0
    page = capsysbinary.readouterr().out.decode("utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "Publication version: Counts from 1 to 5" in page


@pytest.mark.slow
@pytest.mark.django_db
def test_report_from_the_database(capsys: pytest.CaptureFixture[str], tmp_path: Path, small_authority) -> None:  # type: ignore[no-untyped-def]
    from docx import Document

    from cpqa.record.load import load_synthetic_authority

    load_synthetic_authority(small_authority)
    out = tmp_path / "report.docx"
    assert main(["report", "--year", "2017-18", "--out", str(out)]) == 0
    document = Document(str(out))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "1. Introduction" and headings[-1] == "7. Data"
    assert any(p.text == "Source: the service's case record" for p in document.paragraphs)
