"""The annual report as one dict: the JSON contract (docs/report-schema.md).

Every figure comes from `cpqa.domain.indicators`; this module only decides which tables the
record can support, and lays the figures out with titles, labels, totals, the year before and
the national benchmarks. The renderers (JSON, Excel, Word, HTML) all read this dict.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from cpqa.domain.calendar import ReportingYear
from cpqa.domain.config import AuthorityConfig
from cpqa.domain.indicators import (
    categories,
    conferences,
    escalations,
    factors,
    multi_agency,
    numbers,
    participation,
    plans,
    profile,
    repeat_plans,
    reviews,
    timeliness,
)
from cpqa.domain.indicators.common import percent
from cpqa.domain.tables import Record
from cpqa.domain.timescales import ICPC_WORKING_DAYS
from cpqa.reports.benchmarks import Benchmarks, NationalFigures
from cpqa.reports.population import Population

SCHEMA = "cpqa-annual-report/1"

# Keys a source may list in `Record.unavailable` for a fact inside an otherwise available
# table: the key is then null rather than a misleading 0.
FAMILIES = "families"
TRANSFER_OUT = "transfer_out"
PREVIOUS_YEAR = "previous_year"

Table = dict[str, Any]


@dataclass(frozen=True)
class _Context:
    record: Record
    year: ReportingYear
    authority: AuthorityConfig
    population: Population | None
    national: NationalFigures | None
    previous_covered: bool

    @property
    def families_known(self) -> bool:
        return self.record.is_available(FAMILIES)

    def national_figure(self, name: str) -> float | None:
        return getattr(self.national, name) if self.national is not None else None


@dataclass(frozen=True)
class _TableSpec:
    table_id: str
    title: str
    # Record tables and facts the table needs; any of them unavailable makes it unavailable.
    needs: tuple[str, ...]
    build: Callable[[_Context], Table]


def _rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    return frame.to_dicts()


def _sums(rows: Iterable[Mapping[str, Any]], keys: Iterable[str]) -> dict[str, int | None]:
    """Each key summed over the rows; null where no row has a value for it (a fact not known)."""
    rows = list(rows)
    totals: dict[str, int | None] = {}
    for key in keys:
        values = [row[key] for row in rows if row.get(key) is not None]
        totals[key] = sum(values) if values else None
    return totals


def _one_row(frame: pl.DataFrame, **extra: Any) -> Table:
    return {"rows": [{**frame.row(0, named=True), **extra}]}


def _month_table(
    ctx: _Context, by_month: Callable[[Record, ReportingYear], pl.DataFrame], keys: tuple[str, ...],
    *, previous_year: bool, unknown: tuple[str, ...] = (),
) -> Table:
    """Rows for each month, totals, and the year before's totals where the record covers it."""

    def rows_for(year: ReportingYear) -> list[dict[str, Any]]:
        rows = _rows(by_month(ctx.record, year))
        for row in rows:
            row.update({key: None for key in unknown})
        return rows

    rows = rows_for(ctx.year)
    table: Table = {"rows": rows, "totals": _sums(rows, keys)}
    if previous_year:
        table["previous_year"] = _sums(rows_for(ctx.year.previous), keys) if ctx.previous_covered else None
    return table


def _children_on_plan_by_month(ctx: _Context) -> Table:
    return {"rows": _rows(numbers.children_on_plan_by_month(ctx.record, ctx.year))}


def _initial_conferences(ctx: _Context) -> Table:
    return _month_table(
        ctx, conferences.initial_conferences_by_month, ("plan", "no_plan", "total"), previous_year=True
    )


def _review_conferences(ctx: _Context) -> Table:
    return _month_table(
        ctx, conferences.review_conferences_by_month, ("plan_continued", "plan_ended", "total"),
        previous_year=True,
    )


def _prebirth_conferences(ctx: _Context) -> Table:
    keys = (*conferences.PREBIRTH_BANDS, "band_unknown", "plan", "total")
    return _month_table(ctx, conferences.prebirth_conferences_by_month, keys, previous_year=False)


