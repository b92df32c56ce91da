"""Reads for Today that the record's tables do not carry: business support's paperwork.

Invitations, decision letters and minutes are office tasks on the meeting, not facts the
annual report counts, so they are read from the Conference model here rather than through
the record's tables. The caller narrows `children` to what the user may see.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from django.db.models import Q, QuerySet

from cpqa.domain.calendar import WorkingCalendar
from cpqa.record import models as m

PAPERWORK_SCHEMA: dict[str, pl.DataType] = {
    "meeting_id": pl.String,
    "child_id": pl.String,
    "conference_type": pl.String,
    "scheduled_date": pl.Date,
    "held_date": pl.Date,
    "working_days_since_held": pl.Int64,
}

# Which date field marks each piece of paperwork done, and whether it is owed before the
# conference (invitations) or after it (decision letter, minutes).
# Letters and minutes still unsent from longer ago than this are a data-quality matter for the
# record, not today's work: listing every one would bury this week's in years of history.
PAPERWORK_LOOKBACK_DAYS = 92

PAPERWORK = {
    "invitations": ("invitations_sent_date", "before"),
    "decision_letters": ("decision_letter_sent_date", "after"),
    "minutes": ("minutes_sent_date", "after"),
}


def paperwork_outstanding(
    kind: str, children: QuerySet[m.Child], today: dt.date, calendar: WorkingCalendar
) -> pl.DataFrame:
    """One row per child of each meeting whose `kind` of paperwork is not yet sent.

    Invitations: booked, not held, not cancelled, on or after today. Decision letters and
    minutes: held in the 3 months up to today (cancelled meetings owe nothing).
    """
    if kind not in PAPERWORK:
        raise ValueError(f"unknown paperwork {kind!r}; expected one of {', '.join(PAPERWORK)}")
    sent_field, when = PAPERWORK[kind]
    meetings = Q(**{f"conference__{sent_field}__isnull": True}, conference__cancelled=False)
    if when == "before":
        meetings &= Q(conference__held_date__isnull=True, conference__scheduled_date__gte=today)
        order = ("conference__scheduled_date", "conference_id", "child__local_id")
    else:
        since = today - dt.timedelta(days=PAPERWORK_LOOKBACK_DAYS)
        meetings &= Q(conference__held_date__lte=today, conference__held_date__gte=since)
        order = ("conference__held_date", "conference_id", "child__local_id")
    rows = (
        m.ConferenceSubject.objects.filter(meetings, child__in=children)
        .order_by(*order)
        .values_list(
            "conference_id", "child__local_id", "conference__conference_type", "conference__scheduled_date",
            "conference__held_date",
        )
    )
    data = [
        (
            str(meeting),
            child,
            conference_type,
            scheduled,
            held,
            calendar.working_days_between(held, today) if held else None,
        )
        for meeting, child, conference_type, scheduled, held in rows
    ]
    return pl.DataFrame(data, schema=PAPERWORK_SCHEMA, orient="row")


def child_pks(local_ids: list[str]) -> dict[str, int]:
    """Database keys for the record's child ids, for links to each child's record."""
    return dict(m.Child.objects.filter(local_id__in=local_ids).values_list("local_id", "pk"))
