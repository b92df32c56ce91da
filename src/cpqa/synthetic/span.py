"""The simulated span's days: which are working days, the school holidays, the season of referrals."""

from __future__ import annotations

import datetime as dt

import numpy as np

from cpqa.synthetic.dates import NO_DATE, date_of, day_number, year_month_day


class DayTables:
    """Day-indexed tables over the whole simulated span (a part of `Generator`)."""

    def _build_day_tables(self) -> None:
        days = np.arange(self.first_day, self.span_end + 1)
        calendar = self.config.calendar
        self.days = days
        self.is_working = np.fromiter(
            (calendar.is_working_day(date_of(d)) for d in days), dtype=bool, count=days.size
        )
        year, _, _ = year_month_day(days)
        # Start of the school holiday a day falls in (summer, Christmas, Easter), else NO_DATE.
        holiday_start = np.full(days.size, NO_DATE, dtype=np.int64)
        season = np.ones(days.size)
        for y in range(int(year.min()) - 1, int(year.max()) + 1):
            windows = [
                (day_number(dt.date(y, 7, 22)), day_number(dt.date(y, 8, 31)), 0.6),
                (day_number(dt.date(y, 12, 20)), day_number(dt.date(y + 1, 1, 3)), 0.35),
            ]
            good_friday = self._good_friday(y)
            if good_friday is not None:
                windows.append((day_number(good_friday) - 7, day_number(good_friday) + 10, 0.7))
            for first, last, dip in windows:
                inside = (days >= first) & (days <= last)
                holiday_start[inside] = first
                season[inside] = dip
                # Referrals bunch up in the three weeks after a holiday.
                after = (days > last) & (days <= last + 21)
                season[after] = 1.25
        self.holiday_start = holiday_start
        self.season = season

    def _good_friday(self, year: int) -> dt.date | None:
        # The one Friday bank holiday in spring followed by a Monday bank holiday three days on.
        holidays_of_year = {d for d in self.config.calendar.non_working_days if d.year == year}
        for d in sorted(holidays_of_year):
            if d.month in (3, 4) and d.weekday() == 4 and d + dt.timedelta(days=3) in holidays_of_year:
                return d
        return None

    def _index(self, days: np.ndarray) -> np.ndarray:
        return np.clip(days - self.first_day, 0, self.days.size - 1)

    def _months_into_last_year(self, days: np.ndarray) -> np.ndarray:
        year, month, _ = year_month_day(days)
        return (year - self.last_year.first_year) * 12 + (month - 4)
