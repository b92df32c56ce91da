"""Publication mode: small counts hidden so that no child can be picked out of the report.

The DfE children in need convention (docs/definitions.md#suppression): every count from 1 to 5
inclusive is replaced by "c"; 0 is shown as 0. Secondary suppression then hides more cells
wherever a hidden cell could be worked back by subtraction: in every relation "these cells
add up to that total" that the report publishes (a row's parts and its total, a column and its
total line), no hidden cell is ever the only hidden member. Percentages and rates whose
numerator or denominator is hidden are hidden too, because the figure and the other term would
give the hidden count back.

Which cells add up to which is a fact about each table of the contract (docs/report-schema.md), so it
is stated here per table; a relation is used only when the figures really do add up, so a
table the source fills differently is never over- or under-protected by a wrong assumption.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cpqa.reports.presentation import SUPPRESSED, is_percent, is_rate

SMALLEST_SHOWN_ABOVE_ZERO = 6  # counts 1..5 are hidden
RULE_TEXT = (
    "Counts from 1 to 5 are shown as c (DfE convention), as are further cells, percentages and "
    "rates from which a hidden count could be worked out."
)
# Columns that hold a count but not of the service's children; they are not hidden.
NOT_SUPPRESSED_COUNTS = frozenset({"population"})

# A cell: (line, key) where line is ("row", i), ("totals",) or ("previous_year",).
Line = tuple
Cell = tuple[Line, str]
TOTALS: Line = ("totals",)
PREVIOUS_YEAR: Line = ("previous_year",)


@dataclass(frozen=True)
class RowSum:
    """Within each line of the table, `parts` add up to `total`."""

    parts: tuple[str, ...]
    total: str


@dataclass(frozen=True)
class TableRules:
    """The additive relations and ratios one table publishes."""

    row_sums: tuple[RowSum, ...] = ()
    # Columns whose rows add up to the table's `totals` line.
    column_sums: tuple[str, ...] = ()
    # Columns whose rows add up to an "all" row instead: rows of `type_column` = `all_value`
    # are the totals of the other rows sharing the same `group_column` value (if any).
    all_row_sums: tuple[str, ...] = ()
    type_column: str = "conference_type"
    all_value: str = "all"
    group_column: str | None = None
    # Percentage or rate column -> (numerator, denominator); a denominator written
    # "totals.X" is the column total X.
    ratios: dict[str, tuple[str, str]] = field(default_factory=dict)
    # Tables of named measures (one `count` per row): these measures add up to that one.
    measure_sums: tuple[tuple[tuple[str, ...], str], ...] = ()
    measure_column: str = "measure"
    value_column: str = "count"


_MONTH_ICPC = TableRules(row_sums=(RowSum(("plan", "no_plan"), "total"),), column_sums=("plan", "no_plan", "total"))
_CATEGORY = TableRules(column_sums=("children",), ratios={"percent": ("children", "totals.children")})

RULES: dict[str, TableRules] = {
    "children_on_plan_by_month": TableRules(),
    "initial_conferences_by_month": _MONTH_ICPC,
    "review_conferences_by_month": TableRules(
        row_sums=(RowSum(("plan_continued", "plan_ended"), "total"),),
        column_sums=("plan_continued", "plan_ended", "total"),
    ),
    "prebirth_conferences_by_month": TableRules(
        row_sums=(RowSum(("under_4_weeks", "weeks_4_to_10", "over_10_weeks", "band_unknown"), "total"),),
        column_sums=("under_4_weeks", "weeks_4_to_10", "over_10_weeks", "band_unknown", "plan", "total"),
    ),
    "transfer_conferences_by_month": TableRules(column_sums=("transfer_in", "transfer_out")),
    "age_gender_at_year_end": TableRules(
        row_sums=(RowSum(("female", "male", "other"), "total"),),
        column_sums=("female", "male", "other", "total"),
    ),
    "ethnicity_at_year_end": _CATEGORY,
    "initial_category_at_year_end": _CATEGORY,
    "latest_category_at_year_end": _CATEGORY,
    "category_combinations_at_year_end": _CATEGORY,
    "factors_at_year_end": TableRules(column_sums=("children",)),
    "second_or_subsequent_plans": TableRules(ratios={"percent": ("second_or_subsequent", "plans_started")}),
    "long_plans_at_year_end": TableRules(),
    "plans_ended_within_3_months": TableRules(ratios={"percent": ("within_3_months", "plans_ended")}),
    "plans_ended_after_2_years": TableRules(ratios={"percent": ("after_2_years", "plans_ended")}),
    "review_timeliness": TableRules(ratios={"percent": ("in_time", "reviews")}),
    "review_timeliness_dfe": TableRules(ratios={"percent": ("all_in_time", "children")}),
    "initial_conference_timeliness_by_month": TableRules(
        column_sums=("held", "in_time"), ratios={"percent": ("in_time", "held")}
    ),
    "rate_per_10000": TableRules(ratios={"rate": ("children_on_plan", "population")}),
    "quorate_conferences": TableRules(
        all_row_sums=("held", "quorate", "attendance_not_recorded"), ratios={"percent": ("quorate", "held")}
    ),
    "agency_attendance": TableRules(
        row_sums=(RowSum(("attended_with_report", "attended_no_report", "report_only", "neither"), "conferences"),),
        all_row_sums=(
            "conferences", "attended_with_report", "attended_no_report", "report_only", "neither",
            "neither_not_invited",
        ),
        group_column="agency",
    ),
    "child_participation": TableRules(ratios={"percent": ("count", "eligible")}),
    "participation_codes": TableRules(),
    "escalations": TableRules(measure_sums=(
        (("raised_stage_1", "raised_stage_2", "raised_stage_3"), "formal_escalations"),
        (("resolved_stage_1", "resolved_stage_2", "resolved_stage_3", "unresolved"), "formal_escalations"),
    )),
    "escalation_reasons": TableRules(),
    "repeat_plan_reviews": TableRules(
        column_sums=("families", "children"), ratios={"percent": ("children", "totals.children")}
    ),
    "initial_conference_timeliness_reasons": TableRules(
        column_sums=("conferences",), ratios={"percent": ("conferences", "totals.conferences")}
    ),
    "escalation_onward_reasons": TableRules(),
}


def is_count(key: str, value: object) -> bool:
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and not is_percent(key)
        and not is_rate(key)
        and key not in NOT_SUPPRESSED_COUNTS
    )


@dataclass
class _Relation:
    members: list[Cell]
    total: Cell


class _Grid:
    """A table's lines (rows, totals, previous year) addressed by cell, values read-only."""

    def __init__(self, table: Mapping[str, Any]) -> None:
        self.lines: dict[Line, Mapping[str, Any]] = {}
        for i, row in enumerate(table.get("rows") or []):
            self.lines[("row", i)] = row
        for line, key in ((TOTALS, "totals"), (PREVIOUS_YEAR, "previous_year")):
            if isinstance(table.get(key), Mapping):
                self.lines[line] = table[key]

    def value(self, cell: Cell) -> object:
        line = self.lines.get(cell[0])
        return None if line is None else line.get(cell[1])

    def rows(self) -> list[Line]:
        return [line for line in self.lines if line[0] == "row"]

    def cells(self) -> Iterable[Cell]:
        for line, values in self.lines.items():
            for key in values:
                yield line, key


