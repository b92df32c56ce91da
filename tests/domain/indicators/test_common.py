"""Shared counting rules: percentages, ages, plans open on a day, months."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cpqa.domain.calendar import ReportingYear, completed_years, completed_years_expr
from cpqa.domain.indicators.common import (
    by_month,
    children_on_plan_at,
    children_on_plan_on,
    count_where,
    current_plans_on,
    percent,
    percent_expr,
)

from .build import D, record, table


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (1, 8, 12.5),  # 12.5 exactly
        (1, 16, 6.3),  # 6.25: half up to 6.3 (banker's rounding would give 6.2)
        (3, 16, 18.8),  # 18.75 -> 18.8
        (1, 80, 1.3),  # 1.25 -> 1.3
        (2, 3, 66.7),  # 66.666... -> 66.7
        (1, 3, 33.3),  # 33.333... -> 33.3
        (0, 5, 0.0),
        (5, 5, 100.0),
        (3, 0, None),  # no denominator: no percentage
        (0, 0, None),
    ],
)
def test_percent_rounds_half_up_to_one_decimal_place(numerator: int, denominator: int, expected: float | None) -> None:
    assert percent(numerator, denominator) == expected


def test_rate_per_10000_uses_the_same_rounding() -> None:
    # 3 * 10,000 / 1,600 = 18.75 -> 18.8.
    assert percent(3, 1600, per=10_000) == 18.8


@given(st.integers(min_value=0, max_value=10**7), st.integers(min_value=1, max_value=10**7))
def test_percent_agrees_with_decimal_half_up(numerator: int, denominator: int) -> None:
    """The integer tenths arithmetic against decimal arithmetic with ROUND_HALF_UP."""
    exact = Decimal(100 * numerator) / Decimal(denominator)
    assert percent(numerator, denominator) == float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def test_percent_expression_over_a_column() -> None:
    frame = pl.DataFrame({"n": [1, 1, 2], "d": [16, 0, 3]})
    assert frame.select(percent_expr(pl.col("n"), pl.col("d")))["n"].to_list() == [6.3, None, 66.7]


@pytest.mark.parametrize(
    ("born", "on", "expected"),
    [
        (D(2010, 4, 1), D(2018, 3, 31), 7),  # the 8th birthday is tomorrow
        (D(2010, 3, 31), D(2018, 3, 31), 8),  # birthday today
        (D(2008, 2, 29), D(2018, 2, 28), 9),  # a leap-day birthday counts from 1 March
        (D(2008, 2, 29), D(2018, 3, 1), 10),
        (None, D(2018, 3, 31), None),  # no date of birth: unborn
        (D(2018, 4, 5), D(2018, 3, 31), None),  # born after the day: unborn on it
    ],
)
def test_age_in_completed_years_and_unborn(born: dt.date | None, on: dt.date, expected: int | None) -> None:
    frame = pl.DataFrame({"born": [born]}, schema={"born": pl.Date})
    assert frame.select(completed_years_expr(pl.col("born"), on)).item() == expected


@given(
    st.dates(min_value=D(1995, 1, 1), max_value=D(2030, 12, 31)),
    st.dates(min_value=D(1995, 1, 1), max_value=D(2030, 12, 31)),
)
def test_columnar_age_agrees_with_the_scalar_rule(born: dt.date, on: dt.date) -> None:
    frame = pl.DataFrame({"born": [born]}, schema={"born": pl.Date})
    columnar = frame.select(completed_years_expr(pl.col("born"), on)).item()
    assert columnar == (completed_years(born, on) if born <= on else None)


def test_31_march_boundary_plan_ending_is_not_open_starting_is() -> None:
    plans = table(
        "plans",
        [
            {"plan_id": "1", "child_id": "ends", "start_date": D(2017, 6, 1), "end_date": D(2018, 3, 31)},
            {"plan_id": "2", "child_id": "starts", "start_date": D(2018, 3, 31)},
            {"plan_id": "3", "child_id": "later", "start_date": D(2018, 4, 1)},
            {"plan_id": "4", "child_id": "after", "start_date": D(2017, 6, 1), "end_date": D(2018, 4, 1)},
        ],
    )
    open_ids = current_plans_on(plans, D(2018, 3, 31))["child_id"].to_list()
    assert sorted(open_ids) == ["after", "starts"]
    assert children_on_plan_on(plans, D(2018, 3, 31)) == 2


def test_a_child_with_overlapping_plans_counts_once_under_the_latest() -> None:
    rec = record(
        children=[{"child_id": "A", "sex": "F"}],
        plans=[
            {"plan_id": "old", "child_id": "A", "start_date": D(2017, 1, 1)},
            {"plan_id": "new", "child_id": "A", "start_date": D(2017, 9, 1)},
        ],
    )
    current = children_on_plan_at(rec, D(2018, 3, 31))
    assert current["plan_id"].to_list() == ["new"]
    assert current["sex"].to_list() == ["F"]


plan_rows = st.lists(
    st.tuples(
        st.sampled_from(["A", "B", "C", "D"]),
        st.dates(min_value=D(2016, 1, 1), max_value=D(2019, 1, 1)),
        st.one_of(st.none(), st.integers(min_value=1, max_value=900)),
    ),
    max_size=12,
)


@given(plan_rows, st.dates(min_value=D(2016, 1, 1), max_value=D(2019, 6, 1)))
def test_children_on_plan_never_exceed_children_and_match_the_definition(
    rows: list[tuple[str, dt.date, int | None]], day: dt.date
) -> None:
    plans = table(
        "plans",
        [
            {
                "plan_id": str(i),
                "child_id": child,
                "start_date": start,
                "end_date": None if length is None else start + dt.timedelta(days=length),
            }
            for i, (child, start, length) in enumerate(rows)
        ],
    )
    on_plan = children_on_plan_on(plans, day)
    # The definition, one plan at a time: start <= D and (no end or end > D).
    expected = {
        child
        for child, start, length in rows
        if start <= day and (length is None or start + dt.timedelta(days=length) > day)
    }
    assert on_plan == len(expected)
    assert on_plan <= len({child for child, _, _ in rows})


def test_by_month_lists_every_month_april_first_with_zeros() -> None:
    events = pl.DataFrame({"month": ["2017-06", "2017-06", "2018-03"], "late": [True, False, True]})
    counted = by_month(events, ReportingYear(2017), {"n": pl.len(), "late": count_where(pl.col("late"))})
    assert counted["month"].to_list()[0] == "2017-04"
    assert counted["month"].to_list()[-1] == "2018-03"
    assert counted["n"].to_list() == [0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 1]
    assert counted["late"].to_list() == [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1]
