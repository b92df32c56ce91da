"""National comparator figures: the shipped England file, chosen by year, and bad files refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cpqa.domain.calendar import ReportingYear
from cpqa.reports.benchmarks import Benchmarks, BenchmarksError


def test_the_shipped_england_figures_for_2017_18() -> None:
    figures = Benchmarks.default().for_year(ReportingYear(2017))
    assert figures is not None
    # rules-and-benchmarks.md §2.1 and §2.3 (England, year ending 31 March 2018).
    assert figures.area == "England"
    assert figures.initial_conferences_in_15_working_days_percent == 76.9
    assert figures.second_or_subsequent_plans_percent == 20.2
    assert figures.plans_ended_after_2_years_percent == 3.4
    assert figures.reviews_in_time_percent == 90.5
    assert figures.rate_per_10000 == 45.9
    assert figures.rate_edition is not None and "revised" in figures.rate_edition
    # No national figure for plans ended within 3 months in 2018 in the notes.
    assert figures.plans_ended_within_3_months_percent is None
    assert [figures.category_percent(c) for c in ("NEG", "EMO", "PHY", "SAB", "MUL")] == [48.0, 35.1, 7.7, 4.1, 5.2]


def test_later_years_and_a_year_without_figures() -> None:
    benchmarks = Benchmarks.default()
    latest = benchmarks.for_year(ReportingYear(2024))
    assert latest is not None
    assert (latest.initial_conferences_in_15_working_days_percent, latest.rate_per_10000) == (81.4, 40.6)
    assert latest.plans_ended_within_3_months_percent == 15.9  # EES D7, 2025
    assert benchmarks.for_year(ReportingYear(2020)) is None


def _document(**year: object) -> str:
    return json.dumps({"schema": "cpqa-benchmarks/1", "area": "London", "years": {"2017-18": year}})


def test_a_regional_file_of_ones_own() -> None:
    benchmarks = Benchmarks.parse(_document(initial_conferences_in_15_working_days_percent=73.9))
    figures = benchmarks.for_year(ReportingYear(2017))
    assert figures is not None
    assert (figures.area, figures.initial_conferences_in_15_working_days_percent) == ("London", 73.9)
    assert figures.rate_per_10000 is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"schema": "cpqa-benchmarks/1",\n "area": }', "line 2 column 10: not valid JSON"),  # the "}" where a value should be
        (_document(rate_per_10000="45.9"), "years.2017-18.rate_per_10000: '45.9' is not a number"),
        (_document(reviews_in_time_percent=190.5), "reviews_in_time_percent: 190.5 is not a percentage"),
        (_document(icpc=76.9), "years.2017-18: unknown key\\(s\\) icpc"),
        (_document(initial_category_percent={"NEGLECT": 48.0}), "'NEGLECT' is not a category code"),
        (json.dumps({"schema": "cpqa-benchmarks/1", "area": "England", "years": {"2017": {}}}),
         "years.2017: reporting year '2017' is not of the form 2017-18"),
        (json.dumps({"schema": "other", "area": "England", "years": {}}), "'schema' must be 'cpqa-benchmarks/1'"),
    ],
)
def test_bad_files_are_refused_naming_the_entry(text: str, message: str) -> None:
    with pytest.raises(BenchmarksError, match=message):
        Benchmarks.parse(text, source="bench.json")


def test_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "bench.json"
    path.write_text(_document(rate_per_10000=41.1), encoding="utf-8")
    figures = Benchmarks.from_json(path).for_year(ReportingYear(2017))
    assert figures is not None and figures.rate_per_10000 == 41.1
    with pytest.raises(BenchmarksError, match="nothing.json: no such benchmarks file"):
        Benchmarks.from_json(tmp_path / "nothing.json")
