"""The conference workflow's table as one of the record's: `core_groups`, every core group held.

Registered with the record (`cpqa.conferences.apps`), so `cpqa.record.selectors.record_tables()`
returns it with the rest, narrowed to the same children. It holds the meetings recorded here
and the held core groups the record already carries (a plan's first core group, where a source
recorded when it was held).
"""

from __future__ import annotations

import polars as pl
from django.db.models import QuerySet

from cpqa.conferences.models import CoreGroupMeeting
from cpqa.record import models as m
from cpqa.record.selectors import table_from_rows

COLUMNS = ["core_group_id", "plan_id", "child_id", "held_date"]


def conference_tables(children: QuerySet | None = None) -> dict[str, pl.DataFrame]:
    meetings = CoreGroupMeeting.objects.all()
    recorded = m.CoreGroup.objects.filter(held_date__isnull=False)
    if children is not None:
        meetings = meetings.filter(plan__child__in=children)
        recorded = recorded.filter(plan__child__in=children)
    # Ids from the two sources are told apart by a prefix, since both are database keys.
    rows = [
        (f"M{pk}", str(plan), child, held)
        for pk, plan, child, held in meetings.values_list("pk", "plan_id", "plan__child__local_id", "held_date")
    ] + [
        (f"R{pk}", str(plan), child, held)
        for pk, plan, child, held in recorded.values_list("pk", "plan_id", "plan__child__local_id", "held_date")
    ]
    return {"core_groups": table_from_rows("core_groups", rows, COLUMNS)}
