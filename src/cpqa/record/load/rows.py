"""A row to write, and the small rules every table's rows share (blanks, chunks, messages)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import polars as pl
from django.core.exceptions import ValidationError

from cpqa.domain import codes
from cpqa.record.errors import RecordError

# Rows handled per round trip: small enough to keep memory flat at England's volume.
CHUNK_ROWS = 20_000
# Ids per `IN (...)` query (SQLite's historic limit is 999 parameters).
LOOKUP_IDS = 900
IMPORT_USERNAME = "cpqa-import"
NOTE_TEXT_NOT_IN_SOURCE = "Loaded from a {source} record, which holds no text for this note."
FROM_AUTHORITY_NOT_RECORDED = "Not recorded"


@dataclass
class Outcome:
    """Primary key of every row by its match key, and which keys were created or changed."""

    pks: dict[tuple, int]
    created: set[tuple]
    changed: set[tuple]


@dataclass
class Row:
    """One row to write: its match key, the child it concerns (for messages) and its values.

    `values` are written on create and compared (and written) on update; `create_only` only
    on create (e.g. a placeholder the service may later correct by hand).
    """

    key: tuple
    child: str | None
    values: dict[str, Any]
    create_only: dict[str, Any] = field(default_factory=dict)


def blank(value: object) -> object:
    return "" if value is None else value


def chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def is_supplied(frame: pl.DataFrame, column: str) -> bool:
    """Whether the source supplies a column at all (a column all null is one it cannot supply)."""
    return frame.height > 0 and frame.get_column(column).null_count() < frame.height


def same_value(current: object, incoming: object) -> bool:
    if isinstance(current, Decimal) and incoming is not None:
        return current == Decimal(str(incoming))
    return current == incoming


def without(values: dict[str, Any], *names: str) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k not in names}


def distinct_rows(rows: list[Row]) -> list[Row]:
    """Rows with one key kept once (siblings' notifications, one strategy discussion per enquiry)."""
    kept: dict[tuple, Row] = {}
    for row in rows:
        kept.setdefault(row.key, row)
    return list(kept.values())


def plan_categories(listed: list[str] | None, single: str | None) -> list[str]:
    """The plan's categories: the list where the source has one, else its one DfE category."""
    if listed:
        return sorted(dict.fromkeys(listed))
    return [single] if single else []


def dfe_category(categories: list[str], child: str, field_name: str) -> str:
    try:
        return codes.dfe_category(categories)
    except ValueError as exc:
        raise RecordError(f"child {child}: plans: {field_name}: {exc}") from None


def messages_of(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in exc.message_dict.items())
    return " ".join(exc.messages)
