"""Section 3d: initial conferences within 15 working days of the strategy discussion (2022-23)."""

from __future__ import annotations

import polars as pl

from cpqa.domain.calendar import ENGLAND, ReportingYear, WorkingCalendar
from cpqa.domain.indicators.timeliness import (
    initial_conference_lateness_reasons,
    initial_conference_timeliness_by_month,
)
from cpqa.domain.tables import Record

from .build import D, record

YEAR = ReportingYear(2022)


def _record() -> Record:
    return record(
        s47=[
            {"s47_id": "s1", "child_id": "I1", "start_date": D(2022, 9, 12)},
            {"s47_id": "s2", "child_id": "I2", "start_date": D(2022, 9, 12)},
            {"s47_id": "s3a", "child_id": "I3a", "start_date": D(2022, 12, 16)},
            {"s47_id": "s3b", "child_id": "I3b", "start_date": D(2022, 12, 16)},
            {"s47_id": "s6", "child_id": "I6", "start_date": D(2023, 2, 1)},
            {"s47_id": "s7", "child_id": "I7", "start_date": D(2023, 2, 1)},
        ],
        conferences=[
            # 12 Sep + 15 working days = 4 Oct (19 Sep, the state funeral, is a bank holiday).
            {"conference_id": "1", "child_id": "I1", "conference_type": "initial", "s47_id": "s1",
             "held_date": D(2022, 10, 4)},
            {"conference_id": "2", "child_id": "I2", "conference_type": "initial", "s47_id": "s2",
             "held_date": D(2022, 10, 5), "late_reason": "chair_capacity"},
            # Siblings, Fri 16 Dec: 19-23 Dec (5), 28-30 Dec (8; 26 and 27 Dec holidays),
            # 3-6 Jan (12; 2 Jan holiday), 9-11 Jan (15): due 11 Jan, held that day: both in time.
            {"conference_id": "3a", "meeting_id": "M3", "child_id": "I3a", "conference_type": "initial",
             "s47_id": "s3a", "held_date": D(2023, 1, 11)},
            {"conference_id": "3b", "meeting_id": "M3", "child_id": "I3b", "conference_type": "initial",
             "s47_id": "s3b", "held_date": D(2023, 1, 11)},
            # No section 47 start: not in the measure.
            {"conference_id": "4", "child_id": "I4", "conference_type": "initial", "held_date": D(2022, 11, 1)},
            # A transfer-in conference is not an initial conference.
            {"conference_id": "5", "child_id": "I7", "conference_type": "transfer_in", "s47_id": "s7",
             "held_date": D(2023, 3, 20)},
            # Pre-birth, Wed 1 Feb: 2-3 (2), 6-10 (7), 13-17 (12), 20-22 (15): due 22 Feb; held 1 March: late.
            {"conference_id": "6", "child_id": "I6", "conference_type": "prebirth", "s47_id": "s6",
             "held_date": D(2023, 3, 1)},
        ],
    )


def _month(frame: pl.DataFrame, month: str) -> tuple[object, ...]:
    return frame.filter(frame["month"] == month).drop("month").row(0)


def test_icpc_timeliness_by_month_with_bank_holidays_in_the_window() -> None:
    rows = initial_conference_timeliness_by_month(_record(), YEAR, ENGLAND)
    assert _month(rows, "2022-10") == (2, 1, 50.0)
    assert _month(rows, "2022-11") == (0, 0, None)
    assert _month(rows, "2023-01") == (2, 2, 100.0)
    assert _month(rows, "2023-03") == (1, 0, 0.0)
    assert (rows["held"].sum(), rows["in_time"].sum()) == (5, 3)


def test_an_authority_closure_day_moves_the_due_date() -> None:
    # Closed on Mon 3 Oct 2022: 12 Sep + 15 working days becomes 5 Oct, so I2 is in time.
    council = WorkingCalendar(closure_days=frozenset({D(2022, 10, 3)}))
    rows = initial_conference_timeliness_by_month(_record(), YEAR, council)
    assert _month(rows, "2022-10") == (2, 2, 100.0)


def test_reasons_for_late_initial_conferences() -> None:
    rows = initial_conference_lateness_reasons(_record(), YEAR, ENGLAND).rows()
    # Late: I2 (chair capacity) and I6 (no reason recorded), 1 of 2 each.
    assert rows == [
        ("chair_capacity", "No chair available in time", 1, 50.0),
        (None, "Not recorded", 1, 50.0),
    ]
