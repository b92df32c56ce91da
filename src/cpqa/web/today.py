"""Today's lists for each role: which lists, their columns, and how each becomes a page table or a CSV.

The lists themselves come from `cpqa.domain.trackers` (over the record's tables) and, for
business support's paperwork, from `cpqa.web.selectors`. This module only chooses and
presents; it computes no date of its own.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

import polars as pl
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse

from cpqa.accounts.models import Role, User
from cpqa.accounts.roles import QA_LIST_READERS
from cpqa.domain import codes, trackers
from cpqa.domain.config import AuthorityConfig
from cpqa.domain.core_groups import core_groups_due
from cpqa.domain.tables import Record
from cpqa.record.cache import record_for
from cpqa.ui.templatetags.govuk import STATUS_TAGS
from cpqa.web import selectors
from cpqa.web.tables import Cell, Table, long_date


@dataclass
class TodayContext:
    """Everything a list needs: the user's record (already narrowed), the day, the config."""

    user: User
    children: QuerySet
    today: dt.date
    config: AuthorityConfig

    @cached_property
    def record(self) -> Record:
        return record_for(self.children)

    @cached_property
    def chair_id(self) -> str | None:
        staff = getattr(self.user, "staff", None)
        return str(staff.pk) if staff is not None else None


@dataclass(frozen=True)
class Column:
    name: str
    heading: str
    # How the value reads on a page: text, date, number, status, yes_no, or a code list.
    kind: str = "text"
    code_list: dict[str, str] | None = None


@dataclass(frozen=True)
class TodayList:
    key: str
    title: str
    roles: frozenset[str]
    columns: tuple[Column, ...]
    build: Callable[[TodayContext], pl.DataFrame]
    empty_message: str = "Nothing today."


def _chair_only(build: Callable[[TodayContext, str], pl.DataFrame]) -> Callable[[TodayContext], pl.DataFrame]:
    def for_chair(context: TodayContext) -> pl.DataFrame:
        if context.chair_id is None:
            # A chair account not yet linked to its staff record has no conferences to show.
            return build(context, "")
        return build(context, context.chair_id)

    return for_chair


CHILD = Column("child", "Child")
TEAM = Column("team", "Team")
STATUS = Column("status", "Status", "status")
TYPE = Column("conference_type", "Conference", "code", codes.CONFERENCE_TYPE)

QA = QA_LIST_READERS
CHAIR = frozenset({Role.CHAIR})
SUPPORT = frozenset({Role.BUSINESS_SUPPORT})