def _transfer_conferences(ctx: _Context) -> Table:
    unknown = () if ctx.record.is_available(TRANSFER_OUT) else (TRANSFER_OUT,)
    return _month_table(
        ctx, conferences.transfer_conferences_by_month, ("transfer_in", "transfer_out"),
        previous_year=True, unknown=unknown,
    )


def _age_gender(ctx: _Context) -> Table:
    rows = _rows(profile.age_gender_at_year_end(ctx.record, ctx.year))
    return {"rows": rows, "totals": _sums(rows, ("female", "male", "other", "total"))}


def _share_totals(rows: list[dict[str, Any]], key: str = "children") -> dict[str, Any]:
    total = sum(row[key] for row in rows)
    return {key: total, "percent": percent(total, total)}


def _ethnicity(ctx: _Context) -> Table:
    population = ctx.population
    rows = _rows(
        profile.ethnicity_at_year_end(
            ctx.record,
            ctx.year,
            population.by_ethnicity if population is not None else None,
            population.total if population is not None else None,
        )
    )
    return {"rows": rows, "totals": _share_totals(rows)}


def _category_table(ctx: _Context, basis: categories.Basis) -> Table:
    rows = _rows(categories.categories_on(ctx.record, ctx.year.end, basis))
    previous: dict[str, float | None] = {}
    if ctx.previous_covered:
        previous = {
            row["category"]: row["percent"]
            for row in _rows(categories.categories_on(ctx.record, ctx.year.previous.end, basis))
        }
    for row in rows:
        row["previous_year_percent"] = previous.get(row["category"])
        # The DfE publishes the initial category only; the latest has no national figure.
        row["national_percent"] = (
            ctx.national.category_percent(row["category"])
            if basis == "initial" and ctx.national is not None
            else None
        )
    return {"rows": rows, "totals": _share_totals(rows)}


def _category_combinations(ctx: _Context) -> Table:
    rows = _rows(categories.category_combinations_on(ctx.record, ctx.year.end))
    return {"rows": rows, "totals": _share_totals(rows)}


def _factors(ctx: _Context) -> Table:
    rows = _rows(factors.factors_at_year_end(ctx.record, ctx.year))
    return {"rows": rows, "totals": _sums(rows, ("children",))}


def _second_or_subsequent(ctx: _Context) -> Table:
    return _one_row(
        plans.second_or_subsequent_plans_started(ctx.record, ctx.year),
        national_percent=ctx.national_figure("second_or_subsequent_plans_percent"),
    )


def _repeat_plan_reviews(ctx: _Context) -> Table:
    rows = _rows(repeat_plans.repeat_plan_reviews(ctx.record, ctx.year, families_known=ctx.families_known))
    totals = {**_sums(rows, ("families",)), **_share_totals(rows)}
    return {"rows": rows, "totals": totals}


def _long_plans(ctx: _Context) -> Table:
    return {"rows": _rows(plans.long_plans_at_year_end(ctx.record, ctx.year, families_known=ctx.families_known))}


def _plans_ended_within_3_months(ctx: _Context) -> Table:
    return _one_row(
        plans.plans_ended_within_3_months(ctx.record, ctx.year),
        national_percent=ctx.national_figure("plans_ended_within_3_months_percent"),
    )


def _plans_ended_after_2_years(ctx: _Context) -> Table:
    return _one_row(
        plans.plans_ended_after_2_years(ctx.record, ctx.year),
        national_percent=ctx.national_figure("plans_ended_after_2_years_percent"),
    )


def _review_timeliness(ctx: _Context) -> Table:
    return _one_row(reviews.review_timeliness(ctx.record, ctx.year))


def _review_timeliness_dfe(ctx: _Context) -> Table:
    return _one_row(
        reviews.review_timeliness_dfe(ctx.record, ctx.year),
        national_percent=ctx.national_figure("reviews_in_time_percent"),
    )


