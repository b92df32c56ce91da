"""The `cpqa` command.

Each area adds its subcommands through a `register(subparsers)` function in its own module
(listed in COMMAND_MODULES), so this file stays the one entry point without holding every
command's code. Commands that need the database call `ensure_database()`, which sets Django up
and migrates on first use, so a fresh DATABASE_URL (SQLite file or PostgreSQL) just works.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from types import ModuleType

COMMAND_MODULES = [
    "cpqa.synthetic.commands",
    "cpqa.interop.commands",
    "cpqa.reports.commands",
    "cpqa.web.commands",
]


class CommandError(Exception):
    """A user-facing failure: printed as `cpqa: error: ...` with exit status 2, no traceback."""


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD") from None


_django_ready = False


def ensure_django() -> None:
    """Set Django up (settings from the environment) without touching the database."""
    global _django_ready
    if _django_ready:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cpqa.settings")
    import django

    django.setup()
    _django_ready = True


def ensure_database() -> None:
    """Set Django up and bring the database's schema up to date (creating it if need be)."""
    ensure_django()
    from django.conf import settings
    from django.core.management import call_command

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        from pathlib import Path

        Path(db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    if not _schema_is_current():
        call_command("migrate", verbosity=0, interactive=False)


def _schema_is_current() -> bool:
    """Whether every migration on disk is recorded as applied: a listing and one query.

    Loading Django's migration graph to find nothing to do costs a noticeable part of a short
    command, so the full `migrate` runs only when a migration file is not yet applied.
    """
    import pkgutil

    from django.apps import apps
    from django.db import DatabaseError, connection

    on_disk: set[tuple[str, str]] = set()
    for app in apps.get_app_configs():
        try:
            package = importlib.import_module(f"{app.name}.migrations")
        except ModuleNotFoundError:
            continue
        on_disk.update((app.label, info.name) for info in pkgutil.iter_modules(package.__path__))
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT app, name FROM django_migrations")
            applied = set(cursor.fetchall())
    except DatabaseError:
        # No migrations table yet: a new database.
        return False
    return on_disk <= applied


def _due(args: argparse.Namespace) -> int:
    from cpqa.domain.timescales import DUE_RULES

    print(DUE_RULES[args.rule].apply(args.date).isoformat())
    return 0


def _register_due(subparsers: argparse._SubParsersAction) -> None:
    from cpqa.domain.timescales import DUE_RULES

    rules = "\n".join(f"  {rule.name:<13} {rule.description}" for rule in DUE_RULES.values())
    parser = subparsers.add_parser(
        "due",
        help="print the due date an event's rule gives for a date",
        description="Print the due date (ISO, nothing else) that a timescale rule gives.\n\nRules:\n" + rules,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("rule", choices=sorted(DUE_RULES), help="which timescale")
    parser.add_argument("date", type=parse_date, help="the starting date, YYYY-MM-DD")
    parser.set_defaults(handler=_due)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cpqa",
        description="The record, timescales, trackers and annual report of a child protection conference service.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    _register_due(subparsers)
    for module_name in COMMAND_MODULES:
        module = import_if_present(module_name)
        if module is not None:
            module.register(subparsers)
    return parser


def import_if_present(module_name: str) -> ModuleType | None:
    """The module, or None when it does not exist (yet); an import error inside it still raises."""
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            return None
        raise


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args) or 0
    except CommandError as exc:
        print(f"cpqa: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
