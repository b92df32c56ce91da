"""The conference diary: a week, a month or any dates, for every chair or one, by type and status.

Where a conference stands is the domain's rule (`cpqa.domain.diary.diary_entries`); this page
reads only the conferences dated in the range asked for, about children the user may see, and
hands those rows to it. The diary shows when and where each conference is, who chairs it and
how many children it is about, with a link to the conference page (which loads and logs each
child); it names no child, so the list is logged as one event.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

import polars as pl
from django import forms
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cpqa.accounts.access import log_access, role_required
from cpqa.accounts.models import Role
from cpqa.accounts.roles import CONFERENCE_READERS
from cpqa.core.clock import service_today
from cpqa.domain import codes
from cpqa.domain.calendar import add_months, in_words
from cpqa.domain.diary import DIARY_INPUT_SCHEMA, STATUSES, count_by_status, diary_entries
from cpqa.domain.trackers import month_of, week_of
from cpqa.record import models as m
from cpqa.record.access import visible_children
from cpqa.ui.forms import GovukDateField, GovukForm

VIEWS = [("week", "Week"), ("month", "Month"), ("dates", "Dates you choose")]
ALL = "all"
# The longest range the dates view lists at once (a month view covers up to 31 days).
MAX_RANGE_DAYS = 92


class DiaryForm(GovukForm):
    view = forms.ChoiceField(label="Show", choices=VIEWS, required=False, widget=forms.RadioSelect)
    on = GovukDateField(label="Week or month that includes", required=False,
                        help_text="For example, 29 3 2018. Leave blank for today.")
    start = GovukDateField(label="From", required=False, help_text="For dates you choose")
    end = GovukDateField(label="To", required=False, help_text="For dates you choose")
    chair = forms.ChoiceField(label="Chair", required=False)
    conference_type = forms.ChoiceField(label="Type of conference", required=False)
    status = forms.ChoiceField(label="Status", required=False)

    def __init__(self, data: Any = None, chairs: list[tuple[str, str]] = ()) -> None:
        super().__init__(data)
        self.fields["chair"].choices = [(ALL, "All chairs"), *chairs]
        self.fields["conference_type"].choices = [(ALL, "All types"), *codes.CONFERENCE_TYPE.items()]
        self.fields["status"].choices = [(ALL, "All statuses"), *STATUSES.items()]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("view") == "dates" and not self.errors:
            start, end = data.get("start"), data.get("end")
            if start is None:
                self.add_error("start", "Enter the first date to show")
            if end is None:
                self.add_error("end", "Enter the last date to show")
            if start and end and end < start:
                self.add_error("end", "The last date must be the same as or after the first date")
            elif start and end and (end - start).days >= MAX_RANGE_DAYS:
                self.add_error("end", "Choose dates no more than 3 months apart")
        return data


def _chairs() -> list[tuple[str, str]]:
    chairs = m.StaffMember.objects.filter(Q(role="chair") | Q(chaired_conferences__isnull=False)).distinct()
    return [(str(pk), name) for pk, name in chairs.order_by("name").values_list("pk", "name")]


def _range(view: str, on: dt.date, data: dict[str, Any]) -> tuple[dt.date, dt.date, str]:
    if view == "month":
        start, end = month_of(on)
        return start, end, f"{start:%B %Y}"
    if view == "dates":
        start, end = data["start"], data["end"]
        return start, end, f"{in_words(start)} to {in_words(end)}"
    start, end = week_of(on)
    return start, end, f"Week of Monday {in_words(start)}"


def diary_rows(children: Any, start: dt.date, end: dt.date) -> pl.DataFrame:
    """The diary's input rows for conferences dated from `start` to `end` about `children`
    (held date where recorded, else the booked date: the domain's conference date)."""
    dated = Q(conference__held_date__range=(start, end)) | Q(
        conference__held_date__isnull=True, conference__scheduled_date__range=(start, end)
    )
    subjects = m.ConferenceSubject.objects.filter(dated, child__in=children).values_list(
        "conference_id", "child__local_id", "conference__conference_type", "conference__scheduled_date",
        "conference__held_date", "outcome", "conference__chair_id", "conference__cancelled",
        "conference__scheduled_time", "conference__venue",
    )
    rows = [
        (str(meeting), child, kind, scheduled, held, outcome or None, str(chair) if chair else None,
         cancelled, time, venue or None)
        for meeting, child, kind, scheduled, held, outcome, chair, cancelled, time, venue in subjects
    ]
    columns = ["meeting_id", "child_id", "conference_type", "scheduled_date", "held_date", "outcome",
               "chair_id", "cancelled", "scheduled_time", "venue"]
    frame = pl.DataFrame(rows, schema={c: DIARY_INPUT_SCHEMA[c] for c in columns}, orient="row")
    meetings = {int(meeting) for meeting in frame["meeting_id"]}
    moves: dict[str, tuple[int, dt.date]] = {}
    for meeting, from_date in (
        m.Rearrangement.objects.filter(conference__in=meetings).order_by("recorded_at", "pk")
        .values_list("conference_id", "from_date")
    ):
        count, first = moves.get(str(meeting), (0, from_date))
        moves[str(meeting)] = (count + 1, first)
    extra = pl.DataFrame(
        [(meeting, count, first) for meeting, (count, first) in moves.items()],
        schema={"meeting_id": pl.String, "rearrangements": pl.Int64, "original_date": pl.Date}, orient="row",
    )
    return frame.join(extra, on="meeting_id", how="left")


def _default_chair(request: HttpRequest, chairs: list[tuple[str, str]]) -> str:
    """A chair opens their own diary; everyone else every chair's."""
    staff = getattr(request.user, "staff", None) if request.user.role == Role.CHAIR else None
    return str(staff.pk) if staff is not None and str(staff.pk) in dict(chairs) else ALL


def _step_links(view: str, start: dt.date, query: dict[str, str]) -> dict[str, str]:
    if view == "dates":
        return {}
    if view == "month":
        before, after = add_months(start, -1), add_months(start, 1)
    else:
        before, after = start - dt.timedelta(days=7), start + dt.timedelta(days=7)

    def link(day: dt.date) -> str:
        return "?" + urlencode({**query, "view": view, "on_day": day.day, "on_month": day.month,
                                "on_year": day.year})

    return {"previous": link(before), "next": link(after)}


def _days(entries: pl.DataFrame, chair_names: dict[str, str], start: dt.date, end: dt.date,
          show_empty: bool) -> list[dict[str, Any]]:
    by_day: dict[dt.date, list[dict[str, Any]]] = {}
    for row in entries.iter_rows(named=True):
        by_day.setdefault(row["date"], []).append({
            **row,
            "type": codes.label(codes.CONFERENCE_TYPE, row["conference_type"]),
            "chair": chair_names.get(row["chair_id"] or "", "Not allocated"),
            "status_label": STATUSES[row["status"]],
            "original": in_words(row["original_date"]) if row["original_date"] else "",
        })
    days = []
    day = start
    while day <= end:
        if day in by_day or show_empty:
            days.append({"day": day, "heading": f"{day:%A} {in_words(day)}", "entries": by_day.get(day, [])})
        day += dt.timedelta(days=1)
    return days


@role_required(*CONFERENCE_READERS)
def diary(request: HttpRequest) -> HttpResponse:
    chairs = _chairs()
    data = request.GET.copy()
    data.setdefault("view", "week")
    data.setdefault("chair", _default_chair(request, chairs))
    form = DiaryForm(data, chairs)
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        choice = form.cleaned_data
        view = choice["view"] or "week"
        start, end, heading = _range(view, choice["on"] or service_today(), choice)
        wanted = {key: choice[key] for key in ("chair", "conference_type", "status")}
        entries = diary_entries(
            diary_rows(visible_children(request.user), start, end), service_today(), start, end,
            chair_ids=None if wanted["chair"] in ("", ALL) else [wanted["chair"]],
            conference_types=None if wanted["conference_type"] in ("", ALL) else [wanted["conference_type"]],
        )
        counts = count_by_status(entries)
        if wanted["status"] not in ("", ALL):
            entries = entries.filter(pl.col("status") == wanted["status"])
        query = {key: value or ALL for key, value in wanted.items()}
        context.update({
            "heading": heading, "counts": [(STATUSES[key], n) for key, n in counts.items()],
            "total": sum(counts.values()), "shown": entries.height,
            "days": _days(entries, dict(chairs), start, end, show_empty=view == "week"),
            "links": _step_links(view, start, query), "view": view,
        })
        log_access(
            request, "list", "conference", "",
            f"diary {view} {start.isoformat()} to {end.isoformat()} conferences {entries.height}",
        )
    return render(request, "web/diary.html", context)
