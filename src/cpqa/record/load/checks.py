"""Validation across rows and tables, before anything is written: references, order, overlaps."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from typing import Any

import polars as pl

from cpqa.record.errors import RecordError
from cpqa.record.load.rows import Row


class Checks:
    """The rules across rows, each refusal naming the child, table and field (a part of `Loader`)."""

    def _check_references(self) -> None:
        """Every child a table names is in the children table; every id a row names exists."""
        r = self.record
        children = set(r.children.get_column("child_id").drop_nulls().to_list())
        missing = r.children.filter(pl.col("child_id").is_null())
        if missing.height:
            raise RecordError("children: a row has no child_id")
        duplicated = r.children.filter(pl.col("child_id").is_duplicated())
        if duplicated.height:
            raise RecordError(f"child {duplicated.item(0, 'child_id')}: children: the child id appears twice")
        for table in ("episodes", "assessments", "cin_plans", "s47", "plans", "conferences", "concern_notes"):
            frame = getattr(r, table)
            unknown = frame.filter(
                pl.col("child_id").is_not_null() & ~pl.col("child_id").is_in(list(children))
            )
            if unknown.height:
                raise RecordError(
                    f"child {unknown.item(0, 'child_id')}: {table}: child_id is not in the children table"
                )
        self._check_ids(r.plans, "episode_id", r.episodes, "episode_id", "plans")
        self._check_ids(r.s47, "episode_id", r.episodes, "episode_id", "s47")
        self._check_ids(r.assessments, "episode_id", r.episodes, "episode_id", "assessments")
        self._check_ids(r.cin_plans, "episode_id", r.episodes, "episode_id", "cin_plans")
        self._check_ids(r.conferences, "plan_id", r.plans, "plan_id", "conferences")
        self._check_ids(r.conferences, "s47_id", r.s47, "s47_id", "conferences")
        for table in ("s47", "assessments", "cin_plans"):
            frame = getattr(r, table)
            orphan = frame.filter(pl.col("episode_id").is_null())
            if orphan.height:
                raise RecordError(f"child {orphan.item(0, 'child_id')}: {table}: episode_id is missing")

    @staticmethod
    def _check_ids(
        frame: pl.DataFrame, column: str, target: pl.DataFrame, target_column: str, table: str
    ) -> None:
        known = target.get_column(target_column).drop_nulls()
        unknown = frame.filter(pl.col(column).is_not_null() & ~pl.col(column).is_in(known.to_list()))
        if unknown.height:
            raise RecordError(
                f"child {unknown.item(0, 'child_id')}: {table}: {column} {unknown.item(0, column)!r} is not in the record"
            )

    def _check_plans_do_not_overlap(self, rows: list[Row], existing: dict[tuple, dict[str, Any]]) -> None:
        """A child has one plan at a time: each plan ends on or before the next one starts."""
        by_child: dict[int, dict[dt.date, tuple[dt.date | None, str]]] = defaultdict(dict)
        local_id = {pk: local for local, pk in self.child_pk.items()}
        for (child, start), current in existing.items():
            by_child[child][start] = (current["end_date"], local_id.get(child, str(child)))
        for row in rows:
            child, start = row.key
            if start is None:
                continue
            by_child[child][start] = (row.values["end_date"], row.child or "")
        for plans in by_child.values():
            starts = sorted(plans)
            for earlier, later in itertools.pairwise(starts):
                end, who = plans[earlier]
                if end is None:
                    raise RecordError(
                        f"child {who}: plans: start_date: a plan starts on {later.isoformat()} while the plan "
                        f"from {earlier.isoformat()} is still open (a second open plan)"
                    )
                if end > later:
                    raise RecordError(
                        f"child {who}: plans: start_date: a plan starts on {later.isoformat()} before the plan "
                        f"from {earlier.isoformat()} ends on {end.isoformat()}"
                    )

    def _check_order(self, rows: list[Row], first: str, second: str, table: str, *, strictly: bool) -> None:
        # Checked here, not left to the database's constraint, so the message can name the child.
        for row in rows:
            start, end = row.values.get(first), row.values.get(second)
            if start and end and (end < start or (strictly and end == start)):
                raise RecordError(
                    f"child {row.child}: {table}: {second}: {end.isoformat()} is before {first} {start.isoformat()}"
                )
