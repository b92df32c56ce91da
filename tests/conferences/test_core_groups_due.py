"""Core groups due on a fixed day (cpqa.domain.core_groups), worked by hand.

Day D is Thursday 29 March 2018. England's bank holidays that matter: Good Friday 30 March and
Easter Monday 2 April 2018. Status as the trackers define it: overdue when due < D; due soon
when at most 3 working days fall after D up to and including due; else on track.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from cpqa.domain import timescales
from cpqa.domain.calendar import ENGLAND
from cpqa.domain.config import AuthorityConfig
from cpqa.domain.core_groups import core_groups_due
from cpqa.domain.tables import Record

D = dt.date
TODAY = D(2018, 3, 29)


def _record() -> Record:
    children = pl.DataFrame(
        [{"child_id": f"C{n}", "first_name": f"Test{n}", "last_name": "Fakechild", "team": "Team Alpha"}
         for n in range(1, 7)]
    )
    plans = pl.DataFrame([
        # A: initial conference Thu 22 Mar, no core group yet.
        {"plan_id": "A", "child_id": "C1", "start_date": D(2018, 3, 22)},
        # B: started 1 Mar, core group held Thu 8 Mar.
        {"plan_id": "B", "child_id": "C2", "start_date": D(2018, 3, 1)},
        # C: started Thu 1 Feb, no core group ever held.
        {"plan_id": "C", "child_id": "C3", "start_date": D(2018, 2, 1)},
        # D: started 1 Jan; core groups 15 Jan and 12 Feb, and one on 2 April (after D: unknown on D).
        {"plan_id": "D", "child_id": "C4", "start_date": D(2018, 1, 1)},
        # E: ended 20 March: not open on D.
        {"plan_id": "E", "child_id": "C5", "start_date": D(2017, 9, 1), "end_date": D(2018, 3, 20)},
        # F: starts after D.
        {"plan_id": "F", "child_id": "C6", "start_date": D(2018, 3, 30)},
    ])
    core_groups = pl.DataFrame([
        {"core_group_id": "1", "plan_id": "B", "child_id": "C2", "held_date": D(2018, 3, 8)},
        {"core_group_id": "2", "plan_id": "D", "child_id": "C4", "held_date": D(2018, 1, 15)},
        {"core_group_id": "3", "plan_id": "D", "child_id": "C4", "held_date": D(2018, 2, 12)},
        {"core_group_id": "4", "plan_id": "D", "child_id": "C4", "held_date": D(2018, 4, 2)},
        {"core_group_id": "5", "plan_id": "E", "child_id": "C5", "held_date": D(2018, 1, 10)},
    ])
    return Record.of(children=children, plans=plans, core_groups=core_groups)


def test_first_core_group_over_easter() -> None:
    # Thu 22 Mar + 10 working days: Fri 23 (1), Mon 26-Thu 29 (2-5), Good Friday and Easter
    # Monday skipped, Tue 3-Fri 6 Apr (6-9), Mon 9 Apr (10).
    assert timescales.first_core_group_due(D(2018, 3, 22), ENGLAND) == D(2018, 4, 9)
    assert timescales.core_group_due(D(2018, 3, 22), None, ENGLAND) == D(2018, 4, 9)


def test_later_core_groups_at_the_interval() -> None:
    # 8 March + 4 weeks (28 days) = 5 April; at a 2-week interval, 22 March.
    assert timescales.core_group_due(D(2018, 3, 1), D(2018, 3, 8), ENGLAND) == D(2018, 4, 5)
    assert timescales.core_group_due(D(2018, 3, 1), D(2018, 3, 8), ENGLAND, 2) == D(2018, 3, 22)


def test_core_groups_due_rows_on_a_fixed_day() -> None:
    frame = core_groups_due(_record(), TODAY, AuthorityConfig(), ENGLAND)
    rows = frame.select("plan_id", "child_id", "last_core_group", "due_date", "status").rows()
    assert rows == [
        # C: Thu 1 Feb + 10 working days = Thu 15 Feb (2, 5-9, 12-15 Feb); before D: overdue.
        ("C", "C3", None, D(2018, 2, 15), "overdue"),
        # D: latest held on or before D is 12 Feb; + 28 days = 12 Mar: overdue.
        ("D", "C4", D(2018, 2, 12), D(2018, 3, 12), "overdue"),
        # B: 5 Apr; working days after D up to it: 3, 4, 5 Apr = 3: due soon.
        ("B", "C2", D(2018, 3, 8), D(2018, 4, 5), "due_soon"),
        # A: 9 Apr; working days after D up to it: 3, 4, 5, 6, 9 Apr = 5: on track.
        ("A", "C1", None, D(2018, 4, 9), "on_track"),
    ]
    assert frame["first_name"].to_list() == ["Test3", "Test4", "Test2", "Test1"]


def test_the_authority_interval_moves_later_core_groups() -> None:
    # B at 2 weeks: 8 Mar + 14 days = 22 Mar, before D: overdue; A (first) is unchanged.
    frame = core_groups_due(_record(), TODAY, AuthorityConfig(core_group_interval_weeks=2), ENGLAND)
    by_plan = {row["plan_id"]: (row["due_date"], row["status"]) for row in frame.iter_rows(named=True)}
    assert by_plan["B"] == (D(2018, 3, 22), "overdue")
    assert by_plan["A"] == (D(2018, 4, 9), "on_track")


def test_a_narrowed_record_keeps_only_those_childrens_core_groups() -> None:
    from cpqa.domain.tables import narrow_to_children

    # C2 held one core group (B, 8 March); C4 three (D). Narrowed to C2: only B's row.
    narrowed = narrow_to_children(_record(), {"C2"})
    assert narrowed.core_groups.select("core_group_id", "plan_id").rows() == [("1", "B")]
