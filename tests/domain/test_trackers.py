"""Today's lists (cpqa.domain.trackers) on one small record, with dates worked out by hand.

Calendar facts used throughout (England, 2024): Good Friday 29 March and Easter Monday
1 April are bank holidays. "Today" is Friday 5 April 2024 unless a test says otherwise.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from cpqa.domain import trackers
from cpqa.domain.calendar import ENGLAND
from cpqa.domain.config import AuthorityConfig
from cpqa.domain.tables import Record

D = dt.date
TODAY = D(2024, 4, 5)

CONFIG = AuthorityConfig()


def _frame(rows: list[dict[str, object]]) -> pl.DataFrame:
    return pl.DataFrame(rows) if rows else pl.DataFrame()


def _conference(**values: object) -> dict[str, object]:
    row: dict[str, object] = {
        "conference_id": None, "meeting_id": None, "child_id": None, "conference_type": "initial",
        "due_date": None, "scheduled_date": None, "held_date": None, "s47_id": None, "plan_id": None,
        "outcome": None, "late_reason": None, "rearrangements": 0, "chair_id": None,
    }
    row.update(values)
    row["meeting_id"] = row["meeting_id"] or row["conference_id"]
    return row


def sample_record() -> Record:
    children = [
        {"child_id": f"C{n}", "first_name": f"Test{n}", "last_name": "Fakechild", "team": "Team Alpha"}
        for n in range(1, 13)
    ]
    s47 = [
        # A: strategy discussion Mon 18 Mar; notified next working day (on time).
        {"s47_id": "A", "child_id": "C1", "start_date": D(2024, 3, 18), "qa_notified_date": D(2024, 3, 19)},
        # B: Tue 2 Apr; notified Fri 5 Apr, 3 working days after.
        {"s47_id": "B", "child_id": "C2", "start_date": D(2024, 4, 2), "qa_notified_date": D(2024, 4, 5)},
        # C: Fri 1 Mar; notified Fri 15 Mar, 10 working days after; a conference is booked.
        {"s47_id": "C", "child_id": "C3", "start_date": D(2024, 3, 1), "qa_notified_date": D(2024, 3, 15)},
        # D: its initial conference was held on 20 March.
        {"s47_id": "D", "child_id": "C4", "start_date": D(2024, 3, 4)},
        # E: the enquiry found no conference was needed.
        {"s47_id": "E", "child_id": "C5", "start_date": D(2024, 3, 25), "icpc_not_required": True},
        # F: completed on 28 March, its conference not yet held: still awaiting (enquiries are
        # completed before their conference).
        {"s47_id": "F", "child_id": "C6", "start_date": D(2024, 3, 11), "completed_date": D(2024, 3, 28)},
        # G: starts after today.
        {"s47_id": "G", "child_id": "C7", "start_date": D(2024, 4, 8)},
        # H: notified late (16 Feb -> 1 Mar) but before the 4-week window (from 8 March).
        {"s47_id": "H", "child_id": "C8", "start_date": D(2024, 2, 16), "qa_notified_date": D(2024, 3, 1),
         "completed_date": D(2024, 3, 8), "icpc_not_required": True},
        # I: Thu 28 Mar, notified Tue 2 Apr: 5 calendar days but 1 working day over Easter.
        {"s47_id": "I", "child_id": "C9", "start_date": D(2024, 3, 28), "qa_notified_date": D(2024, 4, 2),
         "completed_date": D(2024, 4, 3), "icpc_not_required": True},
    ]
    plans = [
        # P1: started at an initial conference on 24 Jan, chaired by 7; no review yet.
        {"plan_id": "P1", "child_id": "C10", "start_date": D(2024, 1, 24)},
        # P2: started 31 Jul 2023, first review held 30 Oct 2023 by chair 8; next review booked.
        {"plan_id": "P2", "child_id": "C11", "start_date": D(2023, 7, 31)},
        # P3: started 20 Dec 2023 (chair 7), midway review held 5 Feb; first review now overdue.
        {"plan_id": "P3", "child_id": "C12", "start_date": D(2023, 12, 20)},
        # P4: started 6 Feb 2024: first review 6 May, beyond the 4 weeks to 3 May.
        {"plan_id": "P4", "child_id": "C4", "start_date": D(2024, 2, 6)},
        # P5: ended 1 March, so nothing is due for it.
        {"plan_id": "P5", "child_id": "C5", "start_date": D(2023, 9, 1), "end_date": D(2024, 3, 1)},
    ]
    conferences = [
        _conference(conference_id="K1", child_id="C3", s47_id="C", due_date=D(2024, 3, 22),
                    scheduled_date=D(2024, 4, 9), chair_id="7", rearrangements=1,
                    late_reason="late_notification"),
        _conference(conference_id="K2", child_id="C4", s47_id="D", due_date=D(2024, 3, 25),
                    scheduled_date=D(2024, 3, 20), held_date=D(2024, 3, 20), outcome="no_plan", chair_id="8",
                    rearrangements=2),
        _conference(conference_id="K3", child_id="C10", plan_id="P1", due_date=D(2024, 1, 24),
                    scheduled_date=D(2024, 1, 24), held_date=D(2024, 1, 24), outcome="plan", chair_id="7"),
        _conference(conference_id="K4", child_id="C11", plan_id="P2", conference_type="review",
                    due_date=D(2023, 10, 31), scheduled_date=D(2023, 10, 30), held_date=D(2023, 10, 30),
                    outcome="plan_continued", chair_id="8"),
        _conference(conference_id="K5", child_id="C11", plan_id="P2", conference_type="review",
                    due_date=D(2024, 4, 30), scheduled_date=D(2024, 4, 29), chair_id="8"),
        _conference(conference_id="K6", child_id="C12", plan_id="P3", due_date=D(2023, 12, 20),
                    scheduled_date=D(2023, 12, 20), held_date=D(2023, 12, 20), outcome="plan", chair_id="7"),
        # P4's initial conference, held 6 Feb with no outcome recorded yet.
        _conference(conference_id="K7", child_id="C4", plan_id="P4", due_date=D(2024, 2, 6),
                    scheduled_date=D(2024, 2, 6), held_date=D(2024, 2, 6), chair_id="8"),
        # Chair 7 this week (Mon 1 to Sun 7 April): one held Tue 2nd, one booked Thu 4th; one
        # originally for 10 April held early on Wed 3rd; one next Monday (not this week).
        _conference(conference_id="K8", meeting_id="M8", child_id="C1", conference_type="review",
                    scheduled_date=D(2024, 4, 2), held_date=D(2024, 4, 2), outcome="plan_continued",
                    chair_id="7", rearrangements=1, due_date=D(2024, 4, 3)),
        _conference(conference_id="K9", child_id="C2", conference_type="review", scheduled_date=D(2024, 4, 4),
                    chair_id="7"),
        _conference(conference_id="K10", child_id="C6", conference_type="review", scheduled_date=D(2024, 4, 10),
                    held_date=D(2024, 4, 3), outcome="plan_continued", chair_id="7"),
        _conference(conference_id="K11", child_id="C7", conference_type="review", scheduled_date=D(2024, 4, 8),
                    chair_id="7"),
        # Chair 8 on Wednesday; and a conference rearranged twice, held in February (too old).
        _conference(conference_id="K12", child_id="C8", conference_type="review", scheduled_date=D(2024, 4, 3),
                    chair_id="8"),
        _conference(conference_id="K13", child_id="C9", conference_type="review", due_date=D(2024, 2, 2),
                    scheduled_date=D(2024, 2, 1), held_date=D(2024, 2, 1), outcome="plan_continued",
                    chair_id="8", rearrangements=2),
    ]
    midway_reviews = [
        {"midway_id": "W1", "plan_id": "P3", "child_id": "C12", "due_date": D(2024, 2, 3),
         "held_date": D(2024, 2, 5), "chair_id": "7"},
    ]
    return Record.of(
        children=_frame(children),
        s47=_frame(s47),
        plans=_frame(plans),
        conferences=_frame(conferences),
        midway_reviews=_frame(midway_reviews),
    )


@pytest.fixture(scope="module")
def record() -> Record:
    return sample_record()


def test_awaiting_initial_conference_due_dates_and_statuses(record: Record) -> None:
    """A, B, C and F wait; due = strategy discussion + 15 working days, status as of Fri 5 April.

    C: Fri 1 Mar + 15 working days = Fri 22 Mar (4-8, 11-15, 18-22 March); booked for 9 April
       but due has passed -> overdue (overdue comes first, whatever is booked).
    F: Mon 11 Mar + 15 = Wed 3 Apr (12-15, 18-22, 25-28 March = 13; Good Friday 29 March and
       Easter Monday 1 April are bank holidays; 2, 3 April) -> overdue. Its completion date (28
       March) does not take it off: the enquiry was completed before its conference.
    A: Mon 18 Mar + 15 = Wed 10 Apr (19-22, 25-28 March = 8; 2-5 April = 12; 8, 9, 10 April)
       -> 3 working days after D (8, 9, 10) -> due soon.
    B: Tue 2 Apr + 15 = Tue 23 Apr (3-5, 8-12, 15-19, 22, 23 April) -> 12 away -> on track.
    D was held; E is "not required" with no date (closed on its start, 25 March); H and I were
    closed as not required on 8 March and 3 April; G starts after today.
    """
    awaiting = trackers.awaiting_initial_conference(record, TODAY, CONFIG)
    assert awaiting.select("s47_id", "due", "booked_for", "status").rows() == [
        ("C", D(2024, 3, 22), D(2024, 4, 9), "overdue"),
        ("F", D(2024, 4, 3), None, "overdue"),
        ("A", D(2024, 4, 10), None, "due_soon"),
        ("B", D(2024, 4, 23), None, "on_track"),
    ]
    assert awaiting["first_name"].to_list() == ["Test3", "Test6", "Test1", "Test2"]


def test_awaiting_on_the_due_date_is_due_soon_and_the_day_after_overdue(record: Record) -> None:
    """A is due 10 April: on that day it is due soon (0 working days left); on the 11th overdue."""
    on_the_day = trackers.awaiting_initial_conference(record, D(2024, 4, 10), CONFIG)
    after = trackers.awaiting_initial_conference(record, D(2024, 4, 11), CONFIG)
    assert on_the_day.filter(pl.col("s47_id") == "A")["status"].to_list() == ["due_soon"]
    assert after.filter(pl.col("s47_id") == "A")["status"].to_list() == ["overdue"]


def test_late_notifications_in_the_last_four_weeks(record: Record) -> None:
    """B (3 working days after, 2 late) and C (10 after, 9 late), newest first.

    B: left 12 working days from 5 April to its due date 23 April.
    C: left 5 working days from 15 March to its due date 22 March (18-22 March).
    A was notified 1 working day after (allowed); I 1 working day after over Easter; H late
    but notified on 1 March, before the window that opens on 8 March.
    """
    late = trackers.late_notifications(record, TODAY, ENGLAND)
    assert late.select("s47_id", "qa_notified_date", "working_days_late", "due_date", "working_days_left").rows() == [
        ("B", D(2024, 4, 5), 2, D(2024, 4, 23), 12),
        ("C", D(2024, 3, 15), 9, D(2024, 3, 22), 5),
    ]


def test_reviews_due_in_the_next_four_weeks(record: Record) -> None:
    """Open plans whose next review falls by D + 28 days = 3 May (or is overdue), with any booking.

    P3: started 20 Dec 2023, no review: due 20 Mar 2024 -> overdue.
    P1: started 24 Jan: due 24 Apr; 13 working days from 5 April (8-12, 15-19, 22-24) -> on track.
    P2: last review 30 Oct 2023 + 6 months = 30 Apr; booked for 29 Apr, before due -> booked.
    P4 (due 6 May) is beyond 3 May; P5 ended on 1 March.
    """
    due = trackers.reviews_due(record, TODAY, CONFIG)
    assert due.select("plan_id", "last_review", "due", "booked_for", "status").rows() == [
        ("P3", None, D(2024, 3, 20), None, "overdue"),
        ("P1", None, D(2024, 4, 24), None, "on_track"),
        ("P2", D(2023, 10, 30), D(2024, 4, 30), D(2024, 4, 29), "booked"),
    ]


def test_outcomes_missing_needs_no_held_date(record: Record) -> None:
    """Conferences dated on or before 5 April with no outcome: K7 (held 6 Feb, nothing recorded
    since), and the past conferences with nothing recorded at all, not even a held date: K12
    (booked Wed 3 April) and K9 (booked Thu 4 April). K1 (9 April), K11 (8 April) and K5 (29
    April) are still to come; every other past conference has its outcome."""
    missing = trackers.outcomes_missing(record, TODAY, CONFIG)
    assert missing.select("conference_id", "due", "status").rows() == [
        ("K7", D(2024, 2, 6), "overdue"),
        ("K12", D(2024, 4, 3), "overdue"),
        ("K9", D(2024, 4, 4), "overdue"),
    ]


def test_rearranged_conferences(record: Record) -> None:
    """Rearranged and still to be held (K1), or held since 8 March (K2 on 20 Mar, K8 on 2 Apr).

    K1 is now booked for 9 April against its original due date of 22 March: not in time.
    K2 was held 20 March, due 25 March: in time. K8 held 2 April, due 3 April: in time.
    K13 was held on 1 February, before the 4-week window.
    """
    moved = trackers.rearranged_conferences(record, TODAY)
    assert moved.select("conference_id", "rearrangements", "in_time").rows() == [
        ("K2", 2, True),
        ("K8", 1, True),
        ("K1", 1, False),
    ]


def test_week_runs_monday_to_sunday() -> None:
    """Friday 5 April 2024 is in the week of Monday 1 to Sunday 7 April; a Monday starts its own."""
    assert trackers.week_of(D(2024, 4, 5)) == (D(2024, 4, 1), D(2024, 4, 7))
    assert trackers.week_of(D(2024, 4, 8)) == (D(2024, 4, 8), D(2024, 4, 14))


def test_chair_conferences_for_the_next_four_weeks(record: Record) -> None:
    """Chair 7 from Fri 5 April to Thu 2 May (D and the 27 days after): K11 (Mon 8 April) and
    K1 (Tue 9 April). K8, K10 and K9 were before D; K12 and K5 are chair 8's."""
    mine = trackers.chair_conferences(record, "7", TODAY)
    assert mine.select("conference_id", "conference_date").rows() == [("K11", D(2024, 4, 8)), ("K1", D(2024, 4, 9))]
    # From Tue 12 March the four weeks end on Mon 8 April (the 27th day after): K8, K10, K9
    # and K11 are in them; K1 on Tue 9 April, the 28th day, is not.
    assert trackers.chair_conferences(record, "7", D(2024, 3, 12))["conference_id"].to_list() == [
        "K8", "K10", "K9", "K11"
    ]


