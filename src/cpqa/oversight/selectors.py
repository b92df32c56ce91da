"""Reads for the quality-assurance workflows: the QA lists, Today's overdue items, the footprint,
and the oversight tables of the record.

Lists narrow to the children the user may see (`cpqa.accounts.access.visible_children`: a
social work manager sees their teams' children, analysts and administrators none); aggregate
pages narrow by team the same way. Views log each list they show (`log_access`). The rules of
who is due come only from `cpqa.domain.oversight`, applied to the record's tables
(`cpqa.record.selectors.record_tables`, through the process's copy in `cpqa.record.cache`),
so these lists and the annual report count alike.

For other apps:
- `overdue_escalation_responses(user, today)` and `overdue_midway_reviews(user, today)`: the
  overdue items for the Today page.
- `child_footprint(child)`: the chair's footprint on one child's file (notes, escalations,
  midway reviews, reviews and panel decisions), newest first, for the child's record page;
  render it with `{% include "oversight/_child_footprint.html" with footprint=... %}`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl
from django.db.models import Max, Q, QuerySet

from cpqa.accounts.access import may_see_children, visible_team_names
from cpqa.accounts.models import Role, User
from cpqa.core.config import authority_config
from cpqa.domain import codes
from cpqa.domain import oversight as rules
from cpqa.domain.calendar import ReportingYear, in_words
from cpqa.domain.config import AuthorityConfig
from cpqa.domain.tables import Record
from cpqa.domain.timescales import status_on
from cpqa.oversight import models as qa
from cpqa.oversight.tables import oversight_tables
from cpqa.record import models as m
from cpqa.record.access import visible_children
from cpqa.record.cache import record_for


def midway_inputs(plans: QuerySet[m.Plan]) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """The `plans`, `conferences` and `midway_reviews` tables the midway rule reads, for `plans`."""
    record = record_for(m.Child.objects.filter(plans__in=plans.values("pk")).distinct())
    plan_ids = [str(pk) for pk in plans.values_list("pk", flat=True)]
    return (
        record.plans.filter(pl.col("plan_id").is_in(plan_ids)),
        record.conferences,
        record.midway_reviews,
    )


# --- Escalations ------------------------------------------------------------------------------


def visible_escalations(user: User) -> QuerySet[qa.Escalation]:
    """Escalations about a child the user may see (none for aggregate-only roles)."""
    if not may_see_children(user):
        return qa.Escalation.objects.none()
    return (
        qa.Escalation.objects.filter(child_links__child__in=visible_children(user).values("pk"))
        .distinct()
        .select_related("family", "raised_by")
        .prefetch_related("stages", "children")
    )


def children_in_reach(user: User, escalation: qa.Escalation) -> tuple[list[m.Child], bool]:
    """The escalation's children this user may see, and whether that is every child in it.

    A family escalation can cover children of several teams: a social work manager sees only
    their team's children, and the concern text only when they may see every child in it.
    """
    children = list(escalation.children.all())
    if user.role == Role.SOCIAL_WORK_MANAGER:
        team_ids = set(user.teams.values_list("pk", flat=True))
        seen = [child for child in children if child.team_id in team_ids]
    else:
        seen = children if may_see_children(user) else []
    return seen, len(seen) == len(children)


def escalation_reason_labels() -> dict[str, str]:
    """Every reason code ever offered, with its wording (the configured list, retired ones too)."""
    return dict(qa.EscalationReason.objects.values_list("code", "label"))


def overdue_escalation_responses(user: User, today: dt.date) -> list[qa.EscalationStage]:
    """Stages still waiting for a response whose due date has passed: for Today."""
    return list(
        qa.EscalationStage.objects.filter(
            escalation__in=visible_escalations(user).values("pk"),
            outcome="",
            response_date__isnull=True,
            response_due_date__lt=today,
        )
        .select_related("escalation", "escalation__family")
        .prefetch_related("escalation__children")
        .order_by("response_due_date", "escalation_id")
    )


# --- Repeat plans, the long-plan panel, midway reviews -----------------------------------------


@dataclass(frozen=True)
class RepeatPlanItem:
    plan: m.Plan
    previous_plans: list[m.Plan]
    previous_plans_elsewhere: int | None
    review: qa.RepeatPlanReview | None


def repeat_plan_list(user: User, month: str) -> list[RepeatPlanItem]:
    """Second or subsequent plans started in `month` (`YYYY-MM`), with the child's earlier plans."""
    first = dt.datetime.strptime(month, "%Y-%m").date()
    starters = visible_children(user).filter(
        plans__start_date__year=first.year, plans__start_date__month=first.month
    )
    record = record_for(starters.distinct())
    listed = rules.repeat_plans_started_in(record.plans, month)
    plan_pks = [int(pk) for pk in listed["plan_id"].to_list()]
    plans = {
        p.pk: p
        for p in m.Plan.objects.filter(pk__in=plan_pks).select_related(
            "child", "child__family", "child__team", "repeat_review"
        )
    }
    items = []
    for pk in plan_pks:
        plan = plans[pk]
        earlier = list(plan.child.plans.filter(start_date__lt=plan.start_date).order_by("start_date"))
        items.append(RepeatPlanItem(plan, earlier, plan.previous_plans, getattr(plan, "repeat_review", None)))
    return items


