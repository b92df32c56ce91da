"""The annual report dict: the JSON contract (report-json.md), availability, totals, benchmarks."""

from __future__ import annotations

import json

import pytest

from cpqa.domain.calendar import ReportingYear
from cpqa.domain.config import AuthorityConfig
from cpqa.domain.tables import Record
from cpqa.reports.assemble import assemble_report
from cpqa.reports.benchmarks import Benchmarks
from cpqa.reports.population import Population
from cpqa.reports.presentation import TABLE_KEYS
from tests.domain.indicators.build import D, record

YEAR = ReportingYear(2017)
AUTHORITY = AuthorityConfig(name="Example Borough (synthetic)")

# report-json.md, "Tables and keys": every table id with the row keys it must carry, as the
# renderers read it (one transcription of the contract in the code base).
CONTRACT = TABLE_KEYS
WITH_TOTALS = {
    "initial_conferences_by_month", "review_conferences_by_month", "prebirth_conferences_by_month",
    "transfer_conferences_by_month", "age_gender_at_year_end", "ethnicity_at_year_end",
    "initial_category_at_year_end", "latest_category_at_year_end", "category_combinations_at_year_end",
    "factors_at_year_end", "initial_conference_timeliness_by_month", "repeat_plan_reviews",
}
WITH_PREVIOUS_YEAR = {"initial_conferences_by_month", "review_conferences_by_month", "transfer_conferences_by_month"}


def _full_record(source: str = "database", unavailable: dict[str, str] | None = None) -> Record:
    """A small record with something in every table, across two years."""
    return record(
        source=source,
        unavailable=unavailable,
        children=[
            {"child_id": "A", "family_id": "F1", "sex": "F", "date_of_birth": D(2010, 5, 1), "ethnicity": "WBRI"},
            {"child_id": "B", "family_id": "F1", "sex": "M", "date_of_birth": D(2012, 5, 1), "ethnicity": "WBRI"},
            {"child_id": "C", "family_id": "F2", "sex": "U", "expected_date_of_birth": D(2018, 6, 1),
             "ethnicity": "BAFR"},
            {"child_id": "P", "family_id": "F3", "sex": "F", "date_of_birth": D(2005, 1, 1)},
        ],
        s47=[
            {"s47_id": "sA", "child_id": "A", "start_date": D(2017, 4, 3)},
            {"s47_id": "sB", "child_id": "B", "start_date": D(2017, 4, 3)},
            {"s47_id": "sC", "child_id": "C", "start_date": D(2018, 1, 2)},
            {"s47_id": "sP", "child_id": "P", "start_date": D(2016, 6, 1)},
        ],
        plans=[
            {"plan_id": "pA", "child_id": "A", "start_date": D(2017, 4, 20), "initial_category": "NEG",
             "latest_category": "NEG", "initial_categories": ["NEG"], "latest_categories": ["NEG"]},
            {"plan_id": "pB", "child_id": "B", "start_date": D(2017, 4, 20), "end_date": D(2017, 7, 20),
             "initial_category": "NEG", "latest_category": "NEG", "previous_plans": 1},
            {"plan_id": "pC", "child_id": "C", "start_date": D(2018, 1, 22), "initial_category": "MUL",
             "latest_category": "MUL", "initial_categories": ["EMO", "NEG"], "latest_categories": ["EMO", "NEG"]},
            {"plan_id": "pP", "child_id": "P", "start_date": D(2016, 6, 20), "initial_category": "EMO",
             "latest_category": "EMO"},
        ],
        conferences=[
            # A and B: one initial conference about two siblings, 11 working days after the s47.
            {"conference_id": "1", "meeting_id": "M1", "child_id": "A", "conference_type": "initial",
             "held_date": D(2017, 4, 20), "s47_id": "sA", "participation_code": "PN6", "booklet_completed": True},
            {"conference_id": "2", "meeting_id": "M1", "child_id": "B", "conference_type": "initial",
             "held_date": D(2017, 4, 20), "s47_id": "sB", "participation_code": "PN7"},
            {"conference_id": "3", "meeting_id": "M2", "child_id": "A", "conference_type": "review",
             "held_date": D(2017, 7, 20), "plan_id": "pA"},
            {"conference_id": "4", "meeting_id": "M2", "child_id": "B", "conference_type": "review",
             "held_date": D(2017, 7, 20), "plan_id": "pB"},
            {"conference_id": "5", "meeting_id": "M3", "child_id": "C", "conference_type": "prebirth",
             "held_date": D(2018, 1, 22), "s47_id": "sC", "late_reason": "late_notification"},
            {"conference_id": "6", "meeting_id": "M4", "child_id": "P", "conference_type": "initial",
             "held_date": D(2016, 6, 20), "s47_id": "sP"},
            {"conference_id": "7", "meeting_id": "M5", "child_id": "P", "conference_type": "transfer_out",
             "held_date": D(2017, 9, 1)},
        ],
        attendance=[
            {"meeting_id": "M1", "agency": "social_care", "invited": True, "attended": True},
            {"meeting_id": "M1", "agency": "police", "invited": True, "attended": True, "report_submitted": True},
            {"meeting_id": "M1", "agency": "school", "invited": True, "attended": True},
        ],
        assessments=[{"assessment_id": "x", "child_id": "A", "authorised_date": D(2017, 4, 10), "factors": ["3B"]}],
        escalations=[{"escalation_id": "e", "family_id": "F1", "raised_date": D(2017, 9, 1), "stage_raised": 1,
                      "stage_reached": 1, "resolved_stage": 1, "reasons": ["plan_not_progressed"]}],
        escalation_children=[{"escalation_id": "e", "child_id": "A"}],
        repeat_plan_reviews=[{"review_id": "r", "child_id": "B", "family_id": "F1", "finding": "over_5_years",
                              "reviewed_date": D(2017, 5, 1)}],
    )


