"""Reads for Today that the record's tables do not carry: business support's paperwork.

Invitations, decision letters and minutes are office tasks on the meeting, not facts the
annual report counts, so they are read from the Conference model here rather than through
the record's tables. The caller narrows `children` to what the user may see.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from django.db.models import Q, QuerySet

from cpqa.domain.config import AuthorityConfig
from cpqa.domain.documents import document_due_dates
from cpqa.domain.timescales import status_on
from cpqa.record import models as m

PAPERWORK_SCHEMA: dict[str, pl.DataType] = {
    "meeting_id": pl.String,
    "child_id": pl.String,
    "conference_type": pl.String,
    "scheduled_date": pl.Date,
    "held_date": pl.Date,
    "working_days_since_held": pl.Int64,
    "due_date": pl.Date,
    "status": pl.String,
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
# The document (cpqa.domain.documents) each list is about.
PAPERWORK_DOCUMENT = {"invitations": "invitations", "decision_letters": "decision_letter", "minutes": "minutes"}


def paperwork_outstanding(
    kind: str, children: QuerySet[m.Child], today: dt.date, config: AuthorityConfig
) -> pl.DataFrame:
    """One row per child of each meeting whose `kind` of paperwork is not yet sent.

    Invitations: booked, not held, not cancelled, on or after today. Decision letters and
    minutes: held in the 3 months up to today (cancelled meetings owe nothing). `due_date` is
    the document's deadline (cpqa.domain.documents) and `status` where it stands today.
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
            "conference__held_date", "conference__booked_date",
        )
    )
    calendar = config.calendar
    document = PAPERWORK_DOCUMENT[kind]
    data = []
    for meeting, child, conference_type, scheduled, held, booked_on in rows:
        due = document_due_dates(conference_type, booked_on, held or scheduled, config)[document]
        data.append((
            str(meeting), child, conference_type, scheduled, held,
            calendar.working_days_between(held, today) if held else None,
            due, status_on(due, today, calendar).value if due else None,
        ))
    return pl.DataFrame(data, schema=PAPERWORK_SCHEMA, orient="row")


def child_pks(local_ids: list[str]) -> dict[str, int]:
    """Database keys for the record's child ids, for links to each child's record."""
    return dict(m.Child.objects.filter(local_id__in=local_ids).values_list("local_id", "pk"))


def paperwork_by_conference(
    kind: str, children: QuerySet[m.Child], today: dt.date, config: AuthorityConfig
) -> pl.DataFrame:
    """`paperwork_outstanding` with one row per conference (a letter or minutes go once per
    conference, whoever it is about): its children in `children` (sorted), the first as
    `child_id` with their team, and `conference` (the conference's id, for its link)."""
    per_child = paperwork_outstanding(kind, children, today, config)
    teams = dict(
        m.Child.objects.filter(local_id__in=per_child["child_id"].unique().to_list()).values_list(
            "local_id", "team__name"
        )
    )
    grouped = (
        per_child.sort("child_id")
        .group_by("meeting_id", maintain_order=True)
        .agg(
            pl.col("child_id").alias("children"),
            pl.col("child_id").first(),
            *(pl.col(c).first() for c in ("conference_type", "scheduled_date", "held_date", "due_date", "status")),
        )
    )
    return grouped.select(
        pl.col("meeting_id").alias("conference"), "meeting_id", "child_id", "children",
        pl.col("child_id").replace_strict(teams, default=None, return_dtype=pl.String).alias("team"),
        "conference_type", "scheduled_date", "held_date", pl.col("due_date").alias("due"), "status",
    ).sort("due", "child_id", "conference", nulls_last=True)


def conference_times(meeting_ids: list[str]) -> dict[str, str]:
    """Each conference's booked time as HH:MM (none where no time is recorded)."""
    pks = [int(pk) for pk in meeting_ids if pk is not None]
    rows = m.Conference.objects.filter(pk__in=pks, scheduled_time__isnull=False).values_list("pk", "scheduled_time")
    return {str(pk): time.strftime("%H:%M") for pk, time in rows}



# The documents cpqa records a sent date for, and the Conference field holding it.
SENT_DOCUMENTS = {
    "invitations": "invitations_sent_date",
    "decision_letter": "decision_letter_sent_date",
    "minutes": "minutes_sent_date",
}


def conference_documents(children: QuerySet[m.Child], config: AuthorityConfig) -> pl.DataFrame:
    """One row per child of each conference not cancelled and per document cpqa records as sent:
    `child_id`, `conference`, `document`, `due` (cpqa.domain.documents) and `sent_date`."""
    rows = m.ConferenceSubject.objects.filter(child__in=children, conference__cancelled=False).values_list(
        "child__local_id", "conference_id", "conference__conference_type", "conference__booked_date",
        "conference__held_date", "conference__scheduled_date", *(f"conference__{f}" for f in SENT_DOCUMENTS.values()),
    )
    data = []
    for child, meeting, conference_type, booked_on, held, scheduled, *sent in rows:
        dues = document_due_dates(conference_type, booked_on, held or scheduled, config)
        for document, sent_date in zip(SENT_DOCUMENTS, sent, strict=True):
            data.append((child, str(meeting), document, dues[document], sent_date))
    return pl.DataFrame(
        data, orient="row",
        schema={"child_id": pl.String, "conference": pl.String, "document": pl.String, "due": pl.Date,
                "sent_date": pl.Date},
    )
