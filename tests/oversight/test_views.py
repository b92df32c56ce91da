"""Each QA workflow done by hand through its pages, by the right role; refusals shown on the form."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cpqa.accounts.models import AccessEvent, Role, User
from cpqa.oversight import models as qa
from cpqa.oversight import services

from .conftest import World, conference, plan

D = dt.date


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def date_fields(name: str, day: dt.date) -> dict[str, str]:
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


def test_a_chair_raises_an_escalation_for_two_siblings_and_resolves_it(world: World) -> None:
    chair = signed_in(world.users[Role.CHAIR])
    form = {
        "children": [str(world.sibling_1.pk), str(world.sibling_2.pk)],
        "stage": "1",
        **date_fields("raised_date", D(2018, 3, 23)),
        "reasons": ["plan_not_progressed"],
        "owner": "Service manager (test)",
        "concern": "No core group for 6 weeks (test).",
    }
    response = chair.post(reverse("escalation_raise", kwargs={"child_pk": world.sibling_1.pk}), form)
    escalation = qa.Escalation.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "escalation_detail", kwargs={"pk": escalation.pk}
    )
    assert set(escalation.children.all()) == {world.sibling_1, world.sibling_2}
    page = chair.get(response.url)
    # Fri 23 March 2018 + 5 working days over Easter: Tue 3 April.
    assert "3 April 2018" in page.content.decode()
    response = chair.post(
        reverse("escalation_outcome", kwargs={"pk": escalation.pk}),
        {"outcome": "resolved", **date_fields("outcome_date", D(2018, 4, 4))},
    )
    assert response.status_code == 302
    escalation.refresh_from_db()
    assert (escalation.resolved_stage, escalation.resolved_date) == (1, D(2018, 4, 4))


def test_escalating_without_a_reason_is_shown_on_the_form(world: World) -> None:
    escalation = services.do_raise_escalation(
        raised_date=D(2018, 3, 23),
        stage=1,
        reasons=["other"],
        owner="SM (test)",
        by=world.users[Role.CHAIR],
        children=[world.sibling_1],
    )
    page = signed_in(world.users[Role.QA_MANAGER]).post(
        reverse("escalation_outcome", kwargs={"pk": escalation.pk}),
        {"outcome": "escalated", **date_fields("outcome_date", D(2018, 4, 4)), "owner": "Head (test)"},
    )
    assert page.status_code == 200
    assert "Choose why it goes to the next stage" in page.content.decode()
    assert escalation.stages.count() == 1


def test_a_social_work_manager_cannot_open_another_teams_escalation(world: World) -> None:
    escalation = services.do_raise_escalation(
        raised_date=D(2018, 3, 23),
        stage=1,
        reasons=["other"],
        owner="SM (test)",
        by=world.users[Role.CHAIR],
        children=[world.beta_child],
    )
    manager = signed_in(world.users[Role.SOCIAL_WORK_MANAGER])
    assert manager.get(reverse("escalation_detail", kwargs={"pk": escalation.pk})).status_code == 404
    assert AccessEvent.objects.filter(action="denied", object_type="escalation").count() == 1
    assert "Escalation " not in manager.get(reverse("escalation_list")).content.decode().split("<h1")[1]


def test_the_qa_manager_reviews_a_second_plan_from_the_monthly_list(world: World) -> None:
    plan(world.sibling_1, D(2016, 2, 1), D(2016, 9, 1))
    second = plan(world.sibling_1, D(2018, 1, 15))
    qa_manager = signed_in(world.users[Role.QA_MANAGER])
    listing = qa_manager.get(reverse("repeat_plans"), {"month": "2018-01"}).content.decode()
    assert "QA0001" in listing and "1 Feb 2016 to 1 Sep 2016" in listing
    response = qa_manager.post(
        reverse("repeat_plan_review", kwargs={"plan_pk": second.pk}),
        {"finding": "step_down_not_robust", **date_fields("reviewed_date", D(2018, 2, 5)), "themes": ""},
    )
    assert response.status_code == 302 and response.url.endswith("?month=2018-01")
    assert second.repeat_review.finding == "step_down_not_robust"


def test_the_panel_decision_through_its_page(world: World) -> None:
    long_plan = plan(world.sibling_2, D(2016, 3, 31))
    qa_manager = signed_in(world.users[Role.QA_MANAGER])
    listing = qa_manager.get(reverse("long_plans"), {"on": "2018-03-31"}).content.decode()
    assert "2 years or more" in listing and "730" in listing
    response = qa_manager.post(
        reverse("panel_decision", kwargs={"plan_pk": long_plan.pk}),
        {**date_fields("panel_date", D(2018, 3, 28)), "decision": "Pre-proceedings (test).", "actions": ""},
    )
    assert response.status_code == 302
    assert long_plan.panel_reviews.get().band == "18_to_24_months"  # 727 days on 28 March 2018


def test_a_chair_records_a_midway_review(world: World) -> None:
    sibling_plan = plan(world.sibling_1, D(2018, 1, 10))
    conference("initial", D(2018, 1, 10), world.chair_a, [(world.sibling_1, sibling_plan)])
    chair = signed_in(world.users[Role.CHAIR])
    listing = chair.get(reverse("midway_list"), {"on": "2018-03-01", "mine": "1"}).content.decode()
    assert "24 Feb 2018" in listing and "Overdue" in listing
    response = chair.post(
        reverse("midway_record", kwargs={"plan_pk": sibling_plan.pk}),
        {
            **date_fields("held_date", D(2018, 2, 26)),
            "social_worker_present": "yes",
            "manager_present": "no",
            "summary": "Progressing (test).",
        },
    )
    assert response.status_code == 302
    review = qa.MidwayReview.objects.get()
    assert (review.due_date, review.chair, review.social_worker_present, review.manager_present) == (
        D(2018, 2, 24),
        world.chair_a,
        True,
        False,
    )
    footprint = chair.get(
        reverse("child_footprint", kwargs={"child_pk": world.sibling_1.pk})
    ).content.decode()
    assert "Midway review" in footprint and "With the social worker" in footprint


def test_a_chair_grades_a_report_and_the_analyst_sees_only_the_counts(world: World) -> None:
    sibling_plan = plan(world.sibling_1, D(2018, 3, 15))
    meeting = conference("initial", D(2018, 3, 15), world.chair_a, [(world.sibling_1, sibling_plan)])
    subject = meeting.subjects.get()
    chair = signed_in(world.users[Role.CHAIR])
    response = chair.post(
        reverse("report_feedback_grade", kwargs={"subject_pk": subject.pk}),
        {
            "grade": "outstanding",
            **date_fields("shared_with_family_date", D(2018, 3, 13)),
            "feedback": "Good (test).",
        },
    )
    assert response.status_code == 302
    subject.refresh_from_db()
    # Tue 13 March leaves Wed and Thu: 2 working days, short of the 3 an ICPC needs.
    assert (subject.report_grade, subject.report_shared_in_time) == ("outstanding", False)
    analyst = signed_in(world.users[Role.ANALYST])
    page = analyst.get(reverse("report_feedback"), {"year": "2017-18"}).content.decode()
    assert "Team Alpha (test)" in page and "2018-03" in page
    assert "QA0001" not in page
    assert analyst.get(reverse("report_feedback_grade", kwargs={"subject_pk": subject.pk})).status_code == 403


def test_notes_and_reasons_pages(world: World) -> None:
    chair = signed_in(world.users[Role.CHAIR])
    response = chair.post(
        reverse("concern_note_new", kwargs={"child_pk": world.sibling_2.pk}),
        {
            "kind": "chair_case_of_concern",
            "about_family": "on",
            **date_fields("recorded_date", D(2018, 2, 1)),
            "note": "Family not engaging (test).",
        },
    )
    assert response.status_code == 302
    note = qa.ConcernNote.objects.get()
    assert (note.child, note.family) == (None, world.family)
    assert (
        "(about the family)"
        in chair.get(reverse("child_footprint", kwargs={"child_pk": world.sibling_1.pk})).content.decode()
    )
    admin = signed_in(world.users[Role.ADMINISTRATOR])
    admin.post(reverse("escalation_reason_active", kwargs={"code": "other"}), {"active": "no"})
    assert qa.EscalationReason.objects.get(code="other").active is False
    page = admin.post(reverse("escalation_reasons"), {"code": "other", "label": "Again"}).content.decode()
    assert "already a reason with code" in page
    footprint = (
        signed_in(world.users[Role.ANALYST]).get(reverse("footprint"), {"year": "2017-18"}).content.decode()
    )
    assert "Chair Atest" in footprint and "Team Alpha (test)" in footprint
