"""Each quality-assurance workflow once in a real browser by the role that does it, and once
refused to a role that may not (issue 6). Every page is screenshot and checked with axe-core.

The service treats Tuesday 12 March 2024 as today throughout.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Locator, Page, expect

from cpqa.accounts.models import Role, User
from cpqa.record import models as m
from tests.browser.helpers import Steps, fill_date
from tests.oversight import conftest as oversight
from tests.oversight.conftest import World, conference, plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

D = dt.date
TODAY = "2024-03-12"

# The QA tests' small fake service (two teams, chairs A and B, a user per role, a family of two
# children: QA0001 and QA0002), as this module's `world` fixture.
world = oversight.world


@pytest.fixture(autouse=True)
def service_day(settings: Any) -> None:
    settings.CPQA_TODAY = TODAY


def initial_conference(world: World, its_plan: m.Plan) -> m.ConferenceSubject:
    """The initial conference, chaired by chair A, at which `its_plan` started."""
    return conference(
        "initial", its_plan.start_date, world.chair_a, [(its_plan.child, its_plan)]
    ).subjects.get()


def open_workflow(steps: Steps, link: str) -> None:
    """From Today, through the header's Quality assurance page, to the workflow's list."""
    steps.visit("/")
    steps.page.get_by_role("link", name="Quality assurance", exact=True).click()
    steps.page.get_by_role("link", name=link).click()


def child_row(steps: Steps, user: User, link: str) -> Locator:
    """`user` opens the workflow's list; the row of the world's first child (QA0001) in it."""
    steps.become(user)
    open_workflow(steps, link)
    return steps.page.get_by_role("row", name=re.compile("QA0001"))


def test_a_chair_raises_a_stage_1_escalation_and_the_qa_manager_sees_it(
    page: Page, steps: Steps, world: World
) -> None:
    kid = world.sibling_1
    steps.refused_to(
        world.users[Role.BUSINESS_SUPPORT], reverse("escalation_raise", kwargs={"child_pk": kid.pk})
    )

    steps.become(world.users[Role.CHAIR])
    steps.visit(reverse("child_footprint", kwargs={"child_pk": kid.pk}))
    page.get_by_role("link", name="Raise an escalation").click()
    page.get_by_role("group", name="Stage").get_by_label(re.compile("^Stage 1")).check()
    page.get_by_label("Plan not progressed").check()
    page.get_by_label("Who must respond").fill("Service manager (test)")
    page.get_by_label("The concern and what needs to happen").fill("No core group for six weeks (test).")
    steps.check("raise-escalation")
    steps.submit("Raise the escalation")
    # Raised Tuesday 12 March 2024; stage 1 answers in 5 working days: 13, 14, 15, 18, 19 March.
    expect(steps.success_banner()).to_contain_text("Escalation raised at stage 1: response due 19 March 2024")
    steps.check("escalation-raised")

    steps.become(world.users[Role.QA_MANAGER])
    open_workflow(steps, "Escalations")
    row = page.get_by_role("table", name="Escalations").get_by_role("row", name=re.compile("QA0001"))
    expect(row).to_contain_text("12 March 2024 by Chair Atest")
    expect(row).to_contain_text("Plan not progressed")
    expect(row).to_contain_text("response due 19 March 2024")
    steps.check("qa-manager-escalations")


def test_the_qa_manager_records_a_repeat_plan_finding(page: Page, steps: Steps, world: World) -> None:
    kid = world.sibling_1
    plan(kid, D(2021, 2, 1), D(2021, 9, 1))
    second = plan(kid, D(2024, 3, 6))
    steps.refused_to(world.users[Role.CHAIR], reverse("repeat_plan_review", kwargs={"plan_pk": second.pk}))

    row = child_row(steps, world.users[Role.QA_MANAGER], "Second or subsequent plans: monthly review list")
    expect(row).to_contain_text("1 Feb 2021 to 1 Sep 2021")
    steps.check("repeat-plans")
    row.get_by_role("link", name="Record the finding for QA0001").click()
    page.get_by_label("Previous CP plan ended appropriately").check()
    page.get_by_label("Themes (optional)").fill("New concerns after a move (test).")
    steps.check("repeat-plan-finding")
    steps.submit("Save the review")
    expect(steps.success_banner()).to_contain_text("Review recorded for child QA0001")
    # One child of one family reviewed in 2023-24, with this finding.
    findings = page.get_by_role("table", name="Findings of the reviews in 2023-24")
    expect(findings.get_by_role("row", name=re.compile("ended appropriately"))).to_have_text(
        re.compile(r"ended appropriately\s*1\s*1")
    )
    steps.check("repeat-plan-recorded")


def test_the_qa_manager_records_the_long_plan_panels_decision(page: Page, steps: Steps, world: World) -> None:
    kid = world.sibling_1
    long_plan = plan(kid, D(2022, 3, 1))
    steps.refused_to(world.users[Role.CHAIR], reverse("panel_decision", kwargs={"plan_pk": long_plan.pk}))

    row = child_row(steps, world.users[Role.QA_MANAGER], "Long plans: the monthly panel")
    # 1 March 2022 to 12 March 2024: 365 (to 1 March 2023) + 366 (to 1 March 2024, a leap year) + 11.
    expect(row).to_contain_text("742")
    expect(row).to_contain_text("2 years or more")
    steps.check("long-plans")
    row.get_by_role("link", name="Record a decision for QA0001").click()
    page.get_by_label("The panel's decision").fill("Legal planning meeting to be held (test).")
    steps.check("panel-decision")
    steps.submit("Save the decision")
    expect(steps.success_banner()).to_contain_text("Panel decision recorded for child QA0001")
    expect(page.get_by_role("row", name=re.compile("QA0001"))).to_contain_text(
        "12 Mar 2024: Legal planning meeting to be held (test)."
    )
    steps.check("panel-decision-recorded")


def test_a_chair_records_a_midway_review(page: Page, steps: Steps, world: World) -> None:
    kid = world.sibling_1
    its_plan = plan(kid, D(2024, 1, 10))
    initial_conference(world, its_plan)
    steps.refused_to(
        world.users[Role.BUSINESS_SUPPORT], reverse("midway_record", kwargs={"plan_pk": its_plan.pk})
    )

    steps.become(world.users[Role.CHAIR])
    steps.visit("/")
    # Conference 10 January 2024, review due 3 months on, 10 April: 91 days, half of it (rounded
    # down) 45 days, so the midway review was due Saturday 24 February and is overdue.
    due = page.get_by_role("table", name="My midway reviews due").get_by_role(
        "row", name=re.compile("QA0001")
    )
    expect(due).to_contain_text("24 February 2024")
    expect(due).to_contain_text("Overdue")
    steps.check("chair-today")
    open_workflow(steps, "Midway reviews")
    page.get_by_role("link", name="Record the midway review for QA0001").click()
    fill_date(page, "Date held", D(2024, 3, 11))
    page.get_by_role("group", name="Was the social worker there?").get_by_label("Yes").check()
    page.get_by_role("group", name="Was their manager there?").get_by_label("No").check()
    page.get_by_label("Progress with the plan and changes it needs").fill("Plan progressing (test).")
    steps.check("midway-review")
    steps.submit("Save the midway review")
    expect(steps.success_banner()).to_contain_text("Midway review recorded for child QA0001")
    expect(page.get_by_role("row", name=re.compile("QA0001"))).to_contain_text("Held 11 Mar 2024")
    steps.check("midway-recorded")


def test_a_chair_grades_a_social_work_report(page: Page, steps: Steps, world: World) -> None:
    kid = world.sibling_1
    subject = initial_conference(world, plan(kid, D(2024, 3, 8)))
    steps.refused_to(
        world.users[Role.ANALYST], reverse("report_feedback_grade", kwargs={"subject_pk": subject.pk})
    )

    steps.become(world.users[Role.CHAIR])
    open_workflow(steps, "Social work report feedback by team and month")
    page.get_by_role("link", name=re.compile("QA0001")).click()
    page.get_by_label("Good", exact=True).check()
    fill_date(page, "Date the family had the report", D(2024, 3, 4))
    page.get_by_label("Feedback to the social worker").fill("Clear analysis of risk (test).")
    steps.check("grade-report")
    steps.submit("Save the grade")
    # Shared Monday 4 March for a conference on Friday 8 March: 4 working days, at least the 3
    # an initial conference needs.
    expect(steps.success_banner()).to_contain_text("Report graded Good; shared in time")
    summary = page.get_by_role("table", name=re.compile("^Reports graded by the chair"))
    expect(summary.get_by_role("row", name=re.compile("Team Alpha"))).to_contain_text("2024-03")
    steps.check("report-graded")
