"""Writes for the quality-assurance workflows.

Every function is keyword-only, runs in one transaction, checks everything before it writes,
and notes who wrote (`note_change`), or raises and leaves the record as it was. Dates come
from `cpqa.domain.oversight` and the timescale engine, never worked out here. Refusals are
`ValidationError`s keyed by the form field they belong to, `RecordError`s for the state of the
record (an escalation already resolved, a plan already reviewed), and `PermissionDenied` for a
role that may not do the workflow. Messages name the child by local id, never by name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import polars as pl
from django.core.exceptions import PermissionDenied
from django.db import transaction

from cpqa.accounts.models import Role, User
from cpqa.core.clock import service_today
from cpqa.core.config import authority_config
from cpqa.domain import codes
from cpqa.domain import oversight as rules
from cpqa.domain.calendar import in_words
from cpqa.domain.config import AuthorityConfig
from cpqa.domain.tables import conform
from cpqa.oversight import models as qa
from cpqa.record import models as m
from cpqa.record.errors import RecordError
from cpqa.record.services import field_error, note_change

# The QA manager and the chairs run the workflows; everyone else reads (selectors decide what).
WORKFLOW_ROLES: frozenset[str] = frozenset({Role.QA_MANAGER, Role.CHAIR})
# The repeat-plan list and the long-plan panel are the QA manager's.
QA_MANAGER_ROLES: frozenset[str] = frozenset({Role.QA_MANAGER})
# Who may change the list of escalation reasons.
REASON_LIST_ROLES: frozenset[str] = frozenset({Role.QA_MANAGER, Role.ADMINISTRATOR})


def _require(by: User, roles: frozenset[str], what: str) -> None:
    if by is None or not by.has_role(*roles):
        raise PermissionDenied(f"Your role does not allow you to {what}.")


def _staff_of(by: User) -> m.StaffMember:
    """The staff member a signed-in user acts as: authors, raisers and chairs are staff."""
    staff = getattr(by, "staff", None)
    if staff is None:
        raise RecordError(
            "Your account is not linked to a member of staff, so this would have no author: "
            "ask the administrator to link it"
        )
    return staff


def _not_in_future(day: dt.date, field: str, what: str) -> None:
    # The service's today: the demo pins it to the day its synthetic record was taken.
    if day > service_today():
        raise field_error(field, f"{what} ({in_words(day)}) cannot be in the future")


def _not_blank(text: str, field: str, what: str) -> str:
    cleaned = (text or "").strip()
    if not cleaned:
        raise field_error(field, f"{what} is required")
    return cleaned


# --- Concern notes ----------------------------------------------------------------------------


@transaction.atomic
def do_record_concern_note(
    *,
    kind: str,
    recorded_date: dt.date,
    note: str,
    by: User,
    child: m.Child | None = None,
    family: m.Family | None = None,
) -> qa.ConcernNote:
    """A QA case note (a consultation or case discussion) or a chair case of concern."""
    _require(by, WORKFLOW_ROLES, "record concern notes")
    if kind not in codes.CONCERN_NOTE_KIND:
        raise field_error("kind", f"unknown kind of note {kind!r}")
    if child is None and family is None:
        raise field_error("child", "a note is about a child or a family: name one")
    if child is not None and family is not None and child.family_id != family.pk:
        raise field_error("family", f"child {child.local_id} is not in family {family.reference}")
    _not_in_future(recorded_date, "recorded_date", "the note's date")
    text = _not_blank(note, "note", "the note")
    concern = qa.ConcernNote.objects.create(
        kind=kind,
        child=child,
        family=family if family is not None else (child.family if child is not None else None),
        recorded_date=recorded_date,
        author=_staff_of(by),
        note=text,
    )
    note_change(
        by=by, action="record_concern_note", obj=concern, detail=f"{kind} {recorded_date.isoformat()}"
    )
    return concern


# --- Escalations ------------------------------------------------------------------------------


def active_reason_codes() -> dict[str, str]:
    return dict(qa.EscalationReason.objects.filter(active=True).values_list("code", "label"))


def _checked_reasons(reasons: Iterable[str]) -> str:
    chosen = list(dict.fromkeys(r for r in reasons if r))
    if not chosen:
        raise field_error("reasons", "give at least one reason for the escalation")
    offered = active_reason_codes()
    unknown = [r for r in chosen if r not in offered]
    if unknown:
        raise field_error("reasons", f"unknown or retired escalation reason(s): {', '.join(unknown)}")
    return " ".join(chosen)


def _escalated_children(
    children: Sequence[m.Child], family: m.Family | None
) -> tuple[list[m.Child], m.Family | None]:
    """The children an escalation is about, and their family: one child, or a family's children."""
    chosen = list(dict.fromkeys(children))
    if not chosen and family is None:
        raise field_error("children", "an escalation is about a child or a family: name one")
    if not chosen:
        chosen = list(family.children.all())
        if not chosen:
            raise field_error("family", f"family {family.reference} has no children on the record")
        return chosen, family
    families = {c.family_id for c in chosen}
    if family is not None:
        strays = [c.local_id for c in chosen if c.family_id != family.pk]
        if strays:
            raise field_error("children", f"child(ren) {', '.join(strays)} not in family {family.reference}")
        return chosen, family
    if len(families) > 1:
        raise field_error(
            "children", "the children named are in different families: raise one escalation each"
        )
    return chosen, chosen[0].family


