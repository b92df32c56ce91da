"""The `cpqa` command.

Each area adds its subcommands through a `register(subparsers)` function in its own module
(listed in COMMAND_MODULES), loaded when the command line is built, so this file stays the one
entry point without holding every command's code. Commands that need the database call
`cpqa.core.commands.ensure_database()`, which sets Django up and migrates on first use, so a
fresh DATABASE_URL (SQLite file or PostgreSQL) just works.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from types import ModuleType

from cpqa.core.commands import CommandError, collector_paused, parse_date

# Files and folders the command creates: owner only (0600 and 0700).
PRIVATE_UMASK = 0o077

COMMAND_MODULES = [
    "cpqa.synthetic.commands",
    "cpqa.interop.commands",
    "cpqa.reports.commands",
    "cpqa.web.commands",
]


def _due(args: argparse.Namespace) -> int:
    from cpqa.core.commands import ensure_database
    from cpqa.core.config import authority_config
    from cpqa.domain.timescales import DUE_RULES

    # The authority's own closure days and pre-birth target count, as on every page.
    ensure_database()
    config = authority_config()
    print(DUE_RULES[args.rule].apply(args.date, config.calendar, config.prebirth_days_before_delivery).isoformat())
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
    with collector_paused():
        parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    # Every file the command writes (the SQLite database, its journal, every export) is readable
    # by its owner only: they hold children's records. Put back afterwards for a caller in-process.
    umask_before = os.umask(PRIVATE_UMASK)
    try:
        return handler(args) or 0
    except CommandError as exc:
        print(f"cpqa: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    finally:
        os.umask(umask_before)


if __name__ == "__main__":
    sys.exit(main())
