"""Working days in England and calendar-month arithmetic (docs/definitions.md#calendar).

Pure: no Django, no I/O. The same holiday list feeds the scalar functions (one due date on a
screen) and the columnar ones (a whole year's conferences in a report), so the two can never
disagree.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

import polars as pl

from cpqa.domain.bank_holidays import WEEKDAY_BANK_HOLIDAYS

# Far enough either side for any record a council holds and any plan it makes.
FIRST_YEAR = 1990
LAST_YEAR = 2045


def bank_holidays_from_package() -> dict[int, tuple[dt.date, ...]]:
    """England's bank holidays on weekdays, year by year, as the `holidays` package gives them.

    What `cpqa.domain.bank_holidays` holds, written by scripts/write_bank_holidays.py. The
    package is asked only there and in the test that the two agree, because it loads every
    country it knows when asked for one: about a tenth of a second of every report.
    """
    import holidays

    # subdiv="ENG" matters: without it the package drops Easter Monday and the summer holiday.
    table = holidays.country_holidays("GB", subdiv="ENG", years=range(FIRST_YEAR, LAST_YEAR + 1))
    # The package also lists weekend dates of holidays that moved to a Monday; weekends are
    # never working days anyway, so keep only weekdays to keep the list short.
    weekdays = sorted(d for d in table if d.weekday() < 5)
    return {year: tuple(d for d in weekdays if d.year == year) for year in range(FIRST_YEAR, LAST_YEAR + 1)}


@lru_cache(maxsize=1)
def _england_bank_holidays() -> tuple[dt.date, ...]:
    return tuple(
        dt.date(year, int(day[:2]), int(day[3:]))
        for year, days in sorted(WEEKDAY_BANK_HOLIDAYS.items())
        for day in days.split()
    )


@dataclass(frozen=True)
class WorkingCalendar:
    """Monday to Friday, less England's bank holidays and the authority's own closure days."""

    closure_days: frozenset[dt.date] = field(default_factory=frozenset)

    @property
    def non_working_days(self) -> tuple[dt.date, ...]:
        return _merged_non_working_days(self.closure_days)

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in _non_working_set(self.closure_days)

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The `days`-th working day after `start`; `start` itself is day 0, whatever day it is."""
        return self._step_working_days(start, days, 1)

    def subtract_working_days(self, end: dt.date, days: int) -> dt.date:
        """The `days`-th working day before `end` (`end` itself is day 0): what must happen by
        then for `days` working days to remain before `end`."""
        return self._step_working_days(end, days, -1)

    def _step_working_days(self, day: dt.date, days: int, step: int) -> dt.date:
        if days < 0:
            raise ValueError(f"cannot count a negative number of working days ({days})")
        current = day
        remaining = days
        non_working = _non_working_set(self.closure_days)
        while remaining:
            current += dt.timedelta(days=step)
            if current.weekday() < 5 and current not in non_working:
                remaining -= 1
        return current

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (so start + N = end gives N)."""
        if end < start:
            return -self.working_days_between(end, start)
        non_working = _non_working_set(self.closure_days)
        count = 0
        current = start
        while current < end:
            current += dt.timedelta(days=1)
            if current.weekday() < 5 and current not in non_working:
                count += 1
        return count

    def add_working_days_expr(self, column: pl.Expr, days: int) -> pl.Expr:
        """Columnar twin of `add_working_days`, for whole tables at once."""
        # Rolling a non-working start *backward* first makes "the Nth working day after D" hold
        # for weekend and holiday starts too: the Nth working day after a Saturday is the Nth
        # after the Friday before it.
        return column.dt.add_business_days(days, holidays=list(self.non_working_days), roll="backward")


@lru_cache(maxsize=64)
def _merged_non_working_days(closure_days: frozenset[dt.date]) -> tuple[dt.date, ...]:
    extra = (d for d in closure_days if d.weekday() < 5)
    return tuple(sorted(set(_england_bank_holidays()).union(extra)))


@lru_cache(maxsize=64)
def _non_working_set(closure_days: frozenset[dt.date]) -> frozenset[dt.date]:
    return frozenset(_merged_non_working_days(closure_days))


ENGLAND = WorkingCalendar()


def add_months(start: dt.date, months: int) -> dt.date:
    """Same day number `months` later; the month's last day where that month is shorter."""
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    last_day = _stdlib_calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(start.day, last_day))


def add_months_expr(column: pl.Expr, months: int) -> pl.Expr:
    """Columnar twin of `add_months` (Polars clamps to the month end the same way)."""
    return column.dt.offset_by(f"{months}mo")


def in_words(day: dt.date) -> str:
    """5 April 2024: how a date reads on a page or in a message (GOV.UK style)."""
    return f"{day.day} {day:%B %Y}"


def completed_years(born: dt.date, on: dt.date) -> int:
    """Age on `on` in completed years (docs/definitions.md#age); a birthday on 29 February counts
    from 1 March."""
    if on < born:
        raise ValueError(f"{on.isoformat()} is before the date of birth {born.isoformat()}")
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def completed_years_expr(born: pl.Expr, on: dt.date | pl.Expr) -> pl.Expr:
    """Columnar twin of `completed_years`; null where there is no birth date or it is after `on`
    (an unborn child has no age)."""
    on = on if isinstance(on, pl.Expr) else pl.lit(on, dtype=pl.Date)

    def month_day(day: pl.Expr) -> pl.Expr:
        # Int8 months would overflow when scaled, so widen first.
        return day.dt.month().cast(pl.Int32) * 100 + day.dt.day().cast(pl.Int32)

    years = (
        on.dt.year().cast(pl.Int32) - born.dt.year().cast(pl.Int32) - (month_day(born) > month_day(on)).cast(pl.Int32)
    )
    return pl.when(born.is_null() | (born > on)).then(pl.lit(None, dtype=pl.Int32)).otherwise(years)


@dataclass(frozen=True)
class ReportingYear:
    """`2017-18`: 1 April 2017 to 31 March 2018 inclusive."""

    first_year: int

    @classmethod
    def parse(cls, text: str) -> ReportingYear:
        parts = text.strip().split("-")
        if len(parts) != 2 or not all(p.isdigit() for p in parts) or len(parts[0]) != 4:
            raise ValueError(f"reporting year {text!r} is not of the form 2017-18")
        first = int(parts[0])
        second = int(parts[1])
        expected = (first + 1) % 100 if len(parts[1]) == 2 else first + 1
        if second != expected:
            raise ValueError(f"reporting year {text!r}: the second year must follow the first")
        return cls(first)

    @classmethod
    def containing(cls, day: dt.date) -> ReportingYear:
        return cls(day.year if day.month >= 4 else day.year - 1)

    @property
    def start(self) -> dt.date:
        return dt.date(self.first_year, 4, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.first_year + 1, 3, 31)

    @property
    def label(self) -> str:
        return f"{self.first_year}-{(self.first_year + 1) % 100:02d}"

    @property
    def previous(self) -> ReportingYear:
        return ReportingYear(self.first_year - 1)

    def months(self) -> list[str]:
        """`YYYY-MM` for each month, April first."""
        out = []
        for offset in range(12):
            first_of_month = add_months(self.start, offset)
            out.append(f"{first_of_month.year}-{first_of_month.month:02d}")
        return out

    def month_ends(self) -> list[dt.date]:
        return [add_months(self.start, offset + 1) - dt.timedelta(days=1) for offset in range(12)]

    def __str__(self) -> str:
        return self.label
