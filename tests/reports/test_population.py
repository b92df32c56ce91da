"""The child population file: ethnicity,children rows, a TOTAL row or the sum, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from cpqa.reports.population import Population, PopulationError


def test_rows_with_a_header_a_total_and_letter_digit_codes() -> None:
    text = "ethnicity,children\nWBRI,47300\nA3,\"6,300\"\nbafr,8000\nTOTAL,100000\n"
    population = Population.parse(text)
    # A3 is the letter-digit code for WOTH; "6,300" is a spreadsheet's thousands separator.
    assert population.by_ethnicity == {"WBRI": 47300, "WOTH": 6300, "BAFR": 8000}
    assert population.total == 100000


def test_without_a_total_row_the_total_is_the_sum() -> None:
    assert Population.parse("WBRI,600\nBAFR,400\n").total == 1000


def test_a_total_alone_is_enough_for_the_rate() -> None:
    population = Population.parse("TOTAL,62000\n")
    assert (population.total, dict(population.by_ethnicity)) == (62000, {})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("WBRI,100\nQQQQ,5\n", "line 2: ethnicity 'QQQQ' is not a DfE ethnicity code"),
        ("WBRI,100\nBAFR,lots\n", "line 2: children 'lots' is not a whole number"),
        ("WBRI,-4\n", "line 1: children '-4' is not a whole number"),
        ("WBRI,100,7\n", "line 1: expected 2 values (ethnicity,children), found 3"),
        ("WBRI,100\nA1,50\n", "line 2: 'A1' repeats line 1 (WBRI)"),
        ("WBRI,600\nTOTAL,500\n", "line 2: TOTAL 500 is less than the rows' sum 600"),
        ("ethnicity,children\n", "no population rows"),
        ("TOTAL,0\n", "the total population is 0"),
    ],
)
def test_bad_rows_are_refused_naming_the_line_and_value(text: str, message: str) -> None:
    with pytest.raises(PopulationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Population.parse(text, source="population.csv")


def test_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "population.csv"
    path.write_text("\ufeffethnicity,children\r\nWBRI,10\r\n\r\nTOTAL,40\r\n", encoding="utf-8")
    assert Population.from_csv(path) == Population(total=40, by_ethnicity={"WBRI": 10})
    with pytest.raises(PopulationError, match="missing.csv: no such population file"):
        Population.from_csv(tmp_path / "missing.csv")
    (tmp_path / "latin.csv").write_bytes(b"WBRI,10\n\xff\n")
    with pytest.raises(PopulationError, match="latin.csv: not a UTF-8 text file"):
        Population.from_csv(tmp_path / "latin.csv")
