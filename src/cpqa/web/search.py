"""Search: one box for a child's name, local id or date of birth, a family's name, and
conferences by date, chair or child.

The term is posted, never put in the address (a child's name in a URL would sit in browser
history and server logs), and never written to the access log: the log says a search happened,
what kind of term it was and which children it showed. Every query is narrowed to the children
the user may see (`cpqa.record.access.visible_children`) before it runs, so a child out of reach
changes nothing on the page: it reads exactly as when nothing matches.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import polars as pl
from django import forms
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from cpqa.accounts.access import log_access, role_required
from cpqa.accounts.roles import CHILD_ROLES, CONFERENCE_READERS
from cpqa.core.clock import service_today
from cpqa.domain import codes
from cpqa.domain.calendar import in_words
from cpqa.domain.diary import STATUSES, diary_entries
from cpqa.record import models as m
from cpqa.record.access import visible_children
from cpqa.ui.forms import GovukForm

# More than this many of a kind and the page asks for a narrower term rather than listing them.
MAX_RESULTS = 50
MAX_TERM_LENGTH = 100
MIN_TERM_LENGTH = 2

_MONTHS = {name.lower(): number for number, name in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
     "November", "December"], start=1)}
_MONTHS.update({name[:3]: number for name, number in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_NUMERIC = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{1,4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WORDS = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{1,4})$")
REAL_DATE = "Enter a real date, for example 12/03/2015 or 12 March 2015"


def parse_date_term(term: str) -> dt.date | None:
    """The date a term is written as (12/03/2015, 12.3.2015, 2015-03-12, 12 March 2015, 12th Mar
    2015), or None when the term is not written as a date. Day first, as in England.

    Raises ValueError with the message to show when it is written as a date that cannot be one.
    """
    text = term.strip().lower()
    if match := _ISO.match(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _NUMERIC.match(text):
        day, month, year = (int(part) for part in match.groups())
    elif (match := _WORDS.match(text)) and match.group(2) in _MONTHS:
        day, month, year = int(match.group(1)), _MONTHS[match.group(2)], int(match.group(3))
    elif match:
        raise ValueError(REAL_DATE)
    else:
        return None
    if year < 1000:
        raise ValueError("Enter the year in full, for example 12/03/2015")
    try:
        if not 1900 <= year <= 2100:
            raise ValueError
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(REAL_DATE) from None


class SearchForm(GovukForm):
    term = forms.CharField(
        label="Search for a child, family or conference",
        help_text="Enter a name, local id or date of birth (for example 12/03/2015), a family's name, "
        "or a chair's name or a conference date",
        required=False,
        strip=True,
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["term"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})

    def clean_term(self) -> str:
        term = " ".join(self.cleaned_data.get("term", "").split())
        if not term:
            raise forms.ValidationError("Enter a name, local id or date of birth")
        if len(term) > MAX_TERM_LENGTH:
            raise forms.ValidationError(f"Search for {MAX_TERM_LENGTH} characters or fewer")
        try:
            self.cleaned_data["on"] = parse_date_term(term)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None
        if self.cleaned_data["on"] is None and len(term) < MIN_TERM_LENGTH:
            raise forms.ValidationError(f"Enter at least {MIN_TERM_LENGTH} letters or numbers")
        return term


@dataclass
class Found:
    """What a search shows, every list already narrowed to what the user may see."""

    children: list[m.Child] = field(default_factory=list)
    children_total: int = 0
    families: list[dict[str, object]] = field(default_factory=list)
    conferences: list[dict[str, object]] = field(default_factory=list)
    conferences_total: int = 0

    def child_ids(self) -> set[int]:
        shown = {child.pk for child in self.children}
        for family in self.families:
            shown.update(child.pk for child in family["children"])  # type: ignore[attr-defined]
        for conference in self.conferences:
            shown.update(child.pk for child in conference["children"])  # type: ignore[attr-defined]
        return shown


def _words_match(words: list[str], *paths: str) -> Q:
    """Every word found (in part, any case) in at least one of `paths`."""
    query = Q()
    for word in words:
        either = Q()
        for path in paths:
            either |= Q(**{f"{path}__icontains": word})
        query &= either
    return query


def _matching_children(visible: QuerySet[m.Child], term: str, on: dt.date | None) -> QuerySet[m.Child]:
    if on is not None:
        return visible.filter(date_of_birth=on)
    words = term.split()
    return visible.filter(
        _words_match(words, "first_name", "last_name", "local_id", "family__name", "family__reference")
    )


def _families(visible: QuerySet[m.Child], term: str) -> list[dict[str, object]]:
    """Families whose name or reference holds every word, each with the children of it the user
    may see (a family with none of them is not shown, so it is not revealed)."""
    families = (
        m.Family.objects.filter(_words_match(term.split(), "name", "reference"), children__in=visible)
        .distinct()
        .order_by("name", "reference")[:MAX_RESULTS]
    )
    rows = []
    for family in families:
        children = list(visible.filter(family=family).order_by("first_name", "local_id"))
        rows.append({"family": family, "children": children})
    return rows


def _conference_rows(
    visible: QuerySet[m.Child], matched: QuerySet[m.Child], term: str, on: dt.date | None, today: dt.date
) -> tuple[list[dict[str, object]], int]:
    """Conferences on the date, or chaired by the named chair, or about a child found, with a
    child the user may see; newest first. Statuses from the diary's rule."""
    if on is not None:
        which = Q(held_date=on) | Q(held_date__isnull=True, scheduled_date=on)
    else:
        which = _words_match(term.split(), "chair__name") | Q(subjects__child__in=matched)
    meetings = m.Conference.objects.filter(which, subjects__child__in=visible).distinct()
    total = meetings.count()
    chosen = list(
        meetings.select_related("chair").order_by("-scheduled_date", "-pk")[:MAX_RESULTS]
    )
    moves = dict(
        m.Rearrangement.objects.filter(conference__in=chosen).values("conference_id")
        .annotate(n=Count("pk")).values_list("conference_id", "n")
    )
    subjects = list(
        m.ConferenceSubject.objects.filter(conference__in=chosen, child__in=visible)
        .select_related("child", "conference").order_by("child__first_name", "child__local_id")
    )
    frame = pl.DataFrame(
        [
            (str(s.conference_id), str(s.child_id), s.conference.conference_type, s.conference.scheduled_date,
             s.conference.held_date, s.outcome or None, s.conference.cancelled, moves.get(s.conference_id, 0))
            for s in subjects
        ],
        schema={"meeting_id": pl.String, "child_id": pl.String, "conference_type": pl.String,
                "scheduled_date": pl.Date, "held_date": pl.Date, "outcome": pl.String,
                "cancelled": pl.Boolean, "rearrangements": pl.Int64},
        orient="row",
    )
    status = dict(diary_entries(frame, today).select("meeting_id", "status").iter_rows())
    rows = []
    for conference in chosen:
        day = conference.held_date or conference.scheduled_date
        rows.append({
            "conference": conference,
            "date": in_words(day) if day else "No date booked",
            "type": codes.label(codes.CONFERENCE_TYPE, conference.conference_type),
            "children": [s.child for s in subjects if s.conference_id == conference.pk],
            "status": STATUSES.get(status.get(str(conference.pk), ""), ""),
        })
    return rows, total