@transaction.atomic
def do_raise_escalation(
    *,
    raised_date: dt.date,
    stage: int,
    reasons: Iterable[str],
    owner: str,
    by: User,
    children: Sequence[m.Child] = (),
    family: m.Family | None = None,
    concern: str = "",
    config: AuthorityConfig | None = None,
) -> qa.Escalation:
    """A formal escalation, raised at stage 1, 2 or 3, with its first response due date."""
    _require(by, WORKFLOW_ROLES, "raise escalations")
    if stage not in codes.ESCALATION_STAGE:
        raise field_error("stage", f"unknown escalation stage {stage!r}: use 1, 2 or 3")
    _not_in_future(raised_date, "raised_date", "the date raised")
    joined = _checked_reasons(reasons)
    owner_text = _not_blank(owner, "owner", "who must respond")
    subjects, their_family = _escalated_children(children, family)
    escalation = qa.Escalation.objects.create(
        family=their_family,
        raised_date=raised_date,
        raised_by=_staff_of(by),
        stage_raised=stage,
        reasons=joined,
        concern=(concern or "").strip(),
    )
    qa.EscalationChild.objects.bulk_create(
        [qa.EscalationChild(escalation=escalation, child=c) for c in subjects]
    )
    qa.EscalationStage.objects.create(
        escalation=escalation,
        stage=stage,
        started_date=raised_date,
        response_due_date=rules.escalation_response_due(raised_date, stage, authority_config(config)),
        owner=owner_text,
    )
    note_change(by=by, action="raise_escalation", obj=escalation, detail=f"stage {stage} {joined}")
    return escalation


def _open_stage(escalation: qa.Escalation) -> qa.EscalationStage:
    if escalation.is_resolved:
        raise RecordError(f"escalation {escalation.pk} was resolved on {in_words(escalation.resolved_date)}")
    stage = escalation.current_stage()
    if stage is None:
        raise RecordError(f"escalation {escalation.pk} has no stage waiting for an outcome")
    return stage


@transaction.atomic
def do_record_escalation_response(
    *, escalation: qa.Escalation, response_date: dt.date, response: str, by: User
) -> qa.EscalationStage:
    """The owner's response at the escalation's current stage."""
    _require(by, WORKFLOW_ROLES, "record escalation responses")
    stage = _open_stage(escalation)
    if response_date < stage.started_date:
        raise field_error(
            "response_date",
            f"the response ({in_words(response_date)}) cannot come before stage {stage.stage} began "
            f"({in_words(stage.started_date)})",
        )
    _not_in_future(response_date, "response_date", "the response date")
    stage.response = _not_blank(response, "response", "the response")
    stage.response_date = response_date
    stage.save(update_fields=["response", "response_date"])
    note_change(by=by, action="record_escalation_response", obj=stage, detail=response_date.isoformat())
    return stage


