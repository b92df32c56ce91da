"""The QA pages. ACCESS is what each role should get (the URL-by-role test); NAVIGATION the header item."""

from django.urls import path

from cpqa.accounts.access import Sample, expect
from cpqa.accounts.roles import (
    ALL_ROLES,
    CHILD_ROLES,
    QA_MANAGER_ONLY,
    QA_WORKERS,
    REASON_KEEPERS,
    REPORT_READERS,
)
from cpqa.oversight import views
from cpqa.ui.navigation import NavItem

urlpatterns = [
    path("", views.overview, name="oversight"),
    path("escalations/", views.escalation_list, name="escalation_list"),
    path("escalations/raise/<int:child_pk>/", views.escalation_raise, name="escalation_raise"),
    path("escalations/<int:pk>/", views.escalation_detail, name="escalation_detail"),
    path("escalations/<int:pk>/response/", views.escalation_response, name="escalation_response"),
    path("escalations/<int:pk>/outcome/", views.escalation_outcome, name="escalation_outcome"),
    path("escalation-reasons/", views.escalation_reasons, name="escalation_reasons"),
    path(
        "escalation-reasons/<slug:code>/offered/",
        views.escalation_reason_active,
        name="escalation_reason_active",
    ),
    path("notes/new/<int:child_pk>/", views.concern_note_new, name="concern_note_new"),
    path("children/<int:child_pk>/footprint/", views.child_footprint, name="child_footprint"),
    path("repeat-plans/", views.repeat_plans, name="repeat_plans"),
    path("repeat-plans/<int:plan_pk>/review/", views.repeat_plan_review, name="repeat_plan_review"),
    path("long-plans/", views.long_plans, name="long_plans"),
    path("long-plans/<int:plan_pk>/decision/", views.panel_decision, name="panel_decision"),
    path("midway-reviews/", views.midway_list, name="midway_list"),
    path("midway-reviews/<int:plan_pk>/record/", views.midway_record, name="midway_record"),
    path("midway-reviews/<int:plan_pk>/assign/", views.midway_assign, name="midway_assign"),
    path("report-feedback/", views.report_feedback, name="report_feedback"),
    path("report-feedback/<int:subject_pk>/", views.report_feedback_grade, name="report_feedback_grade"),
    path("footprint/", views.footprint, name="footprint"),
]

_child = {"child_pk": Sample("child")}
_plan = {"plan_pk": Sample("plan")}
_escalation = {"pk": Sample("escalation")}
ACCESS = {
    "oversight": expect(ALL_ROLES),
    "escalation_list": expect(CHILD_ROLES),
    "escalation_raise": expect(QA_WORKERS, _child),
    # The sample escalation is about the sample child, in the social work manager's team.
    "escalation_detail": expect(CHILD_ROLES, _escalation),
    "escalation_response": expect(QA_WORKERS, _escalation),
    "escalation_outcome": expect(QA_WORKERS, _escalation),
    "escalation_reasons": expect(REASON_KEEPERS),
    "escalation_reason_active": expect(REASON_KEEPERS, {"code": "other"}, method="post"),
    "concern_note_new": expect(QA_WORKERS, _child),
    "child_footprint": expect(CHILD_ROLES, _child),
    "repeat_plans": expect(CHILD_ROLES),
    "repeat_plan_review": expect(QA_MANAGER_ONLY, _plan),
    "long_plans": expect(CHILD_ROLES),
    "panel_decision": expect(QA_MANAGER_ONLY, _plan),
    "midway_list": expect(CHILD_ROLES),
    "midway_record": expect(QA_WORKERS, _plan),
    "midway_assign": expect(QA_WORKERS, _plan),
    "report_feedback": expect(REPORT_READERS),
    "report_feedback_grade": expect(QA_WORKERS, {"subject_pk": Sample("subject")}),
    "footprint": expect(REPORT_READERS),
}

NAVIGATION = [
    NavItem("Quality assurance", "oversight", frozenset(ALL_ROLES)),
]