def repeat_plan_findings_in(user: User, year: ReportingYear) -> list[dict[str, object]]:
    """The year's repeat-plan reviews by finding, with families and children (the report's own count)."""
    reviews = oversight_tables(children=visible_children(user))["repeat_plan_reviews"]
    in_year = reviews.filter(pl.col("reviewed_date").is_between(year.start, year.end))
    return [
        {**row, "label": codes.label(codes.REPEAT_PLAN_FINDING, row["finding"])}
        for row in rules.repeat_plan_findings(in_year).iter_rows(named=True)
    ]


@dataclass(frozen=True)
class PanelItem:
    plan: m.Plan
    days_on_plan: int
    milestone_months: int
    band: str | None
    flag_18_months: bool
    flag_2_years: bool
    last_decision: qa.LongPlanPanelReview | None

    @property
    def band_label(self) -> str:
        return rules.LONG_PLAN_BANDS[self.band] if self.band else f"{self.milestone_months} months or more"


def long_plan_panel_list(user: User, on: dt.date, config: AuthorityConfig | None = None) -> list[PanelItem]:
    """Children on a plan since at least the authority's first long-plan flag (9 months by
    default) on `on`, longest first, with the panel's last decision."""
    candidates = visible_children(user).filter(
        Q(plans__end_date__isnull=True) | Q(plans__end_date__gt=on), plans__start_date__lte=on
    )
    record = record_for(candidates.distinct())
    panel = rules.long_plan_panel(record.plans, on, authority_config(config))
    plans = {
        p.pk: p
        for p in m.Plan.objects.filter(pk__in=[int(pk) for pk in panel["plan_id"]]).select_related(
            "child", "child__family", "child__team"
        )
    }
    latest = {
        r.plan_id: r
        for r in qa.LongPlanPanelReview.objects.filter(plan__in=plans.keys()).order_by(
            "plan_id", "panel_date"
        )
    }
    return [
        PanelItem(
            plans[int(row["plan_id"])],
            row["days_on_plan"],
            row["milestone_months"],
            row["band"],
            row["flag_18_months"],
            row["flag_2_years"],
            latest.get(int(row["plan_id"])),
        )
        for row in panel.iter_rows(named=True)
    ]


@dataclass(frozen=True)
class MidwayItem:
    plan: m.Plan
    previous_conference: dt.date
    next_review_due: dt.date
    due_date: dt.date
    chair: m.StaffMember | None
    held_date: dt.date | None
    status: str
    review: qa.MidwayReview | None


def midway_review_list(
    user: User, on: dt.date, *, chair: m.StaffMember | None = None, config: AuthorityConfig | None = None
) -> list[MidwayItem]:
    """Each open plan's midway review for the interval `on` falls in; only `chair`'s if given."""
    candidates = visible_children(user).filter(
        Q(plans__end_date__isnull=True) | Q(plans__end_date__gt=on), plans__start_date__lte=on
    )
    record = record_for(candidates.distinct())
    due = rules.midway_reviews_due(
        record.plans, record.conferences, record.midway_reviews, on, authority_config(config)
    )
    if chair is not None:
        due = due.filter(pl.col("chair_id") == str(chair.pk))
    plans = {
        p.pk: p
        for p in m.Plan.objects.filter(pk__in=[int(pk) for pk in due["plan_id"]]).select_related(
            "child", "child__team"
        )
    }
    staff = {
        s.pk: s for s in m.StaffMember.objects.filter(pk__in=[int(c) for c in due["chair_id"].drop_nulls()])
    }
    reviews = {
        r.pk: r
        for r in qa.MidwayReview.objects.filter(pk__in=[int(i) for i in due["midway_id"].drop_nulls()])
    }
    return [
        MidwayItem(
            plans[int(row["plan_id"])],
            row["previous_conference"],
            row["next_review_due"],
            row["due_date"],
            staff.get(int(row["chair_id"])) if row["chair_id"] else None,
            row["held_date"],
            row["status"],
            reviews.get(int(row["midway_id"])) if row["midway_id"] else None,
        )
        for row in due.iter_rows(named=True)
    ]


