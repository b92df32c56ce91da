"""Dates as whole arrays: day numbers, and the domain's date rules over numpy columns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np

from cpqa.domain.calendar import WorkingCalendar

# Days are numpy integers counted from 1970-01-01 (Polars' own Date representation).
NO_DATE = -1_000_000
_EPOCH = dt.date(1970, 1, 1).toordinal()


def day_number(value: dt.date) -> int:
    return value.toordinal() - _EPOCH


def date_of(value: int) -> dt.date:
    return dt.date.fromordinal(int(value) + _EPOCH)


def year_month_day(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    as_dates = days.astype("datetime64[D]")
    months = as_dates.astype("datetime64[M]")
    year = as_dates.astype("datetime64[Y]").astype(np.int64) + 1970
    month = months.astype(np.int64) % 12 + 1
    day_of_month = (as_dates - months).astype(np.int64) + 1
    return year, month, day_of_month


def completed_years(born: np.ndarray, on: np.ndarray) -> np.ndarray:
    """Age in completed years on `on`; -1 where not yet born (or no date of birth)."""
    by, bm, bd = year_month_day(np.where(born == NO_DATE, 0, born))
    oy, om, od = year_month_day(on)
    age = oy - by - ((om < bm) | ((om == bm) & (od < bd))).astype(np.int64)
    return np.where((born == NO_DATE) | (born > on), -1, age)


class DateRules:
    """The domain's scalar date rules applied to whole arrays, one call per distinct input.

    Conference dates repeat heavily (a few thousand distinct days however many children), so
    asking the timescale engine once per distinct day keeps one definition and stays fast.
    """

    def __init__(self, calendar: WorkingCalendar) -> None:
        self.calendar = calendar

    def each(self, rule: Callable[[dt.date], dt.date], days: np.ndarray) -> np.ndarray:
        return self._apply(lambda d, _: rule(d), days, np.zeros_like(days))

    def each_pair(
        self, rule: Callable[[dt.date, dt.date], dt.date], first: np.ndarray, second: np.ndarray
    ) -> np.ndarray:
        return self._apply(lambda a, b: rule(a, date_of(b)), first, second)

    def add_working_days(self, days: np.ndarray, counts: np.ndarray) -> np.ndarray:
        return self._apply(lambda d, n: self.calendar.add_working_days(d, int(n)), days, counts)

    def _apply(
        self, rule: Callable[[dt.date, int], dt.date], days: np.ndarray, other: np.ndarray
    ) -> np.ndarray:
        """`rule(day, other)` for each distinct pair; NO_DATE in, NO_DATE out."""
        days = np.asarray(days, dtype=np.int64)
        out = np.full(days.size, NO_DATE, dtype=np.int64)
        known = (days != NO_DATE) & (np.asarray(other) != NO_DATE)
        if not known.any():
            return out
        pairs = np.stack([days[known], np.asarray(other, dtype=np.int64)[known]], axis=1)
        distinct, where = np.unique(pairs, axis=0, return_inverse=True)
        answers = np.fromiter(
            (day_number(rule(date_of(d), int(o))) for d, o in distinct), dtype=np.int64, count=len(distinct)
        )
        out[known] = answers[where.reshape(-1)]
        return out

    def working_day_on_or_before(self, days: np.ndarray) -> np.ndarray:
        return self.each(lambda d: self._step_to_working_day(d, -1), days)

    def working_day_on_or_after(self, days: np.ndarray) -> np.ndarray:
        return self.each(lambda d: self._step_to_working_day(d, 1), days)

    def _step_to_working_day(self, day: dt.date, step: int) -> dt.date:
        while not self.calendar.is_working_day(day):
            day += dt.timedelta(days=step)
        return day
