"""Fixtures for the web tests: the sample world and a signed-in client per role."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from cpqa.accounts.models import User
from tests.web.samples import ROLE_USERNAMES, build_sample_world


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    # Argon2 is deliberately slow; the URL walk signs in hundreds of times. The sign-in tests
    # that check the real hasher do so in tests/accounts with the project's settings.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db: None) -> dict[str, int]:
    return build_sample_world()


@pytest.fixture
def client_for(world: dict[str, int]) -> Callable[[str | None], Client]:
    """A client signed in as the sample user of `role` (None: not signed in)."""

    def make(role: str | None) -> Client:
        client = Client()
        if role is not None:
            client.force_login(User.objects.get(username=ROLE_USERNAMES[role]))
        return client

    return make