def test_chair_midway_reviews_due(record: Record) -> None:
    """Chair 7's midway review for P1 is overdue; P3's was held; P2's belongs to chair 8.

    P1: from 24 Jan to the review due 24 Apr is 91 days (7 + 29 + 31 + 24); half, rounded
    down, is 45 days: 9 March -> overdue on 5 April.
    """
    mine = trackers.chair_midway_reviews_due(record, "7", TODAY, CONFIG)
    assert mine.select("plan_id", "due_date", "status").rows() == [("P1", D(2024, 3, 9), "overdue")]


def test_conferences_to_book(record: Record) -> None:
    """Unbooked: P3's review (20 Mar), F (3 Apr), A (10 Apr), B (23 Apr), P1's review (24 Apr) and
    P4's first review (6 Feb + 3 months = Mon 6 May, within D + 42 days = 17 May, though past
    the reviews-due list's 3 May).

    C's initial conference and P2's review are booked, so they are not listed. Statuses as for
    anything not done: P3 and F overdue, A due soon (3 working days), the rest on track.
    """
    to_book = trackers.to_book(record, TODAY, CONFIG)
    assert to_book.select("conference_type", "s47_id", "plan_id", "due", "status").rows() == [
        ("review", None, "P3", D(2024, 3, 20), "overdue"),
        ("initial", "F", None, D(2024, 4, 3), "overdue"),
        ("initial", "A", None, D(2024, 4, 10), "due_soon"),
        ("initial", "B", None, D(2024, 4, 23), "on_track"),
        ("review", None, "P1", D(2024, 4, 24), "on_track"),
        ("review", None, "P4", D(2024, 5, 6), "on_track"),
    ]


