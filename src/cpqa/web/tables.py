"""A table for the `web/includes/table.html` include: cells that may link, tag or be numeric."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from cpqa.domain.calendar import in_words


def long_date(day: dt.date) -> str:
    """5 April 2024: the GOV.UK style for dates (no leading zero, month in full)."""
    return in_words(day)


@dataclass(frozen=True)
class Cell:
    text: str
    href: str = ""
    numeric: bool = False
    # A GOV.UK tag colour ("red", "yellow", "green", "grey"...) shows the text as a tag.
    tag: str = ""


@dataclass(frozen=True)
class Table:
    caption: str
    head: Sequence[str]
    rows: list[list[Cell]] = field(default_factory=list)
    numeric_columns: frozenset[int] = frozenset()
    # Shown in place of an empty table, so "nothing due" reads as an answer, not a fault.
    empty_message: str = "None."
    csv_url: str = ""

    @classmethod
    def of(
        cls,
        caption: str,
        head: Sequence[str],
        rows: Iterable[Sequence[Cell | str | int | None]],
        *,
        numeric_columns: Iterable[int] = (),
        empty_message: str = "None.",
        csv_url: str = "",
    ) -> Table:
        numeric = frozenset(numeric_columns)
        cells = [
            [
                value
                if isinstance(value, Cell)
                else Cell("" if value is None else str(value), numeric=index in numeric)
                for index, value in enumerate(row)
            ]
            for row in rows
        ]
        return cls(caption, list(head), cells, numeric, empty_message, csv_url)
