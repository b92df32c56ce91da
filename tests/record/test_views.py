"""The child's record and the family view: who may open them, what they show, and the log."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from cpqa.accounts.models import AccessEvent, Role
from cpqa.domain.timescales import Status
from cpqa.record import models as m
from cpqa.web.timeline import child_timeline, current_status, due_next
from tests.conferences import builders as b
from tests.conferences.builders import client_as, date_fields
from tests.web.samples import ROLE_USERNAMES, build_sample_world

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, int]:
    return build_sample_world()


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize(
    "role, status",
    [
        (Role.QA_MANAGER, 200),
        (Role.CHAIR, 200),
        (Role.BUSINESS_SUPPORT, 200),
        (Role.SOCIAL_WORK_MANAGER, 200),
        (Role.ANALYST, 403),
        (Role.ADMINISTRATOR, 403),
    ],
)
def test_child_record_by_role(world: dict[str, int], role: str, status: int) -> None:
    response = client_as(role).get(reverse("child_detail", args=[world["child"]]))
    assert response.status_code == status


def test_social_work_manager_only_sees_their_teams_children(world: dict[str, int]) -> None:
    client = client_as(Role.SOCIAL_WORK_MANAGER)
    assert client.get(reverse("child_detail", args=[world["other_team_child"]])).status_code == 404
    refused = AccessEvent.objects.get(action="denied", object_type="child")
    assert refused.object_id == str(world["other_team_child"])


def test_opening_a_record_writes_an_access_event_without_personal_data(world: dict[str, int]) -> None:
    client_as(Role.CHAIR).get(reverse("child_detail", args=[world["child"]]))
    event = AccessEvent.objects.get(action="view", object_type="child")
    assert (event.object_id, event.username, event.role) == (
        str(world["child"]),
        ROLE_USERNAMES[Role.CHAIR],
        Role.CHAIR,
    )
    assert "Testchild" not in event.detail


def test_timeline_status_and_what_is_due(world: dict[str, int]) -> None:
    """The sample child: referral 2 Jan 2024, strategy discussion and s47 on 3 Jan, initial
    conference and plan on 24 Jan (neglect), a review booked for 22 April (due 24 April)."""
    page = _text(
        client_as(Role.QA_MANAGER).get(reverse("child_detail", args=[world["child"]])).content.decode()
    )
    assert "Subject of a child protection plan since 24 January 2024 (Neglect)" in page
    for line in (
        "2 Jan 2024 Referral",
        "3 Jan 2024 Strategy discussion",
        "3 Jan 2024 Section 47 enquiry started",
        "24 Jan 2024 Child protection plan started initial categories: Neglect",
        "24 Jan 2024 Initial child protection conference Child protection plan, in time",
        "22 Apr 2024 Review child protection conference booked (due 24 April 2024)",
    ):
        assert line in page, line
    assert "Review child protection conference (booked) 24 April 2024 22 April 2024" in page


def test_due_next_books_the_review_once_the_last_is_held(world: dict[str, int]) -> None:
    """With the booked review held on 22 April 2024 and the plan continuing, the next review is
    due 22 October 2024; on 1 October 2024 that is more than 3 working days away."""
    child = m.Child.objects.get(pk=world["child"])
    review = m.Conference.objects.get(pk=world["review_conference"])
    review.held_date = D(2024, 4, 22)
    review.save()
    review.subjects.update(outcome="plan_continued")
    items = [(i.what, i.due, i.status, i.url_name) for i in due_next(child, D(2024, 10, 1))]
    assert ("Review conference", D(2024, 10, 22), Status.ON_TRACK, "book_review_conference") in items
    # The sample's first core group (due 7 February 2024) was never marked held: overdue.
    assert ("First core group", D(2024, 2, 7), Status.OVERDUE, "") in items


def test_enquiry_awaiting_a_conference_offers_the_booking_to_business_support(world: dict[str, int]) -> None:
    """Strategy discussion Monday 4 March 2024: initial conference due Monday 25 March 2024;
    on Wednesday 20 March that is 3 working days away, so due soon."""
    kid = b.child("FAKE-X1", team=m.Team.objects.get(pk=world["team"]))
    enquiry = b.enquiry(kid, D(2024, 3, 4))
    assert [(i.what, i.due, i.status) for i in due_next(kid, D(2024, 3, 20))] == [
        ("Initial conference", D(2024, 3, 25), Status.DUE_SOON)
    ]
    booking = reverse("book_initial_conference", args=[enquiry.pk])
    assert (
        booking
        in client_as(Role.BUSINESS_SUPPORT).get(reverse("child_detail", args=[kid.pk])).content.decode()
    )
    assert booking not in client_as(Role.CHAIR).get(reverse("child_detail", args=[kid.pk])).content.decode()


def test_family_view_shows_the_children_together(world: dict[str, int]) -> None:
    family = m.Family.objects.get(pk=world["family"])
    b.child("FAKE-X2", of_family=family, team=m.Team.objects.get(pk=world["team"]))
    response = client_as(Role.BUSINESS_SUPPORT).get(reverse("family_detail", args=[family.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "TEST0001" in page and "FAKE-X2" in page
    assert "Parent Testperson (mother)" in page
    assert client_as(Role.ANALYST).get(reverse("family_detail", args=[family.pk])).status_code == 403


def test_a_held_conference_without_its_outcome_is_due_at_once(world: dict[str, int]) -> None:
    """The sample review sat on 22 April 2024 and nobody recorded the outcome: by 1 May 2024 it
    is overdue, and the child's status says so rather than 'on a plan'."""
    child = m.Child.objects.get(pk=world["child"])
    m.Conference.objects.filter(pk=world["review_conference"]).update(held_date=D(2024, 4, 22))
    items = [(i.what, i.due, i.status) for i in due_next(child, D(2024, 5, 1))]
    assert ("Outcome of the review child protection conference", D(2024, 4, 22), Status.OVERDUE) in items
    assert current_status(child) == "Conference held, outcome not recorded"


