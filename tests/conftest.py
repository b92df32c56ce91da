"""Shared test set-up: a temporary CPQA_HOME so no test touches a developer's own data."""

from __future__ import annotations

import os
import tempfile

import pytest

os.environ.setdefault("CPQA_HOME", tempfile.mkdtemp(prefix="cpqa-test-"))


@pytest.fixture(scope="session", autouse=True)
def plain_http_on_this_machine() -> None:
    """The test client and the browser tests' live server speak plain HTTP on this machine, so
    the production redirect to HTTPS is off for them (set before any of them is made; the
    default is checked in a fresh process by tests/web/test_safe_defaults.py)."""
    from django.conf import settings

    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture(scope="session", autouse=True)
def no_record_in_memory() -> None:
    """Tests write rows straight through the ORM and roll back (or flush, and the record's version
    starts again), so a server's copy of the record in memory would outlive them and serve one
    test another's rows; tests/web/test_record_cache.py turns it on where it is the subject.
    (A setting, not the environment: pytest-django reads the settings before this file runs.)"""
    from django.conf import settings

    settings.CPQA_RECORD_CACHE = False


# Sign-in: most tests sign in with client.force_login, which gives no second factor; the second
# factor is off for them. A test of the second factor itself takes the `second_factor_on` fixture.
pytest_plugins = ["tests.support.second_factor"]


def _flush_past_the_access_log_triggers() -> None:
    """Let a transactional test's flush empty the access log on SQLite, then put the triggers back.

    The triggers (migration accounts 0005) refuse DELETE on the log, and Django empties a SQLite
    test database with DELETE between transactional tests (PostgreSQL uses TRUNCATE, which they
    allow). Only the test run's flush is let through; the service's database is never flushed.
    """
    from django.conf import settings

    if not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        return
    from django.db.backends.sqlite3.base import DatabaseWrapper

    DatabaseOperations = DatabaseWrapper.ops_class
    flush = DatabaseOperations.execute_sql_flush
    if getattr(flush, "cpqa_wrapped", False):
        return

    def execute_sql_flush(self: object, sql_list: list[str]) -> None:
        from cpqa.accounts import audit_triggers

        audit_triggers.remove(self.connection)
        try:
            flush(self, sql_list)
        finally:
            audit_triggers.install(self.connection)

    execute_sql_flush.cpqa_wrapped = True  # type: ignore[attr-defined]
    DatabaseOperations.execute_sql_flush = execute_sql_flush  # type: ignore[method-assign]


@pytest.fixture(scope="session", autouse=True)
def _access_log_flush() -> None:
    # A fixture, not pytest_configure: Django's settings must be loaded before its backends.
    _flush_past_the_access_log_triggers()
