"""The access log's pages: the administrator's search (user, child, dates, action), a page at a
time, and its CSV; and, on a child's record, who has read it (the QA manager's section).

The search is the same function for the page and the CSV, so both always show the same events.
The log's own readings are logged too: looking at who saw a child is itself a read of that child.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cpqa.accounts.access import log_access, role_required
from cpqa.accounts.audit import children_of
from cpqa.accounts.models import AccessEvent, Role

if TYPE_CHECKING:
    import polars as pl

PAGE_SIZE = 50
ACTION_LABELS = dict(AccessEvent.ACTIONS)
HEAD = ["When", "User", "Role", "Action", "What", "Children", "Detail", "Address"]


@dataclass
class LogSearch:
    """What the administrator asked for, as read from the address, with any errors in their words."""

    user: str = ""
    child: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    action: str = ""
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def read(cls, query: object) -> LogSearch:
        values = {name: str(query.get(name, "")).strip()[:150] for name in ("user", "child", "from", "to", "action")}
        search = cls(user=values["user"], values=values)
        if not values["user"].isprintable():
            # A control character (a NUL byte, say) is in no username, and PostgreSQL refuses it.
            search.user = ""
            search.errors["user"] = "Enter the username as it is written, in letters, numbers and . @ + - _"
        if values["child"]:
            if values["child"].isdigit() and len(values["child"]) < 12:
                search.child = int(values["child"])
            else:
                search.errors["child"] = "Enter the child's record number, for example 1042"
        for name, label in (("from", "From"), ("to", "To")):
            if values[name]:
                try:
                    setattr(search, f"date_{name}", dt.date.fromisoformat(values[name]))
                except ValueError:
                    search.errors[name] = f"{label} must be a date in the form YYYY-MM-DD, for example 2027-01-05"
        if search.date_from and search.date_to and search.date_from > search.date_to:
            search.errors["to"] = "To must be the same as or after From"
        if values["action"] in ACTION_LABELS:
            search.action = values["action"]
        elif values["action"]:
            search.errors["action"] = "Choose an action from the list"
        return search

    def events(self) -> QuerySet[AccessEvent]:
        """The events asked for, newest first; none while the search has errors."""
        if self.errors:
            return AccessEvent.objects.none()
        events = AccessEvent.objects.order_by("-position")
        if self.user:
            events = events.filter(username__icontains=self.user)
        if self.child is not None:
            events = events.filter(Q(children__contains=f" {self.child} ") | Q(whole_record=True))
        if self.date_from:
            events = events.filter(at__date__gte=self.date_from)
        if self.date_to:
            events = events.filter(at__date__lte=self.date_to)
        if self.action:
            events = events.filter(action=self.action)
        return events

    def described(self) -> str:
        """What was searched, for the log's own entry (a username and a child id, no names)."""
        parts = [f"{k}={v}" for k, v in self.values.items() if v and k not in self.errors]
        return "access log " + (" ".join(parts) or "all")


def event_row(event: AccessEvent) -> list[str]:
    children = "every child (whole record)" if event.whole_record else " ".join(map(str, children_of(event.children)))
    return [
        timezone.localtime(event.at).strftime("%d/%m/%Y %H:%M:%S"),
        event.username or "(signed out)",
        Role(event.role).label if event.role in Role.values else event.role,
        ACTION_LABELS.get(event.action, event.action),
        f"{event.object_type} {event.object_id}".strip(),
        children,
        event.detail,
        event.ip_address or "",
    ]


def _pagination(page: object, query: dict[str, str]) -> dict[str, object]:
    """GOV.UK pagination: previous, next and the numbered pages near this one."""
    from urllib.parse import urlencode

    def link(number: int) -> str:
        return "?" + urlencode({**{k: v for k, v in query.items() if v}, "page": number})

    numbers = sorted({1, page.paginator.num_pages, *range(max(1, page.number - 2), page.number + 3)})
    numbers = [n for n in numbers if 1 <= n <= page.paginator.num_pages]
    items: list[dict[str, object]] = []
    for index, number in enumerate(numbers):
        if index and number - numbers[index - 1] > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "href": link(number), "current": number == page.number})
    return {
        "items": items if page.paginator.num_pages > 1 else [],
        "previous": link(page.number - 1) if page.has_previous() else "",
        "next": link(page.number + 1) if page.has_next() else "",
    }


@role_required(Role.ADMINISTRATOR)
def access_log(request: HttpRequest) -> HttpResponse:
    search = LogSearch.read(request.GET)
    paginator = Paginator(search.events(), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page", "1")[:8])
    rows = [event_row(event) for event in page.object_list]
    log_access(request, "search", "access_log", "", f"{search.described()} page {page.number}"[:200],
               children=[search.child] if search.child is not None else ())
    csv_query = "&".join(f"{k}={v}" for k, v in search.values.items() if v)
    return render(request, "web/access_log.html", {
        "search": search, "actions": AccessEvent.ACTIONS, "head": HEAD, "rows": rows, "page": page,
        "total": paginator.count, "pagination": _pagination(page, search.values),
        "csv_url": "csv/" + (f"?{csv_query}" if csv_query else ""),
    })


@role_required(Role.ADMINISTRATOR)
def access_log_csv(request: HttpRequest) -> HttpResponse:
    search = LogSearch.read(request.GET)
    if search.errors:
        return render(request, "web/access_log.html", {
            "search": search, "actions": AccessEvent.ACTIONS, "head": HEAD, "rows": [], "total": 0,
        }, status=400)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEAD)
    count = 0
    for event in search.events().iterator(chunk_size=2000):
        writer.writerow(event_row(event))
        count += 1
    log_access(request, "export", "access_log", "", f"{search.described()} csv rows {count}"[:200],
               children=[search.child] if search.child is not None else ())
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="cpqa-access-log.csv"'
    response["Cache-Control"] = "no-store"
    return response


def viewers_of(child_pk: int, most: int = 50) -> tuple[list[list[str]], int]:
    """Who has read this child's record or had it in a list or download, newest first."""
    events = AccessEvent.objects.filter(Q(children__contains=f" {child_pk} ") | Q(whole_record=True)).exclude(
        action="denied"
    ).order_by("-position")
    return [event_row(event)[:5] for event in events[:most]], events.count()


def child_pks_in(frames: Iterable[pl.DataFrame]) -> list[int]:
    """The record ids of the children a page's lists show (the lists carry the local id, `child_id`)."""
    from cpqa.record.models import Child

    local_ids = {str(v) for frame in frames if "child_id" in frame.columns for v in frame["child_id"].to_list() if v}
    return list(Child.objects.filter(local_id__in=local_ids).values_list("pk", flat=True)) if local_ids else []
