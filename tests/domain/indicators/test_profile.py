"""Section 2c: age, gender and ethnicity of the children on a plan at year end (31 March 2018)."""

from __future__ import annotations

from cpqa.domain.calendar import ReportingYear
from cpqa.domain.indicators.profile import age_gender_at_year_end, ethnicity_at_year_end
from cpqa.domain.tables import Record

from .build import D, record

YEAR = ReportingYear(2017)


def _on_plan(child_id: str, start: object = D(2017, 6, 1), end: object = None) -> dict[str, object]:
    return {"plan_id": f"plan-{child_id}", "child_id": child_id, "start_date": start, "end_date": end}


def test_age_bands_and_sex_at_year_end_with_unborn_children() -> None:
    rec = record(
        children=[
            {"child_id": "a", "sex": "F", "date_of_birth": D(2013, 4, 1)},  # 4 (5 tomorrow) -> 0-4
            {"child_id": "b", "sex": "M", "date_of_birth": D(2013, 3, 31)},  # 5 today -> 5-9
            {"child_id": "c", "sex": "U", "date_of_birth": D(2008, 6, 1)},  # 9 -> 5-9, other
            {"child_id": "d", "sex": "F", "date_of_birth": D(2007, 1, 1)},  # 11 -> 10-13 (plan starts 31 Mar)
            {"child_id": "e", "sex": "F", "date_of_birth": D(2004, 3, 31)},  # 14 -> 14-17
            {"child_id": "f", "sex": "M", "date_of_birth": D(2000, 1, 1)},  # 18 -> 18+
            {"child_id": "u1", "sex": "U", "expected_date_of_birth": D(2018, 5, 1)},  # no birth date: unborn
            {"child_id": "u2", "sex": "U", "date_of_birth": D(2018, 4, 2)},  # born after year end: unborn
            {"child_id": "gone", "sex": "F", "date_of_birth": D(2010, 1, 1)},  # plan ended on 31 March
        ],
        plans=[
            _on_plan("a"), _on_plan("b"), _on_plan("c"), _on_plan("d", start=D(2018, 3, 31)), _on_plan("e"),
            _on_plan("f"), _on_plan("u1", start=D(2018, 2, 1)), _on_plan("u2", start=D(2018, 2, 1)),
            _on_plan("gone", end=D(2018, 3, 31)),
        ],
    )
    rows = age_gender_at_year_end(rec, YEAR).rows(named=True)
    assert rows == [
        {"age_band": "unborn", "female": None, "male": None, "other": None, "total": 2},
        {"age_band": "0-4", "female": 1, "male": 0, "other": 0, "total": 1},
        {"age_band": "5-9", "female": 0, "male": 1, "other": 1, "total": 2},
        {"age_band": "10-13", "female": 1, "male": 0, "other": 0, "total": 1},
        {"age_band": "14-17", "female": 1, "male": 0, "other": 0, "total": 1},
        {"age_band": "18+", "female": 0, "male": 1, "other": 0, "total": 1},
    ]


def test_no_18_plus_row_when_nobody_is_18() -> None:
    rec = record(
        children=[{"child_id": "a", "sex": "M", "date_of_birth": D(2001, 4, 1)}],  # 16 on 31 March 2018
        plans=[_on_plan("a")],
    )
    bands = age_gender_at_year_end(rec, YEAR)["age_band"].to_list()
    assert bands == ["unborn", "0-4", "5-9", "10-13", "14-17"]


def _ethnicity_record() -> Record:
    ethnicities = ["WBRI", "WBRI", "WBRI", "MWBC", "BAFR", "BAFR", "MWBC", None]
    children = [{"child_id": f"c{i}", "ethnicity": code} for i, code in enumerate(ethnicities)]
    return record(children=children, plans=[_on_plan(c["child_id"]) for c in children])


def test_ethnicity_most_children_first_ties_by_code_with_population_share() -> None:
    population = {"WBRI": 473, "BAFR": 80, "AIND": 68}
    rows = ethnicity_at_year_end(_ethnicity_record(), YEAR, population, 1000).rows(named=True)
    # 8 children: 3/8 = 37.5, 2/8 = 25.0, 1/8 = 12.5. Population: 473/1000 = 47.3, 80/1000 = 8.0;
    # no figure for MWBC or an unrecorded ethnicity.
    assert rows == [
        {"code": "WBRI", "label": "White British", "children": 3, "percent": 37.5, "population_percent": 47.3},
        {"code": "BAFR", "label": "African", "children": 2, "percent": 25.0, "population_percent": 8.0},
        {"code": "MWBC", "label": "White and Black Caribbean", "children": 2, "percent": 25.0,
         "population_percent": None},
        {"code": None, "label": "Not recorded", "children": 1, "percent": 12.5, "population_percent": None},
    ]


def test_ethnicity_without_population_has_no_population_share() -> None:
    rows = ethnicity_at_year_end(_ethnicity_record(), YEAR, None, None)
    assert rows["population_percent"].to_list() == [None, None, None, None]
    assert rows["children"].to_list() == [3, 2, 2, 1]
