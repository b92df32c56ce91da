"""Section 2e: factors at the latest assessment authorised by year end, once per child."""

from __future__ import annotations

from cpqa.domain.calendar import ReportingYear
from cpqa.domain.indicators.factors import factors_at_year_end

from .build import D, record


def test_factors_of_the_latest_assessment_authorised_by_year_end() -> None:
    on_plan = {"start_date": D(2017, 6, 1)}
    rec = record(
        plans=[
            {"plan_id": "1", "child_id": "K1", **on_plan},
            {"plan_id": "2", "child_id": "K2", **on_plan},
            {"plan_id": "3", "child_id": "K3", **on_plan},
            {"plan_id": "4", "child_id": "K4", "start_date": D(2017, 6, 1), "end_date": D(2017, 12, 1)},
            {"plan_id": "5", "child_id": "K5", **on_plan},
        ],
        assessments=[
            # K1: the February assessment is the latest: 3B and 2B (not 4B from June).
            {"assessment_id": "a", "child_id": "K1", "authorised_date": D(2017, 6, 1), "factors": ["3B", "4B"]},
            {"assessment_id": "b", "child_id": "K1", "authorised_date": D(2018, 2, 1), "factors": ["3B", "2B"]},
            # K2: April's comes after year end; December's lists 3B twice: counts once.
            {"assessment_id": "c", "child_id": "K2", "authorised_date": D(2018, 4, 10), "factors": ["1B"]},
            {"assessment_id": "d", "child_id": "K2", "authorised_date": D(2017, 12, 1), "factors": ["3B", "3B"]},
            # K3: two assessments authorised the same latest day: both count.
            {"assessment_id": "e", "child_id": "K3", "authorised_date": D(2018, 1, 15), "factors": ["4B"]},
            {"assessment_id": "f", "child_id": "K3", "authorised_date": D(2018, 1, 15), "factors": ["5A"]},
            # K4 is not on a plan at year end; K5's assessment is not authorised.
            {"assessment_id": "g", "child_id": "K4", "authorised_date": D(2017, 7, 1), "factors": ["3B"]},
            {"assessment_id": "h", "child_id": "K5", "factors": ["11A"]},
        ],
    )
    rows = factors_at_year_end(rec, ReportingYear(2017)).rows()
    # 3B: K1, K2 = 2; then one each, by code: 2B (K1), 4B (K3), 5A (K3).
    assert rows == [
        ("3B", "Domestic violence: parent/carer", 2),
        ("2B", "Drug misuse: parent/carer", 1),
        ("4B", "Mental health: parent/carer", 1),
        ("5A", "Learning disability: child", 1),
    ]
