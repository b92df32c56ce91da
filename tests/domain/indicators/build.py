"""Small hand-made records for the indicator tests: rows as dicts, only the columns a test needs."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from cpqa.domain.tables import SCHEMAS, Record, conform, empty

D = dt.date


def table(name: str, rows: list[dict[str, Any]]) -> pl.DataFrame:
    """The record's table `name` (every column) from rows that may each give only some columns."""
    if not rows:
        return empty(name)
    columns = [c for c in SCHEMAS[name] if any(c in row for row in rows)]
    unknown = {c for row in rows for c in row} - set(SCHEMAS[name])
    assert not unknown, f"test rows use unknown columns of {name}: {unknown}"
    frame = pl.DataFrame(
        [{c: row.get(c) for c in columns} for row in rows],
        schema={c: SCHEMAS[name][c] for c in columns},
    )
    return conform(name, frame)


def record(
    *, source: str = "database", unavailable: dict[str, str] | None = None, **tables: list[dict[str, Any]]
) -> Record:
    return Record.of(
        source=source,
        unavailable=unavailable,
        **{name: table(name, rows) for name, rows in tables.items()},
    )
