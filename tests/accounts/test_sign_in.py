"""Signing in and out: Argon2 hashes, the lock-out after 5 failures, sign-out by POST only."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cpqa import settings as project_settings
from cpqa.accounts.models import Role, User

PASSWORD = "a-long-test-password-1"


@pytest.fixture
def qa_user(db: None) -> User:
    return User.objects.create_user("test-signin-qa", password=PASSWORD, role=Role.QA_MANAGER)


def _sign_in(client: Client, username: str, password: str) -> object:
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR="192.0.2.1")


def test_passwords_are_stored_with_argon2(db: None, settings: Any) -> None:
    """With the project's own hashers (the tests' fast one undone), a password is stored as Argon2."""
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    user = User.objects.create_user("test-argon", password=PASSWORD, role=Role.CHAIR)
    assert user.password.startswith("argon2$")
    assert user.check_password(PASSWORD)


def test_sign_in_with_the_right_password_goes_to_today(qa_user: User) -> None:
    """A correct username and password signs in and lands on Today."""
    client = Client()
    response = _sign_in(client, "test-signin-qa", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("today")
    assert client.get(reverse("today")).status_code == 200


def test_wrong_password_shows_an_error_summary(qa_user: User) -> None:
    """A wrong password re-shows the form with a GOV.UK error summary and no session."""
    client = Client()
    response = _sign_in(client, "test-signin-qa", "not-the-password")
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert b"Enter a correct username and password" in response.content
    assert "_auth_user_id" not in client.session


def test_five_failures_lock_the_account_even_against_the_right_password(qa_user: User) -> None:
    """After 5 wrong passwords the 6th attempt is refused, even with the right password."""
    client = Client()
    for _ in range(4):
        assert _sign_in(client, "test-signin-qa", "wrong-password").status_code == 200
    # The 5th failure reaches the limit (AXES_FAILURE_LIMIT = 5) and is answered as locked.
    assert _sign_in(client, "test-signin-qa", "wrong-password").status_code == 429
    locked = _sign_in(client, "test-signin-qa", PASSWORD)
    assert locked.status_code == 429
    assert b"Your account is locked" in locked.content
    assert "_auth_user_id" not in client.session


def test_four_failures_do_not_lock(qa_user: User) -> None:
    """Four wrong passwords then the right one still signs in (the limit is 5)."""
    client = Client()
    for _ in range(4):
        _sign_in(client, "test-signin-qa", "wrong-password")
    response = _sign_in(client, "test-signin-qa", PASSWORD)
    assert response.status_code == 302


def test_sign_out_is_post_only(qa_user: User) -> None:
    """GET on sign-out does not sign out (405); POST does, and returns to the sign-in page."""
    client = Client()
    client.force_login(qa_user)
    assert client.get(reverse("logout")).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_signed_in_user_visiting_sign_in_goes_to_today(qa_user: User) -> None:
    """Someone already signed in who opens the sign-in page is taken to Today."""
    client = Client()
    client.force_login(qa_user)
    response = client.get(reverse("login"))
    assert response.status_code == 302 and response["Location"] == reverse("today")
