"""Shared test set-up: a temporary CPQA_HOME so no test touches a developer's own data."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("CPQA_HOME", tempfile.mkdtemp(prefix="cpqa-test-"))
# Tests write rows straight through the ORM and roll back, so a server's copy of the record in
# memory would outlive them; tests/web/test_record_cache.py turns it on where it is the subject.
os.environ.setdefault("CPQA_RECORD_CACHE", "0")

import pytest


@pytest.fixture(scope="session", autouse=True)
def plain_http_on_this_machine() -> None:
    """The test client and the browser tests' live server speak plain HTTP on this machine, so
    the production redirect to HTTPS is off for them (set before any of them is made; the
    default is checked in a fresh process by tests/web/test_safe_defaults.py)."""
    from django.conf import settings

    settings.SECURE_SSL_REDIRECT = False


# Sign-in: most tests sign in with client.force_login, which gives no second factor; the second
# factor is off for them. A test of the second factor itself takes the `second_factor_on` fixture.
pytest_plugins = ["tests.support.second_factor"]
