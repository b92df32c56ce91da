"""The columnar timescale rules agree with the scalar ones, date for date."""

from __future__ import annotations

import datetime as dt

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from cpqa.domain import timescales as ts
from cpqa.domain.calendar import ENGLAND, WorkingCalendar

D = dt.date
dates = st.dates(min_value=D(2015, 1, 1), max_value=D(2027, 12, 31))


def _one(expr: pl.Expr, **columns: object) -> object:
    frame = pl.DataFrame({name: [value] for name, value in columns.items()}, schema={n: pl.Date for n in columns})
    return frame.select(expr).item()


@given(dates, st.sets(st.dates(min_value=D(2022, 9, 1), max_value=D(2022, 12, 31)), max_size=3))
def test_icpc_due_column_matches_the_scalar_rule(start: dt.date, closures: set[dt.date]) -> None:
    calendar = WorkingCalendar(closure_days=frozenset(closures))
    assert _one(ts.initial_conference_due_expr(pl.col("s"), calendar), s=start) == ts.initial_conference_due(
        start, calendar
    )


def test_icpc_due_column_skips_the_bank_holiday_in_the_window() -> None:
    # indicators.md's example: 2022-09-12 + 15 working days = 2022-10-04 (19 Sept a bank holiday).
    assert _one(ts.initial_conference_due_expr(pl.col("s"), ENGLAND), s=D(2022, 9, 12)) == D(2022, 10, 4)


@given(dates, st.one_of(st.none(), dates))
def test_review_due_column_matches_the_scalar_rule(start: dt.date, previous: dt.date | None) -> None:
    assert _one(ts.review_due_expr(pl.col("s"), pl.col("p")), s=start, p=previous) == ts.review_due(start, previous)
    assert _one(ts.first_review_due_expr(pl.col("s")), s=start) == ts.first_review_due(start)
    assert _one(ts.next_review_due_expr(pl.col("s")), s=start) == ts.next_review_due(start)


def test_first_review_due_at_a_month_end() -> None:
    # A plan starting 31 January: first review due 30 April (April has 30 days).
    assert _one(ts.first_review_due_expr(pl.col("s")), s=D(2018, 1, 31)) == D(2018, 4, 30)


@given(dates, st.integers(min_value=-30, max_value=200))
def test_prebirth_band_column_matches_the_scalar_rule(conference: dt.date, days_to_birth: int) -> None:
    birth = conference + dt.timedelta(days=days_to_birth)
    assert _one(ts.prebirth_band_expr(pl.col("c"), pl.col("b")), c=conference, b=birth) == ts.prebirth_band(
        conference, birth
    )


def test_prebirth_band_is_null_without_a_birth_date() -> None:
    assert _one(ts.prebirth_band_expr(pl.col("c"), pl.col("b")), c=D(2018, 1, 1), b=None) is None