def _initial_conference_timeliness(ctx: _Context) -> Table:
    rows = _rows(timeliness.initial_conference_timeliness_by_month(ctx.record, ctx.year, ctx.authority.calendar))
    totals: dict[str, Any] = _sums(rows, ("held", "in_time"))
    totals["percent"] = percent(totals["in_time"] or 0, totals["held"] or 0)
    return {
        "rows": rows,
        "totals": totals,
        "national_percent": ctx.national_figure("initial_conferences_in_15_working_days_percent"),
    }


def _initial_conference_lateness(ctx: _Context) -> Table:
    rows = _rows(timeliness.initial_conference_lateness_reasons(ctx.record, ctx.year, ctx.authority.calendar))
    return {"rows": rows, "totals": _share_totals(rows, "conferences")}


def _rate(ctx: _Context) -> Table:
    population = ctx.population.total if ctx.population is not None else None
    table = _one_row(
        numbers.rate_per_10000(ctx.record, ctx.year, population),
        national_rate=ctx.national_figure("rate_per_10000"),
    )
    table["national_rate_edition"] = ctx.national_figure("rate_edition")
    return table


def _quorate(ctx: _Context) -> Table:
    rule = ctx.authority.quoracy
    return {"rows": _rows(multi_agency.quorate_conferences(ctx.record, ctx.year, rule)), "rule": rule.describe()}


def _agency_attendance(ctx: _Context) -> Table:
    return {"rows": _rows(multi_agency.agency_attendance(ctx.record, ctx.year))}


def _child_participation(ctx: _Context) -> Table:
    ages = ctx.authority.participation
    return {
        "rows": _rows(participation.child_participation(ctx.record, ctx.year, ages)),
        "ages": {
            "booklet_from": ages.booklet_from,
            "advocacy_from": ages.advocacy_from,
            "attendance_from": ages.attendance_from,
        },
    }


def _participation_codes(ctx: _Context) -> Table:
    rows = _rows(participation.participation_codes(ctx.record, ctx.year))
    return {"rows": rows, "totals": _sums(rows, ("conferences",))}


def _escalations(ctx: _Context) -> Table:
    return {"rows": _rows(escalations.escalations(ctx.record, ctx.year, families_known=ctx.families_known))}


def _escalation_reasons(ctx: _Context) -> Table:
    return {"rows": _rows(escalations.escalation_reasons(ctx.record, ctx.year))}


def _escalation_onward_reasons(ctx: _Context) -> Table:
    return {"rows": _rows(escalations.escalation_onward_reasons(ctx.record, ctx.year))}


