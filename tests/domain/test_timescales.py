"""Due dates for every event, worked out by hand."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from cpqa.domain import timescales as ts
from cpqa.domain.calendar import WorkingCalendar

D = dt.date


def test_icpc_due_fifteen_working_days_after_strategy_discussion() -> None:
    # Mon 2018-03-19: 15 working days, skipping Good Friday 30 Mar and Easter Monday 2 Apr,
    # gives Wed 11 April.
    assert ts.initial_conference_due(D(2018, 3, 19)) == D(2018, 4, 11)


def test_icpc_in_time_on_the_due_day_and_late_the_day_after() -> None:
    due = ts.initial_conference_due(D(2022, 9, 12))
    assert due == D(2022, 10, 4)
    assert ts.is_in_time(D(2022, 10, 4), due)
    assert not ts.is_in_time(D(2022, 10, 5), due)


def test_first_review_three_months_after_icpc_at_a_month_end() -> None:
    assert ts.first_review_due(D(2018, 1, 31)) == D(2018, 4, 30)
    assert ts.first_review_due(D(2019, 11, 30)) == D(2020, 2, 29)  # leap year


def test_later_review_six_months_after_previous() -> None:
    assert ts.next_review_due(D(2019, 8, 31)) == D(2020, 2, 29)
    assert ts.review_due(D(2017, 6, 1), None) == D(2017, 9, 1)
    assert ts.review_due(D(2017, 6, 1), D(2017, 8, 20)) == D(2018, 2, 20)


def test_transfer_in_due_fifteen_working_days_after_notification() -> None:
    # Fri 2017-12-15: 18-22 Dec (5), 27-29 Dec (8; 25/26 holidays), 2-5 Jan (12; 1 Jan holiday),
    # 8, 9, 10 Jan (15).
    assert ts.transfer_in_conference_due(D(2017, 12, 15)) == D(2018, 1, 10)


def test_first_core_group_ten_working_days_after_icpc() -> None:
    # Thu 2018-05-03: 4, 8, 9, 10, 11 (Mon 7 May holiday), 14-18 -> Fri 18 May.
    assert ts.first_core_group_due(D(2018, 5, 3)) == D(2018, 5, 18)


def test_midway_review_half_way_rounded_down() -> None:
    # ICPC 2018-01-10, first review due 2018-04-10: 90 days, half 45 -> 2018-02-24.
    assert ts.midway_review_due(D(2018, 1, 10), D(2018, 4, 10)) == D(2018, 2, 24)
    # 181 days -> 90 (rounded down).
    assert ts.midway_review_due(D(2018, 4, 10), D(2018, 10, 8)) == D(2018, 7, 9)
    with pytest.raises(ValueError):
        ts.midway_review_due(D(2018, 4, 10), D(2018, 4, 1))


def test_prebirth_due_and_bands_for_an_unborn_child() -> None:
    edd = D(2018, 6, 30)
    assert ts.prebirth_conference_due(edd) == D(2018, 4, 21)  # 70 days before
    assert ts.prebirth_band(D(2018, 6, 3), edd) == "under_4_weeks"  # 27 days
    assert ts.prebirth_band(D(2018, 6, 2), edd) == "weeks_4_to_10"  # 28 days
    assert ts.prebirth_band(D(2018, 4, 21), edd) == "weeks_4_to_10"  # 70 days
    assert ts.prebirth_band(D(2018, 4, 20), edd) == "over_10_weeks"  # 71 days


def test_status_today() -> None:
    due = D(2018, 5, 18)  # a Friday
    assert ts.status_on(due, D(2018, 5, 21)) is ts.Status.OVERDUE
    assert ts.status_on(due, D(2018, 5, 15)) is ts.Status.DUE_SOON  # 3 working days before
    assert ts.status_on(due, D(2018, 5, 14)) is ts.Status.ON_TRACK  # 4 working days before
    assert ts.status_on(due, D(2018, 5, 18)) is ts.Status.DUE_SOON


def test_authority_closure_day_moves_the_icpc_due_date() -> None:
    council = WorkingCalendar(closure_days=frozenset({D(2022, 10, 3)}))
    assert ts.initial_conference_due(D(2022, 9, 12), council) == D(2022, 10, 5)


@pytest.mark.parametrize(
    ("rule", "start", "expected"),
    [
        ("icpc", "2022-09-12", "2022-10-04"),
        ("review-first", "2018-01-31", "2018-04-30"),
        ("review-next", "2019-08-31", "2020-02-29"),
        ("transfer-in", "2017-12-15", "2018-01-10"),
        ("core-group", "2018-05-03", "2018-05-18"),
    ],
)
def test_cpqa_due_prints_only_the_iso_date(rule: str, start: str, expected: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "cpqa.cli", "due", rule, start], capture_output=True, text=True, check=True
    )
    assert done.stdout == expected + "\n"


def test_cpqa_due_refuses_a_bad_date() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "cpqa.cli", "due", "icpc", "2022-02-30"], capture_output=True, text=True
    )
    assert done.returncode == 2
    assert "2022-02-30" in done.stderr and done.stdout == ""
