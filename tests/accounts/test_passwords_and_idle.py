"""The password policy (NCSC: length and a deny list, no composition rules, no expiry), password
change and reset by mail, and the idle timeout beside the absolute session age."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from cpqa.accounts.middleware import LAST_SEEN_KEY
from cpqa.accounts.models import Role, User

PASSWORD = "a-long-test-password-1"


@pytest.fixture
def analyst(db: None) -> User:
    return User.objects.create_user("test-pw-analyst", password=PASSWORD, role=Role.ANALYST, email="analyst@example.test")


# --- The policy ---------------------------------------------------------------------------------


def test_eleven_characters_are_too_short_and_twelve_are_enough(db: None) -> None:
    """Minimum length 12: 'blue sky tea' has 12 characters (three 3-letter words, two spaces)."""
    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("blue sky te")
    validate_password("blue sky tea")


def test_a_common_password_is_refused_however_long(db: None) -> None:
    """'qwerty123456' is 12 characters but on Django's list of common passwords."""
    with pytest.raises(ValidationError, match="too common"):
        validate_password("qwerty123456")


def test_no_composition_rules(db: None) -> None:
    """Lower-case letters alone pass (no demand for capitals, digits or symbols)."""
    validate_password("correcthorsebatterystaple")


def test_the_minimum_length_is_configurable() -> None:
    """CPQA_PASSWORD_MIN_LENGTH sets it (read by a fresh process, as a deployment would)."""
    import os
    import subprocess
    import sys

    code = (
        "import cpqa.settings as s; "
        "print([v['OPTIONS']['min_length'] for v in s.AUTH_PASSWORD_VALIDATORS if 'OPTIONS' in v])"
    )
    env = os.environ | {"CPQA_PASSWORD_MIN_LENGTH": "16"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[16]"


def test_no_forced_expiry_and_no_composition_validators() -> None:
    """The validators are the length and the deny list only (no expiry exists in Django at all)."""
    from django.conf import settings

    names = [v["NAME"].rsplit(".", 1)[-1] for v in settings.AUTH_PASSWORD_VALIDATORS]
    assert names == ["MinimumLengthValidator", "CommonPasswordValidator"]


# --- Change ---------------------------------------------------------------------------------------


def test_password_change_needs_the_current_password_then_applies_the_policy(analyst: User) -> None:
    client = Client()
    client.force_login(analyst)
    wrong = client.post(reverse("password_change"), {
        "old_password": "not-it", "new_password1": "blue sky tea pot", "new_password2": "blue sky tea pot",
    })
    assert wrong.status_code == 200 and b"Your current password is not right" in wrong.content
    short = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "short", "new_password2": "short",
    })
    assert b"at least 12 characters" in short.content
    done = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "blue sky tea pot", "new_password2": "blue sky tea pot",
    })
    assert done.status_code == 302 and done["Location"] == reverse("password_change_done")
    analyst.refresh_from_db()
    assert analyst.check_password("blue sky tea pot")
    # Still signed in on this browser after the change.
    assert client.get(reverse("today")).status_code == 200


def test_a_council_account_has_no_cpqa_password_to_change(db: None) -> None:
    user = User.objects.create_user("sso-person", role=Role.ANALYST, oidc_subject="subject-1")
    user.set_unusable_password()
    user.save()
    client = Client()
    client.force_login(user)
    page = client.get(reverse("password_change"))
    assert page.status_code == 200 and b"your password is the council" in page.content


# --- Reset ----------------------------------------------------------------------------------------


def test_reset_by_mail_sets_a_new_password_once(analyst: User) -> None:
    client = Client()
    sent = client.post(reverse("password_reset"), {"email": "analyst@example.test"})
    assert sent["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["analyst@example.test"]
    assert mail.outbox[0].subject == "Reset your cpqa password"
    link = re.search(r"http://testserver(/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert b"Set a new password" in form.content
    set_url = form.redirect_chain[-1][0] if form.redirect_chain else link
    done = client.post(set_url, {"new_password1": "green tree lake", "new_password2": "green tree lake"})
    assert done["Location"] == reverse("password_reset_complete")
    analyst.refresh_from_db()
    assert analyst.check_password("green tree lake")
    # The link is spent.
    again = Client().get(link, follow=True)
    assert b"The link has expired" in again.content


def test_reset_for_an_unknown_address_says_the_same_and_sends_nothing(analyst: User) -> None:
    """The same answer whether or not the address has an account (it tells nobody who has one)."""
    response = Client().post(reverse("password_reset"), {"email": "nobody@example.test"})
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_reset_page_refuses_a_malformed_address_clearly(db: None) -> None:
    response = Client().post(reverse("password_reset"), {"email": "not an address"})
    assert response.status_code == 200
    assert b"Enter an email address in the correct format" in response.content


def test_the_sign_in_page_links_to_reset(db: None) -> None:
    assert reverse("password_reset").encode() in Client().get(reverse("login")).content


# --- Idle timeout ---------------------------------------------------------------------------------


def _idle(client: Client, seconds: float) -> None:
    session = client.session
    session[LAST_SEEN_KEY] = time.time() - seconds
    session.save()


def test_a_session_idle_past_the_limit_is_signed_out(analyst: User, settings: Any) -> None:
    """Default 30 minutes: 29 minutes idle is still signed in, 31 minutes is signed out."""
    assert settings.CPQA_IDLE_MINUTES == 30
    client = Client()
    client.force_login(analyst)
    client.get(reverse("today"))
    _idle(client, 29 * 60)
    assert client.get(reverse("today")).status_code == 200
    _idle(client, 31 * 60)
    response = client.get(reverse("today"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert b"not used for 30 minutes" in response.content
    assert "_auth_user_id" not in client.session


def test_the_idle_limit_is_configurable(analyst: User, settings: Any) -> None:
    settings.CPQA_IDLE_MINUTES = 5
    client = Client()
    client.force_login(analyst)
    client.get(reverse("today"))
    _idle(client, 6 * 60)
    assert client.get(reverse("today"))["Location"].startswith(reverse("login"))