TODAY_LISTS: tuple[TodayList, ...] = (
    TodayList(
        "awaiting-icpc", "Section 47 enquiries awaiting an initial conference", QA,
        (CHILD, TEAM, Column("strategy_discussion", "Strategy discussion", "date"),
         Column("due_date", "Conference due", "date"), Column("scheduled_date", "Booked for", "date"), STATUS),
        lambda c: trackers.awaiting_initial_conference(c.record, c.today, c.config.calendar),
        "No section 47 enquiry is waiting for an initial conference.",
    ),
    TodayList(
        "late-notifications", "Late notifications to QA (last 4 weeks)", QA,
        (CHILD, TEAM, Column("strategy_discussion", "Strategy discussion", "date"),
         Column("qa_notified_date", "Notified to QA", "date"),
         Column("working_days_late", "Working days late", "number"),
         Column("working_days_left", "Working days left to conference", "number")),
        lambda c: trackers.late_notifications(c.record, c.today, c.config.calendar),
        "No late notifications in the last 4 weeks.",
    ),
    TodayList(
        "reviews-due", "Review conferences due in the next 4 weeks", QA,
        (CHILD, TEAM, Column("previous_conference", "Last conference", "date"),
         Column("due_date", "Review due", "date"), Column("scheduled_date", "Booked for", "date"), STATUS),
        lambda c: trackers.reviews_due(c.record, c.today, c.config),
        "No review conference is due in the next 4 weeks.",
    ),
    TodayList(
        "no-outcome", "Conferences held with no outcome recorded", QA,
        (CHILD, TEAM, TYPE, Column("held_date", "Held", "date")),
        lambda c: trackers.held_without_outcome(c.record, c.today),
        "Every conference held has its outcome recorded.",
    ),
    TodayList(
        "rearranged", "Rearranged conferences", QA,
        (CHILD, TEAM, TYPE, Column("due_date", "Due", "date"), Column("scheduled_date", "Booked for", "date"),
         Column("held_date", "Held", "date"), Column("rearrangements", "Times moved", "number"),
         Column("late_reason", "Reason", "code", codes.LATE_REASON), Column("in_time", "In time", "yes_no")),
        lambda c: trackers.rearranged_conferences(c.record, c.today),
        "No conference has been rearranged recently.",
    ),
    TodayList(
        "my-week", "My conferences this week", CHAIR,
        (CHILD, TEAM, TYPE, Column("scheduled_date", "Booked for", "date"), Column("held_date", "Held", "date"),
         Column("outcome", "Outcome", "code", codes.CONFERENCE_OUTCOME)),
        _chair_only(lambda c, chair: trackers.chair_conferences_this_week(c.record, chair, c.today)),
        "You have no conferences this week.",
    ),
    TodayList(
        "my-midway-reviews", "My midway reviews due", CHAIR,
        (CHILD, TEAM, Column("previous_conference", "Last conference", "date"),
         Column("due_date", "Midway review due", "date"), Column("next_review_due", "Next review due", "date"),
         STATUS),
        _chair_only(lambda c, chair: trackers.chair_midway_reviews_due(c.record, chair, c.today, c.config)),
        "You have no midway reviews due in the next 4 weeks.",
    ),
    TodayList(
        "escalation-responses", "Escalation responses overdue", QA | CHAIR,
        (CHILD, TEAM, Column("stage", "Stage", "code", codes.ESCALATION_STAGE),
         Column("owner", "Waiting for"), Column("response_due_date", "Response due", "date"), STATUS),
        lambda c: _overdue_escalation_responses(c),
        "No escalation is waiting past its response date.",
    ),
    TodayList(
        "core-groups", "Core groups due", QA,
        (CHILD, TEAM, Column("plan_start", "Plan started", "date"),
         Column("last_core_group", "Last core group", "date"), Column("due_date", "Core group due", "date"), STATUS),
        lambda c: core_groups_due(c.record, c.today, c.config, c.config.calendar),
        "No child on a plan has a core group to hold.",
    ),
    TodayList(
        "to-book", "Conferences to book", SUPPORT,
        (CHILD, TEAM, TYPE, Column("due_date", "Due", "date"), STATUS),
        lambda c: trackers.conferences_to_book(c.record, c.today, c.config),
        "Every conference due is booked.",
    ),
    TodayList(
        "invitations", "Invitations to send", SUPPORT,
        (CHILD, TYPE, Column("scheduled_date", "Booked for", "date"), Column("due_date", "Due", "date"), STATUS),
        lambda c: _paperwork("invitations", c),
        "Every booked conference has its invitations sent.",
    ),
    TodayList(
        "decision-letters", "Decision letters outstanding (conferences in the last 3 months)", SUPPORT,
        (CHILD, TYPE, Column("held_date", "Held", "date"),
         Column("working_days_since_held", "Working days since", "number"), Column("due_date", "Due", "date"), STATUS),
        lambda c: _paperwork("decision_letters", c),
        "No decision letter is outstanding for the last 3 months.",
    ),
    TodayList(
        "minutes", "Minutes outstanding (conferences in the last 3 months)", SUPPORT,
        (CHILD, TYPE, Column("held_date", "Held", "date"),
         Column("working_days_since_held", "Working days since", "number"), Column("due_date", "Due", "date"), STATUS),
        lambda c: _paperwork("minutes", c),
        "No minutes are outstanding for the last 3 months.",
    ),
)

LISTS_BY_KEY = {item.key: item for item in TODAY_LISTS}


