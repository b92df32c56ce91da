"""The record's own forms about one child: the strategy discussion and the transfer-in
notification. Each child is loaded through `access_child`, which checks the user's right and
logs the read; the services in cpqa.record.services decide. (The child's record page itself is
the shell's, `cpqa.web.child_pages`: it brings the workflows' facts together.)"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from cpqa.accounts.access import role_required
from cpqa.accounts.roles import CONFERENCE_BOOKERS
from cpqa.record import forms as f
from cpqa.record import models as m
from cpqa.record import services as svc
from cpqa.record.access import access_child
from cpqa.ui.forms import save_form


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


@role_required(*CONFERENCE_BOOKERS)
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


@role_required(*CONFERENCE_BOOKERS)
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