@transaction.atomic
def do_resolve_escalation(*, escalation: qa.Escalation, resolved_date: dt.date, by: User) -> qa.Escalation:
    """The chair is satisfied: the escalation ends, resolved at its current stage."""
    _require(by, WORKFLOW_ROLES, "resolve escalations")
    stage = _open_stage(escalation)
    if resolved_date < stage.started_date:
        raise field_error(
            "resolved_date",
            f"the escalation cannot be resolved ({in_words(resolved_date)}) before stage {stage.stage} "
            f"began ({in_words(stage.started_date)})",
        )
    _not_in_future(resolved_date, "resolved_date", "the date resolved")
    stage.outcome = "resolved"
    stage.outcome_date = resolved_date
    stage.save(update_fields=["outcome", "outcome_date"])
    escalation.resolved_stage = stage.stage
    escalation.resolved_date = resolved_date
    escalation.save(update_fields=["resolved_stage", "resolved_date"])
    note_change(by=by, action="resolve_escalation", obj=escalation, detail=f"stage {stage.stage}")
    return escalation


@transaction.atomic
def do_escalate_to_next_stage(
    *,
    escalation: qa.Escalation,
    escalated_date: dt.date,
    onward_reason: str,
    owner: str,
    by: User,
    config: AuthorityConfig | None = None,
) -> qa.EscalationStage:
    """Take an unresolved escalation to the next stage, saying why; returns the new stage."""
    _require(by, WORKFLOW_ROLES, "escalate further")
    current = _open_stage(escalation)
    try:
        next_stage = rules.next_escalation_stage(current.stage)
    except ValueError as exc:
        raise RecordError(f"escalation {escalation.pk}: {exc}") from None
    if onward_reason not in codes.ESCALATION_ONWARD_REASON:
        raise field_error("onward_reason", f"unknown reason for escalating further {onward_reason!r}")
    if escalated_date < current.started_date:
        raise field_error(
            "escalated_date",
            f"stage {next_stage} cannot start ({in_words(escalated_date)}) before stage {current.stage} "
            f"began ({in_words(current.started_date)})",
        )
    _not_in_future(escalated_date, "escalated_date", "the date escalated")
    owner_text = _not_blank(owner, "owner", "who must respond")
    current.outcome = "escalated"
    current.outcome_date = escalated_date
    current.onward_reason = onward_reason
    current.save(update_fields=["outcome", "outcome_date", "onward_reason"])
    stage = qa.EscalationStage.objects.create(
        escalation=escalation,
        stage=next_stage,
        started_date=escalated_date,
        response_due_date=rules.escalation_response_due(escalated_date, next_stage, authority_config(config)),
        owner=owner_text,
    )
    note_change(
        by=by, action="escalate_to_next_stage", obj=escalation, detail=f"stage {next_stage} {onward_reason}"
    )
    return stage