def test_every_table_id_and_row_key_of_the_contract() -> None:
    report = assemble_report(_full_record(), YEAR, authority=AUTHORITY)
    assert report["schema"] == "cpqa-annual-report/1"
    assert report["year"] == "2017-18"
    assert report["period"] == {"start": "2017-04-01", "end": "2018-03-31"}
    assert report["source"] == "database"
    tables = report["tables"]
    for table_id, keys in CONTRACT.items():
        table = tables[table_id]
        assert table["available"] is True, table_id
        assert table["title"], table_id
        assert table["rows"], f"{table_id} has no rows"
        for row in table["rows"]:
            assert set(keys) <= set(row), f"{table_id} row lacks {set(keys) - set(row)}"
        if table_id in WITH_TOTALS:
            assert isinstance(table["totals"], dict), table_id
        if table_id in WITH_PREVIOUS_YEAR:
            assert "previous_year" in table, table_id
    assert "national_percent" in tables["initial_conference_timeliness_by_month"]
    # The whole dict is plain JSON.
    assert json.loads(json.dumps(report)) == report


def test_month_tables_run_april_to_march_with_zero_months_and_totals_sum_the_rows() -> None:
    tables = assemble_report(_full_record(), YEAR, authority=AUTHORITY)["tables"]
    initial = tables["initial_conferences_by_month"]
    assert [row["month"] for row in initial["rows"]] == YEAR.months()
    # April: A and B, both with a plan; January: C's pre-birth conference, with a plan.
    assert initial["totals"] == {"plan": 3, "no_plan": 0, "total": 3}
    assert initial["rows"][4] == {"month": "2017-08", "plan": 0, "no_plan": 0, "total": 0}
    # The year before holds P's initial conference (20 June 2016), where P's plan started.
    assert initial["previous_year"] == {"plan": 1, "no_plan": 0, "total": 1}
    timeliness = tables["initial_conference_timeliness_by_month"]
    # A, B: 3 Apr + 15 working days = 26 Apr (Good Friday 14 and Easter Monday 17 Apr skipped),
    # held 20 Apr: in time.
    # C: 2 Jan + 15 = 23 Jan, held 22 Jan: in time. 3 of 3.
    assert timeliness["totals"] == {"held": 3, "in_time": 3, "percent": 100.0}
    assert timeliness["national_percent"] == 76.9


def test_previous_year_is_null_when_the_record_does_not_cover_it() -> None:
    rec = _full_record()
    rec.conferences = rec.conferences.filter(rec.conferences["conference_id"] != "6")
    tables = assemble_report(rec, YEAR, authority=AUTHORITY)["tables"]
    assert tables["initial_conferences_by_month"]["previous_year"] is None
    assert tables["review_conferences_by_month"]["previous_year"] is None
    assert all(row["previous_year_percent"] is None for row in tables["initial_category_at_year_end"]["rows"])


