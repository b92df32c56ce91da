"""The daily lists' edge cases (cpqa.domain.trackers), each worked by hand from the definitions.

England's bank holidays used: Good Friday 29 March and Easter Monday 1 April 2024; Christmas
Day 25 December, Boxing Day 26 December 2023 and New Year's Day 1 January 2024.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from cpqa.domain import trackers
from cpqa.domain.calendar import ENGLAND
from cpqa.domain.config import AuthorityConfig
from cpqa.domain.tables import Record
from cpqa.domain.timescales import awaited_conference_status, status_on

D = dt.date
CONFIG = AuthorityConfig()


def _record(**tables: list[dict[str, object]]) -> Record:
    return Record.of(**{name: pl.DataFrame(rows) for name, rows in tables.items() if rows})


def test_an_enquiry_completed_before_its_conference_still_awaits_it() -> None:
    """Strategy discussion Mon 4 March 2024, enquiry completed Fri 15 March, conference booked
    for Mon 25 March. Due: 4 March + 15 working days = Mon 25 March (5-8, 11-15, 18-22, 25).
    On Wed 20 March it awaits the conference, booked on its due date -> booked. Once held on the
    25th it leaves the list; closed as "not required" on the 15th it would have left then."""
    tables = {
        "s47": [{"s47_id": "S1", "child_id": "C1", "start_date": D(2024, 3, 4), "completed_date": D(2024, 3, 15)}],
        "conferences": [{"conference_id": "K1", "meeting_id": "K1", "child_id": "C1", "conference_type": "initial",
                         "s47_id": "S1", "scheduled_date": D(2024, 3, 25)}],
    }
    awaiting = trackers.awaiting_initial_conference(_record(**tables), D(2024, 3, 20), CONFIG)
    assert awaiting.select("child_id", "due", "booked_for", "status").rows() == [
        ("C1", D(2024, 3, 25), D(2024, 3, 25), "booked")
    ]
    tables["conferences"][0]["held_date"] = D(2024, 3, 25)
    assert trackers.awaiting_initial_conference(_record(**tables), D(2024, 3, 25), CONFIG).is_empty()
    closed = {"s47": [{**tables["s47"][0], "icpc_not_required": True}]}
    assert trackers.awaiting_initial_conference(_record(**closed), D(2024, 3, 14), CONFIG).height == 1
    assert trackers.awaiting_initial_conference(_record(**closed), D(2024, 3, 15), CONFIG).is_empty()


def test_an_enquiry_whose_episode_closed_is_not_awaiting() -> None:
    """An episode closed on Tue 12 March 2024 is not open on the 12th (open means closure after D)."""
    tables = {
        "episodes": [{"episode_id": "E1", "child_id": "C1", "referral_date": D(2024, 3, 1),
                      "closure_date": D(2024, 3, 12)}],
        "s47": [{"s47_id": "S1", "episode_id": "E1", "child_id": "C1", "start_date": D(2024, 3, 4)}],
    }
    assert trackers.awaiting_initial_conference(_record(**tables), D(2024, 3, 11), CONFIG).height == 1
    assert trackers.awaiting_initial_conference(_record(**tables), D(2024, 3, 12), CONFIG).is_empty()


def test_a_conference_booked_after_its_due_date_is_booked_late_never_on_track() -> None:
    """Strategy discussion Fri 1 March 2024 -> due Fri 22 March. Booked for Tue 9 April. On Wed
    6 March (12 working days before due, otherwise on track) it is booked late; after the due
    date it is overdue. The same enquiry booked for 21 March is booked."""
    tables = {
        "s47": [{"s47_id": "S1", "child_id": "C1", "start_date": D(2024, 3, 1)}],
        "conferences": [{"conference_id": "K1", "meeting_id": "K1", "child_id": "C1", "conference_type": "initial",
                         "s47_id": "S1", "scheduled_date": D(2024, 4, 9)}],
    }
    def status_on_day(day: dt.date) -> list[str]:
        return trackers.awaiting_initial_conference(_record(**tables), day, CONFIG)["status"].to_list()

    assert status_on_day(D(2024, 3, 6)) == ["booked_late"]
    assert status_on_day(D(2024, 3, 22)) == ["booked_late"]
    assert status_on_day(D(2024, 3, 25)) == ["overdue"]
    tables["conferences"][0]["scheduled_date"] = D(2024, 3, 21)
    assert status_on_day(D(2024, 3, 6)) == ["booked"]


def test_a_review_booked_after_its_due_date_is_booked_late() -> None:
    """Plan started Wed 10 Jan 2024: first review due Wed 10 April; booked for Fri 12 April.
    On Fri 5 April (due within the 28 days) it is booked late, not on track."""
    tables = {
        "plans": [{"plan_id": "P1", "child_id": "C1", "start_date": D(2024, 1, 10)}],
        "conferences": [{"conference_id": "K1", "meeting_id": "K1", "child_id": "C1", "conference_type": "review",
                         "plan_id": "P1", "scheduled_date": D(2024, 4, 12)}],
    }
    due = trackers.reviews_due(_record(**tables), D(2024, 4, 5), CONFIG)
    assert due.select("due", "booked_for", "status").rows() == [(D(2024, 4, 10), D(2024, 4, 12), "booked_late")]
    assert trackers.to_book(_record(**tables), D(2024, 4, 5), CONFIG).is_empty()


def test_a_transfer_in_already_held_is_not_to_book() -> None:
    """Notification received Mon 4 March 2024 for T1; its transfer-in conference was held on
    Tue 19 March without naming the notification, so nothing is to book on 5 April (the issue's
    held transfer-ins shown overdue). T2's notification (Mon 18 March) has no conference: due
    18 March + 15 working days = Wed 10 April (19-22, 25-28 March, 2-5, 8-10 April; Easter
    29 March and 1 April) -> 3 working days after Fri 5 April (8-10) -> due soon. T3 is already
    on this authority's plan, so its notification needs no conference. T4's notification
    arrives after D."""
    tables = {
        "children": [{"child_id": c} for c in ("T1", "T2", "T3", "T4")],
        "transfer_notifications": [
            {"notification_id": "N1", "child_id": "T1", "received_date": D(2024, 3, 4)},
            {"notification_id": "N2", "child_id": "T2", "received_date": D(2024, 3, 18)},
            {"notification_id": "N3", "child_id": "T3", "received_date": D(2024, 3, 18)},
            {"notification_id": "N4", "child_id": "T4", "received_date": D(2024, 4, 8)},
        ],
        "conferences": [{"conference_id": "K1", "meeting_id": "K1", "child_id": "T1", "conference_type": "transfer_in",
                         "scheduled_date": D(2024, 3, 19), "held_date": D(2024, 3, 19), "outcome": "plan"}],
        "plans": [{"plan_id": "P3", "child_id": "T3", "start_date": D(2023, 6, 1)}],
    }
    to_book = trackers.to_book(_record(**tables), D(2024, 4, 5), CONFIG)
    transfers = to_book.filter(pl.col("conference_type") == "transfer_in")
    assert transfers.select("child_id", "notification_received", "due", "status").rows() == [
        ("T2", D(2024, 3, 18), D(2024, 4, 10), "due_soon")
    ]


def test_a_past_conference_with_nothing_recorded_is_missing_its_outcome() -> None:
    """Booked for Tue 2 April 2024, no held date and no outcome: on the 2nd it is on the list
    (dated on or before D), on the 1st it is not yet; a transfer-out is another authority's."""
    tables = {
        "conferences": [
            {"conference_id": "K1", "meeting_id": "M1", "child_id": "C1", "conference_type": "review",
             "scheduled_date": D(2024, 4, 2)},
            {"conference_id": "K2", "meeting_id": "M1", "child_id": "C2", "conference_type": "review",
             "scheduled_date": D(2024, 4, 2), "held_date": D(2024, 4, 2), "outcome": "plan_continued"},
            {"conference_id": "K3", "meeting_id": "M3", "child_id": "C3", "conference_type": "transfer_out",
             "scheduled_date": D(2024, 3, 1)},
        ]
    }
    assert trackers.outcomes_missing(_record(**tables), D(2024, 4, 1), CONFIG).is_empty()
    missing = trackers.outcomes_missing(_record(**tables), D(2024, 4, 2), CONFIG)
    assert missing.select("child_id", "due", "status").rows() == [("C1", D(2024, 4, 2), "overdue")]
    assert trackers.report_rows("outcomes_missing", missing) == [
        {"child": "C1", "due": "2024-04-02", "status": "overdue", "conference_type": "review"}
    ]


