"""One clock: with the service's day pinned at Thursday 29 March 2018, the child's page, Today,
the conference page and the QA record all read the same day, and nothing can be recorded as
having happened after it.

The child (fake): born 15 January 2008, so 10 on 29 March 2018 and still 10 on 16 April 2018.
Strategy discussion Monday 27 November 2017; initial conference held Thursday 14 December 2017
with a plan, so the plan has lasted 17 (14 to 31 Dec) + 31 + 28 + 29 = 105 days on 29 March.
First review due 14 December + 3 months = 14 March 2018: booked late, for Monday 16 April 2018,
so on 29 March it is overdue. First core group due 14 December + 10 working days (15, 18, 19,
20, 21, 22, 27, 28, 29 December, 2 January; 25 and 26 December and 1 January are bank holidays)
= 2 January 2018: not held, overdue. Midway review: half of the 90 days from 14 December to
14 March is 45 days, so due 28 January 2018: not held, overdue. Escalation raised Monday 26
March 2018 at stage 1: response due in 5 working days (27, 28, 29 March, then 3 and 4 April:
Good Friday 30 March and Easter Monday 2 April are bank holidays) = 4 April 2018; from 29 March
only 3 and 4 April are left, so it is due within 3 working days.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cpqa.accounts.models import Role
from cpqa.conferences import running
from cpqa.conferences import services as svc
from cpqa.oversight import services as qa_services
from cpqa.record import models as m
from cpqa.record.errors import RecordError
from tests.conferences import builders as b
from tests.support.html import summary, tables, text

D = dt.date
SERVICE_DAY = "2018-03-29"


@pytest.fixture
def story(db: None, settings: Any) -> dict[str, Any]:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    support, chair_user, qa_manager = b.user(Role.BUSINESS_SUPPORT), b.user(Role.CHAIR), b.user(Role.QA_MANAGER)
    chair = b.chair()
    m.StaffMember.objects.create(name="QA Fakemanager", role="qa_manager", user=qa_manager)
    child = b.child("CLOCK-0001", born=D(2008, 1, 15))
    enquiry = b.enquiry(child, D(2017, 11, 27))
    settings.CPQA_TODAY = "2017-12-14"
    initial = svc.do_book_initial_conference(section47=enquiry, scheduled_date=D(2017, 12, 14), by=support)
    svc.do_allocate_conference_staff(conference=initial, chair=chair, by=support)
    running.do_record_outcome(
        conference=initial, child=child, outcome="plan", held_date=D(2017, 12, 14), categories=["NEG"], by=chair_user
    )
    settings.CPQA_TODAY = SERVICE_DAY
    plan = child.plans.get()
    review = svc.do_book_review_conference(
        plan=plan, scheduled_date=D(2018, 4, 16), late_reason="chair_capacity", by=support
    )
    qa_services.do_raise_escalation(
        raised_date=D(2018, 3, 26), stage=1, reasons=["plan_not_progressed"], owner="Team manager (fake)",
        by=qa_manager, children=[child], concern="Test concern (fake).",
    )
    return {"child": child, "plan": plan, "review": review, "qa_manager": qa_manager, "chair": chair_user}


def _as(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_childs_page_reads_the_service_day(story: dict[str, Any]) -> None:
    page = _as(story["qa_manager"]).get(reverse("child_detail", args=[story["child"].pk])).content.decode()
    assert summary(page)["Age"] == "10"
    due = tables(page)["What is due next"]
    assert due[1:] == [
        ["First core group", "2 January 2018", "Not booked", "Overdue", ""],
        ["Review child protection conference (booked)", "14 March 2018", "16 April 2018", "Overdue",
         "Go to the conference"],
    ]
    periods = tables(page)["Plan periods"]
    assert periods[1] == ["14 December 2017", "Open", "Neglect", "105", "0"]


def test_today_reads_the_service_day(story: dict[str, Any]) -> None:
    page = _as(story["qa_manager"]).get(reverse("today")).content.decode()
    assert "29 March 2018" in text(page)
    reviews = tables(page)["Review conferences due in the next 4 weeks"]
    # Child, team, plan start, last review (none yet), due, booked for, status.
    assert reviews[1:] == [
        ["Fakename Testchild (CLOCK-0001)", "", "14 December 2017", "", "14 March 2018", "16 April 2018", "Overdue"]
    ]


def test_the_conference_page_reads_the_conference_day_and_refuses_what_has_not_happened(
    story: dict[str, Any],
) -> None:
    review = story["review"]
    page = _as(story["qa_manager"]).get(reverse("conference_detail", args=[review.pk])).content.decode()
    children = tables(page)["Children at this conference"]
    assert children[1][:2] == ["Fakename Testchild (CLOCK-0001)", "10"]
    # Invitations to a review: 20 working days before Monday 16 April 2018, Good Friday and
    # Easter Monday out: 13, 12, 11, 10, 9, 6, 5, 4, 3 April, 29, 28, 27, 26, 23, 22, 21, 20, 19,
    # 16, 15 March = 15 March 2018.
    assert "Invitations: 15 March 2018" in text(page)
    with pytest.raises(Exception, match="16 April 2018 has not happened yet") as refused:
        running.do_record_outcome(
            conference=review, child=story["child"], outcome="plan_continued", held_date=D(2018, 4, 16),
            by=story["chair"],
        )
    assert "cannot be after today (29 March 2018)" in str(refused.value)
    with pytest.raises(RecordError, match="The conference is booked for 16 April 2018, which has not happened yet"):
        running.do_record_attendance(conference=review, entries={}, by=story["chair"])
    assert m.Conference.objects.get(pk=review.pk).held_date is None


def test_the_qa_record_reads_the_service_day(story: dict[str, Any]) -> None:
    page = _as(story["qa_manager"]).get(reverse("child_footprint", args=[story["child"].pk])).content.decode()
    facts = summary(page)
    assert facts["Age on 29 March 2018"] == "10"
    assert facts["Child protection plan"] == "Since 14 December 2017 (105 days)"
    assert tables(page)["Where things stand on 29 March 2018"][1:] == [
        ["Next review conference", "14 March 2018", "Overdue", ""],
        ["Midway review", "28 January 2018", "Overdue", ""],
        ["Response to the stage 1 escalation", "4 April 2018", "Due within 3 working days",
         "waiting for Team manager (fake)"],
    ]
