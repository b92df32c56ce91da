"""The whole record as tables, kept in each server process and refreshed when the record changes.

Pages that need the record's tables (Today's lists, the QA lists) ask `record_for(children)`
here instead of reading the database afresh: reading the whole record costs a large part of a
second, far too much for every request of a team at work. Each process holds one copy of the
whole record (`record_tables()`) with the record's version number it was read at
(`RecordVersion`, raised by every write in the writing transaction). A request asks for the
number, one small query; if it moved, the copy is read again. A user who may see only some
children gets the copy narrowed in memory by the domain (`narrow_to_children`), to the
children `cpqa.record.access.visible_children` gives, so the rule of who sees what stays there.

The copy is shared by the threads of a process (gunicorn's gthread workers): Polars frames are
never changed in place, and a lock makes one thread read the record again while the others wait
for it, rather than each reading it at once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from django.conf import settings
from django.db import connections
from django.db.models import QuerySet

from cpqa.domain.tables import Record, narrow_to_children
from cpqa.record import models as m
from cpqa.record.selectors import record_tables

# Which database and which version of its record a copy was read at.
_Key = tuple[str, int]
T = TypeVar("T")
# Results worked out over one version of the record (a Today list for one user and day): at
# most this many, the least recently used dropped first, all dropped when the record changes.
REMEMBERED_RESULTS = 512


def _current_key(alias: str = "default") -> _Key:
    return (str(connections[alias].settings_dict.get("NAME")), m.RecordVersion.current())


class RecordCache:
    """One process's copy of the whole record; `whole()` gives it, read again if out of date."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: tuple[_Key, Record] | None = None
        self._results: OrderedDict[Hashable, object] = OrderedDict()
        # How many times the record was read from the database (the tests watch it).
        self.reads = 0

    def whole(self) -> Record:
        return self._current()[1]

    def _current(self) -> tuple[_Key, Record]:
        key = _current_key()
        held = self._held
        if held is not None and held[0] == key:
            return held
        with self._lock:
            # Another thread may have read it while this one waited; ask the number again.
            key = _current_key()
            held = self._held
            if held is not None and held[0] == key:
                return held
            # The number is read before the tables: a write landing in between makes the copy
            # newer than its number, so the next request reads again; never older.
            record = record_tables()
            self.reads += 1
            self._held = (key, record)
            self._results = OrderedDict()
            return self._held

    def remembered(self, key: Hashable, work_out: Callable[[Record], T]) -> T:
        """`work_out(whole record)`'s result for `key`, worked out once per version of the record.

        `key` must name everything else the result depends on (the list, the user, the day, the
        configuration); the record's version is added here.
        """
        # The version is taken before the work: the result can only be newer than its label.
        version, whole = self._current()
        version_key = (version, key)
        with self._lock:
            if version_key in self._results:
                self._results.move_to_end(version_key)
                return self._results[version_key]  # type: ignore[return-value]
        result = work_out(whole)
        with self._lock:
            self._results[version_key] = result
            while len(self._results) > REMEMBERED_RESULTS:
                self._results.popitem(last=False)
        return result

    def clear(self) -> None:
        with self._lock:
            self._held = None
            self._results = OrderedDict()


_PROCESS_CACHE = RecordCache()


def is_enabled() -> bool:
    # Off in the test suite, whose tests write rows straight through the ORM (no version raised)
    # and roll their transactions back (the version number goes back with them).
    return getattr(settings, "CPQA_RECORD_CACHE", True)


def record_for(children: QuerySet[m.Child] | None = None, *, cache: RecordCache | None = None) -> Record:
    """The record's tables for `children` (None: every child), from this process's copy.

    The same tables as `record_tables(children=children)`; a test compares them frame by frame.
    """
    if not is_enabled() or connections["default"].in_atomic_block:
        # Inside a write's transaction the database may hold rows that are not committed (and
        # may yet be rolled back): read them straight, and never keep them as the record.
        return record_tables(children=children)
    whole = (cache or _PROCESS_CACHE).whole()
    if children is None:
        return whole
    ids = frozenset(children.values_list("local_id", flat=True))
    if len(ids) == whole.children.height and whole.children.get_column("child_id").is_in(list(ids)).all():
        # Every child (a QA manager, a chair, business support): nothing to narrow.
        return whole
    return narrow_to_children(whole, ids)


def remembered(key: Hashable, work_out: Callable[[], T], *, cache: RecordCache | None = None) -> T:
    """`work_out()`, kept for this version of the record under `key` (worked out afresh each time
    where the copy is off, as in the tests, or inside a write's transaction)."""
    if not is_enabled() or connections["default"].in_atomic_block:
        return work_out()
    return (cache or _PROCESS_CACHE).remembered(key, lambda _whole: work_out())