def test_a_cin_census_record_marks_what_it_cannot_support() -> None:
    unavailable = {
        "attendance": "a CIN census file does not record attendance",
        "quoracy": "a CIN census file does not record quoracy",
        "participation": "a CIN census file does not record participation",
        "escalations": "a CIN census file does not record escalations",
        "repeat_plan_reviews": "a CIN census file does not record repeat-plan reviews",
        "families": "a CIN census file does not link children into families",
        "transfer_out": "a CIN census file does not record transfer-out conferences",
    }
    report = assemble_report(
        _full_record(source="cin-census", unavailable=unavailable), YEAR, authority=AUTHORITY
    )
    assert report["source"] == "cin-census"
    tables = report["tables"]
    for table_id in ("quorate_conferences", "agency_attendance", "child_participation", "participation_codes",
                     "escalations", "escalation_reasons", "repeat_plan_reviews"):
        table = tables[table_id]
        assert table["available"] is False, table_id
        assert table["reason"], table_id
        assert "rows" not in table, table_id
    transfers = tables["transfer_conferences_by_month"]
    assert all(row["transfer_out"] is None for row in transfers["rows"])
    assert transfers["totals"] == {"transfer_in": 0, "transfer_out": None}
    assert all(row["families"] is None for row in tables["long_plans_at_year_end"]["rows"])
    assert tables["initial_conferences_by_month"]["available"] is True


def test_national_figures_chosen_by_year_and_none_without_them() -> None:
    tables = assemble_report(_full_record(), YEAR, authority=AUTHORITY)["tables"]
    assert [row["national_percent"] for row in tables["initial_category_at_year_end"]["rows"]] == [
        48.0, 35.1, 7.7, 4.1, 5.2,
    ]
    # The DfE publishes the initial category only.
    assert all(row["national_percent"] is None for row in tables["latest_category_at_year_end"]["rows"])
    assert tables["second_or_subsequent_plans"]["rows"][0]["national_percent"] == 20.2
    assert tables["plans_ended_after_2_years"]["rows"][0]["national_percent"] == 3.4
    assert tables["plans_ended_within_3_months"]["rows"][0]["national_percent"] is None
    assert tables["review_timeliness_dfe"]["rows"][0]["national_percent"] == 90.5
    assert tables["rate_per_10000"]["rows"][0]["national_rate"] == 45.9

    none = assemble_report(_full_record(), YEAR, authority=AUTHORITY, benchmarks=Benchmarks.none())
    assert none["benchmarks"] is None
    assert none["tables"]["rate_per_10000"]["rows"][0]["national_rate"] is None
    later = assemble_report(_full_record(), ReportingYear(2024), authority=AUTHORITY)
    assert later["tables"]["plans_ended_within_3_months"]["rows"][0]["national_percent"] == 15.9
    assert later["tables"]["initial_conference_timeliness_by_month"]["national_percent"] == 81.4


def test_population_gives_the_rate_and_the_population_column() -> None:
    population = Population(total=2000, by_ethnicity={"WBRI": 1000, "BAFR": 160})
    tables = assemble_report(_full_record(), YEAR, authority=AUTHORITY, population=population)["tables"]
    # On a plan at 31 March 2018: A, C and P (B's plan ended in July) = 3; 3 * 10,000 / 2,000 = 15.0.
    assert tables["rate_per_10000"]["rows"][0] == {
        "children_on_plan": 3, "population": 2000, "rate": 15.0, "national_rate": 45.9,
    }
    ethnicity = {row["code"]: row for row in tables["ethnicity_at_year_end"]["rows"]}
    assert ethnicity["WBRI"]["population_percent"] == 50.0  # 1000 / 2000
    assert ethnicity["BAFR"]["population_percent"] == 8.0  # 160 / 2000
    assert ethnicity[None]["population_percent"] is None  # P's ethnicity not recorded
    assert tables["ethnicity_at_year_end"]["totals"] == {"children": 3, "percent": 100.0}


@pytest.mark.parametrize("table_id", ["quorate_conferences", "factors_at_year_end"])
def test_a_table_the_source_cannot_support_is_unavailable_not_zero(table_id: str) -> None:
    need = "quoracy" if table_id == "quorate_conferences" else "assessments"
    rec = _full_record(unavailable={need: "not recorded by this source"})
    table = assemble_report(rec, YEAR, authority=AUTHORITY)["tables"][table_id]
    assert table == {"title": table["title"], "available": False, "reason": "not recorded by this source"}