@transaction.atomic
def do_import_escalation(
    *,
    raised_date: dt.date,
    raised_by: m.StaffMember | None,
    stage_raised: int,
    stage_reached: int,
    reasons: Sequence[str],
    onward_reasons: Sequence[str],
    children: Sequence[m.Child],
    by: User,
    family: m.Family | None = None,
    resolved_stage: int | None = None,
    resolved_date: dt.date | None = None,
    config: AuthorityConfig | None = None,
) -> qa.Escalation:
    """One row of the record's `escalations` table (with its children) as an escalation and its stages.

    For a loader: the history has no date for each later stage, so each starts on the raised
    date (the table says no more); its response due date follows from that. Reasons are
    checked against the whole list, retired ones included, because history may use them.
    """
    if stage_raised not in codes.ESCALATION_STAGE or stage_reached not in codes.ESCALATION_STAGE:
        raise field_error(
            "stage_raised", f"escalation stages {stage_raised}-{stage_reached} are not 1, 2 or 3"
        )
    if stage_reached < stage_raised:
        raise field_error(
            "stage_reached", f"stage reached {stage_reached} is below stage raised {stage_raised}"
        )
    if len(onward_reasons) != stage_reached - stage_raised:
        raise field_error(
            "onward_reasons",
            f"{stage_reached - stage_raised} onward reason(s) needed from stage {stage_raised} to "
            f"{stage_reached}, {len(onward_reasons)} given",
        )
    unknown_onward = [r for r in onward_reasons if r not in codes.ESCALATION_ONWARD_REASON]
    if unknown_onward:
        raise field_error("onward_reasons", f"unknown onward reason(s): {', '.join(unknown_onward)}")
    known = set(qa.EscalationReason.objects.values_list("code", flat=True))
    unknown = [r for r in reasons if r not in known]
    if unknown or not reasons:
        raise field_error("reasons", f"unknown escalation reason(s): {', '.join(unknown) or 'none given'}")
    if (resolved_stage is None) != (resolved_date is None):
        raise field_error("resolved_date", "a resolved escalation needs both the stage and the date")
    if resolved_stage is not None and resolved_stage != stage_reached:
        raise field_error(
            "resolved_stage", f"resolved at stage {resolved_stage} but reached stage {stage_reached}"
        )
    if resolved_date is not None and resolved_date < raised_date:
        raise field_error("resolved_date", "an escalation cannot be resolved before it was raised")
    subjects, their_family = _escalated_children(children, family)
    escalation = qa.Escalation.objects.create(
        family=their_family,
        raised_date=raised_date,
        raised_by=raised_by,
        stage_raised=stage_raised,
        reasons=" ".join(dict.fromkeys(reasons)),
        resolved_stage=resolved_stage,
        resolved_date=resolved_date,
    )
    qa.EscalationChild.objects.bulk_create(
        [qa.EscalationChild(escalation=escalation, child=c) for c in subjects]
    )
    due = rules.escalation_response_due
    for offset, stage in enumerate(range(stage_raised, stage_reached + 1)):
        last = stage == stage_reached
        qa.EscalationStage.objects.create(
            escalation=escalation,
            stage=stage,
            started_date=raised_date,
            response_due_date=due(raised_date, stage, authority_config(config)),
            owner=codes.ESCALATION_STAGE[stage],
            outcome=("resolved" if resolved_stage else "") if last else "escalated",
            outcome_date=resolved_date if last else None,
            onward_reason="" if last else onward_reasons[offset],
        )
    note_change(
        by=by, action="import_escalation", obj=escalation, detail=f"stages {stage_raised}-{stage_reached}"
    )
    return escalation


@transaction.atomic
def do_add_escalation_reason(*, code: str, label: str, by: User) -> qa.EscalationReason:
    """Offer a new reason for escalating; the code is what the record and the report hold."""
    _require(by, REASON_LIST_ROLES, "change the list of escalation reasons")
    code = (code or "").strip()
    reason = qa.EscalationReason(code=code, label=_not_blank(label, "label", "the reason's wording"))
    if not code:
        raise field_error("code", "the reason's code is required")
    if qa.EscalationReason.objects.filter(code=code).exists():
        raise field_error("code", f"there is already a reason with code {code!r}")
    reason.position = (
        qa.EscalationReason.objects.order_by("-position").values_list("position", flat=True).first() or 0
    ) + 10
    reason.full_clean()
    reason.save()
    note_change(by=by, action="add_escalation_reason", obj=reason, detail=code)
    return reason


@transaction.atomic
def do_set_escalation_reason_active(
    *, reason: qa.EscalationReason, active: bool, by: User
) -> qa.EscalationReason:
    """Retire a reason (escalations that used it keep it) or offer it again."""
    _require(by, REASON_LIST_ROLES, "change the list of escalation reasons")
    if active is False and qa.EscalationReason.objects.filter(active=True).exclude(pk=reason.pk).count() == 0:
        raise RecordError("at least one escalation reason must stay on offer")
    reason.active = active
    reason.save(update_fields=["active"])
    note_change(by=by, action="set_escalation_reason_active", obj=reason, detail=f"{reason.code} {active}")
    return reason


# --- Repeat-plan reviews ----------------------------------------------------------------------


def plans_table(plans: Iterable[m.Plan]) -> pl.DataFrame:
    """Plans as the record's `plans` table (only the columns the QA rules read)."""
    rows = [
        {
            "plan_id": str(p.pk),
            "child_id": p.child.local_id,
            "start_date": p.start_date,
            "end_date": p.end_date,
            "previous_plans": p.previous_plans,
        }
        for p in plans
    ]
    return (
        conform("plans", pl.DataFrame(rows, infer_schema_length=None))
        if rows
        else conform("plans", pl.DataFrame())
    )


