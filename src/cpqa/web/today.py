"""Today's lists for each role: which lists a role (or a user) sees, their columns, and their rows.

Every list's rows come from one function: the daily lists from `cpqa.domain.trackers`, over
the record's tables narrowed to the children the user may see, and business support's
paperwork from `cpqa.web.selectors`. The page, the count beside each list, its CSV and
`cpqa today` all call `TodayList.build` on the same `TodayContext`, so they cannot disagree.
How a list becomes a page table, a CSV or a spreadsheet is `cpqa.web.today_tables`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import polars as pl
from django.db.models import QuerySet

from cpqa.accounts.models import Role, User
from cpqa.accounts.roles import QA_LIST_READERS
from cpqa.domain import codes, trackers
from cpqa.domain.config import AuthorityConfig
from cpqa.domain.core_groups import core_groups_due
from cpqa.domain.documents import DOCUMENTS
from cpqa.domain.tables import Record
from cpqa.record import models as m
from cpqa.record.access import visible_children
from cpqa.record.cache import record_for
from cpqa.web import selectors


@dataclass
class TodayContext:
    """Everything a list needs: who asks (a user, or only a role for `cpqa today --role`), the
    children they may see, the day and the authority's configuration."""

    role: str
    children: QuerySet[m.Child]
    today: dt.date
    config: AuthorityConfig
    user: User | None = None

    @classmethod
    def for_user(cls, user: User, today: dt.date, config: AuthorityConfig) -> TodayContext:
        return cls(role=user.role, children=visible_children(user), today=today, config=config, user=user)

    @cached_property
    def record(self) -> Record:
        return record_for(self.children)

    @cached_property
    def staff_id(self) -> str | None:
        """The staff record the user's account is linked to (a chair's own lists key on it)."""
        staff = getattr(self.user, "staff", None) if self.user is not None else None
        return str(staff.pk) if staff is not None else None


@dataclass(frozen=True)
class Column:
    name: str
    heading: str
    # How the value reads on a page: text, date, number, status, band, time, children, or a code list.
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
    # Lists of one person's own work (a chair's conferences) need a signed-in user, not a role.
    needs_user: bool = False
    # What a row links to: the child's record, or the conference (business support's lists).
    links_to: str = "child"
    # Business support's paperwork: the document a row's "Record sent" action records.
    records_sent: str = ""
    # The column the date filter applies to.
    date_column: str = "due"
    extra_keys: tuple[str, ...] = field(default=())


CHILD = Column("child", "Child")
CHILDREN = Column("children", "Children", "children")
TEAM = Column("team", "Team")
STATUS = Column("status", "Status", "status")
TYPE = Column("conference_type", "Conference", "code", codes.CONFERENCE_TYPE)
DUE = Column("due", "Due", "date")
BOOKED_FOR = Column("booked_for", "Booked for", "date")

QA = QA_LIST_READERS
CHAIR = frozenset({Role.CHAIR})
SUPPORT = frozenset({Role.BUSINESS_SUPPORT})
MANAGER = frozenset({Role.SOCIAL_WORK_MANAGER})
QA_AND_SUPPORT = QA | SUPPORT


def _daily(list_id: str) -> Callable[[TodayContext], pl.DataFrame]:
    build = trackers.DAILY_LISTS[list_id]
    return lambda c: build(c.record, c.today, c.config)


def _my_conferences(c: TodayContext) -> pl.DataFrame:
    frame = trackers.chair_conferences(c.record, c.staff_id or "", c.today)
    times = selectors.conference_times(frame["meeting_id"].unique().to_list())
    return frame.with_columns(
        pl.col("meeting_id").replace_strict(times, default=None, return_dtype=pl.String).alias("time")
    )


def _my_escalation_responses(c: TodayContext) -> pl.DataFrame:
    """Responses overdue or due within 3 working days, on escalations this chair raised (per stage)."""
    frame = trackers.escalation_responses_awaited(
        c.record, c.today, c.config, within_working_days=trackers.ESCALATION_DUE_SOON_WORKING_DAYS
    )
    return frame.filter(pl.col("raised_by") == (c.staff_id or ""))


def _team_escalation_responses(c: TodayContext) -> pl.DataFrame:
    """Escalations about the manager's teams' children still waiting for a response, not yet overdue."""
    frame = trackers.escalation_responses_awaited(c.record, c.today, c.config)
    return frame.filter(pl.col("due") >= c.today)


def _with_names(frame: pl.DataFrame, c: TodayContext) -> pl.DataFrame:
    names = c.record.children.select(trackers.CHILD_COLUMNS).unique("child_id", keep="first")
    return frame.join(names, on="child_id", how="left").with_columns(pl.col("conference").alias("meeting_id"))