def _exact(grid: _Grid, members: list[Cell], total: Cell) -> _Relation | None:
    """The relation if every term is a known count and the members really add up to the total."""
    total_value = grid.value(total)
    known = [m for m in members if grid.value(m) is not None]
    if not isinstance(total_value, int) or not known:
        return None
    values = [grid.value(m) for m in known]
    if not all(isinstance(v, int) for v in values) or sum(values) != total_value:  # type: ignore[arg-type]
        return None
    return _Relation(known, total)


def _relations(grid: _Grid, rules: TableRules) -> list[_Relation]:
    found: list[_Relation | None] = []
    for row_sum in rules.row_sums:
        for line in grid.lines:
            found.append(_exact(grid, [(line, p) for p in row_sum.parts], (line, row_sum.total)))
    if TOTALS in grid.lines:
        for column in rules.column_sums:
            found.append(_exact(grid, [(r, column) for r in grid.rows()], (TOTALS, column)))
    if rules.all_row_sums:
        groups: dict[object, list[Line]] = {}
        for r in grid.rows():
            key = grid.lines[r].get(rules.group_column) if rules.group_column else None
            groups.setdefault(key, []).append(r)
        for rows in groups.values():
            all_rows = [r for r in rows if grid.lines[r].get(rules.type_column) == rules.all_value]
            parts = [r for r in rows if grid.lines[r].get(rules.type_column) != rules.all_value]
            if len(all_rows) != 1:
                continue
            for column in rules.all_row_sums:
                found.append(_exact(grid, [(r, column) for r in parts], (all_rows[0], column)))
    if rules.measure_sums:
        line_of = {grid.lines[r].get(rules.measure_column): r for r in grid.rows()}
        for parts, total in rules.measure_sums:
            if total in line_of:
                members = [(line_of[p], rules.value_column) for p in parts if p in line_of]
                found.append(_exact(grid, members, (line_of[total], rules.value_column)))
    return [r for r in found if r is not None]


