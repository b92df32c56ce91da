"""Today's lists as a person reads them: filtered, a page at a time, with links and actions;
and as files: a CSV of one list, the daily report as CSV sections or spreadsheet sheets.

Rows come only from `cpqa.web.today` (one function per list); this module presents them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

import polars as pl
from django.urls import NoReverseMatch, reverse

from cpqa.domain import codes
from cpqa.domain.calendar import in_words
from cpqa.domain.timescales import Status
from cpqa.ui.templatetags.govuk import STATUS_TAGS
from cpqa.web import selectors
from cpqa.web.tables import Cell
from cpqa.web.today import Column, TodayList, report_rows

ROWS_PER_PAGE = 25
BAND_LABELS = {
    "12_to_18_months": "12 months to under 18 months",
    "18_months_to_2_years": "18 months to under 2 years",
    "2_years_or_more": "2 years or more",
}
# A list's counts name every status a row of it can have (zeros kept).
AWAITED_STATUSES = tuple(s.value for s in Status)
OPEN_STATUSES = (Status.OVERDUE.value, Status.DUE_SOON.value, Status.ON_TRACK.value)


# Filters -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """The page's filters: a team's name, a chair's staff id, a first and last date (inclusive)."""

    team: str = ""
    chair: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> Filters:
        errors: dict[str, str] = {}

        def date(name: str, words: str) -> dt.date | None:
            text = query.get(name, "").strip()
            if not text:
                return None
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                errors[name] = f"Enter the {words} as a date in the form YYYY-MM-DD, for example 2018-03-29"
                return None

        first, last = date("from", "first date"), date("to", "last date")
        if first and last and last < first:
            errors["to"] = f"The last date must be on or after the first date, {in_words(first)}"
            last = None
        return cls(query.get("team", "").strip()[:100], query.get("chair", "").strip()[:20], first, last, errors)

    @property
    def active(self) -> bool:
        return bool(self.team or self.chair or self.date_from or self.date_to)

    def query(self) -> dict[str, str]:
        values = {"team": self.team, "chair": self.chair,
                  "from": self.date_from.isoformat() if self.date_from else "",
                  "to": self.date_to.isoformat() if self.date_to else ""}
        return {k: v for k, v in values.items() if v}

    def apply(self, item: TodayList, frame: pl.DataFrame) -> pl.DataFrame:
        """The rows the filters keep. A filter on something a list does not record (a chair, on
        a list of enquiries) leaves that list as it is; the page says which lists name a chair."""
        if self.team and "team" in frame.columns:
            frame = frame.filter(pl.col("team") == self.team)
        if self.chair and "chair_id" in frame.columns:
            frame = frame.filter(pl.col("chair_id") == self.chair)
        column = item.date_column
        if column in frame.columns:
            if self.date_from:
                frame = frame.filter(pl.col(column) >= self.date_from)
            if self.date_to:
                frame = frame.filter(pl.col(column) <= self.date_to)
        return frame


# The page ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowAction:
    label: str
    url: str
    # "post": a small form (the paperwork's "Record sent"); "link": an ordinary link (booking).
    method: str = "link"
    fields: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Row:
    cells: list[Cell]
    action: RowAction | None = None


@dataclass(frozen=True)
class PageLink:
    number: int
    href: str
    current: bool = False
    ellipsis: bool = False


@dataclass
class Section:
    """One list on the page: its count, its counts by status, one page of rows, the pager."""

    item: TodayList
    total: int
    count: int
    status_counts: list[tuple[str, int]]
    head: list[str]
    rows: list[Row]
    csv_url: str
    pages: list[PageLink]
    previous_href: str = ""
    next_href: str = ""
    has_actions: bool = False


def status_counts(frame: pl.DataFrame) -> list[tuple[str, int]]:
    """(status, rows) for every status a row of this list can have, zeros kept, in one order."""
    if "status" not in frame.columns:
        return []
    present = dict(frame.group_by("status").len().iter_rows())
    statuses = AWAITED_STATUSES if {"booked", "booked_late"} & set(present) or "booked_for" in frame.columns \
        else OPEN_STATUSES
    return [(status, int(present.get(status, 0))) for status in statuses]


