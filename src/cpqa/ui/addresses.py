"""Values read from an address (the query string), checked in one place: a value that is not
what the page asks for is a 400 page that says what was wrong, never a 500.

The dates a page may be asked about are those the form kit accepts (1900 to 2100): far enough
either side of any record, and well inside what date arithmetic can step over (a year before 1
or after 9999 cannot be worked with at all, and 0001-01-01 minus a month is not a date).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import BadRequest

from cpqa.domain.calendar import ReportingYear

EARLIEST_YEAR = 1900
LATEST_YEAR = 2100


class BadAddress(BadRequest):
    """A value in the address the page cannot use; the message is shown on the 400 page (it never
    repeats the value, so nothing typed into an address is echoed back)."""


def _in_range(day: dt.date) -> bool:
    return EARLIEST_YEAR <= day.year <= LATEST_YEAR


def is_usable_day(text: str) -> bool:
    """A date in the form YYYY-MM-DD between 1900 and 2100."""
    try:
        return _in_range(dt.date.fromisoformat(text))
    except ValueError:
        return False


def day_in_address(text: str, name: str) -> dt.date:
    """`?on=2024-04-24`: the date, or a 400 naming the parameter."""
    if not is_usable_day(text.strip()):
        raise BadAddress(
            f"The date in the address ({name}) must be a real date between {EARLIEST_YEAR} and "
            f"{LATEST_YEAR}, in the form YYYY-MM-DD, for example 2024-04-24"
        )
    return dt.date.fromisoformat(text.strip())


def month_in_address(text: str, name: str) -> dt.date:
    """`?month=2024-04`: the first day of the month, or a 400 naming the parameter."""
    try:
        first = dt.datetime.strptime(text.strip(), "%Y-%m").date()
    except ValueError:
        first = None
    if first is None or not _in_range(first):
        raise BadAddress(
            f"The month in the address ({name}) must be a month between {EARLIEST_YEAR} and "
            f"{LATEST_YEAR}, in the form YYYY-MM, for example 2024-04"
        )
    return first


def reporting_year_usable(year: ReportingYear) -> bool:
    return EARLIEST_YEAR <= year.first_year < LATEST_YEAR


def reporting_year_in_address(text: str, name: str) -> ReportingYear:
    """`?year=2023-24`: the reporting year, or a 400 naming the parameter."""
    try:
        year = ReportingYear.parse(text)
    except ValueError:
        year = None
    if year is None or not reporting_year_usable(year):
        raise BadAddress(
            f"The reporting year in the address ({name}) must be of the form 2023-24, between "
            f"{EARLIEST_YEAR} and {LATEST_YEAR}"
        )
    return year
