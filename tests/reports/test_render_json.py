"""The JSON report: the contract's key order whatever order the dict was built in, UTF-8, lossless."""

from __future__ import annotations

import json

import pytest

from cpqa.reports.render_json import render_json
from cpqa.reports.suppression import suppress_report
from tests.reports.sample_report import sample_report


def test_round_trip_keeps_every_value() -> None:
    report = sample_report()
    assert json.loads(render_json(report)) == report


def test_keys_follow_the_contract_whatever_order_they_were_built_in() -> None:
    report = sample_report()
    shuffled = {k: report[k] for k in reversed(list(report))}
    shuffled["tables"] = {k: report["tables"][k] for k in reversed(list(report["tables"]))}
    icpc = shuffled["tables"]["initial_conferences_by_month"]
    shuffled["tables"]["initial_conferences_by_month"] = {k: icpc[k] for k in reversed(list(icpc))}
    icpc = shuffled["tables"]["initial_conferences_by_month"]
    icpc["rows"] = [{k: row[k] for k in reversed(list(row))} for row in icpc["rows"]]
    shuffled["extra_note"] = "added by a later version"

    text = render_json(shuffled)
    parsed = json.loads(text)
    assert list(parsed)[:6] == ["schema", "authority", "year", "period", "source", "tables"]
    assert list(parsed)[-1] == "extra_note"
    assert list(parsed["tables"])[:3] == [
        "children_on_plan_by_month", "initial_conferences_by_month", "review_conferences_by_month"]
    table = parsed["tables"]["initial_conferences_by_month"]
    assert list(table) == ["title", "available", "rows", "totals", "previous_year"]
    assert list(table["rows"][0]) == ["month", "plan", "no_plan", "total"]
    assert list(table["totals"]) == ["plan", "no_plan", "total"]
    # Same content, same bytes: the order comes from the contract, not from how it was built.
    without_extra = dict(shuffled)
    del without_extra["extra_note"]
    assert render_json(without_extra) == render_json(report)


def test_unavailable_table_keeps_title_available_reason_and_no_rows() -> None:
    parsed = json.loads(render_json(sample_report()))
    assert parsed["tables"]["quorate_conferences"] == {
        "title": "Quorate conferences",
        "available": False,
        "reason": "Quoracy was not recorded for the conferences held in the year.",
    }


def test_non_ascii_is_written_as_utf8_not_escaped() -> None:
    report = sample_report()
    report["authority"] = "Borough of Ælfrēd (synthetic)"
    text = render_json(report)
    assert "Ælfrēd" in text
    assert "\\u" not in text
    assert text.encode("utf-8").decode("utf-8") == text


def test_suppressed_report_writes_c_as_a_string_and_says_so() -> None:
    parsed = json.loads(render_json(suppress_report(sample_report())))
    assert parsed["suppression"]["applied"] is True
    assert list(parsed)[5] == "suppression"
    ethnicity = {r["code"]: r for r in parsed["tables"]["ethnicity_at_year_end"]["rows"]}
    assert ethnicity["ABAN"]["children"] == "c" and ethnicity["ABAN"]["percent"] == "c"


def test_not_a_number_is_refused_rather_than_written_as_invalid_json() -> None:
    report = sample_report()
    report["tables"]["review_timeliness"]["rows"][0]["percent"] = float("nan")
    with pytest.raises(ValueError):
        render_json(report)
