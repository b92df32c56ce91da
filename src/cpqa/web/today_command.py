"""`cpqa today`: the daily report, the lists of the Today page as a file.

    cpqa today --format json                         every daily list, the whole record, today
    cpqa today --as-of 2018-03-29 --format csv       as on another day, one CSV section per list
    cpqa today --role business_support --format xlsx --out today.xlsx
    cpqa today --user jsmith --format json           exactly what that user's Today shows

The rows come from the same functions as the page (`cpqa.web.today`), so a count on Today
equals the rows here. Each run is logged in the access log: one export, and one entry per
child the report covers (by the database's key, never a name).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import TYPE_CHECKING

import polars as pl

from cpqa.core.commands import CommandError, ensure_database, parse_date

if TYPE_CHECKING:
    # Django's models load only once the command has set Django up (ensure_database).
    from cpqa.accounts.models import User
    from cpqa.web.today import TodayContext, TodayList

Built = list[tuple["TodayList", pl.DataFrame]]

FORMATS = ("json", "csv", "xlsx")
# Who ran the report, in the access log, when no --user is given (a scheduled job).
COMMAND_USERNAME = "cpqa today"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "today",
        help="write the daily lists (what is due and late) as JSON, CSV or a spreadsheet",
        description="Write the daily report: every list of the Today page on a day, for the whole record, "
        "a role, or one user. The xlsx is what a service emails its managers each morning.",
    )
    parser.add_argument("--as-of", type=parse_date, default=None,
                        help="the day, YYYY-MM-DD (default: the service's day)")
    who = parser.add_mutually_exclusive_group()
    who.add_argument("--role", help="only the lists, and the children, this role sees")
    who.add_argument("--user", help="exactly the lists this user's Today page shows")
    parser.add_argument("--format", choices=FORMATS, default="json", help="json (default), csv or xlsx")
    parser.add_argument("--out", help="write to this file (needed for xlsx; default: standard output)")
    parser.set_defaults(handler=_today)


def _context(args: argparse.Namespace, day: dt.date) -> tuple[TodayContext, User | None]:
    """The lists' context: a user's, a role's, or the whole record's (the six daily lists)."""
    from cpqa.accounts.models import Role, User
    from cpqa.accounts.roles import CHILD_ROLES
    from cpqa.core.config import authority_config
    from cpqa.record.models import Child
    from cpqa.web.today import TodayContext

    config = authority_config()
    if args.user:
        user = User.objects.filter(username=args.user, is_active=True).first()
        if user is None:
            raise CommandError(f"there is no active user called {args.user!r}: check the name with the administrator")
        if user.role not in CHILD_ROLES:
            raise CommandError(f"{args.user} is {Role(user.role).label.lower()}, a role that sees no child's record, "
                               "so it has no daily lists")
        return TodayContext.for_user(user, day, config), user
    if args.role:
        if args.role not in Role.values:
            raise CommandError(f"there is no role {args.role!r}: use one of {', '.join(Role.values)}")
        if args.role not in CHILD_ROLES:
            raise CommandError(f"the {args.role} role sees no child's record, so it has no daily lists")
        if args.role == Role.SOCIAL_WORK_MANAGER:
            raise CommandError("a social work manager sees their own teams' children: name the manager with --user")
        return TodayContext(role=args.role, children=Child.objects.all(), today=day, config=config), None
    return TodayContext(role="", children=Child.objects.all(), today=day, config=config), None


def built_lists(context: TodayContext) -> Built:
    """The role's (or user's) Today lists; with neither, every daily list over the whole record."""
    from cpqa.domain import trackers
    from cpqa.web.today import LISTS_BY_KEY, build_lists

    if context.role:
        return build_lists(context)
    return [(LISTS_BY_KEY[list_id], LISTS_BY_KEY[list_id].build(context)) for list_id in trackers.REPORT_FACTS]


def _children_covered(built: Built) -> set[str]:
    covered: set[str] = set()
    for _, frame in built:
        if "child_id" in frame.columns:
            covered.update(frame["child_id"].drop_nulls().to_list())
        if "children" in frame.columns:
            covered.update(c for c in frame["children"].explode().drop_nulls().to_list())
    return covered


def _log_export(user: User | None, context: TodayContext, built: Built, fmt: str) -> None:
    """One export event naming every child the report covers (record ids, never names)."""
    from cpqa.accounts.audit import log_event
    from cpqa.record.models import Child

    covered = _children_covered(built)
    pks = sorted(Child.objects.filter(local_id__in=covered).values_list("pk", flat=True))
    rows = sum(frame.height for _, frame in built)
    detail = f"cpqa today {fmt} as of {context.today.isoformat()}: {len(built)} lists, {rows} rows, {len(pks)} children"
    log_event("export", user=user, username="" if user else COMMAND_USERNAME, role="" if user else (context.role or ""),
              object_type="daily_report", object_id=context.today.isoformat(), detail=detail, children=pks)


def render(fmt: str, as_of: dt.date, built: Built) -> bytes:
    from cpqa.web.today import report_rows
    from cpqa.web.today_tables import report_csv, report_xlsx

    if fmt == "json":
        document = {"as_of": as_of.isoformat(), "lists": {item.key: report_rows(item, frame) for item, frame in built}}
        return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    if fmt == "csv":
        return report_csv(as_of, built).encode("utf-8")
    return report_xlsx(as_of, built)


def _today(args: argparse.Namespace) -> int:
    ensure_database()
    from cpqa.core.clock import service_today

    if args.format == "xlsx" and not args.out:
        raise CommandError("a spreadsheet cannot be written to the terminal: give a file with --out, "
                           "for example --out today.xlsx")
    day = args.as_of or service_today()
    context, user = _context(args, day)
    built = built_lists(context)
    data = render(args.format, day, built)
    # Logged before it leaves: no copy of the report exists that the access log does not know of.
    _log_export(user, context, built, args.format)
    if args.out:
        try:
            with open(args.out, "wb") as handle:
                handle.write(data)
        except OSError as exc:
            raise CommandError(f"cannot write {args.out}: {exc.strerror}") from None
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 0