def overdue_midway_reviews(
    user: User, today: dt.date, config: AuthorityConfig | None = None
) -> list[MidwayItem]:
    """Midway reviews past their due date and not held: for Today (a chair sees their own)."""
    chair = getattr(user, "staff", None) if user.role == "chair" else None
    items = midway_review_list(user, today, chair=chair, config=config)
    return [item for item in items if item.status == "overdue"]


# --- Social work report feedback --------------------------------------------------------------


def conferences_to_grade(user: User, *, since: dt.date) -> QuerySet[m.ConferenceSubject]:
    """Held conferences since `since` whose social work report the chair has not graded yet."""
    subjects = m.ConferenceSubject.objects.filter(
        child__in=visible_children(user).values("pk"),
        conference__held_date__gte=since,
        conference__cancelled=False,
        report_grade="",
    )
    if user.role == "chair" and getattr(user, "staff", None) is not None:
        subjects = subjects.filter(conference__chair=user.staff)
    return subjects.select_related("conference", "child", "child__team").order_by(
        "-conference__held_date", "pk"
    )


def _teams_record(user: User) -> Record:
    """The record for aggregate pages: every child, or a social work manager's teams' children."""
    teams = visible_team_names(user)
    children = m.Child.objects.all() if teams is None else m.Child.objects.filter(team__name__in=teams)
    return record_for(children)


def report_feedback_summary(user: User, year: ReportingYear) -> pl.DataFrame:
    """Graded reports by team and month in the year (aggregate: every role that may see it)."""
    record = _teams_record(user)
    held_in_year = record.conferences.filter(pl.col("held_date").is_between(year.start, year.end))
    return rules.report_feedback_by_team_and_month(held_in_year, record.children)


# --- The chair's footprint --------------------------------------------------------------------


@dataclass(frozen=True)
class FootprintRow:
    staff: m.StaffMember | None
    team: str | None
    consultations: int
    cases_of_concern: int
    escalations: int
    midway_reviews: int


def footprint_summary(user: User, year: ReportingYear) -> list[FootprintRow]:
    """Per chair (or QA manager) and team: notes, escalations and midway reviews in the year."""
    record = _teams_record(user)
    counts = rules.chair_footprint(
        record.concern_notes,
        record.escalations,
        record.escalation_children,
        record.midway_reviews,
        record.children,
        year.start,
        year.end,
    )
    staff = {
        s.pk: s
        for s in m.StaffMember.objects.filter(pk__in=[int(i) for i in counts["staff_id"].drop_nulls()])
    }
    rows = [
        FootprintRow(
            staff.get(int(r["staff_id"])) if r["staff_id"] else None,
            r["team"],
            r["consultations"],
            r["cases_of_concern"],
            r["escalations"],
            r["midway_reviews"],
        )
        for r in counts.iter_rows(named=True)
    ]
    # By name, not id: ids sort as text ("10" before "9").
    return sorted(rows, key=lambda r: (r.staff.name if r.staff else "~", r.team or "~"))


def linked_chairs(user: User) -> QuerySet[m.Team]:
    """Teams with their linked chair (the seed's linking roles)."""
    teams = visible_team_names(user)
    qs = m.Team.objects.select_related("linked_chair").order_by("name")
    return qs if teams is None else qs.filter(name__in=teams)


@dataclass(frozen=True)
class FootprintEntry:
    """One thing on the child's file: what, when, who, and where to read more."""

    on: dt.date
    what: str
    who: str
    detail: str
    escalation_pk: int | None = None


@dataclass
class ChildFootprint:
    entries: list[FootprintEntry] = field(default_factory=list)

    def count(self, what: str) -> int:
        return sum(1 for e in self.entries if e.what == what)


