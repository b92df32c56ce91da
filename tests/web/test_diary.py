"""The conference diary on a fixed day, Thursday 29 March 2018 (the demo's day): one conference
per status worked by hand from the rule (docs/definitions.md#conference-diary), the week and
month boundaries, the filters, narrowing, logging and bad input.

The conferences (all fake). Chair A is the chair user's staff record; chair B is another chair.
- C1 Monday 26 March 10:00, Room 1, chair A, initial, held that day with an outcome: date on or
  before D and every child has an outcome, so **held**.
- C2 Wednesday 28 March 14:00, chair A, review of two siblings, held with an outcome for one only:
  date on or before D, one child without an outcome, so **outcome missing** (2 children).
- C3 Tuesday 27 March, chair B, review, cancelled: **cancelled** whatever its date.
- C4 first booked for Thursday 29 March, moved to Tuesday 3 April, chair B: after D and moved
  once, so **rearranged** (first booked for 29 March 2018).
- C5 Wednesday 4 April 09:30, chair A, transfer-in: after D, never moved, so **booked**.
- C6 Thursday 1 March, chair B, held with an outcome (**held**): the first day of March.
- C7 Wednesday 28 February, chair B, held with an outcome: the day before March begins.
The week of D runs Monday 26 March to Sunday 1 April: C1, C3, C2 (by date). The next week, 2 to
8 April: C4, C5. March: C6, C1, C3, C2. April: C4, C5.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import polars as pl
import pytest
from django.db.models import Max
from django.test import Client
from django.urls import reverse

from cpqa.accounts.models import AccessEvent, Role
from cpqa.domain import diary
from cpqa.record import models as m
from tests.support.html import tables, text

D = dt.date
SERVICE_DAY = "2018-03-29"
TODAY = D(2018, 3, 29)


# --- The rule, on tables ------------------------------------------------------------------


def _rows(*rows: dict[str, Any]) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema={c: diary.DIARY_INPUT_SCHEMA[c] for c in rows[0]})


def test_each_status_by_the_rule_on_a_fixed_day() -> None:
    base = {"conference_type": "review", "chair_id": "1", "cancelled": False, "rearrangements": 0,
            "held_date": None, "outcome": None}
    frame = pl.DataFrame(
        [
            {**base, "meeting_id": "1", "child_id": "a", "scheduled_date": D(2018, 3, 26),
             "held_date": D(2018, 3, 26), "outcome": "plan_continued"},
            {**base, "meeting_id": "2", "child_id": "b", "scheduled_date": D(2018, 3, 28),
             "held_date": D(2018, 3, 28), "outcome": "plan_continued"},
            {**base, "meeting_id": "2", "child_id": "c", "scheduled_date": D(2018, 3, 28),
             "held_date": D(2018, 3, 28)},
            {**base, "meeting_id": "3", "child_id": "d", "scheduled_date": D(2018, 3, 27), "cancelled": True},
            {**base, "meeting_id": "4", "child_id": "e", "scheduled_date": D(2018, 4, 3), "rearrangements": 1},
            {**base, "meeting_id": "5", "child_id": "f", "scheduled_date": D(2018, 4, 4)},
            # Booked for D itself with nothing recorded: on D it is on Today's list of conferences
            # with no outcome, so the diary says outcome missing too.
            {**base, "meeting_id": "6", "child_id": "g", "scheduled_date": TODAY},
            # A transfer-out is the other authority's: nothing is owed, so once past it is held.
            {**base, "meeting_id": "7", "child_id": "h", "scheduled_date": D(2018, 3, 20),
             "conference_type": "transfer_out"},
        ],
        schema={c: diary.DIARY_INPUT_SCHEMA[c] for c in [*base, "meeting_id", "child_id", "scheduled_date"]},
    )
    entries = diary.diary_entries(frame, TODAY)
    assert entries.select("meeting_id", "status", "children", "children_without_outcome").rows() == [
        ("7", "held", 1, 0),
        ("1", "held", 1, 0),
        ("3", "cancelled", 1, 1),
        ("2", "outcome_missing", 2, 1),
        ("6", "outcome_missing", 1, 1),
        ("4", "rearranged", 1, 1),
        ("5", "booked", 1, 1),
    ]
    assert diary.count_by_status(entries) == {
        "booked": 1, "rearranged": 1, "held": 2, "outcome_missing": 2, "cancelled": 1
    }


def test_the_held_date_is_the_conference_date_and_both_ends_of_the_range_count() -> None:
    frame = _rows(
        # Booked for Friday 23 March, held Monday 26 March: its date is the 26th.
        {"meeting_id": "1", "child_id": "a", "conference_type": "initial", "scheduled_date": D(2018, 3, 23),
         "held_date": D(2018, 3, 26), "outcome": "plan"},
        {"meeting_id": "2", "child_id": "b", "conference_type": "initial", "scheduled_date": D(2018, 4, 1)},
        {"meeting_id": "3", "child_id": "c", "conference_type": "initial", "scheduled_date": D(2018, 4, 2)},
        {"meeting_id": "4", "child_id": "d", "conference_type": "initial", "scheduled_date": None},
    )
    monday, sunday = D(2018, 3, 26), D(2018, 4, 1)
    week = diary.diary_entries(frame, TODAY, monday, sunday)
    assert week.select("meeting_id", "date").rows() == [("1", monday), ("2", sunday)]
    # A record's conferences table (no office columns) fits: nothing cancelled, times unknown.
    assert week["scheduled_time"].to_list() == [None, None]
    # With no range, a conference with no date yet is still listed (last), as booked.
    assert diary.diary_entries(frame, TODAY).select("meeting_id", "status").rows()[-1] == ("4", "booked")


def test_filters_by_chair_type_and_status() -> None:
    frame = _rows(
        {"meeting_id": "1", "child_id": "a", "conference_type": "initial", "chair_id": "7",
         "scheduled_date": D(2018, 4, 3)},
        {"meeting_id": "2", "child_id": "b", "conference_type": "review", "chair_id": "8",
         "scheduled_date": D(2018, 4, 3)},
    )
    assert diary.diary_entries(frame, TODAY, chair_ids=["8"])["meeting_id"].to_list() == ["2"]
    assert diary.diary_entries(frame, TODAY, conference_types=["initial"])["meeting_id"].to_list() == ["1"]
    assert diary.diary_entries(frame, TODAY, statuses=["held"]).height == 0


# --- The page ----------------------------------------------------------------------------


@pytest.fixture
def diary_world(world: dict[str, int], settings: Any) -> dict[str, Any]:
    """The conferences above, beside the sample world (whose conferences are in 2024)."""
    settings.CPQA_TODAY = SERVICE_DAY
    chair_a = m.StaffMember.objects.get(name="Chair Testperson")  # the chair user's staff record
    chair_b = m.StaffMember.objects.create(name="Chair Otherperson", role="chair")
    team = m.Team.objects.get(name="Team Alpha (test)")
    made: dict[str, Any] = {"chair_a": chair_a, "chair_b": chair_b}

    def conference(key: str, kind: str, chair: m.StaffMember, scheduled: dt.date, *, held: bool = False,
                   outcomes: tuple[str | None, ...] = ("plan",), **extra: Any) -> m.Conference:
        made[key] = meeting = m.Conference.objects.create(
            conference_type=kind, scheduled_date=scheduled, held_date=scheduled if held else None, chair=chair,
            **extra,
        )
        for index, outcome in enumerate(outcomes):
            child = m.Child.objects.create(
                local_id=f"DIARY-{key}-{index}", first_name="Fakename", last_name="Diarychild",
                date_of_birth=D(2012, 6, 1), team=team,
            )
            m.ConferenceSubject.objects.create(conference=meeting, child=child, outcome=outcome or "")
        return meeting

    conference("C1", "initial", chair_a, D(2018, 3, 26), held=True, scheduled_time=dt.time(10), venue="Room 1 (fake)")
    conference("C2", "review", chair_a, D(2018, 3, 28), held=True, outcomes=("plan_continued", None),
               scheduled_time=dt.time(14))
    conference("C3", "review", chair_b, D(2018, 3, 27), outcomes=(None,), cancelled=True)
    c4 = conference("C4", "review", chair_b, D(2018, 4, 3), outcomes=(None,))
    m.Rearrangement.objects.create(conference=c4, from_date=D(2018, 3, 29), to_date=D(2018, 4, 3),
                                   reason="chair_capacity")
    conference("C5", "transfer_in", chair_a, D(2018, 4, 4), outcomes=(None,), scheduled_time=dt.time(9, 30))
    conference("C6", "review", chair_b, D(2018, 3, 1), held=True, outcomes=("plan_continued",))
    conference("C7", "review", chair_b, D(2018, 2, 28), held=True, outcomes=("plan_continued",))
    return made


def _entries(page: str) -> list[list[str]]:
    """Every diary row as [day, time, conference, venue, chair, children, status]."""
    rows = []
    for caption, table in tables(page).items():
        for row in table[1:]:
            if row != ["No conferences"]:
                rows.append([caption, *row])
    return rows


def _diary(client: Client, **query: Any) -> str:
    response = client.get(reverse("diary"), query)
    assert response.status_code == 200
    return response.content.decode()


def _on(day: dt.date) -> dict[str, int]:
    return {"on_day": day.day, "on_month": day.month, "on_year": day.year}


def test_the_week_of_the_service_day_with_one_status_each(
    diary_world: dict[str, Any], client_for: Callable[[str | None], Client]
) -> None:
    page = _diary(client_for(Role.BUSINESS_SUPPORT))
    assert "Week of Monday 26 March 2018" in text(page)
    assert _entries(page) == [
        ["Monday 26 March 2018", "10:00", "Initial child protection conference", "Room 1 (fake)",
         "Chair Testperson", "1", "Held"],
        ["Tuesday 27 March 2018", "Time not set", "Review child protection conference", "Not set",
         "Chair Otherperson", "1", "Cancelled"],
        ["Wednesday 28 March 2018", "14:00", "Review child protection conference", "Not set",
         "Chair Testperson", "2", "Outcome missing"],
    ]
    # Every day of the week is listed, with nothing on the other four.
    assert [caption for caption in tables(page)] == [
        "Monday 26 March 2018", "Tuesday 27 March 2018", "Wednesday 28 March 2018", "Thursday 29 March 2018",
        "Friday 30 March 2018", "Saturday 31 March 2018", "Sunday 1 April 2018",
    ]
    assert "3 conferences in these dates: booked 0, rearranged 0, held 1, outcome missing 1, cancelled 1." in text(page)
    link = reverse("conference_detail", args=[diary_world["C1"].pk])
    assert f'href="{link}"' in page


def test_the_next_week_has_the_rearranged_and_the_booked_conference(
    diary_world: dict[str, Any], client_for: Callable[[str | None], Client]
) -> None:
    page = _diary(client_for(Role.QA_MANAGER), view="week", **_on(D(2018, 4, 2)))
    assert [row[0::6] for row in _entries(page)] == [
        ["Tuesday 3 April 2018", "Rearranged"], ["Wednesday 4 April 2018", "Booked"],
    ]
    assert "First booked for 29 March 2018" in text(page)
    # The week page links one week back and one forward, keeping the filters.
    assert "on_day=26&amp;on_month=3&amp;on_year=2018" in page and "on_day=9&amp;on_month=4" in page


def test_the_month_view_runs_from_the_first_to_the_last_day(
    diary_world: dict[str, Any], client_for: Callable[[str | None], Client]
) -> None:
    client = client_for(Role.QA_MANAGER)
    march = _entries(_diary(client, view="month", **_on(D(2018, 3, 15))))
    # 28 February (C7) is out; 1 March (C6) is in; only days with a conference are listed.
    assert [(row[0], row[6]) for row in march] == [
        ("Thursday 1 March 2018", "Held"), ("Monday 26 March 2018", "Held"),
        ("Tuesday 27 March 2018", "Cancelled"), ("Wednesday 28 March 2018", "Outcome missing"),
    ]
    april = _entries(_diary(client, view="month", **_on(D(2018, 4, 30))))
    assert [row[6] for row in april] == ["Rearranged", "Booked"]


def test_a_chair_opens_their_own_diary_and_can_see_every_chair(
    diary_world: dict[str, Any], client_for: Callable[[str | None], Client]
) -> None:
    client = client_for(Role.CHAIR)
    own = _entries(_diary(client))
    assert [row[4] for row in own] == ["Chair Testperson", "Chair Testperson"]
    every = _entries(_diary(client, chair="all"))
    assert len(every) == 3
    other = _entries(_diary(client, chair=str(diary_world["chair_b"].pk)))
    assert [row[6] for row in other] == ["Cancelled"]


def test_the_type_and_status_filters_keep_the_counts_of_the_dates(
    diary_world: dict[str, Any], client_for: Callable[[str | None], Client]
) -> None:
    client = client_for(Role.BUSINESS_SUPPORT)
    page = _diary(client, status="cancelled")
    assert [row[6] for row in _entries(page)] == ["Cancelled"]
    assert "3 conferences in these dates" in text(page) and "Showing 1." in text(page)
    initial = _entries(_diary(client, conference_type="initial", view="month", **_on(TODAY)))
    assert [row[0] for row in initial] == ["Monday 26 March 2018"]


def test_dates_you_choose_and_their_errors(
    diary_world: dict[str, Any], client_for: Callable[[str | None], Client]
) -> None:
    client = client_for(Role.QA_MANAGER)
    chosen = {"view": "dates", "start_day": 27, "start_month": 3, "start_year": 2018,
              "end_day": 3, "end_month": 4, "end_year": 2018}
    page = _diary(client, **chosen)
    assert "27 March 2018 to 3 April 2018" in text(page)
    assert [row[6] for row in _entries(page)] == ["Cancelled", "Outcome missing", "Rearranged"]
    backwards = _diary(client, **{**chosen, "end_day": 20, "end_month": 3})
    assert "The last date must be the same as or after the first date" in text(backwards)
    impossible = _diary(client, **{**chosen, "start_day": 31, "start_month": 2})
    assert "There is a problem" in impossible and "Enter a real date" in text(impossible)
    missing = _diary(client, view="dates")
    assert "Enter the first date to show" in text(missing) and "Enter the last date to show" in text(missing)
    too_long = _diary(client, **{**chosen, "end_month": 12})
    assert "Choose dates no more than 3 months apart" in text(too_long)
    unknown = _diary(client, status="lost", chair="999999")
    assert "There is a problem" in unknown


def test_the_diary_is_for_conference_readers_and_is_logged_once(
    diary_world: dict[str, Any], client_for: Callable[[str | None], Client]
) -> None:
    client = client_for(Role.CHAIR)
    before = AccessEvent.objects.aggregate(newest=Max("pk"))["newest"] or 0
    _diary(client, chair="all")
    assert list(AccessEvent.objects.filter(pk__gt=before).values_list("action", "detail")) == [
        ("list", "diary week 2018-03-26 to 2018-04-01 conferences 3")
    ]
    for role in (Role.SOCIAL_WORK_MANAGER, Role.ANALYST, Role.ADMINISTRATOR):
        assert client_for(role).get(reverse("diary")).status_code == 403
