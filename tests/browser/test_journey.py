"""The initial conference journey in a real browser, by three people (issue 5, item 8; issue 10).

Business support book an initial conference from a section 47 enquiry; the chair records
attendance, the child's participation and a plan; the QA manager sees the enquiry leave the
"awaiting an initial conference" list and the annual report count one more initial conference
with a plan. Every page on the way is screenshot under test-artifacts/browser/ and checked
with axe-core for WCAG 2.2 AA. Issue 10 adds a teacher invited by name, the chair recording a
core group and raising an escalation from the child's page.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from cpqa.accounts.models import Role
from cpqa.record import models as m
from tests.browser.helpers import Steps, fill_date
from tests.conferences import builders as b
from tests.web.samples import ROLE_USERNAMES, make_users

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

D = dt.date
YEAR = "2023-24"


@pytest.fixture
def journey_child(db: None) -> m.Child:
    """Two obviously fake children: TEST-J1, whose enquiry is waiting for its initial conference,
    and TEST-J0, who became subject of a plan at an initial conference on 14 February 2024 (so
    the year 2023-24 already has one initial conference with a plan before the journey); a user
    of each role (tests/web/samples.py), the chair's linked to "Chair Fakeperson". Returns TEST-J1."""
    team = m.Team.objects.create(name="Team Journey (test)")
    chair = b.chair("Chair Fakeperson")
    make_users(team, chair)
    family = b.family("FAM-J-1")
    m.FamilyMember.objects.create(family=family, name="Parent Fakeperson", relationship="mother")
    child = b.child("TEST-J1", born=D(2012, 6, 1), of_family=family, team=team)
    b.enquiry(child, D(2024, 3, 4))

    earlier = b.child("TEST-J0", born=D(2015, 2, 1), team=team)
    conference = m.Conference.objects.create(
        conference_type="initial",
        due_date=D(2024, 2, 19),
        scheduled_date=D(2024, 2, 14),
        held_date=D(2024, 2, 14),
        chair=chair,
    )
    m.ConferenceSubject.objects.create(
        conference=conference,
        child=earlier,
        section47=b.enquiry(earlier, D(2024, 1, 29)),
        plan=b.plan(earlier, D(2024, 2, 14), "EMO"),
        outcome="plan",
    )
    return child


