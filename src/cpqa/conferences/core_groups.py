"""Recording a core group meeting for a child's plan, and the page that does it.

The rule for when the next one is due is the domain's (`cpqa.domain.timescales.core_group_due`);
this module checks what was typed against the record and writes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from cpqa.accounts.access import role_required
from cpqa.accounts.models import User
from cpqa.accounts.roles import CONFERENCE_RUNNERS
from cpqa.conferences.models import CoreGroupMeeting
from cpqa.core.clock import service_today
from cpqa.core.config import authority_config
from cpqa.core.limits import NOTE_MOST
from cpqa.domain import codes, timescales
from cpqa.domain.calendar import in_words
from cpqa.record import models as m
from cpqa.record.access import access_child
from cpqa.record.services import field_error, note_change
from cpqa.ui.forms import GovukDateField, GovukForm, save_form

# The service's one limit for a note (cpqa.core.limits).
NOTES_MAX_LENGTH = NOTE_MOST


def latest_core_group(plan: m.Plan) -> dt.date | None:
    """The latest core group held since the plan started (recorded here or on the record)."""
    held = [
        day
        for day in [
            *plan.core_group_meetings.values_list("held_date", flat=True),
            *plan.core_groups.filter(held_date__isnull=False).values_list("held_date", flat=True),
        ]
        if day >= plan.start_date
    ]
    return max(held, default=None)


def next_core_group_due(plan: m.Plan) -> dt.date:
    config = authority_config()
    return timescales.core_group_due(
        plan.start_date, latest_core_group(plan), config.calendar, config.core_group_interval_weeks
    )


@transaction.atomic
def do_record_core_group(
    *, plan: m.Plan, held_date: dt.date, agencies: Iterable[str], notes: str, by: User, today: dt.date | None = None
) -> CoreGroupMeeting:
    """Record a core group held for `plan`: on or after the plan started, not after today."""
    today = today or service_today()
    if not plan.is_open_on(held_date) and plan.end_date is not None and held_date >= plan.end_date:
        raise field_error("held_date", f"The plan ended on {in_words(plan.end_date)}: enter a date before then")
    if held_date < plan.start_date:
        raise field_error(
            "held_date", f"The core group cannot be before the plan started on {in_words(plan.start_date)}"
        )
    if held_date > today:
        raise field_error("held_date", f"The core group cannot be after today, {in_words(today)}")
    chosen = sorted(set(agencies))
    unknown = [code for code in chosen if code not in codes.AGENCY]
    if unknown:
        raise field_error("agencies", "Select the agencies from the list")
    if not chosen:
        raise field_error("agencies", "Select the agencies who attended")
    meeting = CoreGroupMeeting.objects.create(
        plan=plan, held_date=held_date, agencies_attended=" ".join(chosen), notes=notes.strip(), recorded_by=by
    )
    note_change(by=by, action="record_core_group", obj=meeting, detail=held_date.isoformat())
    return meeting


class CoreGroupForm(GovukForm):
    held_date = GovukDateField(label="Date of the core group", help_text="For example, 27 3 2026")
    agencies = forms.MultipleChoiceField(
        label="Agencies who attended", choices=list(codes.AGENCY.items()), widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(
        label="Notes (optional)", required=False, max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=f"What was agreed, in up to {NOTES_MAX_LENGTH:,} characters",
    )


@role_required(*CONFERENCE_RUNNERS)
def record_core_group(request: HttpRequest, plan_pk: int) -> HttpResponse:
    plan = get_object_or_404(m.Plan.objects.select_related("child"), pk=plan_pk)
    child = access_child(request, plan.child_id)
    if plan.end_date is not None and plan.end_date <= service_today():
        raise Http404("This plan has ended.")
    form = CoreGroupForm(request.POST if request.method == "POST" else None)

    def save(data: dict[str, Any]) -> CoreGroupMeeting:
        return do_record_core_group(
            plan=plan, held_date=data["held_date"], agencies=data["agencies"], notes=data.get("notes") or "",
            by=request.user,
        )

    meeting = save_form(form, request, save)
    if meeting is not None:
        messages.success(
            request,
            f"Core group on {in_words(meeting.held_date)} recorded; the next is due {in_words(next_core_group_due(plan))}",
        )
        return redirect("child_detail", pk=child.pk)
    meetings = [
        {"held": in_words(meeting.held_date), "agencies": ", ".join(meeting.agency_labels)}
        for meeting in plan.core_group_meetings.order_by("-held_date")
    ]
    return render(
        request,
        "conferences/core_group.html",
        {"child": child, "plan": plan, "form": form, "due": in_words(next_core_group_due(plan)),
         "plan_start": in_words(plan.start_date), "meetings": meetings},
    )