def test_count_by_status_keeps_zeros(record: Record) -> None:
    """The awaiting list counts 1 on track, 1 due soon, 2 overdue; an empty list counts zeros."""
    assert trackers.count_by_status(trackers.awaiting_initial_conference(record, TODAY, CONFIG)) == {
        "on_track": 1, "due_soon": 1, "overdue": 2, "booked_late": 0, "booked": 0,
    }
    assert trackers.count_by_status(trackers.awaiting_initial_conference(Record(), TODAY, CONFIG)) == {
        "on_track": 0, "due_soon": 0, "overdue": 0, "booked_late": 0, "booked": 0,
    }


def test_an_empty_record_gives_empty_lists() -> None:
    """Every list works on a record with no rows (a new authority's first day)."""
    empty = Record()
    for build in trackers.DAILY_LISTS.values():
        assert build(empty, TODAY, CONFIG).is_empty()
    assert trackers.late_notifications(empty, TODAY, ENGLAND).is_empty()
    assert trackers.daily_report(empty, TODAY, CONFIG) == {
        "as_of": "2024-04-05", "lists": {list_id: [] for list_id in trackers.DAILY_LISTS}
    }
    assert trackers.chair_midway_reviews_due(empty, "7", TODAY, CONFIG).is_empty()


def lateness_record() -> Record:
    """Conferences around the week of 1-7 April 2024, some late; reasons as recorded."""
    s47 = [
        {"s47_id": "S1", "child_id": "C1", "start_date": D(2024, 3, 11)},
        {"s47_id": "S2", "child_id": "C2", "start_date": D(2024, 3, 4)},
        {"s47_id": "S3", "child_id": "C3", "start_date": D(2024, 3, 15)},
        {"s47_id": "S4", "child_id": "C4", "start_date": D(2024, 3, 18)},
        {"s47_id": "S5", "child_id": "C5", "start_date": D(2024, 3, 1)},
    ]
    plans = [
        {"plan_id": "Q1", "child_id": "C6", "start_date": D(2024, 1, 2)},
        {"plan_id": "Q2", "child_id": "C7", "start_date": D(2023, 6, 15)},
    ]
    conferences = [
        _conference(conference_id="L1", child_id="C1", s47_id="S1", held_date=D(2024, 4, 4),
                    late_reason="chair_capacity"),
        _conference(conference_id="L2", child_id="C2", s47_id="S2", held_date=D(2024, 4, 5)),
        _conference(conference_id="L3", child_id="C3", s47_id="S3", held_date=D(2024, 4, 4)),
        _conference(conference_id="L4", child_id="C6", plan_id="Q1", conference_type="review",
                    held_date=D(2024, 4, 3), late_reason="rearranged_inquorate"),
        _conference(conference_id="L6", child_id="C7", plan_id="Q2", conference_type="review",
                    held_date=D(2023, 9, 14)),
        _conference(conference_id="L7", child_id="C7", plan_id="Q2", conference_type="review",
                    held_date=D(2024, 4, 2), late_reason="rearranged_family"),
        _conference(conference_id="L9", child_id="C4", s47_id="S4", held_date=D(2024, 4, 11)),
        _conference(conference_id="L10", child_id="C5", s47_id="S5", held_date=D(2024, 3, 27),
                    late_reason="late_notification"),
    ]
    return Record.of(s47=_frame(s47), plans=_frame(plans), conferences=_frame(conferences))


