"""National comparator figures for the annual report, read from a JSON file, chosen by year.

The shipped default (`data/benchmarks-england.json`) holds England's figures from the DfE's
children in need statistics for the years the domain notes give (docs/definitions.md#national-benchmarks).
A figure the notes do not give is null, and the report shows no comparison rather than a guess.
An analyst can supply their own file in the same shape (`--benchmarks FILE`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from cpqa.domain import codes
from cpqa.domain.calendar import ReportingYear
from cpqa.reports.population import read_input_text

SCHEMA = "cpqa-benchmarks/1"
DEFAULT_FILE = "benchmarks-england.json"

# Key in a year's entry -> whether it is a rate (per 10,000) rather than a percentage.
FIGURES: dict[str, bool] = {
    "initial_conferences_in_15_working_days_percent": False,
    "second_or_subsequent_plans_percent": False,
    "plans_ended_within_3_months_percent": False,
    "plans_ended_after_2_years_percent": False,
    "reviews_in_time_percent": False,
    "rate_per_10000": True,
}
TEXTS = ("source", "rate_edition")
TOP_LEVEL = ("schema", "area", "notes", "years")


class BenchmarksError(ValueError):
    """The benchmarks file cannot be used: the message names the file and the entry."""


@dataclass(frozen=True)
class NationalFigures:
    """One year's comparator figures for one area; any figure may be None (not known)."""

    year: str
    area: str
    source: str | None = None
    initial_category_percent: Mapping[str, float | None] = field(default_factory=dict)
    initial_conferences_in_15_working_days_percent: float | None = None
    second_or_subsequent_plans_percent: float | None = None
    plans_ended_within_3_months_percent: float | None = None
    plans_ended_after_2_years_percent: float | None = None
    reviews_in_time_percent: float | None = None
    rate_per_10000: float | None = None
    rate_edition: str | None = None

    def category_percent(self, category: str) -> float | None:
        return self.initial_category_percent.get(category)


@dataclass(frozen=True)
class Benchmarks:
    """Comparator figures by reporting year (`2017-18`)."""

    area: str = "England"
    years: Mapping[str, NationalFigures] = field(default_factory=dict)

    def for_year(self, year: ReportingYear) -> NationalFigures | None:
        return self.years.get(year.label)

    @classmethod
    def none(cls) -> Benchmarks:
        """No comparator figures: every national column of the report is null."""
        return cls(area="", years={})

    @classmethod
    def default(cls) -> Benchmarks:
        text = resources.files("cpqa.reports").joinpath("data", DEFAULT_FILE).read_text(encoding="utf-8")
        return cls.parse(text, source=DEFAULT_FILE)

    @classmethod
    def from_json(cls, path: str | Path) -> Benchmarks:
        path = Path(path)
        return cls.parse(read_input_text(path, "benchmarks file", BenchmarksError), source=path.name)

    @classmethod
    def parse(cls, text: str, *, source: str = "benchmarks file") -> Benchmarks:
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise BenchmarksError(
                f"{source} line {error.lineno} column {error.colno}: not valid JSON ({error.msg})"
            ) from None
        if not isinstance(document, dict):
            raise BenchmarksError(f"{source}: expected a JSON object with 'schema', 'area' and 'years'")
        unknown = sorted(set(document) - set(TOP_LEVEL))
        if unknown:
            raise BenchmarksError(f"{source}: unknown key(s) {', '.join(unknown)} (expected {', '.join(TOP_LEVEL)})")
        if document.get("schema") != SCHEMA:
            raise BenchmarksError(f"{source}: 'schema' must be {SCHEMA!r}, found {document.get('schema')!r}")
        area = document.get("area")
        if not isinstance(area, str) or not area.strip():
            raise BenchmarksError(f"{source}: 'area' must name the area the figures are for (e.g. England)")
        years = document.get("years")
        if not isinstance(years, dict):
            raise BenchmarksError(f"{source}: 'years' must be an object keyed by reporting year (e.g. 2017-18)")
        parsed = {}
        for label, entry in years.items():
            try:
                year = ReportingYear.parse(label)
            except ValueError as error:
                raise BenchmarksError(f"{source}: years.{label}: {error}") from None
            parsed[year.label] = _year(entry, year.label, area, f"{source}: years.{label}")
        return cls(area=area, years=parsed)


def _year(entry: Any, year: str, area: str, where: str) -> NationalFigures:
    if not isinstance(entry, dict):
        raise BenchmarksError(f"{where}: expected an object of figures")
    allowed = {*FIGURES, *TEXTS, "initial_category_percent"}
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise BenchmarksError(f"{where}: unknown key(s) {', '.join(unknown)} (expected {', '.join(sorted(allowed))})")
    figures = {key: _figure(entry.get(key), f"{where}.{key}", is_rate=is_rate) for key, is_rate in FIGURES.items()}
    texts = {}
    for key in TEXTS:
        value = entry.get(key)
        if value is not None and not isinstance(value, str):
            raise BenchmarksError(f"{where}.{key}: expected text, found {value!r}")
        texts[key] = value
    categories = entry.get("initial_category_percent") or {}
    if not isinstance(categories, dict):
        raise BenchmarksError(f"{where}.initial_category_percent: expected an object keyed by category code")
    for code in categories:
        if code not in codes.CATEGORY:
            raise BenchmarksError(
                f"{where}.initial_category_percent: {code!r} is not a category code ({', '.join(codes.CATEGORY)})"
            )
    category_percent = {
        code: _figure(value, f"{where}.initial_category_percent.{code}", is_rate=False)
        for code, value in categories.items()
    }
    return NationalFigures(year=year, area=area, initial_category_percent=category_percent, **figures, **texts)


def _figure(value: Any, where: str, *, is_rate: bool) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise BenchmarksError(f"{where}: {value!r} is not a number")
    if value < 0 or (not is_rate and value > 100):
        limits = "0 or more" if is_rate else "from 0 to 100"
        raise BenchmarksError(f"{where}: {value} is not a {'rate' if is_rate else 'percentage'} {limits}")
    return float(value)
