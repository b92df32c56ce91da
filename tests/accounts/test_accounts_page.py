"""The administrator's accounts page: list, create, disable (signed out at once), enable, unlock,
reset the second factor, change role and teams; every action logged in AccountChange. Other
roles are refused by the URL-by-role walk (tests/web/test_url_access.py, ACCESS in
cpqa.web.sign_in_urls); here one check says so too."""

from __future__ import annotations

from typing import Any

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from cpqa.accounts.models import AccountChange, Role, User
from cpqa.record.models import Team

PASSWORD = "a-long-test-password-1"


@pytest.fixture
def admin(db: None) -> User:
    return User.objects.create_user("test-admin", password=PASSWORD, role=Role.ADMINISTRATOR)


@pytest.fixture
def chair(db: None) -> User:
    return User.objects.create_user("test-chair", password=PASSWORD, role=Role.CHAIR, first_name="Casey")


def _as(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _changes(account: User) -> list[tuple[str, str, str, str]]:
    return [
        (c.by_username, c.action, c.old_value, c.new_value)
        for c in AccountChange.objects.filter(account=account).order_by("pk")
    ]


def test_the_list_shows_every_account_with_its_state(admin: User, chair: User) -> None:
    TOTPDevice.objects.create(user=chair, name="Authenticator app", confirmed=True)
    page = _as(admin).get(reverse("account_list")).content.decode()
    assert "2 accounts" in page
    assert reverse("account_detail", kwargs={"pk": chair.pk}) in page
    assert "Child protection chair" in page and "Set up" in page and "Not set up" in page


def test_only_an_administrator_opens_it(chair: User) -> None:
    assert _as(chair).get(reverse("account_list")).status_code == 403


def test_create_an_account_applies_the_policy_and_is_logged(admin: User) -> None:
    client = _as(admin)
    short = client.post(reverse("account_new"), {"username": "new-person", "role": Role.ANALYST, "password": "too short"})
    assert short.status_code == 200 and b"at least 12 characters" in short.content
    assert not User.objects.filter(username="new-person").exists()
    made = client.post(reverse("account_new"), {
        "username": "new-person", "role": Role.ANALYST, "password": "blue sky tea pot", "email": "n@example.test",
    })
    account = User.objects.get(username="new-person")
    assert made["Location"] == reverse("account_detail", kwargs={"pk": account.pk})
    assert account.role == Role.ANALYST and account.check_password("blue sky tea pot")
    assert _changes(account) == [("test-admin", "create", "", "Performance analyst")]
    taken = client.post(reverse("account_new"), {"username": "NEW-person", "role": Role.CHAIR, "password": "blue sky tea pot"})
    assert b"The username NEW-person is already taken" in taken.content


def test_disable_signs_the_account_out_at_once_and_enable_lets_it_back(admin: User, chair: User) -> None:
    chairs_browser = _as(chair)
    assert chairs_browser.get(reverse("today")).status_code == 200
    response = _as(admin).post(reverse("account_disable", kwargs={"pk": chair.pk}), follow=True)
    assert b"test-chair is disabled and has been signed out" in response.content
    # The chair's open session is gone: the next page asks them to sign in.
    assert chairs_browser.get(reverse("today"))["Location"].startswith(reverse("login"))
    refused = Client().post(reverse("login"), {"username": "test-chair", "password": PASSWORD})
    assert refused.status_code == 200
    _as(admin).post(reverse("account_enable", kwargs={"pk": chair.pk}))
    chair.refresh_from_db()
    assert chair.is_active
    assert [c[1:] for c in _changes(chair)] == [("disable", "active", "disabled"), ("enable", "disabled", "active")]


def test_an_administrator_cannot_disable_themselves(admin: User) -> None:
    response = _as(admin).post(reverse("account_disable", kwargs={"pk": admin.pk}), follow=True)
    assert b"You cannot disable your own account" in response.content
    admin.refresh_from_db()
    assert admin.is_active and _changes(admin) == []


def test_unlock_clears_the_lock_out(admin: User, chair: User) -> None:
    """Five wrong passwords lock the chair (AXES_FAILURE_LIMIT); unlock lets the right one in."""
    for _ in range(5):
        Client().post(reverse("login"), {"username": "test-chair", "password": "wrong"}, REMOTE_ADDR="192.0.2.9")
    assert Client().post(
        reverse("login"), {"username": "test-chair", "password": PASSWORD}, REMOTE_ADDR="192.0.2.9"
    ).status_code == 429
    assert "Locked" in _as(admin).get(reverse("account_list")).content.decode()
    _as(admin).post(reverse("account_unlock", kwargs={"pk": chair.pk}))
    assert not AccessAttempt.objects.filter(username="test-chair").exists()
    signed_in = Client().post(reverse("login"), {"username": "test-chair", "password": PASSWORD}, REMOTE_ADDR="192.0.2.9")
    assert signed_in.status_code == 302
    assert [c[1] for c in _changes(chair)] == ["unlock"]


def test_reset_second_factor_removes_the_app_and_codes_and_signs_out(admin: User, chair: User) -> None:
    TOTPDevice.objects.create(user=chair, name="Authenticator app", confirmed=True)
    StaticDevice.objects.create(user=chair, name="Recovery codes", confirmed=True)
    chairs_browser = _as(chair)
    chairs_browser.get(reverse("today"))
    _as(admin).post(reverse("account_reset_second_factor", kwargs={"pk": chair.pk}))
    assert not TOTPDevice.objects.filter(user=chair).exists() and not StaticDevice.objects.filter(user=chair).exists()
    assert chairs_browser.get(reverse("today"))["Location"].startswith(reverse("login"))
    assert _changes(chair) == [("test-admin", "reset_2fa", "2 device(s)", "none")]


def test_after_a_reset_the_next_sign_in_sets_up_a_new_app(
    admin: User, chair: User, second_factor_on: None, verified_client: Any
) -> None:
    TOTPDevice.objects.create(user=chair, name="Authenticator app", confirmed=True)
    # The administrator's own session has passed its second factor, as it must to act.
    verified_client(admin).post(reverse("account_reset_second_factor", kwargs={"pk": chair.pk}))
    client = Client()
    client.post(reverse("login"), {"username": "test-chair", "password": PASSWORD})
    assert client.get(reverse("today"))["Location"].startswith(reverse("second_factor_set_up"))


def test_change_role_is_logged_and_takes_effect_at_once(admin: User, chair: User) -> None:
    chairs_browser = _as(chair)
    assert chairs_browser.get(reverse("account_list")).status_code == 403
    _as(admin).post(reverse("account_role", kwargs={"pk": chair.pk}), {"role-role": Role.ADMINISTRATOR})
    chair.refresh_from_db()
    assert chair.role == Role.ADMINISTRATOR
    assert chairs_browser.get(reverse("account_list")).status_code == 200
    assert _changes(chair) == [("test-admin", "role", "Child protection chair", "Administrator")]


def test_an_unknown_role_is_refused_clearly(admin: User, chair: User) -> None:
    response = _as(admin).post(reverse("account_role", kwargs={"pk": chair.pk}), {"role-role": "superuser"})
    assert response.status_code == 200 and b"govuk-error-summary" in response.content
    chair.refresh_from_db()
    assert chair.role == Role.CHAIR and _changes(chair) == []


def test_an_administrator_cannot_take_their_own_role_away(admin: User) -> None:
    response = _as(admin).post(reverse("account_role", kwargs={"pk": admin.pk}), {"role-role": Role.ANALYST})
    assert b"You cannot take the administrator role from yourself" in response.content
    admin.refresh_from_db()
    assert admin.role == Role.ADMINISTRATOR


def test_teams_of_a_social_work_manager(admin: User, settings: Any) -> None:
    manager = User.objects.create_user("test-manager", password=PASSWORD, role=Role.SOCIAL_WORK_MANAGER)
    team = Team.objects.create(name="Team Alpha (test)")
    _as(admin).post(reverse("account_teams", kwargs={"pk": manager.pk}), {"teams-teams": [team.pk]})
    assert list(manager.teams.values_list("name", flat=True)) == ["Team Alpha (test)"]
    assert _changes(manager) == [("test-admin", "teams", "", "Team Alpha (test)")]


def test_an_unknown_account_is_not_found(admin: User) -> None:
    assert _as(admin).get(reverse("account_detail", kwargs={"pk": 999999})).status_code == 404