def _paperwork(kind: str) -> Callable[[TodayContext], pl.DataFrame]:
    return lambda c: selectors.paperwork_by_conference(kind, c.children, c.today, c.config)


TODAY_LISTS: tuple[TodayList, ...] = (
    TodayList(
        "awaiting_initial_conference", "Section 47 enquiries awaiting an initial conference", QA,
        (CHILD, TEAM, Column("enquiry_start", "Strategy discussion", "date"), Column("due", "Conference due", "date"),
         BOOKED_FOR, STATUS),
        _daily("awaiting_initial_conference"),
        "No section 47 enquiry is waiting for an initial conference.",
    ),
    TodayList(
        "reviews_due", "Review conferences due in the next 4 weeks", QA,
        (CHILD, TEAM, Column("plan_start", "Plan started", "date"), Column("last_review", "Last review", "date"),
         Column("due", "Review due", "date"), BOOKED_FOR, STATUS),
        _daily("reviews_due"),
        "No review conference is due in the next 4 weeks.",
    ),
    TodayList(
        "to_book", "Conferences to book", QA_AND_SUPPORT,
        (CHILD, TEAM, TYPE, DUE, STATUS),
        _daily("to_book"),
        "Every conference due is booked.",
    ),
    TodayList(
        "long_plans", "Children on a plan for 12 months or more", QA,
        (CHILD, TEAM, Column("plan_start", "Plan started", "date"), Column("days_on_plan", "Days on the plan", "number"),
         Column("band", "How long", "band")),
        _daily("long_plans"),
        "No child has been on a plan for 12 months or more.",
        date_column="plan_start",
    ),
    TodayList(
        "outcomes_missing", "Conferences held with no outcome recorded", QA,
        (CHILD, TEAM, TYPE, Column("due", "Conference date", "date"), STATUS),
        _daily("outcomes_missing"),
        "Every conference held has its outcome recorded.",
    ),
    TodayList(
        "escalation_responses_overdue", "Escalation responses overdue", QA,
        (CHILDREN, Column("stage", "Stage", "code", codes.ESCALATION_STAGE), Column("owner", "Waiting for"),
         Column("due", "Response due", "date"), STATUS),
        _daily("escalation_responses_overdue"),
        "No escalation is waiting past its response date.",
        links_to="escalation",
    ),
    TodayList(
        # The daily report's list (`cpqa today` for the whole record), on no role's Today page:
        # business support's invitations, letters and minutes lists are that work on the page.
        "documents_due", "Documents due in the next 5 working days", frozenset(),
        (CHILD, TEAM, Column("document", "Document", "code", DOCUMENTS), DUE, STATUS),
        lambda c: _with_names(trackers.documents_due(
            selectors.conference_documents(c.children, c.config), c.today, c.config), c),
        "No document is due in the next 5 working days.",
        links_to="conference",
    ),
    TodayList(
        "team_escalation_responses", "Escalations waiting for your teams' response", MANAGER,
        (CHILDREN, Column("stage", "Stage", "code", codes.ESCALATION_STAGE), Column("owner", "Waiting for"),
         Column("due", "Response due", "date"), STATUS),
        _team_escalation_responses,
        "No escalation is waiting for your teams' response.",
    ),
    TodayList(
        "late_notifications", "Late notifications to QA (last 4 weeks)", QA,
        (CHILD, TEAM, Column("strategy_discussion", "Strategy discussion", "date"),
         Column("qa_notified_date", "Notified to QA", "date"),
         Column("working_days_late", "Working days late", "number"),
         Column("working_days_left", "Working days left to conference", "number")),
        lambda c: trackers.late_notifications(c.record, c.today, c.config.calendar),
        "No late notifications in the last 4 weeks.",
        date_column="qa_notified_date",
    ),
    TodayList(
        "rearranged", "Rearranged conferences", QA,
        (CHILD, TEAM, TYPE, Column("due_date", "Due", "date"), Column("scheduled_date", "Booked for", "date"),
         Column("held_date", "Held", "date"), Column("rearrangements", "Times moved", "number"),
         Column("late_reason", "Reason", "code", codes.LATE_REASON), Column("in_time", "In time", "yes_no")),
        lambda c: trackers.rearranged_conferences(c.record, c.today),
        "No conference has been rearranged recently.",
        date_column="due_date",
    ),
    TodayList(
        "my_conferences", "My conferences in the next 4 weeks", CHAIR,
        (Column("conference_date", "Date", "date"), Column("time", "Time", "time"), CHILD, TYPE,
         Column("held_date", "Held", "date")),
        _my_conferences,
        "You have no conferences in the next 4 weeks.",
        needs_user=True, links_to="conference", date_column="conference_date",
    ),
    TodayList(
        "my_midway_reviews", "My midway reviews due", CHAIR,
        (CHILD, TEAM, Column("previous_conference", "Last conference", "date"),
         Column("due_date", "Midway review due", "date"), Column("next_review_due", "Next review due", "date"),
         STATUS),
        lambda c: trackers.chair_midway_reviews_due(c.record, c.staff_id or "", c.today, c.config),
        "You have no midway reviews due in the next 4 weeks.",
        needs_user=True, date_column="due_date",
    ),
    TodayList(
        "my_escalation_responses", "Responses due on escalations you raised", CHAIR,
        (CHILDREN, Column("stage", "Stage", "code", codes.ESCALATION_STAGE), Column("owner", "Waiting for"),
         Column("due", "Response due", "date"), STATUS),
        _my_escalation_responses,
        "No response is overdue or due within 3 working days on your escalations.",
        needs_user=True, links_to="escalation",
    ),
    TodayList(
        "core-groups", "Core groups due", QA,
        (CHILD, TEAM, Column("plan_start", "Plan started", "date"),
         Column("last_core_group", "Last core group", "date"), Column("due_date", "Core group due", "date"), STATUS),
        lambda c: core_groups_due(c.record, c.today, c.config, c.config.calendar),
        "No child on a plan has a core group to hold.",
        date_column="due_date",
    ),
    TodayList(
        "invitations", "Invitations to send", SUPPORT,
        (Column("scheduled_date", "Conference", "date"), CHILDREN, TYPE, DUE, STATUS),
        _paperwork("invitations"),
        "Every booked conference has its invitations sent.",
        links_to="conference", records_sent="invitations",
    ),
    TodayList(
        "decision_letters", "Decision letters to send (conferences in the last 3 months)", SUPPORT,
        (Column("held_date", "Held", "date"), CHILDREN, TYPE, DUE, STATUS),
        _paperwork("decision_letters"),
        "No decision letter is outstanding for the last 3 months.",
        links_to="conference", records_sent="decision_letter",
    ),
    TodayList(
        "minutes", "Minutes to send (conferences in the last 3 months)", SUPPORT,
        (Column("held_date", "Held", "date"), CHILDREN, TYPE, DUE, STATUS),
        _paperwork("minutes"),
        "No minutes are outstanding for the last 3 months.",
        links_to="conference", records_sent="minutes",
    ),
)

