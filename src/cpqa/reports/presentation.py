"""How the annual report is laid out for people: sections, table order, column headings, labels.

Shared by every renderer (JSON key order, Excel sheets, Word, HTML) so the four outputs show
the same tables in the same order under the same headings. The figures themselves come only
from the report dict (docs/report-schema.md); nothing here computes one.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from cpqa.domain import codes
from cpqa.domain.calendar import ReportingYear
from cpqa.domain.timescales import ICPC_WORKING_DAYS

# The contract's tables, in the contract's order (docs/report-schema.md, "Tables").
TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "children_on_plan_by_month": ("month", "children"),
    "initial_conferences_by_month": ("month", "plan", "no_plan", "total"),
    "review_conferences_by_month": ("month", "plan_continued", "plan_ended", "total"),
    "prebirth_conferences_by_month": (
        "month", "under_4_weeks", "weeks_4_to_10", "over_10_weeks", "plan", "total",
    ),
    "transfer_conferences_by_month": ("month", "transfer_in", "transfer_out"),
    "age_gender_at_year_end": ("age_band", "female", "male", "other", "total"),
    "ethnicity_at_year_end": ("code", "label", "children", "percent", "population_percent"),
    "initial_category_at_year_end": (
        "category", "label", "children", "percent", "previous_year_percent", "national_percent",
    ),
    "latest_category_at_year_end": (
        "category", "label", "children", "percent", "previous_year_percent", "national_percent",
    ),
    "category_combinations_at_year_end": ("categories", "label", "children", "percent"),
    "factors_at_year_end": ("code", "label", "children"),
    "second_or_subsequent_plans": ("plans_started", "second_or_subsequent", "percent", "national_percent"),
    "long_plans_at_year_end": ("duration", "children", "families"),
    "plans_ended_within_3_months": ("plans_ended", "within_3_months", "percent", "national_percent"),
    "plans_ended_after_2_years": ("plans_ended", "after_2_years", "percent", "national_percent"),
    "review_timeliness": ("reviews", "in_time", "percent"),
    "review_timeliness_dfe": ("children", "all_in_time", "percent", "national_percent"),
    "initial_conference_timeliness_by_month": ("month", "held", "in_time", "percent"),
    "rate_per_10000": ("children_on_plan", "population", "rate", "national_rate"),
    "quorate_conferences": ("conference_type", "held", "quorate", "percent"),
    "agency_attendance": (
        "agency", "conference_type", "conferences", "attended_with_report", "attended_no_report",
        "report_only", "neither", "neither_not_invited",
    ),
    "child_participation": ("measure", "eligible", "count", "percent"),
    "participation_codes": ("code", "label", "conferences"),
    "escalations": ("measure", "count"),
    "escalation_reasons": ("reason", "count"),
    "repeat_plan_reviews": ("finding", "families", "children", "percent"),
}
TABLE_ORDER: tuple[str, ...] = tuple(TABLE_KEYS)

# Keys of the report and of each table, in the order a reader meets them.
REPORT_KEY_ORDER: tuple[str, ...] = (
    "schema", "authority", "year", "period", "source", "benchmarks", "suppression", "tables",
)
TABLE_KEY_ORDER: tuple[str, ...] = (
    "title", "available", "reason", "rows", "totals", "previous_year", "national_percent",
)

# Excel sheet names are at most 31 characters; these stay readable in the sheet tabs.
SHEET_NAMES: dict[str, str] = {
    "children_on_plan_by_month": "Children on plan by month",
    "initial_conferences_by_month": "Initial conferences",
    "review_conferences_by_month": "Review conferences",
    "prebirth_conferences_by_month": "Pre-birth conferences",
    "transfer_conferences_by_month": "Transfer conferences",
    "age_gender_at_year_end": "Age and gender",
    "ethnicity_at_year_end": "Ethnicity",
    "initial_category_at_year_end": "Initial category",
    "latest_category_at_year_end": "Latest category",
    "category_combinations_at_year_end": "Category combinations",
    "factors_at_year_end": "Factors",
    "second_or_subsequent_plans": "Second or subsequent plans",
    "long_plans_at_year_end": "Long plans",
    "plans_ended_within_3_months": "Plans ended within 3 months",
    "plans_ended_after_2_years": "Plans ended after 2 years",
    "review_timeliness": "Review timeliness",
    "review_timeliness_dfe": "Review timeliness (DfE)",
    "initial_conference_timeliness_by_month": "ICPC timeliness",
    "rate_per_10000": "Rate per 10,000",
    "quorate_conferences": "Quoracy",
    "agency_attendance": "Agency attendance",
    "child_participation": "Child participation",
    "participation_codes": "Participation codes",
    "escalations": "Escalations",
    "escalation_reasons": "Escalation reasons",
    "repeat_plan_reviews": "Repeat plan reviews",
    "initial_conference_timeliness_reasons": "ICPC late reasons",
    "escalation_onward_reasons": "Escalation onward reasons",
}

COLUMN_HEADINGS: dict[str, str] = {
    "month": "Month",
    "children": "Children",
    "plan": "CP plan",
    "no_plan": "Other outcome",
    "total": "Total",
    "plan_continued": "CP plan continued",
    "plan_ended": "CP plan ended",
    "under_4_weeks": "Less than 4 weeks before birth",
    "weeks_4_to_10": "4 to 10 weeks before birth",
    "over_10_weeks": "More than 10 weeks before birth",
    "transfer_in": "Transfer-in conferences",
    "transfer_out": "Transfer-out conferences",
    "age_band": "Age",
    "female": "Female",
    "male": "Male",
    "other": "Other or unknown",
    "code": "Code",
    "label": "Description",
    "percent": "%",
    "population_percent": "% of child population",
    "category": "Category",
    "previous_year_percent": "% previous year",
    "national_percent": "National %",
    "categories": "Categories",
    "plans_started": "Plans started",
    "second_or_subsequent": "Second or subsequent plans",
    "duration": "Length of plan",
    "families": "Families",
    "plans_ended": "Plans ended",
    "within_3_months": "Lasted 3 months or less",
    "after_2_years": "Lasted 2 years or more",
    "reviews": "Review conferences",
    "in_time": "In time",
    "all_in_time": "All reviews in time",
    "held": "Held",
    "children_on_plan": "Children on a plan",
    "population": "Child population (0-17)",
    "rate": "Rate per 10,000",
    "national_rate": "National rate per 10,000",
    "conference_type": "Type of conference",
    "quorate": "Quorate",
    "agency": "Agency",
    "conferences": "Conferences",
    "attended_with_report": "Attended with report",
    "attended_no_report": "Attended but no report",
    "report_only": "Did not attend but sent a report",
    "neither": "Did not attend or send a report",
    "neither_not_invited": "Of those, not invited",
    "measure": "Measure",
    "eligible": "Eligible",
    "count": "Number",
    "reason": "Reason",
    "finding": "Finding",
    "band_unknown": "Weeks before birth not known",
    "attendance_not_recorded": "Attendance not recorded",
}

# Text columns whose values are codes or identifiers shown to people through a label.
VALUE_LABELS: dict[str, Mapping[str, str]] = {
    "age_band": {
        "unborn": "Unborn", "0-4": "0-4 years", "5-9": "5-9 years", "10-13": "10-13 years",
        "14-17": "14-17 years", "18+": "18 and over",
    },
    "duration": {
        "12_to_18_months": "12 months to under 18 months",
        "18_to_24_months": "18 months to under 2 years",
        "2_years_or_more": "2 years or more",
    },
    "conference_type": {
        "initial": "Initial", "prebirth": "Pre-birth", "review": "Review",
        "transfer_in": "Transfer-in", "transfer_out": "Transfer-out", "all": "All",
    },
    "agency": {**codes.AGENCY, **codes.AGENCY_GROUP_LABEL},
    "finding": codes.REPEAT_PLAN_FINDING,
    "reason": {**codes.ESCALATION_REASON, **codes.ESCALATION_ONWARD_REASON},
}

# Columns holding a percentage (0-100, one decimal place) or a rate, not a count.
PERCENT_COLUMNS = frozenset({
    "percent", "population_percent", "previous_year_percent", "national_percent",
})
RATE_COLUMNS = frozenset({"rate", "national_rate"})

SUPPRESSED = "c"


@dataclass(frozen=True)
class Chart:
    """A trend the board paper shows as a chart: which table, which series, what kind."""

    chart_id: str
    table_id: str
    title: str
    kind: str  # "line" or "stacked_bar"
    series: tuple[str, ...]
    y_label: str
    # A table-level key drawn as a flat reference line (the national figure).
    reference_key: str | None = None
    y_max: float | None = None


CHARTS: dict[str, Chart] = {
    "children_on_plan_by_month": Chart(
        "children_on_plan_by_month", "children_on_plan_by_month",
        "Children subject of a child protection plan at each month end", "line", ("children",), "Children",
    ),
    "initial_conferences_by_month": Chart(
        "initial_conferences_by_month", "initial_conferences_by_month",
        "Initial child protection conferences by month and outcome", "stacked_bar", ("plan", "no_plan"),
        "Conferences (one per child)",
    ),
    "review_conferences_by_month": Chart(
        "review_conferences_by_month", "review_conferences_by_month",
        "Review child protection conferences by month and outcome", "stacked_bar",
        ("plan_continued", "plan_ended"), "Conferences (one per child)",
    ),
    "initial_conference_timeliness_by_month": Chart(
        "initial_conference_timeliness_by_month", "initial_conference_timeliness_by_month",
        f"Initial conferences held within {ICPC_WORKING_DAYS} working days, % by month", "line", ("percent",), "% in time",
        reference_key="national_percent", y_max=100,
    ),
}


@dataclass(frozen=True)
class Section:
    """A numbered part of the board paper; `tables` are shown in order, then subsections."""

    number: str
    title: str
    tables: tuple[str, ...] = ()
    commentary: str | None = None
    subsections: tuple[Section, ...] = field(default=())


def _s(number: str, title: str, *tables: str, commentary: str | None = None,
       subsections: tuple[Section, ...] = ()) -> Section:
    return Section(number, title, tables, commentary, subsections)


# The seed report's order (seeds/000_dbbb5295d1f968dd.txt), sections 1 to 7.
SECTIONS: tuple[Section, ...] = (
    _s("1", "Introduction", subsections=(
        _s("a", "Role and function of the service",
           commentary="describe the service's role and any change to it during the year"),
        _s("b", "Professional profile of the service",
           commentary="the team at 31 March: chairs, managers, business support, supervision"),
    )),
    _s("2", "Child protection conferences", subsections=(
        _s("a", "Child protection numbers", "children_on_plan_by_month", "rate_per_10000",
           commentary="what lies behind the trend in children subject of a plan"),
        _s("b", "Child protection conferences by type", subsections=(
            _s("i", "Initial child protection conferences (ICPCs)", "initial_conferences_by_month",
               commentary="why the number of initial conferences changed, and the threshold"),
            _s("ii", "Review child protection conferences (RCPCs)", "review_conferences_by_month",
               "plans_ended_within_3_months",
               commentary="the pattern of review conferences and of plans ending early"),
            _s("iii", "Pre-birth child protection conferences", "prebirth_conferences_by_month",
               commentary="timeliness of pre-birth conferences and what is being done about it"),
            _s("iv", "Transfer in and transfer out conferences", "transfer_conferences_by_month",
               commentary="transfer-in timeliness and the reasons for late transfer-in conferences"),
        )),
        _s("c", "Profile of age, gender and ethnicity", "age_gender_at_year_end", "ethnicity_at_year_end",
           commentary="over- and under-representation and what it means for planning"),
        _s("d", "Categories", "initial_category_at_year_end", "latest_category_at_year_end",
           "category_combinations_at_year_end",
           commentary="use of categories compared with national practice"),
        _s("e", "Parental and child factors", "factors_at_year_end",
           commentary="what the factors say about risk to children and links with adult services"),
    )),
    _s("3", "CP performance indicators", subsections=(
        _s("a", "Children who became subject of a plan for a second or subsequent time",
           "second_or_subsequent_plans", "repeat_plan_reviews",
           commentary="themes from the reviews of repeat plans"),
        _s("b", "Children subject of a plan for a long time", "long_plans_at_year_end",
           "plans_ended_after_2_years",
           commentary="drift and delay in long plans and the work of the panel"),
        _s("c", "Review child protection conference timescales", "review_timeliness", "review_timeliness_dfe",
           commentary="how review timeliness is kept up"),
        _s("d", f"Initial child protection conferences held within {ICPC_WORKING_DAYS} working days",
           "initial_conference_timeliness_by_month", "initial_conference_timeliness_reasons",
           commentary="the reasons for late initial conferences and the action taken"),
    )),
    _s("4", "Child participation", "child_participation", "participation_codes",
       commentary="attendance, consultation booklets, advocacy and the voice of the child"),
    _s("5", "Multi-agency working", subsections=(
        _s("a", "Quoracy", "quorate_conferences",
           commentary="conferences that went ahead inquorate and why"),
        _s("b", "Attendance and reports", "agency_attendance",
           commentary="blocks and barriers to attendance and reports, and the improvement plan"),
    )),
    _s("6", "Escalations and the chairs' footprint", "escalations", "escalation_reasons", "escalation_onward_reasons",
       commentary="what the escalations achieved and the chairs' informal challenge"),
    _s("7", "Data", commentary="data that cannot yet be reported and the plan to improve it"),
)


def walk_sections(sections: tuple[Section, ...] = SECTIONS, depth: int = 1) -> Iterator[tuple[int, Section]]:
    """Every section and subsection, depth first, with its depth (1 for the numbered sections)."""
    for section in sections:
        yield depth, section
        yield from walk_sections(section.subsections, depth + 1)


def placed_tables() -> tuple[str, ...]:
    return tuple(t for _, section in walk_sections() for t in section.tables)


def ordered_table_ids(tables: Mapping[str, Any]) -> list[str]:
    """The report's table ids: the contract's order first, then any others by id."""
    known = [t for t in TABLE_ORDER if t in tables]
    return known + sorted(t for t in tables if t not in TABLE_KEYS)


def columns_of(table_id: str, table: Mapping[str, Any]) -> list[str]:
    """The table's columns: the contract's keys present in its rows, then any others in row order."""
    seen: list[str] = []
    for row in table.get("rows") or []:
        for key in row:
            if key not in seen:
                seen.append(key)
    contract = [k for k in TABLE_KEYS.get(table_id, ()) if k in seen]
    return contract + [k for k in seen if k not in contract]


# The service's own keys (not DfE codes): where a row carries its `label`, people see that instead.
KEY_COLUMNS = frozenset({"measure", "reason", "finding", "agency", "categories"})
# Tables where a null means "does not apply" rather than "not known" (the unborn have no sex).
NULL_MEANS_NOT_APPLICABLE = frozenset({"age_gender_at_year_end"})


def display_columns(table_id: str, table: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(key, heading) of the columns Word and HTML show: a key column gives way to its label."""
    columns = columns_of(table_id, table)
    key = next((c for c in columns if c in KEY_COLUMNS), None) if "label" in columns else None
    if key is None:
        return [(c, heading(c)) for c in columns]
    return [("label", heading(key)) if c == key else (c, heading(c)) for c in columns if c != "label"]


