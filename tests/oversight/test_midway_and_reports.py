"""Midway reviews and the chair's feedback on social work reports, through the services, with
dates worked out by hand; and what each role sees of them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cpqa.accounts.models import Role
from cpqa.domain.calendar import ReportingYear
from cpqa.oversight import models as qa
from cpqa.oversight import selectors, services, tables
from cpqa.record.errors import RecordError

from .conftest import World, conference, plan

D = dt.date


@pytest.fixture
def midway_world(world: World) -> World:
    """Sibling 1: ICPC 2018-01-10 (chair A) -> first review due 2018-04-10, midway 2018-02-24.
    Beta child: ICPC 2017-10-16 (chair A), review 2018-01-16 (chair B) -> next review due
    2018-07-16 (181 days), midway 2018-01-16 + 90 days = 2018-04-16."""
    first = plan(world.sibling_1, D(2018, 1, 10))
    conference("initial", D(2018, 1, 10), world.chair_a, [(world.sibling_1, first)])
    beta = plan(world.beta_child, D(2017, 10, 16))
    conference("initial", D(2017, 10, 16), world.chair_a, [(world.beta_child, beta)])
    conference("review", D(2018, 1, 16), world.chair_b, [(world.beta_child, beta)])
    return world


def test_midway_list_on_1_march_2018(midway_world: World) -> None:
    items = selectors.midway_review_list(midway_world.users[Role.QA_MANAGER], D(2018, 3, 1))
    assert [(i.plan.child.local_id, i.previous_conference, i.due_date, i.chair, i.status) for i in items] == [
        ("QA0001", D(2018, 1, 10), D(2018, 2, 24), midway_world.chair_a, "overdue"),
        ("QA0003", D(2018, 1, 16), D(2018, 4, 16), midway_world.chair_b, "on_track"),
    ]


def test_overdue_midway_reviews_for_today_by_role(midway_world: World) -> None:
    on = D(2018, 3, 1)
    users = midway_world.users
    assert [i.plan.child.local_id for i in selectors.overdue_midway_reviews(users[Role.QA_MANAGER], on)] == [
        "QA0001"
    ]
    assert [i.plan.child.local_id for i in selectors.overdue_midway_reviews(users[Role.CHAIR], on)] == [
        "QA0001"
    ]
    assert selectors.overdue_midway_reviews(users["chair_b"], on) == []
    assert len(selectors.overdue_midway_reviews(users[Role.SOCIAL_WORK_MANAGER], on)) == 1
    assert selectors.overdue_midway_reviews(users[Role.ANALYST], on) == []


def test_recording_a_midway_review_clears_it_and_a_second_in_the_interval_is_refused(
    midway_world: World,
) -> None:
    sibling_plan = midway_world.sibling_1.plans.get()
    chair = midway_world.users[Role.CHAIR]
    review = services.do_record_midway_review(
        plan=sibling_plan,
        held_date=D(2018, 2, 26),
        social_worker_present=True,
        manager_present=True,
        summary="Plan progressing; core group to add school nurse (test).",
        by=chair,
    )
    assert (review.due_date, review.held_date, review.chair) == (
        D(2018, 2, 24),
        D(2018, 2, 26),
        midway_world.chair_a,
    )
    assert selectors.overdue_midway_reviews(chair, D(2018, 3, 1)) == []
    assert selectors.midway_review_list(chair, D(2018, 3, 1))[0].status == "held"
    with pytest.raises(RecordError, match="already held on 26 February 2018"):
        services.do_record_midway_review(
            plan=sibling_plan,
            held_date=D(2018, 3, 2),
            social_worker_present=True,
            manager_present=False,
            summary="Again (test).",
            by=chair,
        )
    table = tables.oversight_tables()["midway_reviews"]
    assert table.select("plan_id", "child_id", "due_date", "held_date", "chair_id").rows() == [
        (str(sibling_plan.pk), "QA0001", D(2018, 2, 24), D(2018, 2, 26), str(midway_world.chair_a.pk))
    ]


def test_assigning_to_another_chair_then_recording_fills_the_assignment(midway_world: World) -> None:
    beta_plan = midway_world.beta_child.plans.get()
    qa_manager = midway_world.users[Role.QA_MANAGER]
    assigned = services.do_assign_midway_review(
        plan=beta_plan, chair=midway_world.chair_a, on=D(2018, 3, 1), by=qa_manager
    )
    assert (assigned.due_date, assigned.held_date) == (D(2018, 4, 16), None)
    overdue_for_a = selectors.overdue_midway_reviews(midway_world.users[Role.CHAIR], D(2018, 4, 17))
    assert [i.plan.child.local_id for i in overdue_for_a] == ["QA0001", "QA0003"]
    with pytest.raises(ValidationError) as refused:
        services.do_record_midway_review(
            plan=beta_plan,
            held_date=D(2018, 4, 18),
            social_worker_present=True,
            manager_present=True,
            summary="Held (test).",
            by=qa_manager,
        )
    assert "chair" in refused.value.message_dict
    held = services.do_record_midway_review(
        plan=beta_plan,
        held_date=D(2018, 4, 18),
        social_worker_present=True,
        manager_present=False,
        summary="Held (test).",
        by=qa_manager,
        chair=midway_world.chair_a,
    )
    assert held.pk == assigned.pk
    assert qa.MidwayReview.objects.count() == 1


def test_midway_refusals(midway_world: World) -> None:
    sibling_plan = midway_world.sibling_1.plans.get()
    chair = midway_world.users[Role.CHAIR]
    arguments = {"plan": sibling_plan, "social_worker_present": True, "manager_present": True, "summary": "x"}
    with pytest.raises(ValidationError, match="future"):
        services.do_record_midway_review(held_date=D(2099, 1, 1), by=chair, **arguments)
    with pytest.raises(RecordError, match="not open"):
        services.do_record_midway_review(held_date=D(2018, 1, 9), by=chair, **arguments)
    with pytest.raises(PermissionDenied):
        services.do_record_midway_review(
            held_date=D(2018, 2, 26), by=midway_world.users[Role.BUSINESS_SUPPORT], **arguments
        )
    with pytest.raises(ValidationError, match="not a child protection chair"):
        services.do_assign_midway_review(
            plan=sibling_plan,
            chair=midway_world.qa_staff,
            on=D(2018, 2, 1),
            by=midway_world.users[Role.QA_MANAGER],
        )
    assert qa.MidwayReview.objects.count() == 0


@pytest.fixture
def graded_world(world: World) -> World:
    """ICPC Thu 2018-03-15 for sibling 1 (Alpha); review Tue 2018-04-03 for the Beta child."""
    sibling_plan = plan(world.sibling_1, D(2018, 3, 15))
    conference("initial", D(2018, 3, 15), world.chair_a, [(world.sibling_1, sibling_plan)])
    beta = plan(world.beta_child, D(2017, 12, 1))
    conference("review", D(2018, 4, 3), world.chair_a, [(world.beta_child, beta)])
    conference("review", None, world.chair_a, [(world.sibling_2, None)])
    return world


def test_report_shared_three_working_days_before_an_icpc_is_in_time(graded_world: World) -> None:
    """Shared Mon 12 March for Thu 15 March: Tue, Wed, Thu = 3 working days."""
    subject = graded_world.sibling_1.conference_subjects.get()
    services.do_record_report_feedback(
        subject=subject,
        grade="good",
        shared_with_family_date=D(2018, 3, 12),
        feedback="Clear analysis of risk (test).",
        by=graded_world.users[Role.CHAIR],
    )
    subject.refresh_from_db()
    assert (subject.report_grade, subject.report_shared_in_time) == ("good", True)
    assert subject.report_feedback_detail.shared_with_family_date == D(2018, 3, 12)
    assert subject.report_feedback_detail.graded_by == graded_world.chair_a


def test_review_report_four_working_days_before_across_easter_is_late(graded_world: World) -> None:
    """Shared Mon 26 March for Tue 3 April: 27, 28, 29 March and 3 April = 4 (Good Friday and
    Easter Monday are not working days), short of the 5 a review needs."""
    subject = graded_world.beta_child.conference_subjects.get()
    services.do_record_report_feedback(
        subject=subject,
        grade="requires_improvement",
        shared_with_family_date=D(2018, 3, 26),
        feedback="Plan not SMART (test).",
        by=graded_world.users[Role.QA_MANAGER],
    )
    subject.refresh_from_db()
    assert subject.report_shared_in_time is False


def test_report_feedback_refusals(graded_world: World) -> None:
    held = graded_world.sibling_1.conference_subjects.get()
    not_held = graded_world.sibling_2.conference_subjects.get()
    chair = graded_world.users[Role.CHAIR]
    with pytest.raises(RecordError, match="once the conference has been held"):
        services.do_record_report_feedback(
            subject=not_held, grade="good", shared_with_family_date=None, feedback="x", by=chair
        )
    with pytest.raises(ValidationError) as refused:
        services.do_record_report_feedback(
            subject=held, grade="excellent", shared_with_family_date=None, feedback="x", by=chair
        )
    assert "grade" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        services.do_record_report_feedback(
            subject=held,
            grade="good",
            shared_with_family_date=None,
            feedback="x",
            by=graded_world.users[Role.SOCIAL_WORK_MANAGER],
        )
    held.refresh_from_db()
    assert held.report_grade == ""


def test_feedback_reported_by_team_and_month(graded_world: World) -> None:
    """2017-18 holds the March ICPC (Alpha, good, in time); the April review is in 2018-19."""
    by = graded_world.users[Role.CHAIR]
    for kid, grade, shared in (
        (graded_world.sibling_1, "good", D(2018, 3, 12)),
        (graded_world.beta_child, "inadequate", None),
    ):
        services.do_record_report_feedback(
            subject=kid.conference_subjects.get(),
            grade=grade,
            shared_with_family_date=shared,
            feedback="Feedback (test).",
            by=by,
        )
    year = ReportingYear(2017)
    summary = selectors.report_feedback_summary(graded_world.users[Role.ANALYST], year)
    assert summary.select("team", "month", "graded", "good", "shared_in_time").rows() == [
        ("Team Alpha (test)", "2018-03", 1, 1, 1)
    ]
    next_year = selectors.report_feedback_summary(graded_world.users[Role.ANALYST], ReportingYear(2018))
    assert next_year.select("team", "month", "graded", "inadequate", "shared_in_time").rows() == [
        ("Team Beta (test)", "2018-04", 1, 1, 0)
    ]
    assert selectors.report_feedback_summary(
        graded_world.users[Role.SOCIAL_WORK_MANAGER], ReportingYear(2018)
    ).is_empty()


def test_conferences_waiting_for_the_chairs_grade(graded_world: World) -> None:
    chair = graded_world.users[Role.CHAIR]
    waiting = selectors.conferences_to_grade(chair, since=D(2018, 1, 1))
    assert [s.child.local_id for s in waiting] == ["QA0003", "QA0001"]
    assert list(selectors.conferences_to_grade(graded_world.users["chair_b"], since=D(2018, 1, 1))) == []
