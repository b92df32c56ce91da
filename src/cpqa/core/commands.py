"""The command line's plumbing that every area's commands share: the user-facing error, the
date argument, and setting Django and the database up on first use.

`cpqa.cli` is the entry point; the areas' command modules (`cpqa.record.commands`,
`cpqa.interop.commands`, ...) import these from here, never from the cli, so no area depends on
the layer above it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path


class CommandError(Exception):
    """A user-facing failure: printed as `cpqa: error: ...` with exit status 2, no traceback."""


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD") from None


@contextmanager
def collector_paused(*, freeze: bool = False) -> Iterator[None]:
    """Start-up work (imports, Django's set-up) with Python's cycle collector paused.

    Start-up makes hundreds of thousands of objects that live as long as the process (modules,
    classes, Django's models), and the collector would walk them again and again while they are
    made: about a tenth of a short command's time. With `freeze`, what exists at the end is moved
    out of the collector's sight for good (gc.freeze), so the command's own collections look only
    at what the command makes; freeze once per process, after the set-up, or garbage that
    happens to be waiting is kept for good.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was_enabled:
            gc.enable()


_django_ready = False


def ensure_django() -> None:
    """Set Django up (settings from the environment) without touching the database."""
    global _django_ready
    if _django_ready:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cpqa.settings")
    import django

    with collector_paused(freeze=True):
        django.setup()
    _django_ready = True


def ensure_database() -> None:
    """Set Django up and bring the database's schema up to date (creating it if need be)."""
    ensure_django()
    from django.conf import settings
    from django.core.management import call_command

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        Path(db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        # A database file made before files were created owner-only (cpqa.cli) is made so now.
        # (Only its owner may change that; anyone else leaves it as it is.)
        if Path(db["NAME"]).is_file():
            with suppress(PermissionError):
                Path(db["NAME"]).chmod(0o600)
    if not _schema_is_current():
        call_command("migrate", verbosity=0, interactive=False)


def migrations_on_disk() -> set[tuple[str, str]]:
    """(app label, migration name) for every migration file of every installed app."""
    from django.apps import apps

    found: set[tuple[str, str]] = set()
    for app in apps.get_app_configs():
        folder = Path(app.path) / "migrations"
        if folder.is_dir():
            found.update(
                (app.label, path.stem) for path in folder.glob("[0-9]*.py")
            )
    return found


def _schema_is_current() -> bool:
    """Whether every migration on disk is recorded as applied: a listing and one query.

    Loading Django's migration graph to find nothing to do costs a noticeable part of a short
    command, so the full `migrate` runs only when a migration file is not yet applied.
    """
    from django.db import DatabaseError, connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT app, name FROM django_migrations")
            applied = set(cursor.fetchall())
    except DatabaseError:
        # No migrations table yet: a new database.
        return False
    return migrations_on_disk() <= applied