def test_held_late_in_a_week() -> None:
    """Week of 1-7 April 2024: L7, L4, L1 and L2 were held late; L3 was in time.

    L7: review; previous review 14 Sep 2023 + 6 months = 14 Mar; held 2 Apr: 11 working days
        late (15, 18-22, 25-28 March, 2 April; Easter 29 Mar and 1 Apr are holidays).
    L4: first review; plan start 2 Jan + 3 months = 2 Apr; held 3 Apr: 1 working day late.
    L1: s47 11 Mar + 15 working days = 3 Apr (12-15, 18-22, 25-28 Mar, 2-3 Apr); held 4 Apr: 1.
    L2: s47 4 Mar + 15 = 25 Mar; held 5 Apr: 7 (26-28 March, 2-5 April), no reason recorded.
    L3: s47 15 Mar + 15 = 9 Apr; held 4 Apr: in time.
    """
    late = trackers.held_late(lateness_record(), D(2024, 4, 1), D(2024, 4, 7), ENGLAND)
    assert late.select("conference_id", "conference_type", "due_date", "working_days_late", "late_reason").rows() == [
        ("L7", "review", D(2024, 3, 14), 11, "rearranged_family"),
        ("L4", "review", D(2024, 4, 2), 1, "rearranged_inquorate"),
        ("L1", "initial", D(2024, 4, 3), 1, "chair_capacity"),
        ("L2", "initial", D(2024, 3, 25), 7, None),
    ]