LISTS_BY_KEY = {item.key: item for item in TODAY_LISTS}


def lists_for(role: str, *, with_user: bool = True) -> list[TodayList]:
    """The lists a role's Today shows; without a user, only those that need no one's own work."""
    return [item for item in TODAY_LISTS if role in item.roles and (with_user or not item.needs_user)]


def build_lists(context: TodayContext) -> list[tuple[TodayList, pl.DataFrame]]:
    """Every list the context's role (and user) sees, built once each."""
    return [(item, item.build(context)) for item in lists_for(context.role, with_user=context.user is not None)]


def report_rows(item: TodayList, frame: pl.DataFrame) -> list[dict[str, object]]:
    """A list's rows in the daily report's shape: the domain's own for the product's lists;
    otherwise `child`, then `due` and `status` where the list has them, its columns, and the
    conference or escalation the row is about; dates as ISO text."""
    if item.key in trackers.REPORT_FACTS:
        return trackers.report_rows(item.key, frame)
    names = [c.name for c in item.columns if c.name not in ("child", "team")]
    keys = [k for k in ("due", "status") if k in frame.columns and k not in names] + names
    about = [(k, k) for k in ("escalation",) if k in frame.columns]
    about += [("conference", "meeting_id")] if "meeting_id" in frame.columns else []
    rows = []
    for row in frame.iter_rows(named=True):
        out: dict[str, object] = {"child": row.get("child_id")}
        for key, column in [(k, k) for k in keys] + about:
            value = row.get(column)
            out[key] = value.isoformat() if isinstance(value, dt.date | dt.time) else value
        rows.append(out)
    return rows


def report(context: TodayContext, built: list[tuple[TodayList, pl.DataFrame]] | None = None) -> dict[str, object]:
    """`{"as_of": ISO, "lists": {key: [row, ...]}}` for the lists the context sees."""
    built = build_lists(context) if built is None else built
    return {"as_of": context.today.isoformat(), "lists": {item.key: report_rows(item, frame) for item, frame in built}}


def count_by_status(frame: pl.DataFrame) -> dict[str, int]:
    return trackers.count_by_status(frame)
