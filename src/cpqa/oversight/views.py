"""The QA workflow pages: thin views over the oversight services and selectors.

Every view is guarded by role (`role_required`). Pages about one child load the child through
`access_child` (which checks the user's right and logs the read); lists log the listing. Forms
parse, services decide, and a service's refusal is shown against the field it names.

Who does what: the QA manager and the chairs run the workflows (the repeat-plan review and the
long-plan panel are the QA manager's); business support read the lists; social work managers
read their teams' items; analysts see the aggregate pages only; administrators keep the list of
escalation reasons.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cpqa.accounts.access import log_access
from cpqa.accounts.access import role_required as guard
from cpqa.accounts.models import Role
from cpqa.accounts.roles import (
    ALL_ROLES,
    CHILD_ROLES,
    QA_MANAGER_ONLY,
    QA_WORKERS,
    REASON_KEEPERS,
    REPORT_READERS,
)
from cpqa.core.clock import service_today
from cpqa.core.config import authority_config
from cpqa.domain import codes
from cpqa.domain import oversight as rules
from cpqa.domain.calendar import ReportingYear, in_words
from cpqa.oversight import forms as f
from cpqa.oversight import models as qa
from cpqa.oversight import selectors as sel
from cpqa.oversight import services as svc
from cpqa.record import models as m
from cpqa.record.access import access_child, visible_children
from cpqa.record.errors import RecordError
from cpqa.ui.addresses import day_in_address, month_in_address, reporting_year_in_address
from cpqa.ui.forms import save_form, yes_no_value


def _today() -> dt.date:
    return service_today()


def _date_param(request: HttpRequest, name: str) -> dt.date:
    text = request.GET.get(name, "")
    return day_in_address(text, name) if text else _today()


def _month_param(request: HttpRequest) -> str:
    text = request.GET.get("month")
    return month_in_address(text, "month").strftime("%Y-%m") if text else _today().strftime("%Y-%m")


def _year_param(request: HttpRequest) -> ReportingYear:
    text = request.GET.get("year")
    return reporting_year_in_address(text, "year") if text else ReportingYear.containing(_today())


def _plan(request: HttpRequest, plan_pk: int) -> m.Plan:
    plan = get_object_or_404(
        m.Plan.objects.select_related("child", "child__family", "child__team"), pk=plan_pk
    )
    access_child(request, plan.child_id)
    return plan


def _form_page(
    request: HttpRequest,
    form: forms.Form,
    save: Callable[[dict[str, Any]], Any],
    done: Callable[[Any], tuple[str, str]],
    **context: Any,
) -> HttpResponse:
    """One form on the shared form page: a saved POST says what was done (`done` gives the
    message and where to go next); otherwise the form, with any refusal on it."""
    saved = save_form(form, request, save)
    if saved is not None:
        message, url = done(saved)
        messages.success(request, message)
        return redirect(url)
    return render(request, "oversight/form_page.html", {"form": form, **context})


# --- Overview ---------------------------------------------------------------------------------


@guard(*ALL_ROLES)
def overview(request: HttpRequest) -> HttpResponse:
    """The QA pages this role may use, with what is overdue today."""
    user = request.user
    today = _today()
    context: dict[str, Any] = {"today": today, "role": user.role}
    if user.role in CHILD_ROLES:
        context["overdue_responses"] = sel.overdue_escalation_responses(user, today)
        context["overdue_midways"] = sel.overdue_midway_reviews(user, today)
        log_access(request, "list", "escalation", "", "oversight overdue")
    return render(request, "oversight/overview.html", context)


# --- Escalations ------------------------------------------------------------------------------


@guard(*CHILD_ROLES)
def escalation_list(request: HttpRequest) -> HttpResponse:
    show_all = request.GET.get("show") == "all"
    escalations = sel.visible_escalations(request.user)
    if not show_all:
        escalations = escalations.filter(resolved_date__isnull=True)
    labels = sel.escalation_reason_labels()
    rows = [
        {
            "escalation": escalation,
            "children": sel.children_in_reach(request.user, escalation)[0],
            "reasons": "; ".join(labels.get(code, code) for code in escalation.reason_codes),
            "current": next((stage for stage in escalation.stages.all() if stage.is_open), None),
        }
        for escalation in escalations
    ]
    log_access(request, "list", "escalation", "", "all" if show_all else "open",
               children=[child.pk for row in rows for child in row["children"]])
    return render(
        request, "oversight/escalation_list.html", {"rows": rows, "show_all": show_all, "today": _today()}
    )


@guard(*QA_WORKERS)
def escalation_raise(request: HttpRequest, child_pk: int) -> HttpResponse:
    child = access_child(request, child_pk)
    family = (
        list(visible_children(request.user).filter(family_id=child.family_id)) if child.family_id else [child]
    )
    choices = [(str(c.pk), f"{c.display_name} ({c.local_id})") for c in family]
    form = f.RaiseEscalationForm(
        request.POST or None, children=choices, initial={"children": [str(child.pk)], "raised_date": _today()}
    )

    def save(data: dict[str, Any]) -> qa.Escalation:
        chosen = [c for c in family if str(c.pk) in data["children"]]
        return svc.do_raise_escalation(
            raised_date=data["raised_date"],
            stage=data["stage"],
            reasons=data["reasons"],
            owner=data["owner"],
            concern=data["concern"],
            children=chosen,
            by=request.user,
        )

    def done(escalation: qa.Escalation) -> tuple[str, str]:
        stage = escalation.stages.get()
        return (
            f"Escalation raised at stage {stage.stage}: response due {in_words(stage.response_due_date)}",
            reverse("escalation_detail", kwargs={"pk": escalation.pk}),
        )

    return _form_page(
        request,
        form,
        save,
        done,
        child=child,
        heading="Raise an escalation",
        button="Raise the escalation",
        intro="Use this when the concern was not resolved informally. The response is due a set number "
        "of working days after the stage begins.",
    )


def _escalation(request: HttpRequest, pk: int) -> qa.Escalation:
    """The escalation, if it is about a child this user may see; the read is logged."""
    escalation = sel.visible_escalations(request.user).filter(pk=pk).first()
    if escalation is None:
        if qa.Escalation.objects.filter(pk=pk).exists():
            log_access(request, "denied", "escalation", pk, "escalation")
        # Out of reach answers exactly as missing does, so a refusal never tells which ids exist.
        raise Http404("No such escalation.")
    children, _ = sel.children_in_reach(request.user, escalation)
    log_access(request, "view", "escalation", pk, "escalation", children=[child.pk for child in children])
    return escalation


@guard(*CHILD_ROLES)
def escalation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    escalation = _escalation(request, pk)
    labels = sel.escalation_reason_labels()
    children, sees_every_child = sel.children_in_reach(request.user, escalation)
    return render(
        request,
        "oversight/escalation_detail.html",
        {
            "escalation": escalation,
            "children": children,
            "show_concern": sees_every_child,
            "reasons": [labels.get(code, code) for code in escalation.reason_codes],
            "stages": escalation.stages.order_by("stage"),
            "current": escalation.current_stage(),
            "may_act": request.user.role in QA_WORKERS,
            "today": _today(),
        },
    )


@guard(*QA_WORKERS)
def escalation_response(request: HttpRequest, pk: int) -> HttpResponse:
    escalation = _escalation(request, pk)
    return _form_page(
        request,
        f.EscalationResponseForm(request.POST or None, initial={"response_date": _today()}),
        lambda data: svc.do_record_escalation_response(
            escalation=escalation,
            response_date=data["response_date"],
            response=data["response"],
            by=request.user,
        ),
        lambda _: ("Response recorded", reverse("escalation_detail", kwargs={"pk": escalation.pk})),
        escalation=escalation,
        heading="Record the response",
        button="Save the response",
    )


@guard(*QA_WORKERS)
def escalation_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    escalation = _escalation(request, pk)

    def save(data: dict[str, Any]) -> object:
        if data["outcome"] == "resolved":
            return svc.do_resolve_escalation(
                escalation=escalation, resolved_date=data["outcome_date"], by=request.user
            )
        if not data["onward_reason"]:
            raise ValidationError({"onward_reason": "Choose why it goes to the next stage"})
        return svc.do_escalate_to_next_stage(
            escalation=escalation,
            escalated_date=data["outcome_date"],
            onward_reason=data["onward_reason"],
            owner=data["owner"],
            by=request.user,
        )

    def done(saved: object) -> tuple[str, str]:
        if isinstance(saved, qa.EscalationStage):
            message = f"Escalated to stage {saved.stage}: response due {in_words(saved.response_due_date)}"
        else:
            message = "Escalation resolved"
        return message, reverse("escalation_detail", kwargs={"pk": escalation.pk})

    return _form_page(
        request,
        f.EscalationOutcomeForm(request.POST or None, initial={"outcome_date": _today()}),
        save,
        done,
        escalation=escalation,
        heading="Record the outcome",
        button="Save the outcome",
    )


@guard(*REASON_KEEPERS)
def escalation_reasons(request: HttpRequest) -> HttpResponse:
    form = f.EscalationReasonForm(request.POST or None)
    saved = save_form(
        form,
        request,
        lambda data: svc.do_add_escalation_reason(code=data["code"], label=data["label"], by=request.user),
    )
    if saved is not None:
        messages.success(request, f"Reason “{saved.label}” added")
        return redirect("escalation_reasons")
    return render(
        request,
        "oversight/escalation_reasons.html",
        {
            "form": form,
            "reasons": qa.EscalationReason.objects.all(),
        },
    )


@guard(*REASON_KEEPERS)
@require_POST
def escalation_reason_active(request: HttpRequest, code: str) -> HttpResponse:
    reason = get_object_or_404(qa.EscalationReason, code=code)
    answer = yes_no_value(request.POST.get("active", ""))
    if answer is None:
        messages.error(request, "Nothing changed: say whether the reason is offered")
        return redirect("escalation_reasons")
    try:
        svc.do_set_escalation_reason_active(reason=reason, active=answer, by=request.user)
    except RecordError as refusal:
        messages.error(request, str(refusal))
        return redirect("escalation_reasons")
    messages.success(request, f"“{reason.label}” is {'offered again' if answer else 'no longer offered'}")
    return redirect("escalation_reasons")


# --- Concern notes ----------------------------------------------------------------------------


@guard(*QA_WORKERS)
def concern_note_new(request: HttpRequest, child_pk: int) -> HttpResponse:
    child = access_child(request, child_pk)

    def save(data: dict[str, Any]) -> qa.ConcernNote:
        about_family = data["about_family"] and child.family is not None
        return svc.do_record_concern_note(
            kind=data["kind"],
            recorded_date=data["recorded_date"],
            note=data["note"],
            by=request.user,
            child=None if about_family else child,
            family=child.family,
        )

    return _form_page(
        request,
        f.ConcernNoteForm(request.POST or None, initial={"recorded_date": _today()}),
        save,
        lambda note: (
            f"{codes.label(codes.CONCERN_NOTE_KIND, note.kind)} recorded",
            reverse("child_footprint", kwargs={"child_pk": child.pk}),
        ),
        child=child,
        heading="Record a note on the child's file",
        button="Save the note",
    )


@guard(*CHILD_ROLES)
def child_footprint(request: HttpRequest, child_pk: int) -> HttpResponse:
    child = access_child(request, child_pk)
    today = _today()
    open_plan = child.plans.filter(start_date__lte=today).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=today)
    ).order_by("-start_date").first()
    return render(
        request,
        "oversight/child_footprint.html",
        {
            "child": child,
            "today": today,
            "age": child.age_in_words(today),
            "plan": open_plan,
            "days_on_plan": (today - open_plan.start_date).days if open_plan else None,
            "standing": sel.child_qa_standing(child, today),
            "footprint": sel.child_footprint(child),
            "may_act": request.user.role in QA_WORKERS,
        },
    )


# --- Repeat plans and the long-plan panel -----------------------------------------------------


@guard(*CHILD_ROLES)
def repeat_plans(request: HttpRequest) -> HttpResponse:
    month = _month_param(request)
    items = sel.repeat_plan_list(request.user, month)
    year = ReportingYear.containing(dt.datetime.strptime(month, "%Y-%m").date())
    log_access(request, "list", "plan", "", f"repeat plans {month}")
    return render(
        request,
        "oversight/repeat_plans.html",
        {
            "month": month,
            "items": items,
            "may_review": request.user.role in QA_MANAGER_ONLY,
            "year": year,
            "findings": sel.repeat_plan_findings_in(request.user, year),
        },
    )


@guard(*QA_MANAGER_ONLY)
def repeat_plan_review(request: HttpRequest, plan_pk: int) -> HttpResponse:
    plan = _plan(request, plan_pk)
    return _form_page(
        request,
        f.RepeatPlanReviewForm(request.POST or None, initial={"reviewed_date": _today()}),
        lambda data: svc.do_record_repeat_plan_review(
            plan=plan,
            reviewed_date=data["reviewed_date"],
            finding=data["finding"],
            themes=data["themes"],
            by=request.user,
        ),
        lambda _: (
            f"Review recorded for child {plan.child.local_id}",
            f"{reverse('repeat_plans')}?month={plan.start_date:%Y-%m}",
        ),
        child=plan.child,
        plan=plan,
        earlier_plans=plan.child.plans.filter(start_date__lt=plan.start_date).order_by("start_date"),
        heading="Review a second or subsequent plan",
        button="Save the review",
    )


@guard(*CHILD_ROLES)
def long_plans(request: HttpRequest) -> HttpResponse:
    on = _date_param(request, "on")
    config = authority_config()
    items = sel.long_plan_panel_list(request.user, on, config)
    log_access(request, "list", "plan", "", f"long plans {on.isoformat()}")
    flags = sorted(config.long_plan_flag_months)
    return render(
        request,
        "oversight/long_plans.html",
        {
            "on": on,
            "items": items,
            "first_flag": flags[0],
            "may_decide": request.user.role in QA_MANAGER_ONLY,
            "milestone_counts": [
                (f"{months} months or more" + (f", under {later}" if later else ""),
                 sum(1 for i in items if i.milestone_months == months))
                for months, later in zip(flags, [*flags[1:], None])
            ],
            "band_counts": [
                (label, sum(1 for i in items if i.band == band))
                for band, label in rules.LONG_PLAN_BANDS.items()
            ],
        },
    )


@guard(*QA_MANAGER_ONLY)
def panel_decision(request: HttpRequest, plan_pk: int) -> HttpResponse:
    plan = _plan(request, plan_pk)
    return _form_page(
        request,
        f.PanelDecisionForm(request.POST or None, initial={"panel_date": _today()}),
        lambda data: svc.do_record_panel_decision(
            plan=plan,
            panel_date=data["panel_date"],
            decision=data["decision"],
            actions=data["actions"],
            by=request.user,
        ),
        lambda _: (f"Panel decision recorded for child {plan.child.local_id}", reverse("long_plans")),
        child=plan.child,
        plan=plan,
        decisions=plan.panel_reviews.order_by("-panel_date"),
        heading="Record the long-plan panel's decision",
        button="Save the decision",
    )


# --- Midway reviews ---------------------------------------------------------------------------


@guard(*CHILD_ROLES)
def midway_list(request: HttpRequest) -> HttpResponse:
    on = _date_param(request, "on")
    mine = request.GET.get("mine") == "1" and request.user.role == Role.CHAIR
    chair = getattr(request.user, "staff", None) if mine else None
    items = sel.midway_review_list(request.user, on, chair=chair)
    log_access(request, "list", "plan", "", f"midway reviews {on.isoformat()}")
    return render(
        request,
        "oversight/midway_list.html",
        {
            "on": on,
            "items": items,
            "mine": mine,
            "is_chair": request.user.role == Role.CHAIR,
            "may_act": request.user.role in QA_WORKERS,
        },
    )


@guard(*QA_WORKERS)
def midway_record(request: HttpRequest, plan_pk: int) -> HttpResponse:
    plan = _plan(request, plan_pk)
    ask_chair = request.user.role != Role.CHAIR
    return _form_page(
        request,
        f.MidwayReviewForm(request.POST or None, ask_chair=ask_chair, initial={"held_date": _today()}),
        lambda data: svc.do_record_midway_review(
            plan=plan,
            held_date=data["held_date"],
            social_worker_present=bool(yes_no_value(data["social_worker_present"])),
            manager_present=bool(yes_no_value(data["manager_present"])),
            summary=data["summary"],
            chair=data.get("chair"),
            by=request.user,
        ),
        lambda _: (f"Midway review recorded for child {plan.child.local_id}", reverse("midway_list")),
        child=plan.child,
        plan=plan,
        midway=svc.midway_for_plan(plan, _today()),
        heading="Record a midway review",
        button="Save the midway review",
    )


@guard(*QA_WORKERS)
def midway_assign(request: HttpRequest, plan_pk: int) -> HttpResponse:
    plan = _plan(request, plan_pk)
    return _form_page(
        request,
        f.AssignMidwayForm(request.POST or None),
        lambda data: svc.do_assign_midway_review(
            plan=plan, chair=data["chair"], on=_today(), by=request.user
        ),
        lambda review: (
            f"Midway review due {in_words(review.due_date)} assigned to {review.chair.name}",
            reverse("midway_list"),
        ),
        child=plan.child,
        plan=plan,
        midway=svc.midway_for_plan(plan, _today()),
        heading="Assign the midway review to a chair",
        button="Assign",
    )


# --- Social work report feedback --------------------------------------------------------------


@guard(*REPORT_READERS)
def report_feedback(request: HttpRequest) -> HttpResponse:
    year = _year_param(request)
    summary = sel.report_feedback_summary(request.user, year)
    log_access(request, "report", "report_feedback", "", year.label)
    waiting = []
    if request.user.role in QA_WORKERS:
        waiting = list(sel.conferences_to_grade(request.user, since=year.start)[:50])
    return render(
        request,
        "oversight/report_feedback.html",
        {
            "year": year,
            "rows": summary.to_dicts(),
            "waiting": waiting,
            "grades": codes.REPORT_GRADE,
        },
    )


@guard(*QA_WORKERS)
def report_feedback_grade(request: HttpRequest, subject_pk: int) -> HttpResponse:
    subject = get_object_or_404(
        m.ConferenceSubject.objects.select_related("conference", "child"), pk=subject_pk
    )
    access_child(request, subject.child_id)
    detail = getattr(subject, "report_feedback_detail", None)
    conference = subject.conference
    form = f.ReportFeedbackForm(
        request.POST or None,
        initial={
            "grade": subject.report_grade,
            "feedback": subject.report_feedback,
            "shared_with_family_date": detail.shared_with_family_date if detail else None,
        },
    )

    def done(saved: m.ConferenceSubject) -> tuple[str, str]:
        in_time = "shared in time" if saved.report_shared_in_time else "not shared in time"
        grade = codes.label(codes.REPORT_GRADE, saved.report_grade)
        return f"Report graded {grade}; {in_time}", reverse("report_feedback")

    return _form_page(
        request,
        form,
        lambda data: svc.do_record_report_feedback(
            subject=subject,
            grade=data["grade"],
            shared_with_family_date=data["shared_with_family_date"],
            feedback=data["feedback"],
            by=request.user,
        ),
        done,
        child=subject.child,
        conference=conference,
        shared_days=rules.report_shared_working_days(conference.conference_type, authority_config(None)),
        heading="Grade the social work report",
        button="Save the grade",
    )


# --- The chair's footprint --------------------------------------------------------------------


@guard(*REPORT_READERS)
def footprint(request: HttpRequest) -> HttpResponse:
    year = _year_param(request)
    rows = sel.footprint_summary(request.user, year)
    log_access(request, "report", "footprint", "", year.label)
    return render(
        request,
        "oversight/footprint.html",
        {
            "year": year,
            "rows": rows,
            "teams": sel.linked_chairs(request.user),
        },
    )
