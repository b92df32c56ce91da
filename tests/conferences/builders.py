"""Small, obviously fake pieces of record for the conference and record-service tests.

Every name here is made up and labelled "(fake)" or "Test...", so nothing resembles a real child.
"""

from __future__ import annotations

import datetime as dt

from django.test import Client

from cpqa.accounts.models import Role, User
from cpqa.record import models as m
from tests.web.samples import ROLE_USERNAMES

D = dt.date
DEFAULT_BIRTH = D(2012, 6, 1)


def user(role: str = Role.BUSINESS_SUPPORT, username: str | None = None) -> User:
    # No password: these tests never sign in, and Argon2 hashing would only slow them down.
    return User.objects.create(username=username or f"fake-{role}", role=role)


def family(reference: str = "FAM-FAKE-1") -> m.Family:
    return m.Family.objects.create(reference=reference, name="Testfamily (fake)")


def child(
    local_id: str,
    *,
    born: dt.date | None = DEFAULT_BIRTH,
    expected: dt.date | None = None,
    of_family: m.Family | None = None,
    team: m.Team | None = None,
) -> m.Child:
    return m.Child.objects.create(
        local_id=local_id,
        family=of_family,
        first_name="Fakename",
        last_name="Testchild",
        date_of_birth=born,
        expected_date_of_birth=expected,
        team=team,
    )


def enquiry(of_child: m.Child, strategy_discussion: dt.date, referral: dt.date | None = None) -> m.Section47:
    """A referral, the strategy discussion and the section 47 enquiry it started."""
    opened = m.Referral.objects.create(child=of_child, referral_date=referral or strategy_discussion)
    discussion = m.StrategyDiscussion.objects.create(referral=opened, held_date=strategy_discussion)
    return m.Section47.objects.create(
        referral=opened, strategy_discussion=discussion, start_date=strategy_discussion
    )


def plan(of_child: m.Child, start: dt.date, categories: str = "NEG") -> m.Plan:
    return m.Plan.objects.create(
        child=of_child, start_date=start, initial_categories=categories, latest_categories=categories
    )


def chair(name: str = "Chair Fakeperson", *, active: bool = True) -> m.StaffMember:
    return m.StaffMember.objects.create(name=name, role="chair", active=active)


def minute_taker(name: str = "Minutes Fakeperson") -> m.StaffMember:
    return m.StaffMember.objects.create(name=name, role="minute_taker")


def client_as(role: str) -> Client:
    """A test client signed in as the sample world's user of `role` (tests/web/samples.py)."""
    client = Client()
    client.force_login(User.objects.get(username=ROLE_USERNAMES[role]))
    return client


def date_fields(name: str, day: dt.date) -> dict[str, str]:
    """POST data for a GOV.UK date input's three boxes (cpqa.web.forms.GovukDateWidget)."""
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}