def test_held_late_in_a_month_and_across_the_year_end() -> None:
    """April 2024 adds L9 (due 10 Apr, held 11th); 25 Mar-7 Apr adds L10 from 2023-24 instead.

    L10: s47 1 Mar + 15 working days = 22 Mar; held 27 Mar: 3 working days late (25-27 Mar).
    """
    record = lateness_record()
    first, last = trackers.month_of(D(2024, 4, 17))
    assert (first, last) == (D(2024, 4, 1), D(2024, 4, 30))
    month = trackers.held_late(record, first, last, ENGLAND)
    assert month["conference_id"].to_list() == ["L7", "L4", "L1", "L2", "L9"]
    spanning = trackers.held_late(record, D(2024, 3, 25), D(2024, 4, 7), ENGLAND)
    assert spanning["conference_id"].to_list() == ["L10", "L7", "L4", "L1", "L2"]
    assert spanning.filter(pl.col("conference_id") == "L10")["working_days_late"].to_list() == [3]


def test_lateness_by_reason_puts_not_recorded_last() -> None:
    """Week of 1-7 April: initial 1 chair capacity, 1 not recorded; review 1 family, 1 inquorate."""
    late = trackers.held_late(lateness_record(), D(2024, 4, 1), D(2024, 4, 7), ENGLAND)
    assert trackers.lateness_by_reason(late).rows() == [
        ("initial", "chair_capacity", 1),
        ("initial", None, 1),
        ("review", "rearranged_family", 1),
        ("review", "rearranged_inquorate", 1),
    ]


