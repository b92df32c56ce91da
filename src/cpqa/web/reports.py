"""The Reports page's reads: which years can be reported, the annual report files, lateness.

The annual report is assembled and rendered by `cpqa.reports` (the same code as `cpqa
report`); lateness comes from `cpqa.domain.trackers.held_late`. This module picks the record
and lays the results out for a page or a CSV.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

import polars as pl
from django.db.models import Max, Min, QuerySet

from cpqa.domain import codes, trackers
from cpqa.domain.calendar import ReportingYear
from cpqa.domain.config import AuthorityConfig
from cpqa.domain.timescales import DUE_SOON_WORKING_DAYS
from cpqa.record import models as m
from cpqa.record.cache import record_for
from cpqa.web.tables import Cell, Table, long_date
from cpqa.web.today import child_href, child_label, csv_safe

ANNUAL_FORMATS: dict[str, tuple[str, str]] = {
    "html": ("Web page (HTML)", "text/html; charset=utf-8"),
    "docx": ("Word (.docx)", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ("Excel (.xlsx)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "json": ("JSON (for Power BI and scripts)", "application/json"),
}
LATENESS_PERIODS = ("week", "month")


def reporting_years() -> list[ReportingYear]:
    """Every reporting year from the first to the last conference or plan recorded, newest first."""
    bounds = [
        m.Conference.objects.filter(cancelled=False).aggregate(first=Min("held_date"), last=Max("held_date")),
        m.Plan.objects.aggregate(first=Min("start_date"), last=Max("start_date")),
    ]
    firsts = [b["first"] for b in bounds if b["first"]]
    lasts = [b["last"] for b in bounds if b["last"]]
    if not firsts:
        return []
    first = ReportingYear.containing(min(firsts)).first_year
    last = ReportingYear.containing(max(lasts)).first_year
    return [ReportingYear(year) for year in range(last, first - 1, -1)]


def annual_report(year: ReportingYear, fmt: str, config: AuthorityConfig) -> tuple[bytes, str]:
    """The whole authority's annual report for `year` as a file's bytes, and its content type."""
    from cpqa.reports.assemble import assemble_report
    from cpqa.reports.commands import render

    report = assemble_report(record_for(), year, authority=config)
    return render(report, fmt), ANNUAL_FORMATS[fmt][1]


def today_aggregate(day: dt.date, config: AuthorityConfig) -> list[tuple[str, str]]:
    """Counts only, for roles that see no child: how many of each list, and how many overdue."""
    record = record_for()
    awaiting = trackers.awaiting_initial_conference(record, day, config.calendar)
    reviews = trackers.reviews_due(record, day, config)
    awaiting_counts = trackers.count_by_status(awaiting)
    review_counts = trackers.count_by_status(reviews)
    return [
        ("Section 47 enquiries awaiting an initial conference", str(awaiting.height)),
        ("of which overdue", str(awaiting_counts["overdue"])),
        (f"of which due within {DUE_SOON_WORKING_DAYS} working days", str(awaiting_counts["due_soon"])),
        ("Review conferences due in the next 4 weeks (or overdue)", str(reviews.height)),
        ("of which overdue", str(review_counts["overdue"])),
        ("Late notifications to QA in the last 4 weeks", str(trackers.late_notifications(record, day, config.calendar).height)),
        ("Conferences held with no outcome recorded", str(trackers.held_without_outcome(record, day).height)),
        ("Rearranged conferences (to be held, or held in the last 4 weeks)",
         str(trackers.rearranged_conferences(record, day).height)),
    ]


@dataclass(frozen=True)
class LatenessPeriod:
    kind: str  # week or month
    start: dt.date
    end: dt.date

    @classmethod
    def of(cls, kind: str, day: dt.date) -> LatenessPeriod:
        start, end = trackers.week_of(day) if kind == "week" else trackers.month_of(day)
        return cls(kind, start, end)

    @property
    def key(self) -> str:
        return f"{self.kind} {self.start.isoformat()}"

    @property
    def title(self) -> str:
        if self.kind == "week":
            return f"Week beginning {self.start.day} {self.start:%B %Y}"
        return f"{self.start:%B %Y}"

    @property
    def previous_start(self) -> dt.date:
        return LatenessPeriod.of(self.kind, self.start - dt.timedelta(days=1)).start

    @property
    def next_start(self) -> dt.date:
        return self.end + dt.timedelta(days=1)


def lateness(period: LatenessPeriod, children: QuerySet, config: AuthorityConfig) -> pl.DataFrame:
    return trackers.held_late(record_for(children), period.start, period.end, config.calendar)


def _reason_label(reason: str | None) -> str:
    return codes.label(codes.LATE_REASON, reason) if reason else "Not recorded"


def lateness_summary_table(late: pl.DataFrame) -> Table:
    rows = [
        [codes.label(codes.CONFERENCE_TYPE, kind), _reason_label(reason), Cell(str(n), numeric=True)]
        for kind, reason, n in trackers.lateness_by_reason(late).iter_rows()
    ]
    return Table.of(
        "Conferences held out of time, by reason",
        ["Conference", "Reason for the delay", "Children"],
        rows,
        numeric_columns=[2],
        empty_message="No conference was held out of time in this period.",
    )


def lateness_detail_table(late: pl.DataFrame) -> Table:
    from cpqa.web.selectors import child_pks

    pks = child_pks(late["child_id"].unique().to_list())
    rows = [
        [
            Cell(child_label(row), href=child_href(pks.get(row["child_id"]))),
            codes.label(codes.CONFERENCE_TYPE, row["conference_type"]),
            long_date(row["due_date"]),
            long_date(row["held_date"]),
            Cell(str(row["working_days_late"]), numeric=True),
            _reason_label(row["late_reason"]),
        ]
        for row in late.iter_rows(named=True)
    ]
    return Table.of(
        "Each conference held out of time",
        ["Child", "Conference", "Due", "Held", "Working days late", "Reason"],
        rows,
        numeric_columns=[4],
        empty_message="No conference was held out of time in this period.",
    )


def lateness_csv(late: pl.DataFrame, *, with_children: bool) -> str:
    """Each late conference (child-level roles) or the counts by reason (aggregate roles)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if with_children:
        writer.writerow(["child_id", "first_name", "last_name", "conference_type", "due_date", "held_date",
                         "working_days_late", "late_reason"])
        for row in late.iter_rows(named=True):
            writer.writerow([
                csv_safe(row["child_id"]), csv_safe(row["first_name"]), csv_safe(row["last_name"]), row["conference_type"],
                row["due_date"].isoformat(), row["held_date"].isoformat(), row["working_days_late"],
                row["late_reason"] or "",
            ])
    else:
        writer.writerow(["conference_type", "late_reason", "children"])
        for kind, reason, n in trackers.lateness_by_reason(late).iter_rows():
            writer.writerow([kind, reason or "", n])
    return out.getvalue()
