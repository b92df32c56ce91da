"""Short sentences stating what a table shows, for the Word and HTML reports.

They state facts only, read straight off the report dict ("The number of children subject of a
plan rose from 391 in April to 559 in March."); judgement about why stays the author's. A
sentence whose figure is unknown or suppressed is simply not written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from cpqa.domain.timescales import ICPC_WORKING_DAYS
from cpqa.reports.presentation import (
    format_cell,
    format_count,
    format_percent,
    month_name,
    previous_year_label,
    row_label,
)


def _known(*values: object) -> bool:
    return all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)


def _one_row(table: Mapping[str, Any]) -> Mapping[str, Any]:
    rows = table.get("rows") or [{}]
    return rows[0]


def _in_brackets(*parts: str) -> str:
    shown = [p for p in parts if p]
    return f" ({'; '.join(shown)})" if shown else ""


def _national(value: object) -> str:
    return f"national {format_percent(value)}" if _known(value) else ""


def _children_on_plan(report: Mapping[str, Any], table: Mapping[str, Any]) -> list[str]:
    rows = [r for r in table["rows"] if _known(r.get("children"))]
    if len(rows) < 2:
        return []
    first, last = rows[0], rows[-1]
    start, end = format_count(first["children"]), format_count(last["children"])
    if first["children"] == last["children"]:
        trend = f"was {end} in both {month_name(first['month'])} and {month_name(last['month'])}"
    else:
        verb = "rose" if last["children"] > first["children"] else "fell"
        trend = f"{verb} from {start} in {month_name(first['month'])} to {end} in {month_name(last['month'])}"
    high = max(rows, key=lambda r: r["children"])
    return [
        f"The number of children subject of a plan {trend}.",
        f"The highest month-end figure was {format_count(high['children'])}, in {month_name(high['month'])}.",
    ]


def _by_month_totals(noun: str, parts: list[tuple[str, str]]) -> Callable[..., list[str]]:
    def sentences(report: Mapping[str, Any], table: Mapping[str, Any]) -> list[str]:
        totals = table.get("totals") or {}
        previous = table.get("previous_year") or {}
        out = []
        total = totals.get("total")
        if _known(total):
            line = f"There were {format_count(total)} {noun} in {report.get('year')}"
            if _known(previous.get("total")):
                line += (f", compared with {format_count(previous['total'])} in "
                         f"{previous_year_label(str(report.get('year')))}")
            out.append(line + ".")
        known_parts = [(k, text) for k, text in parts if _known(totals.get(k))]
        if known_parts:
            out.append("; ".join(f"{format_count(totals[k])} {text}" for k, text in known_parts) + ".")
        rows = [r for r in table["rows"] if _known(r.get("total"))]
        if rows:
            high = max(rows, key=lambda r: r["total"])
            low = min(rows, key=lambda r: r["total"])
            out.append(f"The most were held in {month_name(high['month'])} ({format_count(high['total'])}) "
                       f"and the fewest in {month_name(low['month'])} ({format_count(low['total'])}).")
        return out
    return sentences


def _transfers(report: Mapping[str, Any], table: Mapping[str, Any]) -> list[str]:
    totals = table.get("totals") or {}
    previous = table.get("previous_year") or {}
    before = previous_year_label(str(report.get("year")))
    out = []
    for key, noun in (("transfer_in", "transfer-in"), ("transfer_out", "transfer-out")):
        if _known(totals.get(key)):
            line = f"There were {format_count(totals[key])} {noun} conferences"
            if _known(previous.get(key)):
                line += f" ({format_count(previous[key])} in {before})"
            out.append(line + ".")
        elif totals.get(key) is None and key in totals:
            out.append(f"The number of {noun} conferences is not known from this source.")
    return out


def _age_gender(report: Mapping[str, Any], table: Mapping[str, Any]) -> list[str]:
    totals = table.get("totals") or {}
    if not _known(totals.get("total")):
        return []
    parts = [f"{format_count(totals[k])} {k}" for k in ("female", "male") if _known(totals.get(k))]
    unborn = next((r for r in table["rows"] if r.get("age_band") == "unborn"), None)
    if unborn and _known(unborn.get("total")):
        parts.append(f"{format_count(unborn['total'])} unborn")
    if _known(totals.get("other")) and totals["other"]:
        parts.append(f"{format_count(totals['other'])} of other or unknown gender")
    line = f"At 31 March {format_count(totals['total'])} children were subject of a plan"
    return [line + (": " + ", ".join(parts) if parts else "") + "."]


def _largest(lead: str, value_key: str = "children", label_key: str = "label",
             benchmark: str | None = None) -> Callable[..., list[str]]:
    def sentences(report: Mapping[str, Any], table: Mapping[str, Any]) -> list[str]:
        rows = [r for r in table["rows"] if _known(r.get(value_key))]
        if not rows:
            return []
        top = max(rows, key=lambda r: r[value_key])
        label = row_label(top, label_key)
        figures = [format_count(top[value_key])]
        if _known(top.get("percent")):
            figures.append(format_percent(top["percent"]))
        line = f"{lead} {label} ({', '.join(figures)})"
        if benchmark and _known(top.get(benchmark)):
            line += f", against {format_percent(top[benchmark])} " + {
                "population_percent": "of the authority's child population",
                "national_percent": "nationally",
                "previous_year_percent": "the year before",
            }[benchmark]
        return [line + "."]
    return sentences


def _categories(report: Mapping[str, Any], table: Mapping[str, Any]) -> list[str]:
    out = _largest("The most common initial category was", benchmark="national_percent")(report, table)
    for row in table["rows"]:
        if _known(row.get("percent"), row.get("previous_year_percent")):
            out.append(
                f"{row['label']}: {format_percent(row['percent'])}, against "
                f"{format_percent(row['previous_year_percent'])} the year before"
                + (f" and {format_percent(row['national_percent'])} nationally" if _known(row.get("national_percent"))
                   else "") + "."
            )
    return out


def _ratio(numerator: str, denominator: str, wording: str) -> Callable[..., list[str]]:
    def sentences(report: Mapping[str, Any], table: Mapping[str, Any]) -> list[str]:
        row = _one_row(table)
        if not _known(row.get("percent")):
            return []
        counts = (f"{format_count(row[numerator])} of {format_count(row[denominator])}"
                  if _known(row.get(numerator), row.get(denominator)) else "")
        brackets = _in_brackets(counts, _national(row.get("national_percent")))
        return [f"{format_percent(row['percent'])} of {wording}{brackets}."]
    return sentences


def _long_plans(report: Mapping[str, Any], table: Mapping[str, Any]) -> list[str]:
    out = []
    for row in table["rows"]:
        if not _known(row.get("children")):
            continue
        families = f" in {format_count(row['families'])} families" if _known(row.get("families")) else ""
        out.append(f"At 31 March {format_count(row['children'])} children{families} had been subject of their "
                   f"current plan for {format_cell('duration', row['duration']).lower()}.")
    return out


def _icpc_timeliness(report: Mapping[str, Any], table: Mapping[str, Any]) -> list[str]:
    totals = table.get("totals") or {}
    out = []
    if _known(totals.get("percent")):
        counts = (f"{format_count(totals['in_time'])} of {format_count(totals['held'])}"
                  if _known(totals.get("in_time"), totals.get("held")) else "")
        brackets = _in_brackets(counts, _national(table.get("national_percent")))
        out.append(f"{format_percent(totals['percent'])} of initial conferences were held within {ICPC_WORKING_DAYS} working days "
                   f"of the strategy discussion{brackets}.")
    rows = [r for r in table["rows"] if _known(r.get("percent"))]
    if rows:
        high = max(rows, key=lambda r: r["percent"])
        low = min(rows, key=lambda r: r["percent"])
        out.append(f"The monthly figure ranged from {format_percent(low['percent'])} in {month_name(low['month'])} "
                   f"to {format_percent(high['percent'])} in {month_name(high['month'])}.")
    return out


def _rate(report: Mapping[str, Any], table: Mapping[str, Any]) -> list[str]:
    row = _one_row(table)
    if not _known(row.get("rate")):
        return ["The rate per 10,000 children needs the authority's child population, which was not supplied."]
    national = (f", compared with a national rate of {row['national_rate']:.1f}"
                if _known(row.get("national_rate")) else "")
    sentence = (f"At 31 March the rate of children subject of a plan was {row['rate']:.1f} per 10,000 children "
                f"aged 0 to 17{national}.")
    return [sentence]


def _quoracy(report: Mapping[str, Any], table: Mapping[str, Any]) -> list[str]:
    row = next((r for r in table["rows"] if r.get("conference_type") == "all"), None)
    if row is None or not _known(row.get("quorate"), row.get("held")):
        return []
    percent = f" ({format_percent(row['percent'])})" if _known(row.get("percent")) else ""
    return [f"{format_count(row['quorate'])} of {format_count(row['held'])} conferences were quorate{percent}."]


def _attendance(report: Mapping[str, Any], table: Mapping[str, Any]) -> list[str]:
    out = []
    for row in table["rows"]:
        if row.get("conference_type") != "all" or not _known(row.get("conferences"), row.get("attended_with_report")):
            continue
        out.append(f"{row_label(row, 'agency')} attended with a report at "
                   f"{format_count(row['attended_with_report'])} of {format_count(row['conferences'])} conferences.")
    return out


def _participation(report: Mapping[str, Any], table: Mapping[str, Any]) -> list[str]:
    out = []
    for row in table["rows"]:
        if _known(row.get("count"), row.get("eligible")):
            percent = f" ({format_percent(row['percent'])})" if _known(row.get("percent")) else ""
            out.append(f"{row_label(row, 'measure')}: {format_count(row['count'])} of "
                       f"{format_count(row['eligible'])} eligible{percent}.")
    ages = table.get("ages")
    if isinstance(ages, Mapping) and all(_known(ages.get(k)) for k in ("booklet_from", "advocacy_from",
                                                                        "attendance_from")):
        out.append(f"Children count as eligible from age {ages['booklet_from']} for the consultation booklet, "
                   f"{ages['advocacy_from']} for an advocate and {ages['attendance_from']} for attending.")
    return out


def _counts_listed(key: str) -> Callable[..., list[str]]:
    def sentences(report: Mapping[str, Any], table: Mapping[str, Any]) -> list[str]:
        parts = [f"{row_label(r, key)}: {format_count(r['count'])}"
                 for r in table["rows"] if _known(r.get("count"))]
        return ["; ".join(parts) + "."] if parts else []
    return sentences


def _repeat_reviews(report: Mapping[str, Any], table: Mapping[str, Any]) -> list[str]:
    totals = table.get("totals") or {}
    out = []
    if _known(totals.get("children"), totals.get("families")):
        out.append(f"The reviews covered {format_count(totals['children'])} children in "
                   f"{format_count(totals['families'])} families.")
    return out + _largest("The most common finding was", label_key="finding")(report, table)


FACTS: dict[str, Callable[[Mapping[str, Any], Mapping[str, Any]], list[str]]] = {
    "children_on_plan_by_month": _children_on_plan,
    "initial_conferences_by_month": _by_month_totals(
        "initial child protection conferences", [("plan", "resulted in a plan"), ("no_plan", "did not")]),
    "review_conferences_by_month": _by_month_totals(
        "review child protection conferences", [("plan_continued", "continued the plan"),
                                                ("plan_ended", "ended it")]),
    "prebirth_conferences_by_month": _by_month_totals(
        "pre-birth initial conferences", [("under_4_weeks", "were held less than 4 weeks before the birth"),
                                          ("weeks_4_to_10", "were held 4 to 10 weeks before"),
                                          ("over_10_weeks", "were held more than 10 weeks before"),
                                          ("plan", "resulted in a plan")]),
    "transfer_conferences_by_month": _transfers,
    "age_gender_at_year_end": _age_gender,
    "ethnicity_at_year_end": _largest("The largest ethnic group was", benchmark="population_percent"),
    "initial_category_at_year_end": _categories,
    "latest_category_at_year_end": _largest("The most common latest category was"),
    "category_combinations_at_year_end": _largest("The most common combination of categories was"),
    "factors_at_year_end": _largest("The factor most often identified was"),
    "second_or_subsequent_plans": _ratio("second_or_subsequent", "plans_started",
                                         "plans started in the year were a second or subsequent plan"),
    "long_plans_at_year_end": _long_plans,
    "plans_ended_within_3_months": _ratio("within_3_months", "plans_ended",
                                          "plans that ended in the year had lasted 3 months or less"),
    "plans_ended_after_2_years": _ratio("after_2_years", "plans_ended",
                                        "plans that ended in the year had lasted 2 years or more"),
    "review_timeliness": _ratio("in_time", "reviews", "review conferences were held in time"),
    "review_timeliness_dfe": _ratio("all_in_time", "children",
                                    "children on a plan for 3 months or more had every review in time"),
    "initial_conference_timeliness_by_month": _icpc_timeliness,
    "rate_per_10000": _rate,
    "quorate_conferences": _quoracy,
    "agency_attendance": _attendance,
    "child_participation": _participation,
    "participation_codes": _largest("The most common way the child's voice was heard was", value_key="conferences"),
    "escalations": _counts_listed("measure"),
    "escalation_reasons": _largest("The most common reason for escalation was", value_key="count",
                                   label_key="reason"),
    "repeat_plan_reviews": _repeat_reviews,
    "initial_conference_timeliness_reasons": _largest(
        "The most common reason for a late initial conference was", value_key="conferences", label_key="reason"),
    "escalation_onward_reasons": _largest(
        "The most common reason for taking an escalation to the next stage was", value_key="count",
        label_key="reason"),
}


def facts(report: Mapping[str, Any], table_id: str) -> list[str]:
    """The fact sentences for one table; none for an unavailable or unknown table."""
    table = (report.get("tables") or {}).get(table_id)
    if not table or not table.get("available") or not table.get("rows") or table_id not in FACTS:
        return []
    return FACTS[table_id](report, table)