def _paperwork(kind: str, context: TodayContext) -> pl.DataFrame:
    frame = selectors.paperwork_outstanding(kind, context.children, context.today, context.config)
    names = context.record.children.select(trackers.CHILD_COLUMNS)
    return frame.join(names, on="child_id", how="left")


def _overdue_escalation_responses(context: TodayContext) -> pl.DataFrame:
    """One row per child of each escalation stage waiting past its response date (oversight app)."""
    from cpqa.oversight.selectors import overdue_escalation_responses

    rows = [
        {"child_id": child.local_id, "stage": stage.stage, "owner": stage.owner,
         "response_due_date": stage.response_due_date, "status": "overdue"}
        for stage in overdue_escalation_responses(context.user, context.today)
        for child in stage.escalation.children.all()
    ]
    frame = pl.DataFrame(
        rows,
        schema={"child_id": pl.String, "stage": pl.Int64, "owner": pl.String, "response_due_date": pl.Date,
                "status": pl.String},
    )
    names = context.record.children.select(trackers.CHILD_COLUMNS)
    return frame.join(names, on="child_id", how="left")


def lists_for(role: str) -> list[TodayList]:
    return [item for item in TODAY_LISTS if role in item.roles]


def child_label(row: dict[str, object]) -> str:
    name = " ".join(str(row[part]) for part in ("first_name", "last_name") if row.get(part))
    return f"{name} ({row['child_id']})" if name else str(row["child_id"])


def child_href(pk: int | None) -> str:
    if pk is None:
        return ""
    try:
        return reverse("child_detail", kwargs={"pk": pk})
    except NoReverseMatch:
        # The child's record page belongs to the record app; until it is mounted, show no link.
        return ""


def _cell(column: Column, row: dict[str, object], pks: dict[str, int]) -> Cell:
    value = row.get(column.name)
    if column.name == "child":
        return Cell(child_label(row), href=child_href(pks.get(str(row["child_id"]))))
    if value is None:
        return Cell("")
    if column.kind == "date":
        return Cell(long_date(value))
    if column.kind == "number":
        return Cell(str(value), numeric=True)
    if column.kind == "status":
        text, colour = STATUS_TAGS.get(str(value), (str(value), "grey"))
        return Cell(text, tag=colour)
    if column.kind == "yes_no":
        return Cell("Yes" if value else "No")
    if column.kind == "code" and column.code_list is not None:
        return Cell(codes.label(column.code_list, value))
    return Cell(str(value))


def as_table(item: TodayList, frame: pl.DataFrame, csv_url: str) -> Table:
    pks = selectors.child_pks(frame["child_id"].unique().to_list()) if "child_id" in frame.columns else {}
    rows = [[_cell(column, row, pks) for column in item.columns] for row in frame.iter_rows(named=True)]
    numeric = [index for index, column in enumerate(item.columns) if column.kind == "number"]
    return Table(
        item.title, [c.heading for c in item.columns], rows, frozenset(numeric), item.empty_message, csv_url
    )


def _csv_value(column: Column, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if column.kind == "yes_no":
        return "yes" if value else "no"
    if column.kind == "number":
        return str(value)
    return csv_safe(value)


def as_csv(item: TodayList, frame: pl.DataFrame) -> str:
    """The list as CSV: the child's id and name in separate columns, dates as YYYY-MM-DD, codes as codes."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    data_columns = [c for c in item.columns if c.name != "child"]
    child_columns = ["child_id", "first_name", "last_name"] if CHILD in item.columns else []
    writer.writerow(child_columns + [c.heading for c in data_columns])
    for row in frame.iter_rows(named=True):
        writer.writerow(
            [csv_safe(row.get(name)) for name in child_columns]
            + [_csv_value(c, row.get(c.name)) for c in data_columns]
        )
    return out.getvalue()


def csv_safe(value: object) -> str:
    """Text that a spreadsheet will not run as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def status_counts(frames: Iterable[tuple[TodayList, pl.DataFrame]]) -> list[tuple[str, dict[str, int]]]:
    return [(item.title, trackers.count_by_status(frame)) for item, frame in frames if "status" in frame.columns]
