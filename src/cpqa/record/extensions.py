"""What the workflows built on the record add to it, registered by each workflow itself.

The record knows no workflow: the QA workflows (`cpqa.oversight`) keep tables of their own
(escalations, notes, repeat-plan reviews, midway reviews) that belong in the record's tables
and in a load. Rather than the record reaching up for them, each workflow registers here, in
its AppConfig.ready(), a reader that gives its tables for the children asked about, and a
loader that writes its tables of a `Record`. `record_tables()` and `load_record()` call what is
registered; a registered reader must honour the children it is given (a social work manager's
narrowed record must never receive another team's QA rows), so it takes them as its one
argument.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl
from django.db.models import QuerySet

# children (None for the whole record) -> {table name: frame}
TableReader = Callable[[QuerySet | None], dict[str, pl.DataFrame]]
# the loader in progress (cpqa.record.load) -> None; it writes the workflow's tables of the record
TableLoader = Callable[[Any], None]

_readers: dict[str, TableReader] = {}
_loaders: dict[str, TableLoader] = {}


def register_tables(owner: str, *, read: TableReader, load: TableLoader | None = None) -> None:
    """Register `owner`'s reader (and loader); registering again under one name replaces it."""
    _readers[owner] = read
    if load is not None:
        _loaders[owner] = load


def table_readers() -> list[TableReader]:
    return list(_readers.values())


def table_loaders() -> list[TableLoader]:
    return list(_loaders.values())
