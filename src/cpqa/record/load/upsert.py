"""The bulk insert machinery: match incoming rows to current ones, validate, create and update in bulk."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, models, reset_queries

from cpqa.record.errors import RecordError
from cpqa.record.load.rows import LOOKUP_IDS, Outcome, Row, chunks, messages_of, same_value


class Upserts:
    """Writing one table's rows (a part of `Loader`)."""

    def existing_rows(
        self,
        model: type[models.Model],
        by: str,
        ids: Iterable[int],
        key: Callable[[dict], tuple],
        fields: list[str],
    ) -> dict[tuple, dict[str, Any]]:
        """Current values of `model` rows whose `by` is in `ids`, keyed as the incoming rows are."""
        if self.fresh:
            return {}
        found: dict[tuple, dict[str, Any]] = {}
        wanted = sorted(set(ids))
        for part in chunks(wanted, LOOKUP_IDS):
            for row in model.objects.filter(**{f"{by}__in": part}).order_by("pk").values("pk", *fields):
                found.setdefault(key(row), row)
        return found

    def upsert(
        self,
        table: str,
        model: type[models.Model],
        rows: Sequence[Row],
        existing: dict[tuple, dict[str, Any]],
        *,
        prepare: Callable[[models.Model, Row], None] | None = None,
        count_as: Callable[[Row], str] | None = None,
        count: bool = True,
        keys_needed: bool = True,
    ) -> Outcome:
        """Create the rows not in `existing` and update those whose values differ.

        With `keys_needed` false (a table nothing else points at) new rows are inserted without
        reading their keys back, and only existing rows' keys are in the outcome.
        """
        seen: set[tuple] = set()
        new: list[tuple[models.Model, Row]] = []
        changed: list[tuple[models.Model, Row]] = []
        pks: dict[tuple, int] = {}
        for row in rows:
            if row.key in seen:
                raise RecordError(
                    f"{self._who(row)}: {table}: two rows for the same {self._describe_key(row)}"
                )
            seen.add(row.key)
            current = existing.get(row.key)
            if current is None:
                obj = model(**row.values, **row.create_only)
                new.append((obj, row))
            else:
                pks[row.key] = current["pk"]
                if all(same_value(current.get(name), value) for name, value in row.values.items()):
                    continue
                obj = model(**{**current, **row.values})
                changed.append((obj, row))
            if prepare is not None:
                prepare(obj, row)
            self._validate(obj, table, row)
        if new and keys_needed:
            model.objects.bulk_create([obj for obj, _ in new], batch_size=2000)
            for obj, row in new:
                pks[row.key] = obj.pk
        elif new:
            insert_without_keys(model, [obj for obj, _ in new])
        if changed:
            update_fields = sorted({name for _, row in changed for name in row.values})
            model.objects.bulk_update([obj for obj, _ in changed], update_fields, batch_size=500)
        # With DEBUG on, Django keeps the text of recent queries; at England's volume that is
        # hundreds of megabytes of INSERTs nobody reads.
        reset_queries()
        outcome = Outcome(pks, {row.key for _, row in new}, {row.key for _, row in changed})
        if not count:
            return outcome
        if count_as is None:
            self.summary.count(table, len(new), len(changed))
        else:
            for group, label in ((new, "added"), (changed, "updated")):
                tally: dict[str, int] = defaultdict(int)
                for _, row in group:
                    tally[count_as(row)] += 1
                for name, number in tally.items():
                    self.summary.count(
                        name, number if label == "added" else 0, number if label == "updated" else 0
                    )
        return outcome

    def _validate(self, obj: models.Model, table: str, row: Row) -> None:
        relations = [f.name for f in obj._meta.fields if f.is_relation]
        try:
            obj.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            raise RecordError(f"{self._who(row)}: {table}: {messages_of(exc)}") from None

    @staticmethod
    def _who(row: Row) -> str:
        return f"child {row.child}" if row.child else f"row {row.key[0]}"

    @staticmethod
    def _describe_key(row: Row) -> str:
        dates = [k.isoformat() for k in row.key if isinstance(k, dt.date)]
        return "date " + ", ".join(dates) if dates else "key"


def insert_without_keys(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Insert rows whose new keys nobody needs back, with one prepared statement for them all.

    `bulk_create` builds its SQL row by row, which is most of a load's time at England's
    volume; values are still prepared by each field's own `pre_save` and `get_db_prep_save`.
    """
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    with connection.cursor() as cursor:
        for part in chunks(objs, 5000):
            cursor.executemany(
                sql, [[f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields] for obj in part]
            )
