"""Section 2b: conferences by type and month, counted per child."""

from __future__ import annotations

import polars as pl

from cpqa.domain.calendar import ReportingYear
from cpqa.domain.indicators.conferences import (
    initial_conferences_by_month,
    prebirth_conferences_by_month,
    record_covers_year,
    review_conferences_by_month,
    transfer_conferences_by_month,
)
from cpqa.domain.tables import Record

from .build import D, record

YEAR = ReportingYear(2017)


def _month(frame: pl.DataFrame, month: str) -> dict[str, object]:
    return frame.filter(frame["month"] == month).drop("month").row(0, named=True)


def _initial_record() -> Record:
    return record(
        conferences=[
            # One meeting about three siblings: three initial conferences.
            {"conference_id": "1", "meeting_id": "M1", "child_id": "S1", "conference_type": "initial",
             "held_date": D(2017, 4, 10)},
            {"conference_id": "2", "meeting_id": "M1", "child_id": "S2", "conference_type": "initial",
             "held_date": D(2017, 4, 10)},
            {"conference_id": "3", "meeting_id": "M1", "child_id": "S3", "conference_type": "initial",
             "held_date": D(2017, 4, 10)},
            # A transfer-in conference is not an initial conference.
            {"conference_id": "4", "meeting_id": "M2", "child_id": "T1", "conference_type": "transfer_in",
             "held_date": D(2017, 4, 20)},
            {"conference_id": "5", "meeting_id": "M3", "child_id": "X", "conference_type": "initial",
             "held_date": D(2017, 6, 5)},
            # Held on 31 March 2017: the year before.
            {"conference_id": "6", "meeting_id": "M4", "child_id": "P", "conference_type": "initial",
             "held_date": D(2017, 3, 31)},
            # Booked, not yet held.
            {"conference_id": "7", "meeting_id": "M5", "child_id": "Q", "conference_type": "initial",
             "scheduled_date": D(2017, 5, 1)},
        ],
        plans=[
            # Plans for S1 and S2 start on the conference day; S3 gets none.
            {"plan_id": "p1", "child_id": "S1", "start_date": D(2017, 4, 10)},
            {"plan_id": "p2", "child_id": "S2", "start_date": D(2017, 4, 10)},
            {"plan_id": "p3", "child_id": "T1", "start_date": D(2017, 4, 20)},
            # X's plan starts a day later: not this conference's outcome.
            {"plan_id": "p4", "child_id": "X", "start_date": D(2017, 6, 6)},
        ],
    )


def test_initial_conferences_by_month_siblings_count_three() -> None:
    rows = initial_conferences_by_month(_initial_record(), YEAR)
    assert rows.height == 12
    # April: S1, S2 plan; S3 no plan. T1's transfer-in is not counted.
    assert _month(rows, "2017-04") == {"plan": 2, "no_plan": 1, "total": 3}
    assert _month(rows, "2017-06") == {"plan": 0, "no_plan": 1, "total": 1}
    assert _month(rows, "2017-05") == {"plan": 0, "no_plan": 0, "total": 0}
    assert rows["total"].sum() == 4


def test_previous_year_is_the_same_count_for_the_year_before() -> None:
    rec = _initial_record()
    previous = initial_conferences_by_month(rec, YEAR.previous)
    # Only P (31 March 2017), no plan.
    assert (previous["plan"].sum(), previous["no_plan"].sum()) == (0, 1)
    assert record_covers_year(rec, YEAR.previous)
    assert not record_covers_year(rec, ReportingYear(2015))


def test_review_outcome_plan_ended_when_the_plan_ends_that_day() -> None:
    rec = record(
        conferences=[
            {"conference_id": "1", "meeting_id": "R1a", "child_id": "R1", "conference_type": "review",
             "held_date": D(2017, 4, 5), "plan_id": "p1"},
            {"conference_id": "2", "meeting_id": "R1b", "child_id": "R1", "conference_type": "review",
             "held_date": D(2017, 10, 9), "plan_id": "p1"},
            {"conference_id": "3", "meeting_id": "R23", "child_id": "R2", "conference_type": "review",
             "held_date": D(2017, 7, 20), "plan_id": "p2"},
            {"conference_id": "4", "meeting_id": "R23", "child_id": "R3", "conference_type": "review",
             "held_date": D(2017, 7, 20), "plan_id": "p3"},
        ],
        plans=[
            {"plan_id": "p1", "child_id": "R1", "start_date": D(2017, 1, 10), "end_date": D(2017, 10, 9)},
            {"plan_id": "p2", "child_id": "R2", "start_date": D(2017, 4, 20)},
            # R3's plan ends later than the review: the plan continued at the review.
            {"plan_id": "p3", "child_id": "R3", "start_date": D(2017, 4, 20), "end_date": D(2017, 8, 1)},
        ],
    )
    rows = review_conferences_by_month(rec, YEAR)
    assert _month(rows, "2017-04") == {"plan_continued": 1, "plan_ended": 0, "total": 1}
    assert _month(rows, "2017-07") == {"plan_continued": 2, "plan_ended": 0, "total": 2}
    assert _month(rows, "2017-10") == {"plan_continued": 0, "plan_ended": 1, "total": 1}
    assert (rows["plan_continued"].sum(), rows["plan_ended"].sum(), rows["total"].sum()) == (3, 1, 4)


