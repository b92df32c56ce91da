"""Issue 13: no refusal on a bad code, findings with lines, the census year from 1 April, rule
100, and each collection year's own rule set (GenderCurrent up to 2023-24, Sex after)."""

from __future__ import annotations

from pathlib import Path

from cpqa.interop.census import census_period
from cpqa.interop.cin_check import check_cin_file

DATA = Path(__file__).parent / "data"
Y2025 = DATA / "cin_2025_sex_repeated.xml"


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_census_period_starts_on_1_april() -> None:
    # DfE: the reference date less a year, plus a day: 2024-04-01 to 2025-03-31.
    import datetime as dt

    assert census_period(dt.date(2025, 3, 31)) == (dt.date(2024, 4, 1), dt.date(2025, 3, 31))


def test_an_invalid_code_is_the_finding_of_its_rule_with_its_line(tmp_path: Path) -> None:
    # Ethnicity QQQQ is not a DfE code: rule 4220 names the child, the element and its line,
    # and the file is read to the end rather than refused.
    text = Y2025.read_text().replace("<Ethnicity>WBRI</Ethnicity>", "<Ethnicity>QQQQ</Ethnicity>", 1)
    path = tmp_path / "code.xml"
    path.write_text(text)
    found = check_cin_file(path).filter(rule="4220")
    assert found.select("field", "value", "line").rows() == [
        ("Ethnicity", "Ethnicity QQQQ", _line_of(text, "QQQQ"))
    ]


def test_header_year_against_reference_date_is_rule_100(tmp_path: Path) -> None:
    # Year 2024 with ReferenceDate 2025-03-31: 31 March 2024 was expected, so rule 100 fires once.
    path = tmp_path / "header.xml"
    path.write_text(Y2025.read_text().replace("<Year>2025</Year>", "<Year>2024</Year>"))
    assert check_cin_file(path).filter(rule="100").select("value").rows() == [
        ("Year 2024, ReferenceDate 2025-03-31",)
    ]
    assert check_cin_file(Y2025).filter(rule="100").height == 0


def test_a_2022_23_file_carrying_sex_breaks_4180_for_every_child(tmp_path: Path) -> None:
    # The 2022-23 census asks for GenderCurrent: a file with Sex has none, so every child
    # breaks 4180 (GenderCurrent), as the peer reports with its cin2022_23 rules.
    text = (
        Y2025.read_text()
        .replace("<Year>2025</Year>", "<Year>2023</Year>")
        .replace("<ReferenceDate>2025-03-31</ReferenceDate>", "<ReferenceDate>2023-03-31</ReferenceDate>")
    )
    path = tmp_path / "old.xml"
    path.write_text(text)
    findings = check_cin_file(path)
    children = text.count("<Child>")
    hits = findings.filter(rule="4180")
    assert hits["field"].unique().to_list() == ["GenderCurrent"]
    assert hits.height == children


def _check_children(tmp_path: Path, *children: dict) -> dict[str, set[str]]:
    from .cin_planted import render

    path = tmp_path / "planted.xml"
    path.write_text(render(list(children)))
    found: dict[str, set[str]] = {}
    for rule, child_id in check_cin_file(path).select("rule", "child_id").iter_rows():
        found.setdefault(rule, set()).add(child_id)
    return found


def test_8820_a_re_referral_on_the_closure_day_is_no_overlap(tmp_path: Path) -> None:
    """Child 1: an episode 2024-04-08 to 2024-06-03, then the clean one referred 2024-06-03:
    it follows the first. Child 2: the first episode closes 2024-06-10, after the second's
    referral on 2024-06-03: the episodes overlap (8820 for child 2 only)."""
    from .cin_planted import _second_episode, clean_child

    follows, overlaps = clean_child(1), clean_child(2)
    _second_episode(CINclosureDate="2024-06-03", ReasonForClosure="RC7")(follows)
    _second_episode(CINclosureDate="2024-06-10", ReasonForClosure="RC7")(overlaps)
    assert _check_children(tmp_path, follows, overlaps).get("8820") == {"AGR00002"}


def test_8606_judges_either_birth_date(tmp_path: Path) -> None:
    """Referred 2024-06-03 with an expected birth 2025-06-02 (364 days on, over 280) as well as a
    birth date: the DfE's "PersonBirthDate or ExpectedPersonBirthDate" makes it an 8606 error."""
    from .cin_planted import clean_child

    both = clean_child(1)
    both["ExpectedPersonBirthDate"] = "2025-06-02"
    found = _check_children(tmp_path, both, clean_child(2))
    assert found.get("8606") == {"AGR00001"} and found.get("8525Q") == {"AGR00001"}
