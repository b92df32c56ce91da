"""Working days and calendar months, with answers worked out by hand from a wall calendar."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from cpqa.domain.calendar import (
    ENGLAND,
    ReportingYear,
    WorkingCalendar,
    add_months,
    bank_holidays_from_package,
)

D = dt.date


def test_fifteen_working_days_skip_the_queens_funeral() -> None:
    """indicators.md's own example: 2022-09-19 (state funeral) is not a working day."""
    assert ENGLAND.add_working_days(D(2022, 9, 12), 15) == D(2022, 10, 4)


def test_coronation_bank_holiday_is_not_a_working_day() -> None:
    """Mon 2023-05-08 (coronation): Fri 5 May + 1 working day is Tue 9 May."""
    assert not ENGLAND.is_working_day(D(2023, 5, 8))
    assert ENGLAND.add_working_days(D(2023, 5, 5), 1) == D(2023, 5, 9)


def test_easter_monday_and_summer_holiday_are_not_working_days() -> None:
    """Without subdivision ENG these two would wrongly count as working days."""
    assert not ENGLAND.is_working_day(D(2018, 4, 2))  # Easter Monday 2018
    assert not ENGLAND.is_working_day(D(2018, 8, 27))  # Summer bank holiday 2018


def test_moved_and_one_off_days_are_in_the_table() -> None:
    """2020's early May holiday moved to Fri 8 May (VE Day 75), so Mon 4 May was a working day;
    Fri 31 Dec 1999 (the millennium) was an extra holiday."""
    assert not ENGLAND.is_working_day(D(2020, 5, 8))
    assert ENGLAND.is_working_day(D(2020, 5, 4))
    assert not ENGLAND.is_working_day(D(1999, 12, 31))


def test_the_bank_holiday_table_is_what_the_holidays_package_says() -> None:
    """The calendar reads a committed table (cpqa.domain.bank_holidays) because the package is
    slow to load; it must hold exactly the package's weekday holidays for GB/ENG. After an
    upgrade of `holidays`, scripts/write_bank_holidays.py rewrites the table."""
    from_package = [day for days in bank_holidays_from_package().values() for day in days]
    assert list(ENGLAND.non_working_days) == from_package
    assert len(from_package) > 56 * 8  # at least eight a year: the package did answer


def test_start_on_a_weekend_counts_from_the_next_working_day() -> None:
    """Sat 2018-06-02: day 1 is Mon 4 June, day 5 is Fri 8 June."""
    assert ENGLAND.add_working_days(D(2018, 6, 2), 1) == D(2018, 6, 4)
    assert ENGLAND.add_working_days(D(2018, 6, 2), 5) == D(2018, 6, 8)


def test_christmas_substitute_days() -> None:
    """2021: Christmas and Boxing Day fell at a weekend; Mon 27 and Tue 28 Dec are holidays.
    Fri 24 Dec + 1 working day = Wed 29 Dec."""
    assert ENGLAND.add_working_days(D(2021, 12, 24), 1) == D(2021, 12, 29)


def test_authority_closure_days_are_skipped() -> None:
    """A council closure on Wed 2018-12-27: Mon 24 Dec + 2 = Fri 28 Dec (25, 26 holidays, 27 closed)."""
    council = WorkingCalendar(closure_days=frozenset({D(2018, 12, 27)}))
    assert council.add_working_days(D(2018, 12, 24), 2) == D(2018, 12, 31)
    assert council.add_working_days(D(2018, 12, 24), 1) == D(2018, 12, 28)
    assert ENGLAND.add_working_days(D(2018, 12, 24), 1) == D(2018, 12, 27)


def test_working_days_between_is_the_inverse_of_adding() -> None:
    assert ENGLAND.working_days_between(D(2022, 9, 12), D(2022, 10, 4)) == 15
    assert ENGLAND.working_days_between(D(2022, 9, 12), D(2022, 9, 12)) == 0


def test_negative_working_days_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        ENGLAND.add_working_days(D(2022, 9, 12), -1)


def test_columnar_working_days_agree_with_the_scalar_rule() -> None:
    """The report's column arithmetic must give the tracker's dates, weekends and holidays too."""
    starts = [D(2022, 9, 12), D(2022, 9, 17), D(2022, 9, 18), D(2022, 9, 19), D(2023, 5, 6), D(2021, 12, 24)]
    frame = pl.DataFrame({"start": starts})
    due = frame.select(ENGLAND.add_working_days_expr(pl.col("start"), 15).alias("due"))["due"].to_list()
    assert due == [ENGLAND.add_working_days(s, 15) for s in starts]
    # Sat 17 Sep 2022: Mon 19 is the funeral, so day 1 is Tue 20 and day 15 is Mon 10 Oct.
    assert due[1] == D(2022, 10, 10)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2018, 1, 31), 1, D(2018, 2, 28)),
        (D(2020, 1, 31), 1, D(2020, 2, 29)),  # leap year
        (D(2019, 8, 31), 6, D(2020, 2, 29)),
        (D(2017, 11, 30), 3, D(2018, 2, 28)),
        (D(2017, 12, 15), 3, D(2018, 3, 15)),
        (D(2018, 3, 31), 6, D(2018, 9, 30)),
    ],
)
def test_add_months_clamps_to_month_end(start: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(start, months) == expected


def test_columnar_months_agree_with_the_scalar_rule() -> None:
    starts = [D(2018, 1, 31), D(2020, 1, 31), D(2019, 8, 31), D(2017, 5, 15)]
    out = pl.DataFrame({"d": starts}).select(pl.col("d").dt.offset_by("3mo"))["d"].to_list()
    assert out == [add_months(s, 3) for s in starts]


def test_reporting_year_bounds_and_months() -> None:
    year = ReportingYear.parse("2017-18")
    assert (year.start, year.end) == (D(2017, 4, 1), D(2018, 3, 31))
    assert year.months()[0] == "2017-04" and year.months()[-1] == "2018-03"
    assert year.month_ends()[10] == D(2018, 2, 28)
    assert ReportingYear.containing(D(2018, 3, 31)).label == "2017-18"
    assert ReportingYear.containing(D(2018, 4, 1)).label == "2018-19"
    assert year.previous.label == "2016-17"


@pytest.mark.parametrize("text", ["2017", "2017-19", "17-18", "2017/18", "abcd-ef"])
def test_bad_reporting_years_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="reporting year"):
        ReportingYear.parse(text)