def test_held_late_refuses_a_backwards_period() -> None:
    """A period that ends before it starts is an error naming both dates."""
    with pytest.raises(ValueError, match="2024-04-01"):
        trackers.held_late(Record(), D(2024, 4, 7), D(2024, 4, 1), ENGLAND)


def test_a_past_day_reads_as_it_did_then(record: Record) -> None:
    """On 19 March, D's conference (held 20 March) was still awaited, booked for the 20th.

    D: strategy discussion Mon 4 Mar + 15 working days = Mon 25 Mar; booked for the 20th, on or
    before due -> booked.
    """
    awaiting = trackers.awaiting_initial_conference(record, D(2024, 3, 19), CONFIG)
    assert awaiting.filter(pl.col("s47_id") == "D").select("due", "booked_for", "status").rows() == [
        (D(2024, 3, 25), D(2024, 3, 20), "booked")
    ]


def test_transfer_in_notifications_wait_to_be_booked() -> None:
    """A notification received Fri 15 Dec 2017 is due 15 working days later, Wed 10 Jan 2018
    (25, 26 Dec and 1 Jan are bank holidays). On Mon 8 Jan that is 2 working days away: due
    soon. A notification already answered by a booked transfer-in conference is not listed, nor
    one received after today."""
    record = Record.of(
        children=pl.DataFrame({"child_id": ["TR1", "TR2", "TR3"]}),
        transfer_notifications=pl.DataFrame(
            {"notification_id": ["n1", "n2", "n3"], "child_id": ["TR1", "TR2", "TR3"],
             "received_date": [dt.date(2017, 12, 15), dt.date(2017, 12, 18), dt.date(2018, 1, 9)]}
        ),
        conferences=pl.DataFrame(
            {"conference_id": ["c2"], "meeting_id": ["m2"], "child_id": ["TR2"], "conference_type": ["transfer_in"],
             "scheduled_date": [dt.date(2018, 1, 9)], "notification_id": ["n2"]}
        ),
    )
    to_book = trackers.to_book(record, dt.date(2018, 1, 8), CONFIG)
    assert to_book.select("conference_type", "child_id", "due", "status").rows() == [
        ("transfer_in", "TR1", dt.date(2018, 1, 10), "due_soon")
    ]
