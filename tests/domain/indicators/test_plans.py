"""Sections 3a and 3b: repeat plans, long plans, and how long the plans ended in the year lasted."""

from __future__ import annotations

from cpqa.domain.calendar import ReportingYear
from cpqa.domain.indicators.plans import (
    long_plans_at_year_end,
    plans_ended_after_2_years,
    plans_ended_within_3_months,
    second_or_subsequent_plans_started,
)

from .build import D, record

YEAR = ReportingYear(2017)


def test_second_or_subsequent_plans_each_start_counts_however_long_ago() -> None:
    rec = record(
        plans=[
            # A had a plan in 2010: the 2017 plan is a repeat however long ago that was.
            {"plan_id": "a0", "child_id": "A", "start_date": D(2010, 1, 1), "end_date": D(2010, 6, 1)},
            {"plan_id": "a1", "child_id": "A", "start_date": D(2017, 5, 1)},
            # B's earlier plan is only known from the CIN return's NumberOfPreviousCPP.
            {"plan_id": "b1", "child_id": "B", "start_date": D(2017, 6, 1), "previous_plans": 1},
            # C: a first plan, then a second in the same year: both starts count, one a repeat.
            {"plan_id": "c1", "child_id": "C", "start_date": D(2017, 7, 1), "end_date": D(2017, 12, 1),
             "previous_plans": 0},
            {"plan_id": "c2", "child_id": "C", "start_date": D(2018, 1, 10)},
            # D started on 31 March 2017: the year before.
            {"plan_id": "d1", "child_id": "D", "start_date": D(2017, 3, 31)},
            {"plan_id": "e1", "child_id": "E", "start_date": D(2017, 9, 1)},
        ]
    )
    # Started in the year: a1, b1, c1, c2, e1 = 5; repeats a1, b1, c2 = 3 -> 60.0.
    assert second_or_subsequent_plans_started(rec, YEAR).row(0, named=True) == {
        "plans_started": 5, "second_or_subsequent": 3, "percent": 60.0,
    }


def test_long_plans_at_year_end_by_duration_with_families() -> None:
    children = [
        {"child_id": "L1", "family_id": "F1"},
        {"child_id": "L2", "family_id": "F1"},
        {"child_id": "L3", "family_id": "F2"},
        {"child_id": "L4"},
        {"child_id": "L5", "family_id": "F3"},
        {"child_id": "L6", "family_id": "F3"},
    ]
    starts = {
        "L1": D(2016, 3, 31),  # 730 days to 31 March 2018 (365 + 365): 2 years or more
        "L2": D(2016, 4, 1),  # 729 days: not 2 years; 18 months from 1 Oct 2017: 18 to 24 months
        "L3": D(2016, 9, 30),  # + 18 months = 30 March 2018: 18 to 24 months
        "L4": D(2016, 10, 1),  # + 18 months = 1 April 2018 (too late); + 12 = 1 Oct 2017: 12 to 18
        "L5": D(2017, 3, 31),  # + 12 months = 31 March 2018: 12 to 18 months
        "L6": D(2017, 4, 1),  # + 12 months = 1 April 2018: under 12 months
    }
    rec = record(
        children=children,
        plans=[{"plan_id": c, "child_id": c, "start_date": s} for c, s in starts.items()],
    )
    rows = long_plans_at_year_end(rec, YEAR).rows(named=True)
    # Families: 12-18 L4 (none recorded) and L5 (F3) -> 1; 18-24 L2 (F1), L3 (F2) -> 2; 2 years L1 (F1) -> 1.
    assert rows == [
        {"duration": "12_to_18_months", "children": 2, "families": 1},
        {"duration": "18_to_24_months", "children": 2, "families": 2},
        {"duration": "2_years_or_more", "children": 1, "families": 1},
    ]
    unknown = long_plans_at_year_end(rec, YEAR, families_known=False)
    assert unknown["families"].to_list() == [None, None, None]
    assert unknown["children"].to_list() == [2, 2, 1]


def test_plans_ended_within_3_months_and_after_2_years() -> None:
    rec = record(
        plans=[
            # + 3 months = 1 July: ends that day, within.
            {"plan_id": "e1", "child_id": "1", "start_date": D(2017, 4, 1), "end_date": D(2017, 7, 1)},
            # 31 Jan + 3 months = 30 April (month end): within.
            {"plan_id": "e2", "child_id": "2", "start_date": D(2017, 1, 31), "end_date": D(2017, 4, 30)},
            # ... and 1 May is a day too many.
            {"plan_id": "e3", "child_id": "3", "start_date": D(2017, 1, 31), "end_date": D(2017, 5, 1)},
            # 1 Jun 2015 to 1 Jun 2017: 366 (29 Feb 2016) + 365 = 731 days: 2 years or more.
            {"plan_id": "e4", "child_id": "4", "start_date": D(2015, 6, 1), "end_date": D(2017, 6, 1)},
            # 5 Jan 2016 to 4 Jan 2018: 366 + 365 - 1 = 730 days: 2 years or more.
            {"plan_id": "e5", "child_id": "5", "start_date": D(2016, 1, 5), "end_date": D(2018, 1, 4)},
            # 6 Jan 2016 to 4 Jan 2018: 729 days: not.
            {"plan_id": "e6", "child_id": "6", "start_date": D(2016, 1, 6), "end_date": D(2018, 1, 4)},
            # 1 Oct + 3 months = 1 Jan: 20 Dec is within.
            {"plan_id": "e7", "child_id": "7", "start_date": D(2017, 10, 1), "end_date": D(2017, 12, 20)},
            # Ended outside the year.
            {"plan_id": "x1", "child_id": "8", "start_date": D(2018, 3, 1), "end_date": D(2018, 4, 1)},
            {"plan_id": "x2", "child_id": "9", "start_date": D(2017, 3, 1), "end_date": D(2017, 3, 31)},
            {"plan_id": "open", "child_id": "10", "start_date": D(2017, 5, 1)},
        ]
    )
    # 7 plans ended in the year. Within 3 months: e1 e2 e7 = 3 -> 42.857 -> 42.9.
    assert plans_ended_within_3_months(rec, YEAR).row(0, named=True) == {
        "plans_ended": 7, "within_3_months": 3, "percent": 42.9,
    }
    # 2 years or more: e4 e5 = 2 -> 28.571 -> 28.6.
    assert plans_ended_after_2_years(rec, YEAR).row(0, named=True) == {
        "plans_ended": 7, "after_2_years": 2, "percent": 28.6,
    }


def test_729_days_is_not_2_years_730_days_is() -> None:
    rec = record(
        plans=[
            # 1 Apr 2016 to 31 Mar 2018: 729 days.
            {"plan_id": "729", "child_id": "a", "start_date": D(2016, 4, 1), "end_date": D(2018, 3, 31)},
            # 31 Mar 2016 to 31 Mar 2018: 730 days.
            {"plan_id": "730", "child_id": "b", "start_date": D(2016, 3, 31), "end_date": D(2018, 3, 31)},
        ]
    )
    assert plans_ended_after_2_years(rec, YEAR).row(0, named=True) == {
        "plans_ended": 2, "after_2_years": 1, "percent": 50.0,
    }
