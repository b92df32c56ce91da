"""The second factor in tests: off by default (force_login gives none), on where a test asks.

`second_factor_on` turns CPQA_REQUIRE_2FA back on for one test; `verified_client(user)` makes a
client signed in with a confirmed authenticator app and a verified session, as a real sign-in
with password and code leaves it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client


@pytest.fixture(autouse=True)
def _second_factor_off_unless_asked(request: pytest.FixtureRequest, settings: Any) -> None:
    if "second_factor_on" not in request.fixturenames:
        settings.CPQA_REQUIRE_2FA = False


@pytest.fixture
def second_factor_on(settings: Any) -> None:
    settings.CPQA_REQUIRE_2FA = True


@pytest.fixture
def verified_client(db: None) -> Callable[[Any], Client]:
    """A client signed in as `user`, whose session has passed the second factor."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def make(user: Any) -> Client:
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="Authenticator app", defaults={"confirmed": True})
        client = Client()
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    return make