def _href(name: str, pk: object) -> str:
    if pk is None:
        return ""
    try:
        return reverse(name, kwargs={"pk": int(str(pk))})
    except (NoReverseMatch, ValueError):
        # A page not mounted (or an id that is not the database's) shows no link.
        return ""


def child_href(pk: int | None) -> str:
    """The child's record page, or no link where the record app is not mounted."""
    return _href("child_detail", pk)


def child_label(row: Mapping[str, object]) -> str:
    name = " ".join(str(row[part]) for part in ("first_name", "last_name") if row.get(part))
    return f"{name} ({row['child_id']})" if name else str(row.get("child_id") or "")


def _cell(column: Column, row: Mapping[str, object], links: dict[str, str]) -> Cell:
    value = row.get(column.name)
    if column.name == "child":
        return Cell(child_label(row), href=links.get("child", ""))
    if column.kind == "children":
        children = list(value or [row.get("child_id")])
        text = ", ".join(str(c) for c in children if c)
        return Cell(text, href=links.get("row", ""))
    if value is None:
        return Cell("")
    if column.kind == "date":
        return Cell(in_words(value))
    if column.kind == "number":
        return Cell(str(value), numeric=True)
    if column.kind == "status":
        text, colour = STATUS_TAGS.get(str(value), (str(value), "grey"))
        return Cell(text, tag=colour)
    if column.kind == "band":
        return Cell(BAND_LABELS.get(str(value), str(value)))
    if column.kind == "yes_no":
        return Cell("Yes" if value else "No")
    if column.kind == "code" and column.code_list is not None:
        return Cell(codes.label(column.code_list, value))
    return Cell(str(value))


def _row_links(item: TodayList, row: Mapping[str, object], child_pks: dict[str, int]) -> dict[str, str]:
    links = {"child": _href("child_detail", child_pks.get(str(row.get("child_id"))))}
    if item.links_to == "conference":
        links["row"] = _href("conference_detail", row.get("meeting_id"))
        if any(c.name == "child" for c in item.columns):
            # The chair's conferences: the child's name opens the conference, not the record.
            links["child"] = links["row"]
    elif item.links_to == "escalation":
        links["row"] = _href("escalation_detail", row.get("escalation"))
    return links


BOOKING_PAGES = {
    "initial": ("book_initial_conference", "s47_pk", "s47_id"),
    "review": ("book_review_conference", "plan_pk", "plan_id"),
    "transfer_in": ("book_transfer_in_conference", "notification_pk", "notification_id"),
}


def _action(item: TodayList, row: Mapping[str, object], may_act: bool, back: str) -> RowAction | None:
    if not may_act:
        return None
    if item.records_sent:
        url = _href("today_record_sent", row.get("meeting_id"))
        return RowAction("Record sent today", url, "post", (("document", item.records_sent), ("next", back))) \
            if url else None
    if item.key == "to_book":
        name, kwarg, column = BOOKING_PAGES[str(row["conference_type"])]
        try:
            return RowAction("Book", reverse(name, kwargs={kwarg: int(str(row[column]))}))
        except (NoReverseMatch, ValueError, TypeError):
            return None
    return None


def _pager(key: str, page: int, pages: int, base: dict[str, str]) -> list[PageLink]:
    def href(number: int) -> str:
        return "?" + urlencode({**base, f"{key}-page": str(number)}) + f"#{key}"

    shown = sorted({1, pages, page - 1, page, page + 1} & set(range(1, pages + 1)))
    links: list[PageLink] = []
    for number in shown:
        if links and number > links[-1].number + 1:
            links.append(PageLink(0, "", ellipsis=True))
        links.append(PageLink(number, href(number), current=number == page))
    return links if pages > 1 else []