def test_qa_entries_join_the_timeline(world: dict[str, int]) -> None:
    """A chair's case of concern on 12 February 2024 takes its place by date among the record's
    events, newest first: after the review of 22 April, before the plan of 24 January."""
    from cpqa.oversight.models import ConcernNote

    child = m.Child.objects.get(pk=world["child"])
    ConcernNote.objects.create(
        kind="chair_case_of_concern",
        child=child,
        recorded_date=D(2024, 2, 12),
        author=m.StaffMember.objects.get(pk=world["staff"]),
        note="Fake concern for the test",
    )
    whats = [(e.on, e.what) for e in child_timeline(child)]
    concern = whats.index((D(2024, 2, 12), "Chair case of concern"))
    assert whats.index((D(2024, 4, 22), "Review child protection conference")) < concern
    assert concern < whats.index((D(2024, 1, 24), "Child protection plan started"))
    assert [on for on, _ in whats] == sorted((on for on, _ in whats), reverse=True)


def test_strategy_discussion_page_opens_the_referral_and_the_enquiry_together(world: dict[str, int]) -> None:
    """No open referral: the page opens one (5 March 2024), records the discussion (11 March)
    and the enquiry it started; the initial conference is then due 15 working days on, skipping
    Good Friday 29 March and Easter Monday 1 April 2024: Wednesday 3 April 2024."""
    kid = b.child("FAKE-X3", team=m.Team.objects.get(pk=world["team"]))
    url = reverse("record_strategy_discussion", args=[kid.pk])
    client = client_as(Role.BUSINESS_SUPPORT)
    assert "Date of the referral" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            **date_fields("held_date", D(2024, 3, 11)),
            **date_fields("referral_date", D(2024, 3, 5)),
            "starts_section47": "yes",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("child_detail", args=[kid.pk])
    enquiry = m.Section47.objects.get(referral__child=kid)
    assert (enquiry.start_date, enquiry.referral.referral_date) == (D(2024, 3, 11), D(2024, 3, 5))
    assert [(i.what, i.due) for i in due_next(kid, D(2024, 3, 12))] == [("Initial conference", D(2024, 4, 3))]


def test_strategy_discussion_before_the_referral_writes_nothing(world: dict[str, int]) -> None:
    kid = b.child("FAKE-X4", team=m.Team.objects.get(pk=world["team"]))
    response = client_as(Role.QA_MANAGER).post(
        reverse("record_strategy_discussion", args=[kid.pk]),
        {
            **date_fields("held_date", D(2024, 3, 1)),
            **date_fields("referral_date", D(2024, 3, 5)),
            "starts_section47": "yes",
        },
    )
    assert response.status_code == 200
    assert 'href="#id_held_date_0"' in response.content.decode()
    assert not m.Referral.objects.filter(child=kid).exists()


def test_only_bookers_record_discussions_and_notifications(world: dict[str, int]) -> None:
    for name in ("record_strategy_discussion", "record_transfer_in_notification"):
        url = reverse(name, args=[world["child"]])
        assert client_as(Role.CHAIR).get(url).status_code == 403
        assert client_as(Role.BUSINESS_SUPPORT).get(url).status_code == 200


def test_transfer_in_notification_page_makes_the_conference_due(world: dict[str, int]) -> None:
    """Notified Friday 4 May 2018: the transfer-in conference is due Tuesday 29 May 2018 (the
    7 and 28 May bank holidays skipped)."""
    kid = b.child("FAKE-X5", team=m.Team.objects.get(pk=world["team"]))
    response = client_as(Role.BUSINESS_SUPPORT).post(
        reverse("record_transfer_in_notification", args=[kid.pk]),
        {"from_authority": "Elsewhere Council (fake)", **date_fields("received_date", D(2018, 5, 4))},
    )
    assert response.status_code == 302
    assert [(i.what, i.due) for i in due_next(kid, D(2018, 5, 8))] == [
        ("Transfer-in conference", D(2018, 5, 29))
    ]