def run_search(request: HttpRequest, term: str, on: dt.date | None) -> Found:
    visible = visible_children(request.user)
    matched = _matching_children(visible, term, on)
    found = Found(
        children=list(matched.select_related("family", "team").order_by("last_name", "first_name", "local_id")
                      [:MAX_RESULTS]),
        children_total=matched.count(),
    )
    if on is None:
        found.families = _families(visible, term)
    if request.user.role in CONFERENCE_READERS:
        found.conferences, found.conferences_total = _conference_rows(visible, matched, term, on, service_today())
    return found


def _log_search(request: HttpRequest, on: dt.date | None, found: Found) -> None:
    """One event for the search (the kind of term and the counts, never the term itself: it may
    be a child's name) and one for each child the results showed."""
    kind = "date" if on is not None else "name or id"
    # One transaction for the lot: one commit, not one per child (each commit waits for the disk).
    with transaction.atomic():
        _log_events(request, kind, found)


def _log_events(request: HttpRequest, kind: str, found: Found) -> None:
    """One event naming every child the results showed (ids, never the term searched for)."""
    log_access(
        request, "search", "search", "",
        f"search by {kind}: children {len(found.children)} families {len(found.families)} "
        f"conferences {len(found.conferences)}",
        children=sorted(found.child_ids()),
    )


@never_cache
@role_required(*CHILD_ROLES)
def search(request: HttpRequest) -> HttpResponse:
    """GET: the search box. POST: the results, with the box to search again."""
    context: dict[str, object] = {"may_see_conferences": request.user.role in CONFERENCE_READERS}
    if request.method != "POST":
        context["form"] = SearchForm()
        return render(request, "web/search.html", context)
    form = SearchForm(request.POST)
    context["form"] = form
    if form.is_valid():
        term, on = form.cleaned_data["term"], form.cleaned_data["on"]
        found = run_search(request, term, on)
        _log_search(request, on, found)
        context.update({
            "found": found, "searched": True, "term": term, "on": in_words(on) if on else "",
            "max_results": MAX_RESULTS,
        })
    return render(request, "web/search.html", context)
