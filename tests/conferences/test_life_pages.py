"""The rest of a conference's life through the pages: core groups, named and uninvited people,
rearranging and cancelling with reasons, quoracy before and after, an escalation from the
child's page, and the words each refusal uses.

The sample world (tests/web/samples.py): Alex Testchild (TEST0001), plan from the initial
conference on Wednesday 24 January 2024; a review booked for Monday 22 April 2024 (due 24 April)
with nobody invited yet. The service's day is pinned to Monday 12 February 2024.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from cpqa.accounts.models import Role
from cpqa.conferences.models import CoreGroupMeeting
from cpqa.oversight import models as qa
from cpqa.record import models as m
from tests.conferences.builders import client_as, date_fields
from tests.web.samples import build_sample_world

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings: Any) -> dict[str, int]:
    settings.CPQA_TODAY = "2024-02-12"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_sample_world()


def _page(response: Any) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_a_core_group_is_recorded_from_the_childs_page(world: dict[str, int]) -> None:
    client = client_as(Role.QA_MANAGER)
    child_page = _page(client.get(reverse("child_detail", args=[world["child"]])))
    url = reverse("record_core_group", args=[world["plan"]])
    assert url in child_page
    # First due: 24 Jan + 10 working days = Wednesday 7 February 2024.
    assert "7 February 2024" in child_page
    response = client.post(url, {**date_fields("held_date", D(2024, 2, 6)), "agencies": ["social_care", "police"],
                                 "notes": "Plan reviewed"})
    assert response.status_code == 302
    meeting = CoreGroupMeeting.objects.get()
    assert (meeting.held_date, meeting.agency_codes) == (D(2024, 2, 6), ["police", "social_care"])
    # Next: 6 Feb + 4 weeks = 5 March 2024.
    after = _page(client.get(reverse("child_detail", args=[world["child"]])))
    assert "Core group on 6 February 2024 recorded; the next is due 5 March 2024" in after
    assert "5 March 2024" in after


def test_core_group_refusals_speak_plainly(world: dict[str, int]) -> None:
    client = client_as(Role.QA_MANAGER)
    url = reverse("record_core_group", args=[world["plan"]])
    empty = _page(client.post(url, {}))
    assert "Enter the date of the core group" in empty
    assert "Select the agencies who attended" in empty
    assert "This field is required." not in empty
    early = _page(client.post(url, {**date_fields("held_date", D(2024, 1, 10)), "agencies": ["police"]}))
    assert "The core group cannot be before the plan started on 24 January 2024" in early
    late = _page(client.post(url, {**date_fields("held_date", D(2024, 2, 13)), "agencies": ["police"]}))
    assert "The core group cannot be after today, 12 February 2024" in late
    assert not CoreGroupMeeting.objects.exists()


def test_named_invitee_and_someone_uninvited_count_for_their_agency(world: dict[str, int]) -> None:
    conference = world["review_conference"]
    detail = reverse("conference_detail", args=[conference])
    support = client_as(Role.BUSINESS_SUPPORT)
    # Only children's social care is invited so far: 0 other agencies of the 2 the rule needs.
    before = _page(support.get(detail))
    assert "Would not be quorate even if everyone invited attends: invite more agencies" in before
    assert "Not quorate" not in before
    response = support.post(reverse("conference_invite_person", args=[conference]), {
        "name": "Jo Fakename", "role": "Class teacher", "agency": "school", "email": "jo@example.org",
    })
    assert response.status_code == 302
    response = support.post(reverse("conference_invite_person", args=[conference]), {
        "name": "Pat Fakename", "role": "Detective constable", "agency": "police", "email": "",
    })
    assert response.status_code == 302
    # Social care, school and police invited: would meet the rule if they came.
    page = _page(support.get(detail))
    assert "Would be quorate if those invited attend" in page
    assert "Jo Fakename, Class teacher (School)" in page and "jo@example.org" in page
    chair = client_as(Role.QA_MANAGER)
    response = chair.post(reverse("conference_uninvited_attendee", args=[conference]), {
        "name": "Sam Fakename", "role": "Housing officer", "agency": "housing", "attended": "yes",
    })
    assert response.status_code == 302
    uninvited = m.Invitee.objects.get(name="Sam Fakename")
    assert (uninvited.invited, uninvited.attendance, uninvited.agency) == (False, "attended", "housing")
    assert "Sam Fakename, Housing officer (Housing) (not invited)" in _page(chair.get(detail))


def test_a_person_needs_a_name_and_an_agency(world: dict[str, int]) -> None:
    page = _page(client_as(Role.BUSINESS_SUPPORT).post(
        reverse("conference_invite_person", args=[world["review_conference"]]), {"email": "not-an-address"}
    ))
    assert "Enter the full name" in page
    assert "Select the agency" in page
    assert "Enter an email address in the correct format, like name@example.com" in page
    assert not m.Invitee.objects.filter(conference_id=world["review_conference"]).exists()


def test_rearranging_needs_a_reason_and_moves_date_time_and_venue(world: dict[str, int]) -> None:
    conference = world["review_conference"]
    client = client_as(Role.BUSINESS_SUPPORT)
    url = reverse("conference_rearrange", args=[conference])
    refused = _page(client.post(url, {**date_fields("to_date", D(2024, 4, 23)), "scheduled_time": "14:00"}))
    assert "Select why the conference is being rearranged" in refused
    assert m.Conference.objects.get(pk=conference).scheduled_date == D(2024, 4, 22)
    empty = _page(client.post(url, {"venue": ""}))
    assert "Enter the new date of the conference" in empty
    response = client.post(url, {**date_fields("to_date", D(2024, 4, 23)), "scheduled_time": "14:00",
                                 "venue": "Room 2, Civic Centre", "reason": "rearranged_family"})
    assert response.status_code == 302
    moved = m.Conference.objects.get(pk=conference)
    assert (moved.scheduled_date, moved.scheduled_time, moved.venue, moved.due_date) == (
        D(2024, 4, 23), dt.time(14, 0), "Room 2, Civic Centre", D(2024, 4, 24)
    )
    assert moved.rearrangements.get().reason == "rearranged_family"


def test_cancelling_needs_a_reason(world: dict[str, int]) -> None:
    conference = world["review_conference"]
    client = client_as(Role.BUSINESS_SUPPORT)
    url = reverse("conference_cancel", args=[conference])
    assert "Select why the conference is being cancelled" in _page(client.post(url, {"reason": ""}))
    assert not m.Conference.objects.get(pk=conference).cancelled
    assert client.post(url, {"reason": "moved_away"}).status_code == 302
    cancelled = m.Conference.objects.get(pk=conference)
    assert (cancelled.cancelled, cancelled.cancel_reason) == (True, "moved_away")
    assert "Cancelled: The family moved to another authority" in _page(
        client.get(reverse("conference_detail", args=[conference]))
    )


def test_an_escalation_is_raised_from_the_childs_page(world: dict[str, int]) -> None:
    client = client_as(Role.CHAIR)
    child_page = _page(client.get(reverse("child_detail", args=[world["child"]])))
    raise_url = reverse("escalation_raise", args=[world["child"]])
    qa_record = reverse("child_footprint", args=[world["child"]])
    assert raise_url in child_page and qa_record in child_page
    # The QA record links back to the child's record.
    assert reverse("child_detail", args=[world["child"]]) in _page(client.get(qa_record))
    form_page = _page(client.get(raise_url))
    assert f'value="{world["child"]}" checked' in form_page.replace("checked=\"\"", "checked")
    response = client.post(raise_url, {
        "children": [str(world["child"])], "stage": "1", **date_fields("raised_date", D(2024, 2, 12)),
        "reasons": ["plan_not_progressed"], "owner": "Service manager (test)", "concern": "",
    })
    assert response.status_code == 302
    escalation = qa.Escalation.objects.filter(raised_date=D(2024, 2, 12)).get()
    assert list(escalation.children.values_list("pk", flat=True)) == [world["child"]]


def test_the_booking_form_names_what_is_missing(world: dict[str, int]) -> None:
    page = _page(client_as(Role.BUSINESS_SUPPORT).post(reverse("book_initial_conference", args=[world["s47"]]), {"venue": ""}))
    assert "Enter the date of the conference" in page
    assert "This field is required." not in page