def _escalations() -> Record:
    """E1 about two siblings, raised by chair 7, stage 1 response due Fri 5 April 2024; E2 by
    chair 8, stage 2 response due Tue 9 April; E3's stage 1 was answered (response recorded)."""
    return _record(
        escalations=[{"escalation_id": e, "raised_by": by, "raised_date": D(2024, 3, 1), "stage_raised": 1}
                     for e, by in (("E1", "7"), ("E2", "8"), ("E3", "7"))],
        escalation_children=[{"escalation_id": e, "child_id": c}
                             for e, c in (("E1", "C2"), ("E1", "C1"), ("E2", "C3"), ("E3", "C4"))],
        escalation_stages=[
            {"escalation_id": "E1", "stage": 1, "started_date": D(2024, 3, 1), "response_due_date": D(2024, 4, 5)},
            {"escalation_id": "E2", "stage": 2, "started_date": D(2024, 3, 1), "response_due_date": D(2024, 4, 9)},
            {"escalation_id": "E3", "stage": 1, "started_date": D(2024, 3, 1), "response_due_date": D(2024, 3, 8),
             "response_date": D(2024, 3, 8)},
        ],
    )


def test_an_escalation_due_today_is_not_overdue_until_tomorrow() -> None:
    """E1's response is due Fri 5 April: on the 5th it is not overdue; on Mon 8 April it is, one
    row for the stage (not one per sibling), shown by its first child C1. E3 was answered."""
    record = _escalations()
    assert trackers.escalation_responses_overdue(record, D(2024, 4, 5), CONFIG).is_empty()
    overdue = trackers.escalation_responses_overdue(record, D(2024, 4, 8), CONFIG)
    assert overdue.select("escalation", "stage", "child_id", "children", "due").rows() == [
        ("E1", 1, "C1", ["C1", "C2"], D(2024, 4, 5))
    ]
    assert trackers.report_rows("escalation_responses_overdue", overdue) == [
        {"child": "C1", "due": "2024-04-05", "status": "overdue", "escalation": "E1", "stage": 1}
    ]