TABLES: tuple[_TableSpec, ...] = (
    _TableSpec("children_on_plan_by_month", "Children subject of a child protection plan at each month end",
               ("plans",), _children_on_plan_by_month),
    _TableSpec("initial_conferences_by_month", "Initial child protection conferences",
               ("conferences", "plans"), _initial_conferences),
    _TableSpec("review_conferences_by_month", "Review child protection conferences",
               ("conferences", "plans"), _review_conferences),
    _TableSpec("prebirth_conferences_by_month", "Pre-birth child protection conferences",
               ("conferences", "plans", "children"), _prebirth_conferences),
    _TableSpec("transfer_conferences_by_month", "Transfer-in and transfer-out child protection conferences",
               ("conferences",), _transfer_conferences),
    _TableSpec("age_gender_at_year_end", "Children subject of a plan at year end by age and gender",
               ("plans", "children"), _age_gender),
    _TableSpec("ethnicity_at_year_end", "Children subject of a plan at year end by ethnicity",
               ("plans", "children"), _ethnicity),
    _TableSpec("initial_category_at_year_end",
               "Children subject of a plan at year end by initial category of abuse",
               ("plans",), lambda ctx: _category_table(ctx, "initial")),
    _TableSpec("latest_category_at_year_end",
               "Children subject of a plan at year end by latest category of abuse",
               ("plans",), lambda ctx: _category_table(ctx, "latest")),
    _TableSpec("category_combinations_at_year_end",
               "Children subject of a plan at year end by combination of categories",
               ("plans", "category_combinations"), _category_combinations),
    _TableSpec("factors_at_year_end", "Parental and child factors of children subject of a plan at year end",
               ("plans", "assessments", "factors"), _factors),
    _TableSpec("second_or_subsequent_plans", "Plans started in the year that were a second or subsequent plan",
               ("plans",), _second_or_subsequent),
    _TableSpec("repeat_plan_reviews",
               "Reviews of children subject of a plan for a second or subsequent time, by finding",
               ("repeat_plan_reviews",), _repeat_plan_reviews),
    _TableSpec("long_plans_at_year_end", "Children subject of a plan for 12 months or more at year end",
               ("plans",), _long_plans),
    _TableSpec("plans_ended_within_3_months", "Plans ended in the year that lasted 3 months or less",
               ("plans",), _plans_ended_within_3_months),
    _TableSpec("plans_ended_after_2_years", "Plans ended in the year that lasted 2 years or more",
               ("plans",), _plans_ended_after_2_years),
    _TableSpec("review_timeliness", "Review conferences held within timescales",
               ("conferences", "plans"), _review_timeliness),
    _TableSpec("review_timeliness_dfe",
               "Children on a plan at year end whose reviews were all held within timescales (DfE RevCP)",
               ("conferences", "plans"), _review_timeliness_dfe),
    _TableSpec("initial_conference_timeliness_by_month",
               f"Initial conferences held within {ICPC_WORKING_DAYS} working days of the strategy discussion",
               ("conferences", "s47"), _initial_conference_timeliness),
    _TableSpec("initial_conference_timeliness_reasons", "Reasons for initial conferences held late",
               ("conferences", "s47", "late_reason"), _initial_conference_lateness),
    _TableSpec("rate_per_10000", "Children subject of a plan at year end per 10,000 children",
               ("plans",), _rate),
    _TableSpec("quorate_conferences", "Quorate conferences", ("conferences", "attendance", "quoracy"), _quorate),
    _TableSpec("agency_attendance", "Agencies' attendance at conferences and reports",
               ("conferences", "attendance"), _agency_attendance),
    _TableSpec("child_participation", "Child participation in conferences",
               ("conferences", "children", "participation"), _child_participation),
    _TableSpec("participation_codes", "How the child's voice was heard at the conference",
               ("conferences", "participation"), _participation_codes),
    _TableSpec("escalations", "Formal escalations and the chairs' informal challenge",
               ("escalations",), _escalations),
    _TableSpec("escalation_reasons", "Reasons for formal escalations", ("escalations",), _escalation_reasons),
    _TableSpec("escalation_onward_reasons", "Reasons escalations went on to a higher stage",
               ("escalations",), _escalation_onward_reasons),
)


def _unavailable_reason(record: Record, spec: _TableSpec) -> str | None:
    for key in (spec.table_id, *spec.needs):
        if not record.is_available(key):
            return record.unavailable[key]
    return None


def assemble_report(
    record: Record,
    year: ReportingYear,
    *,
    authority: AuthorityConfig,
    population: Population | None = None,
    benchmarks: Benchmarks | None = None,
) -> dict:
    """Every table of the annual report for `year`, as the JSON contract's dict.

    `benchmarks` defaults to the shipped England figures (`Benchmarks.none()` for none);
    without `population` the rate and the population column are null.
    """
    if benchmarks is None:
        benchmarks = Benchmarks.default()
    national = benchmarks.for_year(year)
    ctx = _Context(
        record=record,
        year=year,
        authority=authority,
        population=population,
        national=national,
        previous_covered=record.is_available(PREVIOUS_YEAR)
        and conferences.record_covers_year(record, year.previous),
    )
    tables: dict[str, Table] = {}
    for spec in TABLES:
        reason = _unavailable_reason(record, spec)
        if reason is not None:
            tables[spec.table_id] = {"title": spec.title, "available": False, "reason": reason}
        else:
            tables[spec.table_id] = {"title": spec.title, "available": True, **spec.build(ctx)}
    return {
        "schema": SCHEMA,
        "authority": authority.name,
        "year": year.label,
        "period": {"start": year.start.isoformat(), "end": year.end.isoformat()},
        "source": record.source,
        "benchmarks": (
            {"area": national.area, "year": national.year, "source": national.source}
            if national is not None
            else None
        ),
        "tables": tables,
    }
