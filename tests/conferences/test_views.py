"""Booking and conference pages through the test client: roles, access log, and the services'
refusals shown against the field."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from cpqa.accounts.models import AccessEvent, Role
from cpqa.record import models as m
from tests.conferences import builders as b
from tests.conferences.builders import client_as, date_fields
from tests.web.samples import ROLE_USERNAMES, build_sample_world

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, int]:
    return build_sample_world()


def test_booking_page_shows_the_due_date_and_logs_the_read(world: dict[str, int]) -> None:
    """Strategy discussion Wednesday 3 January 2024: 15 working days on (no bank holiday)
    is Wednesday 24 January 2024."""
    response = client_as(Role.BUSINESS_SUPPORT).get(reverse("book_initial_conference", args=[world["s47"]]))
    assert response.status_code == 200
    assert "Wednesday 24 January 2024" in response.content.decode()
    event = AccessEvent.objects.filter(action="view", object_type="child").latest("at")
    assert (event.object_id, event.username) == (str(world["child"]), ROLE_USERNAMES[Role.BUSINESS_SUPPORT])


def test_chair_cannot_book_and_the_refusal_is_logged(world: dict[str, int]) -> None:
    response = client_as(Role.CHAIR).get(reverse("book_initial_conference", args=[world["s47"]]))
    assert response.status_code == 403
    assert AccessEvent.objects.filter(action="denied", username=ROLE_USERNAMES[Role.CHAIR]).exists()


def test_business_support_books_an_initial_conference_with_a_sibling(world: dict[str, int]) -> None:
    """Strategy discussion Monday 4 March 2024: due 15 working days on, Monday 25 March 2024."""
    family = m.Family.objects.get(pk=world["family"])
    older = b.child("FAKE-W1", of_family=family)
    younger = b.child("FAKE-W2", born=D(2020, 1, 1), of_family=family)
    enquiry = b.enquiry(older, D(2024, 3, 4))
    client = client_as(Role.BUSINESS_SUPPORT)
    url = reverse("book_initial_conference", args=[enquiry.pk])
    page = client.get(url).content.decode()
    assert "Monday 25 March 2024" in page
    assert "FAKE-W2" in page
    response = client.post(
        url,
        {
            **date_fields("scheduled_date", D(2024, 3, 22)),
            "scheduled_time": "10:30",
            "together": [str(younger.pk)],
        },
    )
    conference = m.Conference.objects.get(subjects__child=older)
    assert response.status_code == 302 and response["Location"] == reverse(
        "conference_detail", args=[conference.pk]
    )
    assert (conference.due_date, conference.scheduled_date, conference.scheduled_time) == (
        D(2024, 3, 25),
        D(2024, 3, 22),
        dt.time(10, 30),
    )
    assert sorted(conference.subjects.values_list("child__local_id", flat=True)) == ["FAKE-W1", "FAKE-W2"]


def test_a_late_booking_without_a_reason_is_shown_against_the_reason(world: dict[str, int]) -> None:
    enquiry = b.enquiry(b.child("FAKE-W3"), D(2024, 3, 4))
    url = reverse("book_initial_conference", args=[enquiry.pk])
    response = client_as(Role.QA_MANAGER).post(url, date_fields("scheduled_date", D(2024, 3, 26)))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="#id_late_reason_0"' in page
    # Strategy discussion Mon 4 March 2024 + 15 working days = Mon 25 March 2024.
    assert "26 March 2024 is after the due date, 25 March 2024: select the reason for the delay" in page
    assert not m.Conference.objects.filter(subjects__section47=enquiry).exists()


def test_conference_page_by_role(world: dict[str, int]) -> None:
    url = reverse("conference_detail", args=[world["conference"]])
    for role in (Role.CHAIR, Role.QA_MANAGER, Role.BUSINESS_SUPPORT):
        assert client_as(role).get(url).status_code == 200
    for role in (Role.ANALYST, Role.ADMINISTRATOR, Role.SOCIAL_WORK_MANAGER):
        assert client_as(role).get(url).status_code == 403


def test_chair_records_attendance_and_sees_quoracy(world: dict[str, int]) -> None:
    """Social care, police and school attend: two other agencies, quorate by the default rule."""
    conference = m.Conference.objects.get(pk=world["review_conference"])
    for agency in ("social_care", "police", "school"):
        m.Invitee.objects.create(conference=conference, agency=agency)
    client = client_as(Role.CHAIR)
    url = reverse("conference_attendance", args=[conference.pk])
    # Nothing recorded yet: social care, police and school invited would meet the default rule.
    before = client.get(url).content.decode()
    assert "Would be quorate if those invited attend" in before
    assert "Not quorate" not in before
    data = {}
    for invitee in conference.invitees.all():
        data[f"attendance_{invitee.pk}"] = "attended"
        if invitee.agency == "police":
            data[f"report_submitted_{invitee.pk}"] = "on"
            data[f"report_shared_in_time_{invitee.pk}"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302
    conference.refresh_from_db()
    assert conference.quorate is True
    police = conference.invitees.get(agency="police")
    assert (police.attendance, police.report_submitted, police.report_shared_in_time) == (
        "attended",
        True,
        True,
    )
    assert "Quorate" in client.get(reverse("conference_detail", args=[conference.pk])).content.decode()


def test_business_support_cannot_record_attendance(world: dict[str, int]) -> None:
    url = reverse("conference_attendance", args=[world["review_conference"]])
    assert client_as(Role.BUSINESS_SUPPORT).get(url).status_code == 403


def test_review_outcome_through_the_page_continues_the_plan(world: dict[str, int]) -> None:
    """Plan from 24 January 2024, reviewed 22 April 2024 (due 24 April): continues, next review
    due six months on, 22 October 2024; the latest categories become neglect and emotional abuse."""
    subject = m.ConferenceSubject.objects.get(conference_id=world["review_conference"])
    client = client_as(Role.CHAIR)
    url = reverse("subject_outcome", args=[subject.pk])
    response = client.post(
        url,
        {
            "outcome": "plan_continued",
            **date_fields("held_date", D(2024, 4, 22)),
            "categories": ["NEG", "EMO"],
        },
    )
    assert response.status_code == 302
    plan = m.Plan.objects.get(pk=world["plan"])
    assert (plan.latest_categories, plan.end_date) == ("EMO+NEG", None)
    follow = client.get(response["Location"]).content.decode()
    assert "next review due 22 October 2024" in follow


def test_ending_a_plan_without_a_reason_is_refused_on_the_page(world: dict[str, int]) -> None:
    subject = m.ConferenceSubject.objects.get(conference_id=world["review_conference"])
    response = client_as(Role.QA_MANAGER).post(
        reverse("subject_outcome", args=[subject.pk]),
        {"outcome": "plan_ended", **date_fields("held_date", D(2024, 4, 22))},
    )
    assert response.status_code == 200
    assert 'href="#id_end_reason"' in response.content.decode()
    assert m.Plan.objects.get(pk=world["plan"]).end_date is None


def test_participation_page_asks_only_the_questions_for_the_childs_age(world: dict[str, int]) -> None:
    """The sample child, born 1 May 2015, is 8 on 22 April 2024: booklet yes, advocate (11+) no."""
    subject = m.ConferenceSubject.objects.get(conference_id=world["review_conference"])
    client = client_as(Role.CHAIR)
    url = reverse("subject_participation", args=[subject.pk])
    page = client.get(url).content.decode()
    assert "consultation booklet" in page and "advocate supported" not in page
    response = client.post(url, {"participation_code": "PN6", "booklet_completed": "yes"})
    assert response.status_code == 302
    subject.refresh_from_db()
    assert (subject.participation_code, subject.booklet_completed, subject.advocate_used) == (
        "PN6",
        True,
        None,
    )


def test_rearranging_through_the_page_keeps_the_due_date(world: dict[str, int]) -> None:
    """Booked 22 April 2024, due 24 April; moved to Monday 29 April for inquoracy."""
    conference = m.Conference.objects.get(pk=world["review_conference"])
    response = client_as(Role.BUSINESS_SUPPORT).post(
        reverse("conference_rearrange", args=[conference.pk]),
        {**date_fields("to_date", D(2024, 4, 29)), "reason": "rearranged_inquorate"},
    )
    assert response.status_code == 302
    conference.refresh_from_db()
    assert (conference.scheduled_date, conference.due_date, conference.late_reason) == (
        D(2024, 4, 29),
        D(2024, 4, 24),
        "rearranged_inquorate",
    )


def test_chair_allocation_shows_each_chairs_week(world: dict[str, int]) -> None:
    """The sample chair has the review on Monday 22 April 2024 in the week of 22 to 28 April."""
    conference = m.Conference.objects.get(pk=world["review_conference"])
    spare = b.chair("Spare Fakechair")
    client = client_as(Role.BUSINESS_SUPPORT)
    url = reverse("conference_staff", args=[conference.pk])
    page = client.get(url).content.decode()
    assert "Chair Testperson (1 booked that week)" in page
    assert "Spare Fakechair (0 booked that week)" in page
    assert client.post(url, {"chair": str(spare.pk)}).status_code == 302
    conference.refresh_from_db()
    assert conference.chair == spare


def test_invitees_page_offers_the_familys_members(world: dict[str, int]) -> None:
    conference = m.Conference.objects.get(pk=world["review_conference"])
    client = client_as(Role.BUSINESS_SUPPORT)
    url = reverse("conference_invitees", args=[conference.pk])
    assert "Parent Testperson (mother)" in client.get(url).content.decode()
    response = client.post(
        url, {"agencies": ["police", "gp"], "family_members": [str(world["family_member"])]}
    )
    assert response.status_code == 302
    assert sorted(i.agency or "family" for i in conference.invitees.all()) == [
        "family",
        "gp",
        "police",
        "social_care",
    ]
