"""Section 3c: review timeliness per conference, and the DfE's RevCP per child."""

from __future__ import annotations

from cpqa.domain.calendar import ReportingYear
from cpqa.domain.indicators.reviews import review_history, review_timeliness, review_timeliness_dfe

from .build import D, record

YEAR = ReportingYear(2017)


def _review(conference_id: str, child: str, plan: str | None, held: object) -> dict[str, object]:
    return {"conference_id": conference_id, "meeting_id": conference_id, "child_id": child,
            "conference_type": "review", "plan_id": plan, "held_date": held}


def test_review_timeliness_per_conference() -> None:
    rec = record(
        plans=[
            {"plan_id": "X1", "child_id": "C1", "start_date": D(2017, 1, 31)},
            {"plan_id": "X2", "child_id": "C2", "start_date": D(2017, 2, 15)},
            {"plan_id": "X3", "child_id": "C3", "start_date": D(2016, 1, 10)},
        ],
        conferences=[
            # X1 starts 31 Jan: first review due 30 April (month end); held 28 Apr: in time.
            _review("1", "C1", "X1", D(2017, 4, 28)),
            # Next due 28 Oct; held 30 Oct: late.
            _review("2", "C1", "X1", D(2017, 10, 30)),
            # Next due 30 April 2018; held 1 March: in time.
            _review("3", "C1", "X1", D(2018, 3, 1)),
            # X2 starts 15 Feb: due 15 May; held 16 May: late.
            _review("4", "C2", "X2", D(2017, 5, 16)),
            # X3: due 10 Apr 2016, held 8 Apr (year before); due 8 Oct, held 1 Oct; due 1 Apr 2017,
            # held 3 Apr 2017: late.
            _review("5", "C3", "X3", D(2016, 4, 8)),
            _review("6", "C3", "X3", D(2016, 10, 1)),
            _review("7", "C3", "X3", D(2017, 4, 3)),
        ],
    )
    # Held in the year: 1 (in), 2 (late), 3 (in), 4 (late), 7 (late): 2 of 5 = 40.0.
    assert review_timeliness(rec, YEAR).row(0, named=True) == {"reviews": 5, "in_time": 2, "percent": 40.0}
    history = review_history(rec, YEAR.end)
    assert history.filter(history["conference_id"] == "2")["due_date"].item() == D(2017, 10, 28)


def test_a_review_whose_previous_conference_is_not_in_the_record_is_not_judged() -> None:
    # As from a CIN census file: the record's reviews start in April 2017.
    rec = record(
        plans=[
            {"plan_id": "Y1", "child_id": "A", "start_date": D(2015, 6, 1)},
            {"plan_id": "Y2", "child_id": "B", "start_date": D(2017, 2, 1)},
        ],
        conferences=[
            # Y2's first review was due 1 May 2017, after the record's first review (20 April):
            # this is its first review, held in time. It names no plan: the child's plan that day.
            _review("1", "B", None, D(2017, 4, 20)),
            # Y1's first review was due in 2015: the review before 10 May 2017 is not in the record.
            _review("2", "A", "Y1", D(2017, 5, 10)),
            # Due 10 Nov (10 May + 6 months); held 9 Nov: in time.
            _review("3", "A", "Y1", D(2017, 11, 9)),
        ],
    )
    assert review_timeliness(rec, YEAR).row(0, named=True) == {"reviews": 2, "in_time": 2, "percent": 100.0}


def test_revcp_children_at_year_end_whose_reviews_were_all_in_time() -> None:
    rec = record(
        plans=[
            # D1: 31 Dec + 3 months = 31 March: lasted 3 months; first review due 31 March, not overdue.
            {"plan_id": "P1", "child_id": "D1", "start_date": D(2017, 12, 31)},
            # D2: 2 Jan + 3 months = 2 April: not yet 3 months, not counted.
            {"plan_id": "P2", "child_id": "D2", "start_date": D(2018, 1, 2)},
            # D3: reviewed 1 Sep (due 1 Sep); next due 1 March 2018 and not held: overdue.
            {"plan_id": "P3", "child_id": "D3", "start_date": D(2017, 6, 1)},
            # D4: one late review (30 Oct, due 28 Oct).
            {"plan_id": "P4", "child_id": "D4", "start_date": D(2017, 1, 31)},
            # D5: every review in time; next due 1 Aug 2018.
            {"plan_id": "P5", "child_id": "D5", "start_date": D(2016, 5, 10)},
            # D6: a late review on an earlier plan does not count against the current one.
            {"plan_id": "P6old", "child_id": "D6", "start_date": D(2016, 1, 4), "end_date": D(2017, 1, 1)},
            {"plan_id": "P6", "child_id": "D6", "start_date": D(2017, 6, 15)},
        ],
        conferences=[
            _review("31", "D3", "P3", D(2017, 9, 1)),
            _review("41", "D4", "P4", D(2017, 4, 28)),
            _review("42", "D4", "P4", D(2017, 10, 30)),
            _review("43", "D4", "P4", D(2018, 3, 1)),
            # 10 Aug 2016 (due 10 Aug), 9 Feb 2017 (due 10 Feb), 9 Aug (due 9 Aug), 1 Feb 2018 (due 9 Feb).
            _review("51", "D5", "P5", D(2016, 8, 10)),
            _review("52", "D5", "P5", D(2017, 2, 9)),
            _review("53", "D5", "P5", D(2017, 8, 9)),
            _review("54", "D5", "P5", D(2018, 2, 1)),
            # Old plan: due 4 April 2016, held 2 May 2016: late.
            _review("60", "D6", "P6old", D(2016, 5, 2)),
            # 14 Sep (due 15 Sep), 14 Mar 2018 (due 14 Mar): in time; next due 14 Sep 2018.
            _review("61", "D6", "P6", D(2017, 9, 14)),
            _review("62", "D6", "P6", D(2018, 3, 14)),
        ],
    )
    # Counted: D1 D3 D4 D5 D6 = 5; all in time and none overdue: D1 D5 D6 = 3 -> 60.0.
    assert review_timeliness_dfe(rec, YEAR).row(0, named=True) == {
        "children": 5, "all_in_time": 3, "percent": 60.0,
    }
