"""Narrowing: a family escalation split across teams, and out-of-reach records answering as missing."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from cpqa.accounts.models import AccessEvent, Role, User
from cpqa.oversight import services
from cpqa.record import models as m

from .conftest import World

D = dt.date
pytestmark = pytest.mark.django_db

CONCERN = "Contact arrangements were changed without the conference being told."


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _split_family_escalation(world: World) -> tuple[object, m.Child]:
    """One family, one child in Alpha (the manager's team) and one moved to Beta."""
    world.sibling_2.team = world.beta
    world.sibling_2.save()
    escalation = services.do_raise_escalation(
        raised_date=D(2018, 3, 23), stage=1, reasons=["other"], owner="SM (test)",
        by=world.users[Role.CHAIR], children=[world.sibling_1, world.sibling_2], concern=CONCERN,
    )
    return escalation, world.sibling_2


def test_a_manager_sees_only_their_teams_child_and_not_the_concern(world: World) -> None:
    escalation, beta_child = _split_family_escalation(world)
    manager = _signed_in(world.users[Role.SOCIAL_WORK_MANAGER])
    page = manager.get(reverse("escalation_detail", kwargs={"pk": escalation.pk})).content.decode()
    assert world.sibling_1.local_id in page
    assert beta_child.local_id not in page and CONCERN not in page
    listing = manager.get(reverse("escalation_list")).content.decode()
    assert world.sibling_1.local_id in listing and beta_child.local_id not in listing
    # The log names the one child the manager saw, by id.
    event = AccessEvent.objects.get(action="view", object_type="escalation")
    assert event.children == f" {world.sibling_1.pk} "
    # The QA manager may see both children, so sees the concern.
    qa_page = _signed_in(world.users[Role.QA_MANAGER]).get(reverse("escalation_detail", kwargs={"pk": escalation.pk}))
    assert CONCERN in qa_page.content.decode() and beta_child.local_id in qa_page.content.decode()


def test_out_of_reach_answers_exactly_as_missing(world: World) -> None:
    """Another team's child and escalation: the same 404 page, byte for byte, as an id that never existed."""
    manager = _signed_in(world.users[Role.SOCIAL_WORK_MANAGER])
    escalation = services.do_raise_escalation(
        raised_date=D(2018, 3, 23), stage=1, reasons=["other"], owner="SM (test)",
        by=world.users[Role.CHAIR], children=[world.beta_child],
    )
    for name, out_of_reach in (("child_detail", world.beta_child.pk), ("escalation_detail", escalation.pk)):
        refused = manager.get(reverse(name, kwargs={"pk": out_of_reach}))
        missing = manager.get(reverse(name, kwargs={"pk": 999_999}))
        assert (refused.status_code, missing.status_code) == (404, 404)
        # Equal byte for byte but for the sign-out form's CSRF token, which Django masks afresh per page.
        assert _unmasked(refused.content) == _unmasked(missing.content), name


def _unmasked(body: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", body)
