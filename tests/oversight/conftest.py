"""A small, obviously fake service for the QA workflow tests: two teams, two chairs, a QA
manager, users of every role, and two families whose children are on plans."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from cpqa.accounts.models import Role, User
from cpqa.record import models as m

D = dt.date


@dataclass
class World:
    alpha: m.Team
    beta: m.Team
    chair_a: m.StaffMember
    chair_b: m.StaffMember
    qa_staff: m.StaffMember
    users: dict[str, User]
    family: m.Family
    sibling_1: m.Child
    sibling_2: m.Child
    other_family: m.Family
    beta_child: m.Child


def make_user(username: str, role: str, staff: m.StaffMember | None = None) -> User:
    user = User.objects.create_user(username, password="not-a-real-password-1", role=role)
    if staff is not None:
        staff.user = user
        staff.save()
    return user


def child(local_id: str, family: m.Family | None, team: m.Team, born: dt.date | None = None) -> m.Child:
    return m.Child.objects.create(
        local_id=local_id,
        family=family,
        first_name="Testchild",
        last_name=local_id.title(),
        date_of_birth=born or D(2012, 5, 1),
        team=team,
        sex="F",
        ethnicity="WBRI",
    )


def plan(
    kid: m.Child, start: dt.date, end: dt.date | None = None, previous_plans: int | None = None
) -> m.Plan:
    return m.Plan.objects.create(
        child=kid,
        start_date=start,
        end_date=end,
        end_reason="stepped_down_cin" if end else "",
        initial_categories="NEG",
        latest_categories="NEG",
        previous_plans=previous_plans,
    )


def conference(
    kind: str,
    held: dt.date | None,
    chair: m.StaffMember | None,
    subjects: list[tuple[m.Child, m.Plan | None]],
) -> m.Conference:
    meeting = m.Conference.objects.create(
        conference_type=kind, due_date=held, scheduled_date=held, held_date=held, chair=chair
    )
    for kid, its_plan in subjects:
        m.ConferenceSubject.objects.create(conference=meeting, child=kid, plan=its_plan)
    return meeting


@pytest.fixture
def world(db: None) -> World:
    alpha = m.Team.objects.create(name="Team Alpha (test)")
    beta = m.Team.objects.create(name="Team Beta (test)")
    chair_a = m.StaffMember.objects.create(name="Chair Atest", role="chair")
    chair_b = m.StaffMember.objects.create(name="Chair Btest", role="chair")
    qa_staff = m.StaffMember.objects.create(name="Manager Qatest", role="qa_manager")
    alpha.linked_chair = chair_a
    alpha.save()
    users = {
        Role.QA_MANAGER: make_user("qa-test", Role.QA_MANAGER, qa_staff),
        Role.CHAIR: make_user("chair-a-test", Role.CHAIR, chair_a),
        "chair_b": make_user("chair-b-test", Role.CHAIR, chair_b),
        Role.BUSINESS_SUPPORT: make_user("bs-test", Role.BUSINESS_SUPPORT),
        Role.SOCIAL_WORK_MANAGER: make_user("swm-test", Role.SOCIAL_WORK_MANAGER),
        Role.ANALYST: make_user("analyst-test", Role.ANALYST),
        Role.ADMINISTRATOR: make_user("admin-test", Role.ADMINISTRATOR),
    }
    users[Role.SOCIAL_WORK_MANAGER].teams.add(alpha)
    family = m.Family.objects.create(reference="FAM-QA-1", name="Testfamily one")
    other_family = m.Family.objects.create(reference="FAM-QA-2", name="Testfamily two")
    return World(
        alpha=alpha,
        beta=beta,
        chair_a=chair_a,
        chair_b=chair_b,
        qa_staff=qa_staff,
        users=users,
        family=family,
        sibling_1=child("QA0001", family, alpha),
        sibling_2=child("QA0002", family, alpha, D(2014, 7, 1)),
        other_family=other_family,
        beta_child=child("QA0003", other_family, beta),
    )
