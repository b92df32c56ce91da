"""Section 2a: children on a plan at each month end, and per 10,000 children."""

from __future__ import annotations

from cpqa.domain.calendar import ReportingYear
from cpqa.domain.indicators.numbers import children_on_plan_by_month, rate_per_10000

from .build import D, record

YEAR = ReportingYear(2017)


def test_children_on_a_plan_at_each_month_end() -> None:
    rec = record(
        plans=[
            # A: open all year.
            {"plan_id": "a", "child_id": "A", "start_date": D(2017, 3, 1)},
            # B: open on 31 May and 30 June; ends on 31 July, so not open that month end.
            {"plan_id": "b", "child_id": "B", "start_date": D(2017, 5, 15), "end_date": D(2017, 7, 31)},
            # C: starts on 31 March, so open at the March month end.
            {"plan_id": "c", "child_id": "C", "start_date": D(2018, 3, 31)},
            # D: a plan ending on 30 April (not open that day), then one from 1 June.
            {"plan_id": "d1", "child_id": "D", "start_date": D(2017, 4, 10), "end_date": D(2017, 4, 30)},
            {"plan_id": "d2", "child_id": "D", "start_date": D(2017, 6, 1)},
            # E: two overlapping plans at the end of August: one child, counted once.
            {"plan_id": "e1", "child_id": "E", "start_date": D(2017, 8, 1)},
            {"plan_id": "e2", "child_id": "E", "start_date": D(2017, 8, 15), "end_date": D(2017, 9, 10)},
        ]
    )
    rows = children_on_plan_by_month(rec, YEAR).rows()
    # Apr: A. May: A B. Jun: A B D. Jul: A D. Aug-Feb: A D E. Mar: A C D E.
    assert rows == [
        ("2017-04", 1), ("2017-05", 2), ("2017-06", 3), ("2017-07", 2), ("2017-08", 3), ("2017-09", 3),
        ("2017-10", 3), ("2017-11", 3), ("2017-12", 3), ("2018-01", 3), ("2018-02", 3), ("2018-03", 4),
    ]


def test_rate_per_10000_counts_unborn_children() -> None:
    rec = record(
        children=[
            {"child_id": "born", "date_of_birth": D(2012, 5, 1)},
            {"child_id": "sibling", "date_of_birth": D(2014, 5, 1)},
            {"child_id": "unborn", "expected_date_of_birth": D(2018, 6, 1)},
        ],
        plans=[
            {"plan_id": "1", "child_id": "born", "start_date": D(2017, 10, 1)},
            {"plan_id": "2", "child_id": "sibling", "start_date": D(2017, 10, 1)},
            {"plan_id": "3", "child_id": "unborn", "start_date": D(2018, 2, 1)},
        ],
    )
    # 3 children (one unborn) per 1,600 children: 3 * 10,000 / 1,600 = 18.75 -> 18.8 (half up).
    assert rate_per_10000(rec, YEAR, 1600).row(0, named=True) == {
        "children_on_plan": 3, "population": 1600, "rate": 18.8,
    }
    # Without a population there is no rate.
    assert rate_per_10000(rec, YEAR, None).row(0, named=True) == {
        "children_on_plan": 3, "population": None, "rate": None,
    }
