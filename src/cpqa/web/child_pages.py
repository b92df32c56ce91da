"""The child's record and the family view: reads only, each child loaded through
`access_child` / `access_family`, which check the user's right and log the read.

These pages belong to the shell because they bring together what every workflow knows of the
child: the record, its conferences and the QA entries on the child's file.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cpqa.accounts.access import role_required
from cpqa.accounts.models import Role
from cpqa.accounts.roles import (
    CHILD_ROLES,
    CONFERENCE_BOOKERS,
    CONFERENCE_READERS,
    CONFERENCE_RUNNERS,
    QA_WORKERS,
)
from cpqa.conferences.core_groups import next_core_group_due
from cpqa.core.clock import service_today
from cpqa.core.config import authority_config
from cpqa.domain.calendar import in_words
from cpqa.record import services as svc
from cpqa.record.access import access_child, access_family
from cpqa.web import access_log, timeline


@role_required(*CHILD_ROLES)
def child_detail(request: HttpRequest, pk: int) -> HttpResponse:
    child = access_child(request, pk)
    today = service_today()
    role = request.user.role
    plan = svc.open_plan_of(child)
    return render(
        request,
        "web/child_detail.html",
        {
            "plan": plan,
            "core_group_due": in_words(next_core_group_due(plan)) if plan is not None else None,
            "may_record_core_group": role in CONFERENCE_RUNNERS,
            "may_raise_escalation": role in QA_WORKERS,
            "child": child,
            "age": child.age_in_words(today),
            "status": timeline.current_status(child),
            "due": timeline.due_next(child, today, authority_config()),
            "events": timeline.child_timeline(child),
            "periods": timeline.plan_periods(child, today),
            "may_book": role in CONFERENCE_BOOKERS,
            "may_open_conferences": role in CONFERENCE_READERS,
            "is_manager": role == Role.SOCIAL_WORK_MANAGER,
            # The QA manager sees who has read this child's record (cpqa.web.access_log).
            "viewers": access_log.viewers_of(child.pk) if role == Role.QA_MANAGER else None,
        },
    )


@role_required(*CHILD_ROLES)
def family_detail(request: HttpRequest, pk: int) -> HttpResponse:
    family, children = access_family(request, pk)
    today = service_today()
    rows = [
        {
            "child": child,
            "age": child.age_in_words(today),
            "status": timeline.current_status(child),
            "plan": svc.open_plan_of(child),
            "due": timeline.due_next(child, today)[:1],
        }
        for child in children
    ]
    return render(
        request,
        "web/family_detail.html",
        {
            "family": family,
            "rows": rows,
            "members": family.members.order_by("name"),
        },
    )