def annual_report_json(page: Page, steps: Steps, year: str) -> dict[str, Any]:
    """The annual report as the QA manager downloads it from the Reports page."""
    page.get_by_role("link", name="Reports", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Reports")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name=f"JSON (for Power BI and scripts) for {year}").click()
    path = steps.folder / f"annual-report-{year}-{len(steps.taken):02d}.json"
    download.value.save_as(path)
    return json.loads(path.read_text(encoding="utf-8"))


def initial_conferences(report: dict[str, Any]) -> tuple[dict[str, int], dict[str, int]]:
    """The year's totals and the March row of the initial conferences table."""
    table = report["tables"]["initial_conferences_by_month"]
    march = next(row for row in table["rows"] if row["month"] == "2024-03")
    return table["totals"], march


def awaiting_row(page: Page, local_id: str) -> Any:
    return page.get_by_role("table", name="Section 47 enquiries awaiting an initial conference").get_by_role(
        "row", name=re.compile(local_id)
    )


def test_book_hold_and_report_an_initial_conference(
    page: Page, steps: Steps, journey_child: m.Child, settings: Any
) -> None:
    # Strategy discussion Monday 4 March 2024. The conference is due 15 working days later:
    # 5-8 March (4), 11-15 (9), 18-22 (14), Monday 25 March (15); no bank holiday falls between.
    settings.CPQA_TODAY = "2024-03-12"

    # The QA manager's starting point: the enquiry is waiting, 9 working days from its due date.
    steps.sign_in(ROLE_USERNAMES[Role.QA_MANAGER])
    row = awaiting_row(page, "TEST-J1")
    expect(row).to_contain_text("25 March 2024")
    expect(row).to_contain_text("On track")
    steps.check("qa-manager-today-before")
    totals, march = initial_conferences(annual_report_json(page, steps, YEAR))
    # Only TEST-J0's conference on 14 February 2024, with a plan.
    assert (totals["plan"], totals["total"], march["plan"]) == (1, 1, 0)
    steps.check("qa-manager-reports")
    steps.sign_out()
    steps.check("sign-in")

    # Business support: the conference to book, from Today to the child's record to the booking.
    steps.sign_in(ROLE_USERNAMES[Role.BUSINESS_SUPPORT])
    to_book = page.get_by_role("table", name="Conferences to book")
    expect(to_book.get_by_role("row", name=re.compile("TEST-J1"))).to_contain_text("25 March 2024")
    steps.check("business-support-today")
    to_book.get_by_role("link", name=re.compile("TEST-J1")).click()
    expect(page.get_by_role("heading", level=1, name="Fakename Testchild")).to_be_visible()
    steps.check("child-record")
    page.get_by_role("link", name="Book the initial conference").click()
    expect(page.locator(".govuk-inset-text")).to_contain_text("Monday 25 March 2024")
    steps.check("booking")
    steps.submit("Book the conference")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    steps.check("booking-without-a-date")
    fill_date(page, "Date of the conference", D(2024, 3, 22))
    page.get_by_label("Time (optional)").fill("10:30")
    page.get_by_label("Venue (optional)").fill("Meeting room 1 (test)")
    steps.submit("Book the conference")
    expect(steps.success_banner()).to_contain_text(
        "Initial child protection conference booked for 22 March 2024 (due 25 March 2024)"
    )
    steps.check("booked")

    page.get_by_role("link", name="Allocate the chair and minute taker").click()
    steps.check("allocate-chair")
    page.get_by_label("Chair Fakeperson (0 booked that week)").check()
    steps.submit("Save")
    expect(steps.success_banner()).to_contain_text("Chair and minute taker allocated")

    page.get_by_role("link", name="Change who is invited").click()
    for agency in ("Police", "Health visitor", "GP"):
        page.get_by_label(agency, exact=True).check()
    page.get_by_label("Parent Fakeperson (mother)").check()
    steps.check("invitees")
    steps.submit("Save the invitations list")
    expect(steps.success_banner()).to_contain_text("Invitations list saved")

    page.get_by_role("link", name="Invite a person by name").click()
    steps.check("invite-person")
    page.get_by_label("Full name").fill("Jo Fakename")
    page.get_by_label("Role (optional)").fill("Class teacher")
    page.get_by_label("Agency", exact=True).select_option(label="School")
    page.get_by_label("Email address (optional)").fill("jo.fakename@example.org")
    steps.submit("Add the invitation")
    expect(steps.success_banner()).to_contain_text("Invitation added")
    expect(page.get_by_role("table", name="Invitees, attendance and reports")).to_contain_text(
        "Jo Fakename, Class teacher (School)"
    )
    # Social care, police, health visitor, GP and school invited: quorate if they come.
    expect(page.locator("#quoracy")).to_contain_text("Would be quorate if those invited attend")
    steps.check("invited-by-name")
    steps.sign_out()

    # The day of the conference: the chair finds it in their next 4 weeks, with its time, and
    # the row opens the conference itself.
    settings.CPQA_TODAY = "2024-03-22"
    steps.sign_in(ROLE_USERNAMES[Role.CHAIR])
    my_weeks = page.get_by_role("table", name="My conferences in the next 4 weeks")
    expect(my_weeks.get_by_role("row", name=re.compile("TEST-J1"))).to_contain_text("22 March 2024")
    expect(my_weeks.get_by_role("row", name=re.compile("TEST-J1"))).to_contain_text("10:30")
    steps.check("chair-today")
    my_weeks.get_by_role("link", name=re.compile("TEST-J1")).click()
    expect(page.get_by_role("heading", level=1, name="Initial child protection conference")).to_be_visible()
    steps.check("chair-conference")

    page.get_by_role("link", name="Record attendance and reports").click()
    expect(page.locator("#quoracy")).to_contain_text("Would be quorate if those invited attend")
    steps.check("attendance")
    answers = {
        "Children's social care": "Attended",
        "Police": "Attended",
        "Health visitor": "Attended",
        "GP": "Sent apologies",
        "Parent Fakeperson (mother)": "Attended",
        "Jo Fakename, Class teacher (School)": "Attended",
    }
    for invitee, answer in answers.items():
        page.get_by_role("group", name=invitee, exact=True).get_by_label(answer, exact=True).check()
    page.get_by_label("Police: report submitted").check()
    page.get_by_label("Police: report shared with the family in time").check()
    steps.submit("Save attendance")
    # Social care with police and the health visitor: two other agencies, quorate by the
    # default rule; the GP's apologies do not count.
    expect(steps.success_banner()).to_contain_text("Attendance saved: the conference is quorate")
    expect(page.locator("#quoracy")).to_contain_text("Quorate")

    page.get_by_role("link", name="Record participation for TEST-J1").click()
    # Born 1 June 2012: 11 on 22 March 2024, old enough for the booklet and an advocate.
    expect(page.locator(".govuk-caption-l")).to_contain_text("aged 11")
    steps.check("participation")
    page.get_by_label("Attends and speaks for self").check()
    page.get_by_role("group", name="Was the consultation booklet completed?").get_by_label("Yes").check()
    page.get_by_role("group", name="Did an advocate support the child?").get_by_label("No").check()
    steps.submit("Save")
    expect(steps.success_banner()).to_contain_text("Participation saved for child TEST-J1")

    page.get_by_role("link", name="Record the outcome for TEST-J1").click()
    steps.check("outcome")
    page.get_by_label("Child protection plan", exact=True).check()
    page.get_by_label("Neglect").check()
    steps.submit("Record the outcome")
    # Next review: 3 months after the plan starts, 22 June 2024. First core group: 10 working
    # days after 22 March, skipping Good Friday (29 March) and Easter Monday (1 April):
    # 25-28 March (4), 2-5 April (8), 8 and 9 April (10).
    expect(steps.success_banner()).to_contain_text(
        "Outcome recorded for child TEST-J1: child protection plan; next review due 22 June 2024; "
        "first core group due 9 April 2024"
    )
    steps.check("outcome-recorded")

    # Friday 5 April 2024: the chair records the first core group from the child's page and
    # raises an escalation there.
    settings.CPQA_TODAY = "2024-04-05"
    steps.visit(reverse("child_detail", args=[journey_child.pk]))
    expect(page.get_by_role("heading", level=1, name="Fakename Testchild")).to_be_visible()
    page.get_by_role("button", name="Record a core group").click()
    expect(page.get_by_text("The next core group is due on 9 April 2024")).to_be_visible()
    steps.check("core-group")
    fill_date(page, "Date of the core group", D(2024, 4, 5))
    for agency in ("Children's social care", "Police", "School"):
        page.get_by_label(agency, exact=True).check()
    steps.submit("Save the core group")
    # Later core groups: 4 weeks on, 5 April + 28 days = 3 May 2024.
    expect(steps.success_banner()).to_contain_text(
        "Core group on 5 April 2024 recorded; the next is due 3 May 2024"
    )
    steps.check("core-group-recorded")
    page.get_by_role("button", name="Raise an escalation").click()
    page.get_by_role("group", name="Stage").get_by_label(re.compile("^Stage 1")).check()
    page.get_by_label("Plan not progressed").check()
    page.get_by_label("Who must respond").fill("Service manager (test)")
    steps.check("raise-escalation-from-child")
    steps.submit("Raise the escalation")
    # Stage 1 answers in 5 working days: 8, 9, 10, 11, 12 April.
    expect(steps.success_banner()).to_contain_text("Escalation raised at stage 1: response due 12 April 2024")
    steps.check("escalation-raised-from-child")
    steps.sign_out()

    # The QA manager: the enquiry has left the list, and the report counts the new plan.
    steps.sign_in(ROLE_USERNAMES[Role.QA_MANAGER])
    expect(awaiting_row(page, "TEST-J1")).to_have_count(0)
    expect(page.get_by_text("No section 47 enquiry is waiting for an initial conference.")).to_be_visible()
    steps.check("qa-manager-today-after")
    totals, march = initial_conferences(annual_report_json(page, steps, YEAR))
    assert (totals["plan"], totals["total"], march["plan"]) == (2, 2, 1)

    plan = journey_child.plans.get()
    assert (plan.start_date, plan.initial_categories) == (D(2024, 3, 22), "NEG")
