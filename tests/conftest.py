"""Shared test set-up: a temporary CPQA_HOME so no test touches a developer's own data."""

from __future__ import annotations

import os
import tempfile

import pytest

os.environ.setdefault("CPQA_HOME", tempfile.mkdtemp(prefix="cpqa-test-"))


def _flush_past_the_access_log_triggers() -> None:
    """Let a transactional test's flush empty the access log on SQLite, then put the triggers back.

    The triggers (migration accounts 0004) refuse DELETE on the log, and Django empties a SQLite
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
