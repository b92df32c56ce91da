"""The second factor: every local account needs an authenticator app outside the demo.

After the password, an account with no app is sent to set one up (QR code, first code, recovery
codes shown once); an account with an app must enter its code (or a recovery code, each good
once). The demo (CPQA_REQUIRE_2FA off) signs in with the password alone and its banner says so.
Codes are made here with django-otp's own TOTP function from the device's key, as an app would.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cpqa.accounts.models import Role, User

PASSWORD = "a-long-test-password-1"


@pytest.fixture
def chair(db: None) -> User:
    return User.objects.create_user("test-2fa-chair", password=PASSWORD, role=Role.CHAIR)


def _sign_in(client: Client, next_path: str = "") -> Any:
    data = {"username": "test-2fa-chair", "password": PASSWORD}
    if next_path:
        data["next"] = next_path
    return client.post(reverse("login"), data, REMOTE_ADDR="192.0.2.5")


def _code_now(device: TOTPDevice, later: int = 0) -> str:
    """The code the app shows now (or `later` seconds on): TOTP of the device's key, 30-second
    steps, 6 digits (RFC 6238). A code once used is refused for the rest of its 30 seconds, so a
    second sign-in in the same half-minute uses the next one (the server accepts one step ahead)."""
    clock = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    clock.time = time.time() + later
    return f"{clock.token():06d}"


def _wrong_code(device: TOTPDevice) -> str:
    """A 6-digit code the device refuses: none of the codes of the steps it accepts (now, +-1)."""
    accepted = {_code_now(device, later) for later in (-30, 0, 30)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in accepted)


def _set_up(client: Client, user: User) -> list[str]:
    """Sign in and set up: open the page, enter the app's code, read the recovery codes shown."""
    _sign_in(client)
    client.get(reverse("second_factor_set_up"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("second_factor_set_up"), {"code": _code_now(device)}, follow=True)
    return re.findall(r"<li><code>([0-9a-z]+)</code></li>", response.content.decode())


def test_password_alone_leads_to_set_up_and_no_further(chair: User, second_factor_on: None) -> None:
    """With no app yet, the password leads to set-up, and every other page sends back there."""
    client = Client()
    response = _sign_in(client)
    # The sign-in page sends to Today; Today sends on to set-up, keeping where the user was going.
    assert response["Location"] == reverse("today")
    today = client.get(reverse("today"))
    assert today.status_code == 302
    assert today["Location"] == reverse("second_factor_set_up") + "?next=%2F"
    assert client.get(reverse("reports")).status_code == 302


def test_set_up_shows_the_qr_code_and_key_then_recovery_codes_once(chair: User, second_factor_on: None) -> None:
    client = Client()
    _sign_in(client)
    page = client.get(reverse("second_factor_set_up"))
    assert page.status_code == 200
    # No menu yet: its pages would only send back here. Sign-out stays.
    assert b'href="/reports/"' not in page.content and reverse("logout").encode() in page.content
    device = TOTPDevice.objects.get(user=chair, confirmed=False)
    # The key to type by hand is the device's key in base32, in groups of four.
    import base64

    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    assert " ".join(key[i : i + 4] for i in range(0, len(key), 4)).encode() in page.content
    assert reverse("second_factor_qr").encode() in page.content
    qr = client.get(reverse("second_factor_qr"))
    assert qr["Content-Type"] == "image/svg+xml" and "no-store" in qr["Cache-Control"].split(", ")
    assert qr.content.lstrip().startswith(b"<svg")

    wrong = client.post(reverse("second_factor_set_up"), {"code": _wrong_code(device)})
    assert wrong.status_code == 200 and b"The code is not right" in wrong.content
    # A wrong code makes django-otp wait 1 s before the next try: as a person would.
    time.sleep(1.1)
    response = client.post(reverse("second_factor_set_up"), {"code": _code_now(device)})
    assert response.status_code == 302 and response["Location"].startswith(reverse("second_factor_recovery_codes"))
    shown = client.get(response["Location"])
    codes = re.findall(r"<li><code>([0-9a-z]+)</code></li>", shown.content.decode())
    # Ten codes, the same ten the account holds, shown this once.
    assert len(codes) == 10
    assert sorted(codes) == sorted(StaticToken.objects.filter(device__user=chair).values_list("token", flat=True))
    again = client.get(reverse("second_factor_recovery_codes"))
    assert again.status_code == 302 and b"<code>" not in again.content
    assert TOTPDevice.objects.get(user=chair).confirmed
    assert client.get(reverse("today")).status_code == 200


def test_qr_code_needs_a_signed_in_session(chair: User) -> None:
    assert Client().get(reverse("second_factor_qr"))["Location"].startswith(reverse("login"))


def test_an_account_with_an_app_must_enter_its_code(chair: User, second_factor_on: None) -> None:
    _set_up(client := Client(), chair)
    client.post(reverse("logout"))
    device = TOTPDevice.objects.get(user=chair)

    client = Client()
    _sign_in(client, next_path=reverse("reports"))
    response = client.get(reverse("reports"))
    assert response["Location"] == reverse("second_factor_verify") + "?next=%2Freports%2F"
    refused = client.post(reverse("second_factor_verify"), {"code": _wrong_code(device), "next": reverse("reports")})
    assert refused.status_code == 200 and b"The security code is not right" in refused.content
    assert client.get(reverse("reports")).status_code == 302
    # django-otp throttles after a failure (1 s, doubling): wait it out as a person would.
    time.sleep(1.1)
    accepted = client.post(
        reverse("second_factor_verify"), {"code": _code_now(device, later=30), "next": reverse("reports")}
    )
    assert accepted.status_code == 302 and accepted["Location"] == reverse("reports")
    assert client.get(reverse("reports")).status_code == 200


def test_a_recovery_code_signs_in_once(chair: User, second_factor_on: None) -> None:
    codes = _set_up(Client(), chair)
    first = Client()
    _sign_in(first)
    response = first.post(reverse("second_factor_verify"), {"code": codes[0]}, follow=True)
    # 10 codes, one used: 9 left, and the page says so.
    assert b"You used a recovery code. You have 9 left." in response.content
    assert first.get(reverse("today")).status_code == 200

    second = Client()
    _sign_in(second)
    again = second.post(reverse("second_factor_verify"), {"code": codes[0]})
    assert again.status_code == 200 and b"The security code is not right" in again.content


def test_sign_out_works_before_the_second_factor(chair: User, second_factor_on: None) -> None:
    client = Client()
    _sign_in(client)
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login") and "_auth_user_id" not in client.session


def test_the_demo_signs_in_with_the_password_alone_and_says_so(chair: User, settings: Any) -> None:
    """`cpqa demo` turns the second factor off; the password reaches Today, the banner says why."""
    from cpqa.web.commands import demo_sign_in

    settings.CPQA_REQUIRE_2FA = True
    demo_sign_in()
    assert settings.CPQA_REQUIRE_2FA is False
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"
    client = Client()
    _sign_in(client)
    today = client.get(reverse("today"))
    assert today.status_code == 200
    assert b"This is a demo: its accounts sign in with a password alone" in today.content


def test_outside_the_demo_the_banner_says_nothing_of_it(
    chair: User, second_factor_on: None, verified_client: Callable[[User], Client]
) -> None:
    today = verified_client(chair).get(reverse("today"))
    assert today.status_code == 200
    assert b"sign in with a password alone" not in today.content


def test_the_second_factor_is_on_unless_set_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """The setting's default is on: only CPQA_REQUIRE_2FA=0 turns it off (read in a fresh process)."""
    import subprocess
    import sys

    def read(env: dict[str, str]) -> str:
        code = "import cpqa.settings as s; print(s.CPQA_REQUIRE_2FA, s.CPQA_IDLE_MINUTES)"
        import os

        full = {k: v for k, v in os.environ.items() if not k.startswith("CPQA_REQUIRE_2FA")} | env
        return subprocess.run([sys.executable, "-c", code], env=full, capture_output=True, text=True, check=True).stdout

    assert read({}).split() == ["True", "30"]
    assert read({"CPQA_REQUIRE_2FA": "0", "CPQA_IDLE_MINUTES": "15"}).split() == ["False", "15"]


def test_the_password_alone_cannot_swap_in_another_app(chair: User, second_factor_on: None) -> None:
    """Someone with only the password of an account that has an app cannot set up an app of
    their own: set-up sends them to the code page, and a code from a new device is refused."""
    _set_up(Client(), chair)
    intruder = Client()
    _sign_in(intruder)
    assert intruder.get(reverse("second_factor_set_up"))["Location"] == reverse("second_factor_verify")
    rogue = TOTPDevice.objects.create(user=chair, name="Authenticator app", confirmed=False)
    intruder.post(reverse("second_factor_set_up"), {"code": _code_now(rogue)})
    assert intruder.get(reverse("today"))["Location"].startswith(reverse("second_factor_verify"))
    rogue.refresh_from_db()
    assert not rogue.confirmed
    assert TOTPDevice.objects.filter(user=chair, confirmed=True).count() == 1


def test_every_second_factor_event_is_in_the_access_log(chair: User, second_factor_on: None) -> None:
    from cpqa.accounts.models import AccessEvent

    # Set up (one accepted set-up code), sign out, sign in again: one wrong code, then a
    # recovery code. The log holds, in order: app set up, code refused, recovery code used —
    # with the account and the address the codes came from, and never the code typed.
    codes = _set_up(Client(), chair)
    device = TOTPDevice.objects.get(user=chair)
    client = Client()
    _sign_in(client)
    wrong = _wrong_code(device)
    client.post(reverse("second_factor_verify"), {"code": wrong}, REMOTE_ADDR="192.0.2.5")
    time.sleep(1.1)
    client.post(reverse("second_factor_verify"), {"code": codes[0]}, REMOTE_ADDR="192.0.2.5")
    events = AccessEvent.objects.filter(action="second_factor").order_by("position")
    assert [(e.username, e.detail) for e in events] == [
        ("test-2fa-chair", "app set up"),
        ("test-2fa-chair", "code refused"),
        ("test-2fa-chair", "recovery code used"),
    ]
    assert [e.ip_address for e in events][1:] == ["192.0.2.5", "192.0.2.5"]
    assert not AccessEvent.objects.filter(detail__contains=wrong).exists()
    assert not AccessEvent.objects.filter(detail__contains=codes[0]).exists()