def section(
    item: TodayList, full: pl.DataFrame, filters: Filters, query: Mapping[str, str], *, may_act: bool, csv_url: str
) -> Section:
    """One list for the page: filtered, counted, one page of rows (25), each with its links."""
    frame = filters.apply(item, full)
    pages = max(1, -(-frame.height // ROWS_PER_PAGE))
    try:
        page = min(max(1, int(query.get(f"{item.key}-page", "1"))), pages)
    except ValueError:
        page = 1
    base = {k: v for k, v in query.items() if not k.endswith("-page")}
    shown = frame.slice((page - 1) * ROWS_PER_PAGE, ROWS_PER_PAGE)
    child_pks = selectors.child_pks(shown["child_id"].drop_nulls().unique().to_list()) \
        if "child_id" in shown.columns else {}
    back = "?" + urlencode({**base, f"{item.key}-page": str(page)}) + f"#{item.key}"
    rows = []
    for row in shown.iter_rows(named=True):
        links = _row_links(item, row, child_pks)
        cells = [_cell(c, row, links) for c in item.columns]
        if links.get("row") and cells and not cells[0].href and cells[0].text:
            # The row's first cell opens what the row is about (its conference, its escalation).
            cells[0] = Cell(cells[0].text, href=links["row"])
        rows.append(Row(cells, _action(item, row, may_act, back)))
    pager = _pager(item.key, page, pages, base)
    link_to = {p.number: p.href for p in pager}
    return Section(
        item, full.height, frame.height, status_counts(frame), [c.heading for c in item.columns], rows,
        csv_url + ("?" + urlencode(filters.query()) if filters.active else ""), pager,
        link_to.get(page - 1, ""), link_to.get(page + 1, ""), any(r.action for r in rows),
    )


# Files ---------------------------------------------------------------------------------------


def csv_safe(value: object) -> str:
    """Text that a spreadsheet will not run as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _flat(value: object) -> object:
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return value


def report_table(item: TodayList, frame: pl.DataFrame) -> tuple[list[str], list[list[object]]]:
    """A list's report rows as a header and rows (lists of children joined by spaces)."""
    rows = report_rows(item, frame)
    header = list(rows[0]) if rows else list(report_rows(item, _one_empty_row(frame))[0]) if frame.columns else []
    return header, [[_flat(row.get(k)) for k in header] for row in rows]


def _one_empty_row(frame: pl.DataFrame) -> pl.DataFrame:
    # The header of an empty list: the keys its rows would have (every value null).
    return pl.DataFrame([{c: None for c in frame.columns}], schema=frame.schema)


def as_csv(item: TodayList, frame: pl.DataFrame) -> str:
    """One list as CSV: the daily report's row keys as the header, dates as YYYY-MM-DD."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    header, rows = report_table(item, frame)
    writer.writerow(header)
    writer.writerows([csv_safe(v) for v in row] for row in rows)
    return out.getvalue()


def report_csv(as_of: dt.date, built: list[tuple[TodayList, pl.DataFrame]]) -> str:
    """The daily report as CSV: one section per list, headed by its id, a blank line between."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["as_of", as_of.isoformat()])
    for item, frame in built:
        header, rows = report_table(item, frame)
        writer.writerow([])
        writer.writerow(["list", item.key, item.title])
        writer.writerow(header)
        writer.writerows([csv_safe(v) for v in row] for row in rows)
    return out.getvalue()


def report_xlsx(as_of: dt.date, built: list[tuple[TodayList, pl.DataFrame]]) -> bytes:
    """The daily report as a spreadsheet: a contents sheet, then one sheet per list."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    bold = book.add_format({"bold": True})
    contents = book.add_worksheet("Contents")
    contents.write_row(0, 0, ["Daily report as on", as_of.isoformat()], bold)
    contents.write_row(2, 0, ["list", "title", "rows"], bold)
    for index, (item, frame) in enumerate(built):
        header, rows = report_table(item, frame)
        contents.write_row(3 + index, 0, [item.key, item.title, len(rows)])
        # Excel limits a sheet's name to 31 characters.
        sheet = book.add_worksheet(item.key[:31])
        sheet.write_row(0, 0, header, bold)
        for number, row in enumerate(rows, start=1):
            sheet.write_row(number, 0, ["" if v is None else v for v in row])
    book.close()
    return out.getvalue()
