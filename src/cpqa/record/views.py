"""The child's record and the family view: reads only, each child loaded through
`access_child` / `access_family`, which check the user's right and log the read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cpqa.accounts.access import CHILD_ROLES, access_child, access_family, role_required
from cpqa.accounts.models import Role
from cpqa.conferences.forms import save_form
from cpqa.conferences.views import BOOKERS, READERS
from cpqa.domain.calendar import completed_years
from cpqa.record import forms as f
from cpqa.record import models as m
from cpqa.record import services as svc
from cpqa.record import timeline


def _age(child: m.Child, today: dt.date) -> str:
    if child.is_unborn(today):
        expected = child.expected_date_of_birth
        return f"Unborn (expected {expected:%d/%m/%Y})" if expected else "Unborn"
    return str(completed_years(child.date_of_birth, today))


@role_required(*CHILD_ROLES)
def child_detail(request: HttpRequest, pk: int) -> HttpResponse:
    child = access_child(request, pk)
    today = timezone.localdate()
    role = request.user.role
    return render(
        request,
        "record/child_detail.html",
        {
            "child": child,
            "age": _age(child, today),
            "status": timeline.current_status(child),
            "due": timeline.due_next(child, today),
            "events": timeline.child_timeline(child),
            "periods": timeline.plan_periods(child, today),
            "may_book": role in BOOKERS,
            "may_open_conferences": role in READERS,
            "is_manager": role == Role.SOCIAL_WORK_MANAGER,
        },
    )


@role_required(*CHILD_ROLES)
def family_detail(request: HttpRequest, pk: int) -> HttpResponse:
    family, children = access_family(request, pk)
    today = timezone.localdate()
    rows = [
        {
            "child": child,
            "age": _age(child, today),
            "status": timeline.current_status(child),
            "plan": svc.open_plan_of(child),
            "due": timeline.due_next(child, today)[:1],
        }
        for child in children
    ]
    return render(
        request,
        "record/family_detail.html",
        {
            "family": family,
            "rows": rows,
            "members": family.members.order_by("name"),
        },
    )


def _child_form_page(
    request: HttpRequest,
    pk: int,
    *,
    heading: str,
    form: Callable[[m.Child, Any], forms.Form],
    save: Callable[[m.Child, forms.Form], Any],
    done: str,
) -> HttpResponse:
    """One form about one child: saved, back to the record with `done`; else the form again."""
    child = access_child(request, pk)
    bound = form(child, request.POST or None)
    if save_form(bound, request, lambda data: save(child, bound)) is not None:
        messages.success(request, done)
        return redirect("child_detail", pk=child.pk)
    return render(request, "record/form.html", {"child": child, "form": bound, "heading": heading})


@role_required(*BOOKERS)
def record_strategy_discussion(request: HttpRequest, pk: int) -> HttpResponse:
    return _child_form_page(
        request,
        pk,
        heading="Record a strategy discussion",
        form=lambda child, data: f.StrategyDiscussionForm(
            data, needs_referral=not child.referrals.filter(closure_date__isnull=True).exists()
        ),
        save=lambda child, form: svc.do_record_strategy_discussion_for_child(
            child=child, by=request.user, **form.service_arguments()
        ),
        done="Strategy discussion recorded",
    )


@role_required(*BOOKERS)
def record_transfer_in_notification(request: HttpRequest, pk: int) -> HttpResponse:
    return _child_form_page(
        request,
        pk,
        heading="Record a transfer-in notification",
        form=lambda child, data: f.TransferInNotificationForm(data),
        save=lambda child, form: svc.do_record_transfer_in_notification(
            child=child, by=request.user, **form.cleaned_data
        ),
        done="Transfer-in notification recorded",
    )
