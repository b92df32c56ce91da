"""What a load reports: counts added and updated table by table, and what it left out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

Progress = Callable[[str, int, int], None]


class _Tally:
    """One table's count in one direction, read from a summary's `added` or `updated`."""

    def __init__(self, table: str, direction: str) -> None:
        self.table = table
        self.direction = direction

    def __get__(self, summary: LoadSummary, owner: type | None = None) -> int:
        return getattr(summary, self.direction).get(self.table, 0)


@dataclass
class LoadSummary:
    """What a load added and changed, table by table, and which tables it left out and why."""

    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)

    def count(self, table: str, added: int, updated: int) -> None:
        self.added[table] = self.added.get(table, 0) + added
        self.updated[table] = self.updated.get(table, 0) + updated

    # Headline counts. Conferences are counted per child (the report's rule), all types.
    children_added = _Tally("children", "added")
    children_updated = _Tally("children", "updated")
    plans_added = _Tally("plans", "added")
    plans_updated = _Tally("plans", "updated")
    conferences_added = _Tally("conferences", "added")
    conferences_updated = _Tally("conferences", "updated")
    reviews_added = _Tally("reviews", "added")
    reviews_updated = _Tally("reviews", "updated")

    @property
    def changed_anything(self) -> bool:
        return any(self.added.values()) or any(self.updated.values())

    def lines(self) -> list[str]:
        """One line per table that was touched or skipped, for the command line."""
        out = []
        for table in self.added:
            out.append(f"{table}: {self.added[table]:,} added, {self.updated.get(table, 0):,} updated")
        for table, reason in self.skipped.items():
            out.append(f"{table}: not loaded ({reason})")
        return out
