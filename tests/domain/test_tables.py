"""The record-as-tables contract: every source's tables get the same columns and types."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from cpqa.domain.tables import SCHEMAS, Record, conform


def test_missing_columns_become_nulls_of_the_right_type() -> None:
    frame = conform("plans", pl.DataFrame({"plan_id": ["p1"], "start_date": [dt.date(2018, 1, 31)]}))
    assert frame.columns == list(SCHEMAS["plans"])
    assert frame.schema["end_date"] == pl.Date and frame["end_date"].to_list() == [None]
    assert frame.schema["initial_categories"] == pl.List(pl.String)


def test_a_frame_with_no_columns_is_an_empty_table_not_a_row_of_nulls() -> None:
    assert Record.of(plans=pl.DataFrame()).plans.height == 0


def test_a_misspelt_column_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown column.*strat_date"):
        conform("plans", pl.DataFrame({"strat_date": [dt.date(2018, 1, 1)]}))


def test_an_unknown_table_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown table"):
        Record.of(plan=pl.DataFrame())