def test_the_chairs_responses_due_within_three_working_days() -> None:
    """On Fri 5 April: E1 due that day (0 working days after D) -> due soon; E2 due Tue 9 April
    (8, 9: 2 working days) -> due soon. On Wed 3 April E2 is 4 working days away (4, 5, 8, 9):
    not within 3, so only E1 (2 working days: 4, 5) is listed."""
    record = _escalations()
    awaited = trackers.escalation_responses_awaited(record, D(2024, 4, 5), CONFIG, within_working_days=3)
    assert awaited.select("escalation", "raised_by", "status").rows() == [("E1", "7", "due_soon"), ("E2", "8", "due_soon")]
    earlier = trackers.escalation_responses_awaited(record, D(2024, 4, 3), CONFIG, within_working_days=3)
    assert earlier["escalation"].to_list() == ["E1"]


def test_a_due_date_on_a_saturday_after_three_working_days_is_due_soon() -> None:
    """Last review Fri 13 Oct 2023 + 6 months = Sat 13 April 2024. On Tue 9 April, the working
    days after D up to the Saturday are Wed 10, Thu 11, Fri 12: three -> due soon (it must be met
    by the Friday). On Mon 8 April there are four -> on track."""
    tables = {
        "plans": [{"plan_id": "P1", "child_id": "C1", "start_date": D(2023, 7, 13)}],
        "conferences": [{"conference_id": "K1", "meeting_id": "K1", "child_id": "C1", "conference_type": "review",
                         "plan_id": "P1", "scheduled_date": D(2023, 10, 13), "held_date": D(2023, 10, 13),
                         "outcome": "plan_continued"}],
    }
    on_tuesday = trackers.reviews_due(_record(**tables), D(2024, 4, 9), CONFIG)
    assert on_tuesday.select("due", "status").rows() == [(D(2024, 4, 13), "due_soon")]
    assert trackers.reviews_due(_record(**tables), D(2024, 4, 8), CONFIG)["status"].to_list() == ["on_track"]


