"""What a census rule is, and how rules are written and gathered into the set a return is checked against.

A rule lives in the module of `cin_check.rules` named after the census module it reports
(its `table`), written with that module's `CensusModuleRules.rule` decorator; `rule_set`
gathers modules' rules into the set `cin_check.rule_sets` names for a collection year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from cpqa.domain.calendar import WorkingCalendar
from cpqa.interop.census import CensusTables, census_period

ERROR = "error"
QUERY = "query"


# The collection years cpqa has the DfE's rules for, by their first year (2022 is 2022-23).
FIRST_YEAR = 2022
LAST_YEAR = 2026
YEARS = range(FIRST_YEAR, LAST_YEAR + 1)


@dataclass(frozen=True)
class CheckContext:
    tables: CensusTables
    reference_date: dt.date
    calendar: WorkingCalendar
    # Census items the record keeps no column for, one row per child (reading.CHILD_ITEMS_SCHEMA).
    child_items: pl.DataFrame
    # The Header's CollectionDetails/Year and ReferenceDate as the file has them (rule 100);
    # None for a record with no file.
    header_year: int | None = None
    header_reference_date: dt.date | None = None
    has_header: bool = False

    @property
    def period_start(self) -> dt.date:
        return census_period(self.reference_date)[0]

    def in_period(self, column: str) -> pl.Expr:
        return pl.col(column).is_between(self.period_start, self.reference_date)

    def falls_within(self, day: str, start: str, end: str, *, end_inclusive: bool = False) -> pl.Expr:
        """`day` is on or after `start` and before `end` (or on it, if inclusive); a period with
        no end is still running on the reference date."""
        before_end = pl.col(day) <= pl.col(end) if end_inclusive else pl.col(day) < pl.col(end)
        return (pl.col(day) >= pl.col(start)) & pl.when(pl.col(end).is_null()).then(
            pl.col(day) <= self.reference_date
        ).otherwise(before_end)


# Returns child_id, record_id, value for each breach.
Find = Callable[[CheckContext], pl.DataFrame]


@dataclass(frozen=True)
class Rule:
    code: str
    kind: str
    table: str
    field: str
    message: str
    find: Find
    # The collection years (first years) whose DfE rule set holds this version of the rule.
    years: range = YEARS


class CensusModuleRules:
    """The rules about one census module (e.g. Section47), in the order they are written."""

    def __init__(self, table: str) -> None:
        self.table = table
        self.rules: list[Rule] = []

    def rule(
        self, code: str, kind: str, field: str, message: str, *, years: range = YEARS
    ) -> Callable[[Find], Find]:
        """Register a rule; `years` (first years) where the DfE's wording changed between years."""

        def register(find: Find) -> Find:
            for other in self.rules:
                if other.code == code and set(other.years) & set(years):
                    raise ValueError(f"rule {code} is written twice in {self.table} for the same year")
            self.rules.append(Rule(code, kind, self.table, field, message, find, years))
            return find

        return register


def rule_set(first_year: int, *modules: CensusModuleRules) -> dict[str, Rule]:
    """The modules' rules of one collection year by code; a code written twice is a mistake."""
    rules: dict[str, Rule] = {}
    for module in modules:
        for rule in module.rules:
            if first_year not in rule.years:
                continue
            if rule.code in rules:
                raise ValueError(f"rule {rule.code} is written twice ({rules[rule.code].table} and {module.table})")
            rules[rule.code] = rule
    return rules