def test_prebirth_conferences_banded_by_expected_delivery_else_birth() -> None:
    rec = record(
        children=[
            {"child_id": "U1", "expected_date_of_birth": D(2017, 6, 30)},
            {"child_id": "U2", "expected_date_of_birth": D(2017, 6, 30)},
            {"child_id": "U3", "date_of_birth": D(2017, 9, 20)},
            {"child_id": "U4", "date_of_birth": D(2017, 8, 1), "expected_date_of_birth": D(2017, 9, 15)},
            {"child_id": "U5"},
            {"child_id": "U6", "expected_date_of_birth": D(2017, 11, 30)},
            {"child_id": "B1", "date_of_birth": D(2015, 3, 1)},
            {"child_id": "B2", "date_of_birth": D(2017, 5, 1)},
        ],
        conferences=[
            # 2 Jun to 30 Jun: 28 days -> 4 to 10 weeks; a plan starts.
            {"conference_id": "1", "child_id": "U1", "conference_type": "prebirth", "held_date": D(2017, 6, 2)},
            # 3 Jun to 30 Jun: 27 days -> under 4 weeks.
            {"conference_id": "2", "child_id": "U2", "conference_type": "initial", "held_date": D(2017, 6, 3)},
            # Born since; 11 Jul to 20 Sep: 20 + 31 + 20 = 71 days -> over 10 weeks; a plan starts.
            {"conference_id": "3", "child_id": "U3", "conference_type": "initial", "held_date": D(2017, 7, 11)},
            # The expected date wins: 1 Jul to 15 Sep = 30 + 31 + 15 = 76 days -> over 10 weeks
            # (to the actual birth it would be 31 days).
            {"conference_id": "4", "child_id": "U4", "conference_type": "prebirth", "held_date": D(2017, 7, 1)},
            # No birth date and no expected date: pre-birth, band unknown.
            {"conference_id": "5", "child_id": "U5", "conference_type": "prebirth", "held_date": D(2017, 8, 8)},
            # 21 Sep to 30 Nov: 9 + 31 + 30 = 70 days -> 4 to 10 weeks (inclusive).
            {"conference_id": "6", "child_id": "U6", "conference_type": "prebirth", "held_date": D(2017, 9, 21)},
            # Born children: not pre-birth, whatever the type says.
            {"conference_id": "7", "child_id": "B1", "conference_type": "initial", "held_date": D(2017, 6, 10)},
            {"conference_id": "8", "child_id": "B2", "conference_type": "prebirth", "held_date": D(2017, 5, 10)},
        ],
        plans=[
            {"plan_id": "p1", "child_id": "U1", "start_date": D(2017, 6, 2)},
            {"plan_id": "p3", "child_id": "U3", "start_date": D(2017, 7, 11)},
        ],
    )
    rows = prebirth_conferences_by_month(rec, YEAR)
    assert _month(rows, "2017-06") == {
        "under_4_weeks": 1, "weeks_4_to_10": 1, "over_10_weeks": 0, "band_unknown": 0, "plan": 1, "total": 2,
    }
    assert _month(rows, "2017-07") == {
        "under_4_weeks": 0, "weeks_4_to_10": 0, "over_10_weeks": 2, "band_unknown": 0, "plan": 1, "total": 2,
    }
    assert _month(rows, "2017-08") == {
        "under_4_weeks": 0, "weeks_4_to_10": 0, "over_10_weeks": 0, "band_unknown": 1, "plan": 0, "total": 1,
    }
    assert _month(rows, "2017-09") == {
        "under_4_weeks": 0, "weeks_4_to_10": 1, "over_10_weeks": 0, "band_unknown": 0, "plan": 0, "total": 1,
    }
    assert _month(rows, "2017-05")["total"] == 0
    assert rows["total"].sum() == 6


def test_transfer_conferences_by_month() -> None:
    rec = record(
        conferences=[
            {"conference_id": "1", "meeting_id": "T", "child_id": "A", "conference_type": "transfer_in",
             "held_date": D(2017, 4, 3)},
            {"conference_id": "2", "meeting_id": "T", "child_id": "B", "conference_type": "transfer_in",
             "held_date": D(2017, 4, 3)},
            {"conference_id": "3", "meeting_id": "O", "child_id": "C", "conference_type": "transfer_out",
             "held_date": D(2017, 5, 30)},
            {"conference_id": "4", "meeting_id": "I", "child_id": "D", "conference_type": "initial",
             "held_date": D(2017, 5, 30)},
        ]
    )
    rows = transfer_conferences_by_month(rec, YEAR)
    assert _month(rows, "2017-04") == {"transfer_in": 2, "transfer_out": 0}
    assert _month(rows, "2017-05") == {"transfer_in": 0, "transfer_out": 1}
    assert (rows["transfer_in"].sum(), rows["transfer_out"].sum()) == (2, 1)