def test_due_soon_over_easter_and_christmas() -> None:
    """Thu 28 March 2024 to Wed 3 April: 2 and 3 April are the only working days after it
    (29 March and 1 April are bank holidays) -> due soon; Thu 4 April is the third -> due soon;
    Fri 5 April the fourth -> on track. Fri 22 Dec 2023 to Thu 28 Dec: 27, 28 (25, 26 bank
    holidays) -> due soon; to Wed 3 Jan 2024: 27, 28, 29 Dec, 2, 3 Jan (1 Jan a bank holiday)
    -> five, on track."""
    assert status_on(D(2024, 4, 3), D(2024, 3, 28), ENGLAND).value == "due_soon"
    assert status_on(D(2024, 4, 4), D(2024, 3, 28), ENGLAND).value == "due_soon"
    assert status_on(D(2024, 4, 5), D(2024, 3, 28), ENGLAND).value == "on_track"
    assert status_on(D(2023, 12, 28), D(2023, 12, 22), ENGLAND).value == "due_soon"
    assert status_on(D(2024, 1, 3), D(2023, 12, 22), ENGLAND).value == "on_track"
    # The order of the statuses: overdue beats a booking; a booking beats due soon.
    assert awaited_conference_status(D(2024, 4, 3), D(2024, 4, 2), D(2024, 4, 4), ENGLAND).value == "overdue"
    assert awaited_conference_status(D(2024, 4, 3), D(2024, 4, 2), D(2024, 3, 28), ENGLAND).value == "booked"


def test_an_enquiry_over_christmas_and_at_a_month_end() -> None:
    """Strategy discussion Mon 18 Dec 2023 + 15 working days: 19-22 Dec (4), 27-29 Dec (7),
    2-5 Jan (11), 8-11 Jan (15) = Thu 11 Jan 2024. Strategy discussion Wed 10 Jan + 15: 11-12
    (2), 15-19 (7), 22-26 (12), 29-31 (15) = Wed 31 Jan: due soon on the 31st (its due day),
    overdue on Thu 1 February."""
    tables = {"s47": [{"s47_id": "S1", "child_id": "C1", "start_date": D(2023, 12, 18)},
                      {"s47_id": "S2", "child_id": "C2", "start_date": D(2024, 1, 10)}]}
    on_the_31st = trackers.awaiting_initial_conference(_record(**tables), D(2024, 1, 31), CONFIG)
    assert on_the_31st.select("s47_id", "due", "status").rows() == [
        ("S1", D(2024, 1, 11), "overdue"), ("S2", D(2024, 1, 31), "due_soon"),
    ]
    on_the_1st = trackers.awaiting_initial_conference(_record(**tables), D(2024, 2, 1), CONFIG)
    assert on_the_1st["status"].to_list() == ["overdue", "overdue"]


def test_a_review_due_at_a_month_end() -> None:
    """Last review Thu 31 Aug 2023 + 6 months = Thu 29 Feb 2024 (the month's last day); on Mon
    26 February it is 3 working days away (27, 28, 29) -> due soon; unbooked, it is to book."""
    tables = {
        "plans": [{"plan_id": "P1", "child_id": "C1", "start_date": D(2023, 5, 31)}],
        "conferences": [{"conference_id": "K1", "meeting_id": "K1", "child_id": "C1", "conference_type": "review",
                         "plan_id": "P1", "scheduled_date": D(2023, 8, 31), "held_date": D(2023, 8, 31),
                         "outcome": "plan_continued"}],
    }
    record = _record(**tables)
    assert trackers.reviews_due(record, D(2024, 2, 26), CONFIG).select("due", "status").rows() == [
        (D(2024, 2, 29), "due_soon")
    ]
    assert trackers.report_rows("to_book", trackers.to_book(record, D(2024, 2, 26), CONFIG)) == [
        {"child": "C1", "due": "2024-02-29", "status": "due_soon", "conference_type": "review",
         "enquiry_start": None, "plan_start": "2023-05-31"}
    ]


