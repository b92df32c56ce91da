"""`cpqa check-cin`, `import-cin`, `export-cin`: exit statuses, output formats, clear refusals."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

from .conftest import DATA, Run

Y2017 = DATA / "cin_2017_gendercurrent.xml"
Y2025 = DATA / "cin_2025_sex_repeated.xml"


def test_clean_file_exits_0(cpqa: Run) -> None:
    """The 2025 fixture breaks no error rule; its one query is about the whole return (2887Q:
    no disability code but NONE is used)."""
    status, out, _ = cpqa("check-cin", str(Y2025))
    assert status == 0
    assert "Errors: none" in out and "Queries: 1" in out and "2887Q" in out


def test_queries_alone_do_not_fail(cpqa: Run) -> None:
    """The 2017 fixture has queries only: 8670Q (FAKE0002's assessment open since 2017-09-04,
    more than 45 working days before 2018-03-31) and 2887Q (two disability codes used)."""
    status, out, _ = cpqa("check-cin", str(Y2017))
    assert status == 0
    assert "8670Q" in out and "FAKE0002" in out and "2887Q" in out


def test_planted_faults_exit_1_and_csv_lists_every_rule(cpqa: Run, make_cin: Callable[..., Path]) -> None:
    status, out, _ = cpqa("check-cin", str(make_cin(200, "--faults")), "--format", "csv")
    assert status == 1
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["rule"] for r in rows} >= {"8875", "2885", "8841", "8565", "8870Q", "8840", "8905"}
    assert set(rows[0]) == {"line", "rule", "kind", "child_id", "table", "field", "value", "record_id", "message"}


def test_json_to_a_file_with_year_override(cpqa: Run, tmp_path: Path) -> None:
    """Judged as the 2018-19 census (period 2018-04-01 to 2019-03-31, by the 2022-23 rules, the
    earliest cpqa holds), the 2017 file's dates fall outside the year: FAKE0001's ICPC of
    2017-06-22 (8715), plan end 2018-01-15 (8930), CIN plan end 2018-02-01 (4013), closure
    2018-02-01 (8620) and assessment end 2017-07-10 (8696); FAKE0002's assessment, open since
    2017-09-04, started outside the year (8736) and more than 45 working days before its end
    (8670Q); two disability codes used (2887Q)."""
    out = tmp_path / "findings.json"
    status, stdout, _ = cpqa(
        "check-cin", str(Y2017), "--year", "2018-19", "--format", "json", "--out", str(out)
    )
    assert status == 1 and stdout == ""
    document = json.loads(out.read_text())
    assert document["reference_date"] == "2019-03-31"
    assert {(e["rule"], e["record_id"]) for e in document["errors"]} == {
        ("4013", "FAKE0001/e1/c1"),
        ("8620", "FAKE0001/e1"),
        ("8696", "FAKE0001/e1/a1"),
        ("8715", "FAKE0001/e1/s1"),
        ("8736", "FAKE0002/e1/a1"),
        ("8930", "FAKE0001/e1/p1"),
    }
    assert [q["rule"] for q in document["queries"]] == ["2887Q", "8670Q"]
    assert document["summary"] == {"errors": 6, "queries": 2, "children_with_errors": 2, "rules_broken": 8}


def test_hostile_file_exits_2_naming_the_line(cpqa: Run, tmp_path: Path) -> None:
    bad = tmp_path / "xxe.xml"
    bad.write_text(
        Y2025.read_text().replace(
            "<Message>", '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/hosts">]>\n<Message>'
        )
    )
    out = tmp_path / "findings.csv"
    status, _, err = cpqa("check-cin", str(bad), "--format", "csv", "--out", str(out))
    assert status == 2
    assert err.startswith("cpqa: error: xxe.xml, line 3: the file contains a DOCTYPE")
    assert not out.exists()


def test_unknown_code_is_a_finding_with_its_line_not_a_refusal(cpqa: Run, tmp_path: Path) -> None:
    """ReferralSource 66 is no DfE code: rule 8866 (source missing or invalid) reports it, on
    the element's line, and the check exits 1 (an error) rather than refusing the file."""
    bad = tmp_path / "code.xml"
    text = Y2025.read_text().replace("<ReferralSource>6</ReferralSource>", "<ReferralSource>66</ReferralSource>")
    bad.write_text(text)
    status, out, _ = cpqa("check-cin", str(bad), "--format", "csv")
    assert status == 1
    rows = [r for r in csv.DictReader(io.StringIO(out)) if r["rule"] == "8866"]
    line = text[: text.index("<ReferralSource>66")].count("\n") + 1
    assert [(r["child_id"], r["field"], r["value"], r["line"]) for r in rows] == [
        ("FAKE0004", "ReferralSource", "ReferralSource 66", str(line))
    ]


def test_missing_file_and_table_to_file_are_refused(cpqa: Run, tmp_path: Path) -> None:
    status, _, err = cpqa("check-cin", str(tmp_path / "absent.xml"))
    assert status == 2 and "absent.xml: no such file" in err
    status, _, err = cpqa("check-cin", str(Y2025), "--out", str(tmp_path / "x.txt"))
    assert status == 2 and "--out goes with --format csv or json" in err
    assert not list(tmp_path.iterdir())


def test_bad_year_is_refused(cpqa: Run) -> None:
    status, _, err = cpqa("check-cin", str(Y2025), "--year", "2025")
    assert status == 2 and "not of the form 2017-18" in err


def test_export_refuses_an_la_code_that_is_not_three_digits(cpqa: Run, tmp_path: Path) -> None:
    status, _, err = cpqa("export-cin", "--year", "2024-25", "--out", str(tmp_path / "r.xml"), "--la-code", "88")
    assert status == 2 and "--la-code '88': the authority's DfE code is 3 digits" in err
    assert not list(tmp_path.iterdir())


def test_import_of_a_bad_file_changes_nothing(cpqa: Run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text(Y2025.read_text().replace("<CINreferralDate>2024-10-01<", "<CINreferralDate>2024-02-30<"))
    status, _, err = cpqa("import-cin", str(Y2017), str(bad))
    assert status == 2
    assert "bad.xml" in err and "child FAKE0004" in err and "not a real date" in err


def test_file_without_reference_date_needs_a_year(cpqa: Run, tmp_path: Path) -> None:
    text = Y2025.read_text()
    headless = tmp_path / "headless.xml"
    headless.write_text(text[: text.index("<Header>")] + text[text.index("</Header>") + len("</Header>") :])
    status, _, err = cpqa("check-cin", str(headless))
    assert status == 2 and "no CollectionDetails/ReferenceDate" in err
    # Judged as 2024-25, the file is read; having no Header it breaks rule 100 (no ReferenceDate).
    status, out, _ = cpqa("check-cin", str(headless), "--year", "2024-25", "--format", "csv")
    assert status == 1
    assert [r["rule"] for r in csv.DictReader(io.StringIO(out)) if r["kind"] == "error"] == ["100"]
