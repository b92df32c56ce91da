"""Columns: numpy arrays that grow batch by batch, and their making into Polars columns."""

from __future__ import annotations

import numpy as np
import polars as pl

from cpqa.synthetic.dates import NO_DATE


def numbered_ids(prefix: str, count: int, width: int = 7) -> np.ndarray:
    return np.array([f"{prefix}{i:0{width}d}" for i in range(1, count + 1)], dtype=object)


def date_column(values: np.ndarray) -> pl.Series:
    """Day numbers as a Polars Date column, NO_DATE as null."""
    days = pl.Series(np.asarray(values, dtype=np.int64))
    return pl.select(
        pl.when(days == NO_DATE).then(None).otherwise(days).cast(pl.Int32).cast(pl.Date)
    ).to_series()


def string_column(values: np.ndarray) -> pl.Series:
    return pl.Series(list(values), dtype=pl.String)


class Columns:
    """Named numpy columns that grow by appending whole arrays, and can be changed in place."""

    def __init__(self) -> None:
        self._parts: dict[str, list[np.ndarray]] = {}
        self._whole: dict[str, np.ndarray] | None = None

    def add(self, **columns: np.ndarray) -> None:
        lengths = {len(values) for values in columns.values()}
        if len(lengths) != 1 or (self._parts and set(columns) != set(self._parts)):
            raise ValueError("every batch gives every column, all of one length")
        for name, values in columns.items():
            self._parts.setdefault(name, []).append(np.asarray(values))
        self._whole = None

    def frame(self) -> dict[str, np.ndarray]:
        if self._whole is None:
            self._whole = {name: np.concatenate(parts) for name, parts in self._parts.items()}
            # Keep the joined arrays as the only part, so changes made through `set` persist.
            self._parts = {name: [values] for name, values in self._whole.items()}
        return self._whole

    @property
    def size(self) -> int:
        return len(next(iter(self.frame().values()))) if self._parts else 0

    def column(self, name: str) -> np.ndarray:
        return self.frame()[name]

    def set(self, name: str, rows: np.ndarray, values: np.ndarray) -> None:
        self.frame()[name][rows] = values


def rows_matching(keys: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every row whose key is each wanted value: (position in `wanted`, row) pairs, in `wanted`
    order and, for one value, in row order."""
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    first = np.searchsorted(sorted_keys, wanted, side="left")
    last = np.searchsorted(sorted_keys, wanted, side="right")
    sizes = last - first
    of_wanted = np.repeat(np.arange(wanted.size), sizes)
    within = np.arange(of_wanted.size) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    return of_wanted, order[np.repeat(first, sizes) + within]