def test_long_plans_by_band() -> None:
    """On Fri 5 April 2024 (D - 12 months = 5 April 2023):
    L1 from 6 April 2022: 365 + 365 days (2024's 29 Feb included) = 730 -> 2 years or more.
    L2 from 7 April 2022: 729 days; + 18 months = 7 Oct 2023 <= D -> 18 months to 2 years.
    L3 from 5 Oct 2022: + 18 months = 5 April 2024 = D -> 18 months to 2 years.
    L4 from 6 Oct 2022: + 18 months = 6 April 2024 > D -> 12 to 18 months.
    L5 from 5 April 2023 (= D - 12 months) -> 12 to 18 months. L6 from 6 April 2023: not yet.
    L7 from 2021 but ended 1 March 2024: not open."""
    starts = {"L1": D(2022, 4, 6), "L2": D(2022, 4, 7), "L3": D(2022, 10, 5), "L4": D(2022, 10, 6),
              "L5": D(2023, 4, 5), "L6": D(2023, 4, 6)}
    plans = [{"plan_id": p, "child_id": f"C{p}", "start_date": start} for p, start in starts.items()]
    plans.append({"plan_id": "L7", "child_id": "CL7", "start_date": D(2021, 1, 1), "end_date": D(2024, 3, 1)})
    long = trackers.long_plans(_record(plans=plans), D(2024, 4, 5), CONFIG)
    assert long.select("plan_id", "days_on_plan", "band").rows() == [
        ("L1", 730, "2_years_or_more"),
        ("L2", 729, "18_months_to_2_years"),
        ("L3", 548, "18_months_to_2_years"),
        ("L4", 547, "12_to_18_months"),
        ("L5", 366, "12_to_18_months"),
    ]
    assert trackers.report_rows("long_plans", long)[0] == {
        "child": "CL1", "due": None, "band": "2_years_or_more", "plan_start": "2022-04-06"
    }


def test_documents_due_within_five_working_days() -> None:
    """On Thu 28 March 2024, D + 5 working days = Mon 8 April (2, 3, 4, 5 and 8 April: Good
    Friday 29 March and Easter Monday 1 April do not count). Listed: minutes due 8 April (5 working days after D: on track), a letter due 2 April
    (1 working day after D: due soon) and one due 27 March (overdue); a letter sent on 29 March, after D,
    was not sent on D. Not listed: minutes due Tue 9 April, a letter sent 27 March, invitations
    with no due date yet."""
    documents = pl.DataFrame({
        "child_id": ["C1", "C2", "C3", "C4", "C5", "C6", "C7"],
        "conference": ["K1", "K2", "K3", "K4", "K5", "K6", "K7"],
        "document": ["minutes", "decision_letter", "decision_letter", "decision_letter", "minutes",
                     "decision_letter", "invitations"],
        "due": [D(2024, 4, 8), D(2024, 4, 2), D(2024, 3, 27), D(2024, 3, 27), D(2024, 4, 9), D(2024, 3, 26), None],
        "sent_date": [None, None, None, D(2024, 3, 29), None, D(2024, 3, 27), None],
    }, schema_overrides={"due": pl.Date, "sent_date": pl.Date})
    due = trackers.documents_due(documents, D(2024, 3, 28), CONFIG)
    assert due.select("child_id", "document", "due", "status").rows() == [
        ("C3", "decision_letter", D(2024, 3, 27), "overdue"),
        ("C4", "decision_letter", D(2024, 3, 27), "overdue"),
        ("C2", "decision_letter", D(2024, 4, 2), "due_soon"),
        ("C1", "minutes", D(2024, 4, 8), "on_track"),
    ]