def is_repeat_plan(plan: m.Plan) -> bool:
    marked = rules.second_or_subsequent_plans(plans_table(plan.child.plans.select_related("child")))
    return bool(marked.filter(pl.col("plan_id") == str(plan.pk))["is_repeat"].item())


@transaction.atomic
def do_record_repeat_plan_review(
    *, plan: m.Plan, reviewed_date: dt.date, finding: str, by: User, themes: str = ""
) -> qa.RepeatPlanReview:
    """The QA manager's finding on a second or subsequent plan."""
    _require(by, QA_MANAGER_ROLES, "record repeat-plan reviews")
    child = plan.child
    if finding not in codes.REPEAT_PLAN_FINDING:
        raise field_error("finding", f"child {child.local_id}: unknown finding {finding!r}")
    if hasattr(plan, "repeat_review"):
        raise RecordError(
            f"child {child.local_id}: this plan was reviewed on {in_words(plan.repeat_review.reviewed_date)}"
        )
    if not is_repeat_plan(plan):
        raise RecordError(
            f"child {child.local_id}: this is the child's first plan, so it needs no repeat-plan review"
        )
    if reviewed_date < plan.start_date:
        raise field_error(
            "reviewed_date",
            f"child {child.local_id}: the review cannot come before the plan started "
            f"({in_words(plan.start_date)})",
        )
    _not_in_future(reviewed_date, "reviewed_date", "the review date")
    review = qa.RepeatPlanReview.objects.create(
        plan=plan,
        reviewed_date=reviewed_date,
        finding=finding,
        themes=(themes or "").strip(),
        reviewer=_staff_of(by),
    )
    note_change(by=by, action="record_repeat_plan_review", obj=review, detail=finding)
    return review


# --- The long-plan panel ----------------------------------------------------------------------


@transaction.atomic
def do_record_panel_decision(
    *, plan: m.Plan, panel_date: dt.date, decision: str, by: User, actions: str = ""
) -> qa.LongPlanPanelReview:
    """The monthly panel's decision on a plan that has reached the first long-plan flag by the panel date."""
    _require(by, QA_MANAGER_ROLES, "record the long-plan panel's decisions")
    child = plan.child
    _not_in_future(panel_date, "panel_date", "the panel date")
    config = authority_config()
    panel = rules.long_plan_panel(plans_table([plan]), panel_date, config)
    if panel.is_empty():
        first = min(config.long_plan_flag_months)
        raise RecordError(
            f"child {child.local_id}: the plan from {in_words(plan.start_date)} had not lasted {first} months "
            f"on {in_words(panel_date)} (or was no longer open), so it is not for the panel"
        )
    if plan.panel_reviews.filter(panel_date=panel_date).exists():
        raise RecordError(
            f"child {child.local_id}: the panel's decision of {in_words(panel_date)} is already recorded"
        )
    review = qa.LongPlanPanelReview.objects.create(
        plan=plan,
        panel_date=panel_date,
        band=panel["band"][0] or "",
        milestone_months=panel["milestone_months"][0],
        decision=_not_blank(decision, "decision", "the panel's decision"),
        actions=(actions or "").strip(),
    )
    note_change(
        by=by, action="record_panel_decision", obj=review, detail=f"{panel_date.isoformat()} {panel['milestone_months'][0]} months"
    )
    return review


# --- Midway reviews ---------------------------------------------------------------------------


def midway_for_plan(
    plan: m.Plan, on: dt.date, config: AuthorityConfig | None = None
) -> dict[str, object] | None:
    """The plan's midway review for the interval `on` falls in (see `rules.midway_reviews_due`)."""
    from cpqa.oversight.selectors import midway_inputs

    plans, conferences, midways = midway_inputs(m.Plan.objects.filter(pk=plan.pk))
    due = rules.midway_reviews_due(plans, conferences, midways, on, authority_config(config))
    return due.row(0, named=True) if len(due) else None


def _chair(staff: m.StaffMember | None) -> m.StaffMember | None:
    if staff is not None and staff.role != "chair":
        raise field_error("chair", f"staff member {staff.pk} is not a child protection chair")
    return staff