def _second_cell(grid: _Grid, relation: _Relation, hidden: set[Cell]) -> Cell:
    """The cell to hide beside a lone hidden one: the smallest non-zero part, else the total."""
    visible = [m for m in relation.members if m not in hidden]
    non_zero = [m for m in visible if grid.value(m) != 0]
    if non_zero:
        # Smallest first keeps the information lost to a minimum; position breaks ties so the
        # same report is always suppressed the same way.
        return min(non_zero, key=lambda m: (grid.value(m), relation.members.index(m)))
    if relation.total not in hidden:
        return relation.total
    return visible[0]


def suppressed_cells(table: Mapping[str, Any], rules: TableRules | None) -> set[Cell]:
    """Every cell of `table` to publish as "c" (see the module docstring)."""
    grid = _Grid(table)
    hidden: set[Cell] = {
        cell for cell in grid.cells()
        if is_count(cell[1], grid.value(cell)) and 1 <= grid.value(cell) < SMALLEST_SHOWN_ABOVE_ZERO  # type: ignore[operator]
    }
    rules = rules or TableRules()
    relations = _relations(grid, rules)
    changed = True
    while changed:
        changed = False
        for relation in relations:
            terms = [*relation.members, relation.total]
            if sum(1 for t in terms if t in hidden) == 1:
                hidden.add(_second_cell(grid, relation, hidden))
                changed = True
    for column, (numerator, denominator) in rules.ratios.items():
        for line in grid.lines:
            if grid.value((line, column)) is None:
                continue
            if denominator.startswith("totals."):
                if line == TOTALS:
                    continue
                denominator_cell: Cell = (TOTALS, denominator.removeprefix("totals."))
            else:
                denominator_cell = (line, denominator)
            if (line, numerator) in hidden or denominator_cell in hidden:
                hidden.add((line, column))
    return hidden


def suppress_table(table: Mapping[str, Any], rules: TableRules | None) -> dict[str, Any]:
    """A copy of `table` with its hidden cells replaced by "c"."""
    out = copy.deepcopy(dict(table))
    if not out.get("available", True):
        return out
    for line, key in suppressed_cells(table, rules):
        if line[0] == "row":
            out["rows"][line[1]][key] = SUPPRESSED
        else:
            out[line[0]][key] = SUPPRESSED
    return out


def suppress_report(report: Mapping[str, Any]) -> dict[str, Any]:
    """The report for publication: every table suppressed, and a note saying so."""
    out = copy.deepcopy(dict(report))
    out["suppression"] = {"applied": True, "rule": RULE_TEXT}
    out["tables"] = {
        table_id: suppress_table(table, RULES.get(table_id))
        for table_id, table in (report.get("tables") or {}).items()
    }
    return out