def table_cell(table_id: str, column: str, value: object) -> str:
    """One cell of a table as Word and HTML show it."""
    if value is None and table_id in NULL_MEANS_NOT_APPLICABLE:
        return "n/a"
    return format_cell(column, value)


def row_label(row: Mapping[str, Any], key: str) -> str:
    """How a row names itself in a sentence: its label where it has one, else its key, labelled."""
    label = row.get("label")
    return str(label) if isinstance(label, str) and label else format_cell(key, row.get(key))


def heading(column: str) -> str:
    return COLUMN_HEADINGS.get(column, column.replace("_", " ").capitalize())


def is_percent(column: str) -> bool:
    return column in PERCENT_COLUMNS or column.endswith("_percent")


def is_rate(column: str) -> bool:
    return column in RATE_COLUMNS or column.endswith("_rate")


def month_name(month: str) -> str:
    """'2017-04' -> 'April'."""
    return _stdlib_calendar.month_name[int(month[5:7])]


def month_label(month: str) -> str:
    """'2017-04' -> 'April 2017'."""
    return f"{month_name(month)} {month[:4]}"


def format_count(value: object) -> str:
    if value is None:
        return "not known"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    return f"{value:,}"


def format_percent(value: object) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:.1f}%"
    return str(value)


def format_cell(column: str, value: object) -> str:
    """One cell as text for Word and HTML (Excel keeps numbers as numbers)."""
    if value is None:
        return "n/a" if (is_percent(column) or is_rate(column)) else "not known"
    if column == "month" and isinstance(value, str) and len(value) == 7:
        return month_label(value)
    if isinstance(value, list):
        return " + ".join(codes.label(codes.CATEGORY, v) if column == "categories" else str(v) for v in value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if is_percent(column):
        return format_percent(value)
    if is_rate(column):
        return f"{value:.1f}" if isinstance(value, (int, float)) else str(value)
    if isinstance(value, (int, float)):
        return format_count(value)
    labels = VALUE_LABELS.get(column)
    if labels is not None and isinstance(value, str):
        return labels.get(value, value.replace("_", " ").capitalize())
    if column in ("measure", "reason", "finding") and isinstance(value, str):
        return value.replace("_", " ").capitalize()
    return str(value)


def is_numeric_column(table: Mapping[str, Any], column: str) -> bool:
    """A column shown right-aligned: any of its values is a number (or a suppressed count)."""
    if is_percent(column) or is_rate(column):
        return True
    for row in table.get("rows") or []:
        value = row.get(column)
        if isinstance(value, bool):
            return False
        if isinstance(value, (int, float)):
            return True
    return False


def summary_rows(report: Mapping[str, Any], table: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    """The totals lines shown under a table: this year's totals, then the previous year's."""
    year = str(report.get("year", ""))
    lines: list[tuple[str, Mapping[str, Any]]] = []
    if isinstance(table.get("totals"), Mapping):
        lines.append((f"Total {year}".strip(), table["totals"]))
    if isinstance(table.get("previous_year"), Mapping):
        lines.append((f"Total {previous_year_label(year)}".strip(), table["previous_year"]))
    return lines


def previous_year_label(year: str) -> str:
    """'2017-18' -> '2016-17' (the label only; the figures come from the report)."""
    try:
        return ReportingYear.parse(year).previous.label
    except ValueError:
        return "previous year"


def table_scalars(table: Mapping[str, Any]) -> list[tuple[str, object]]:
    """Table-level figures beyond rows and totals (e.g. the national %), as (key, value)."""
    skip = {"title", "available", "reason", "rows", "totals", "previous_year"}
    return [(k, v) for k, v in table.items() if k not in skip and not isinstance(v, (dict, list))]