def child_footprint(child: m.Child) -> ChildFootprint:
    """Everything QA recorded on this child's file, newest first.

    The caller has already checked the user may see the child (`access_child`), which logs the read.
    """
    entries: list[FootprintEntry] = []
    family_notes = Q(child__isnull=True, family_id=child.family_id) if child.family_id else Q(pk__in=[])
    for note in qa.ConcernNote.objects.filter(Q(child=child) | family_notes).select_related("author"):
        about = "" if note.child_id else " (about the family)"
        entries.append(
            FootprintEntry(
                note.recorded_date,
                codes.label(codes.CONCERN_NOTE_KIND, note.kind),
                _name(note.author),
                note.note + about,
            )
        )
    labels = escalation_reason_labels()
    for escalation in (
        qa.Escalation.objects.filter(child_links__child=child).select_related("raised_by").distinct()
    ):
        reached = escalation.stages.aggregate(top=Max("stage"))["top"] or escalation.stage_raised
        state = (
            f"resolved at stage {escalation.resolved_stage}"
            if escalation.is_resolved
            else f"open at stage {reached}"
        )
        reasons = ", ".join(labels.get(r, r) for r in escalation.reason_codes)
        entries.append(
            FootprintEntry(
                escalation.raised_date,
                "Formal escalation",
                _name(escalation.raised_by),
                f"Raised at stage {escalation.stage_raised}, {state}: {reasons}",
                escalation.pk,
            )
        )
    for review in qa.MidwayReview.objects.filter(plan__child=child, held_date__isnull=False).select_related(
        "chair"
    ):
        present = _present(review)
        entries.append(
            FootprintEntry(
                review.held_date, "Midway review", _name(review.chair), f"{present}. {review.summary}".strip()
            )
        )
    for repeat in qa.RepeatPlanReview.objects.filter(plan__child=child).select_related("reviewer"):
        entries.append(
            FootprintEntry(
                repeat.reviewed_date,
                "Repeat-plan review",
                _name(repeat.reviewer),
                codes.label(codes.REPEAT_PLAN_FINDING, repeat.finding),
            )
        )
    for decision in qa.LongPlanPanelReview.objects.filter(plan__child=child):
        entries.append(
            FootprintEntry(
                decision.panel_date,
                "Long-plan panel",
                "Panel",
                f"{rules.LONG_PLAN_BANDS.get(decision.band, decision.band)}: {decision.decision}",
            )
        )
    entries.sort(key=lambda e: e.on, reverse=True)
    return ChildFootprint(entries)


def _name(staff: m.StaffMember | None) -> str:
    return staff.name if staff is not None else "Not recorded"


def _present(review: qa.MidwayReview) -> str:
    who = [
        w
        for w, there in (("social worker", review.social_worker_present), ("manager", review.manager_present))
        if there
    ]
    return "With the " + " and ".join(who) if who else "Without the social worker or manager"


@dataclass(frozen=True)
class StandingItem:
    what: str
    due: dt.date | None
    status: str
    detail: str = ""


def child_qa_standing(child: m.Child, today: dt.date, config: AuthorityConfig | None = None) -> list[StandingItem]:
    """Where the child's plan stands for QA on `today`: the next review, the midway review and
    each escalation stage waiting for a response, each with its status (the domain's rules over
    the child's own record, the same as the lists)."""
    config = authority_config(config)
    record = record_for(m.Child.objects.filter(pk=child.pk))
    items: list[StandingItem] = []
    for row in rules.midway_reviews_due(
        record.plans, record.conferences, record.midway_reviews, today, config
    ).iter_rows(named=True):
        items.append(StandingItem("Next review conference", row["next_review_due"],
                                  status_on(row["next_review_due"], today, config.calendar).value))
        items.append(StandingItem("Midway review", row["due_date"], row["status"],
                                  f"held {in_words(row['held_date'])}" if row["held_date"] else ""))
    waiting = qa.EscalationStage.objects.filter(
        escalation__child_links__child=child, response_date__isnull=True, outcome=""
    ).distinct().order_by("response_due_date")
    for stage in waiting:
        items.append(StandingItem(
            f"Response to the stage {stage.stage} escalation", stage.response_due_date,
            status_on(stage.response_due_date, today, config.calendar).value, f"waiting for {stage.owner}",
        ))
    return items