@transaction.atomic
def do_assign_midway_review(
    *, plan: m.Plan, chair: m.StaffMember, on: dt.date, by: User, config: AuthorityConfig | None = None
) -> qa.MidwayReview:
    """Give the plan's current midway review to a chair other than the one who chaired last."""
    _require(by, WORKFLOW_ROLES, "assign midway reviews")
    _chair(chair)
    due = midway_for_plan(plan, on, config)
    if due is None:
        raise RecordError(f"child {plan.child.local_id}: the plan is not open on {in_words(on)}")
    if due["status"] == "held":
        raise RecordError(
            f"child {plan.child.local_id}: this interval's midway review was held on "
            f"{in_words(due['held_date'])}"
        )
    review, _ = qa.MidwayReview.objects.update_or_create(
        plan=plan, due_date=due["due_date"], held_date=None, defaults={"chair": chair}
    )
    note_change(
        by=by, action="assign_midway_review", obj=review, detail=f"{due['due_date'].isoformat()} {chair.pk}"
    )
    return review


@transaction.atomic
def do_record_midway_review(
    *,
    plan: m.Plan,
    held_date: dt.date,
    social_worker_present: bool,
    manager_present: bool,
    summary: str,
    by: User,
    chair: m.StaffMember | None = None,
    config: AuthorityConfig | None = None,
) -> qa.MidwayReview:
    """A midway review held between the previous conference and the next review."""
    _require(by, WORKFLOW_ROLES, "record midway reviews")
    child = plan.child
    _not_in_future(held_date, "held_date", "the date held")
    due = midway_for_plan(plan, held_date, config)
    if due is None:
        raise RecordError(f"child {child.local_id}: the plan was not open on {in_words(held_date)}")
    if due["status"] == "held":
        raise RecordError(
            f"child {child.local_id}: a midway review was already held on {in_words(due['held_date'])} "
            f"since the conference of {in_words(due['previous_conference'])}"
        )
    text = _not_blank(summary, "summary", "the summary of progress")
    acting = _chair(chair) or (_staff_of(by) if by.role == Role.CHAIR else None)
    if acting is None:
        raise field_error("chair", "name the chair who held the midway review")
    review, _ = qa.MidwayReview.objects.update_or_create(
        plan=plan,
        due_date=due["due_date"],
        held_date=None,
        defaults={
            "held_date": held_date,
            "chair": acting,
            "social_worker_present": social_worker_present,
            "manager_present": manager_present,
            "summary": text,
        },
    )
    note_change(by=by, action="record_midway_review", obj=review, detail=held_date.isoformat())
    return review


# --- Social work report feedback --------------------------------------------------------------


@transaction.atomic
def do_record_report_feedback(
    *,
    subject: m.ConferenceSubject,
    grade: str,
    shared_with_family_date: dt.date | None,
    feedback: str,
    by: User,
    config: AuthorityConfig | None = None,
) -> m.ConferenceSubject:
    """The chair's grade of the social worker's report, whether the family had it in time, and feedback."""
    _require(by, WORKFLOW_ROLES, "grade social work reports")
    conference = subject.conference
    child = subject.child
    if conference.held_date is None:
        raise RecordError(f"child {child.local_id}: grade the report once the conference has been held")
    if grade not in codes.REPORT_GRADE:
        raise field_error("grade", f"child {child.local_id}: unknown grade {grade!r}")
    if shared_with_family_date is not None:
        _not_in_future(
            shared_with_family_date, "shared_with_family_date", "the date the family had the report"
        )
    subject.report_grade = grade
    subject.report_shared_in_time = rules.report_shared_in_time(
        shared_with_family_date, conference.held_date, conference.conference_type, authority_config(config)
    )
    subject.report_feedback = _not_blank(feedback, "feedback", "feedback to the social worker")
    subject.save(update_fields=["report_grade", "report_shared_in_time", "report_feedback"])
    qa.ReportFeedback.objects.update_or_create(
        subject=subject,
        defaults={"shared_with_family_date": shared_with_family_date, "graded_by": _staff_of(by)},
    )
    note_change(by=by, action="record_report_feedback", obj=subject, detail=grade)
    return subject
