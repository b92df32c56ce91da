"""`cpqa audit verify` (the access log's hash chain, first entry to head), `cpqa backup` and `cpqa restore`.

    cpqa audit verify      # exit 0 and the head's hash when intact; exit 1 naming the first broken entry

Keep the printed head hash somewhere outside the service (the operations log): a later run that
prints a different hash for the same number of entries means the log was rewritten wholesale.
"""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    audit = subparsers.add_parser("audit", help="check the access log", description="Check the access log.")
    actions = audit.add_subparsers(dest="audit_command", metavar="ACTION")
    actions.required = True
    verify = actions.add_parser(
        "verify",
        help="check every entry of the access log is unchanged and in its place (exit 1 names the first that is not)",
        description=(
            "Recompute the access log's hash chain from the first entry to the head. Exit 0 when every entry "
            "is intact; exit 1 naming the first entry that was changed, removed, forged or re-ordered."
        ),
    )
    verify.set_defaults(handler=_verify)
    backup = subparsers.add_parser(
        "backup",
        help="copy the whole database to FILE while the service runs (owner-only file)",
        description=(
            "Write a consistent copy of the whole database to FILE, which must not exist yet. "
            "SQLite: the online backup API; PostgreSQL: pg_dump (custom format). FILE is created 0600."
        ),
    )
    backup.add_argument("file", metavar="FILE", help="the backup file to create")
    backup.set_defaults(handler=_backup)
    restore = subparsers.add_parser(
        "restore",
        help="load a backup made by `cpqa backup` into an empty database",
        description=(
            "Load FILE (made by `cpqa backup`) into the database DATABASE_URL names, which must be empty "
            "(no tables). Then run `cpqa audit verify`."
        ),
    )
    restore.add_argument("file", metavar="FILE", help="the backup file to load")
    restore.set_defaults(handler=_restore)


def _verify(args: argparse.Namespace) -> int:
    from cpqa.core.commands import ensure_database

    ensure_database()
    from cpqa.accounts.audit import verify_chain
    from cpqa.accounts.models import AccessLogHead

    checked, broken = verify_chain()
    if broken is not None:
        which = f"entry {broken.position}" + (f" (row id {broken.event_id})" if broken.event_id else "")
        print(f"cpqa audit verify: the access log is broken at {which}: {broken.reason}.")
        print(f"{checked} entries before it are intact.")
        return 1
    head = AccessLogHead.objects.filter(pk=1).first()
    head_hash = head.last_hash if head and head.last_hash else "(empty log)"
    print(f"cpqa audit verify: all {checked} entries of the access log are intact. Head: {head_hash}")
    return 0


def _backup(args: argparse.Namespace) -> int:
    from pathlib import Path

    from cpqa.core.commands import ensure_database

    ensure_database()
    from cpqa.accounts.audit import log_command
    from cpqa.core.backup import backup_database
    from cpqa.core.commands import CommandError

    path = Path(args.file)
    if path.exists() or not path.parent.is_dir():
        raise CommandError(f"{path}: choose a new file in an existing folder (a backup never overwrites)")
    # Logged first, so the backup holds its own entry: the copy is an export of every child.
    log_command("backup", whole_record=True, detail="cpqa backup (the whole database)")
    vendor = backup_database(path)
    print(f"Backed up the {vendor} database to {path} (readable by its owner only).")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from pathlib import Path

    from cpqa.core.backup import restore_database

    path = Path(args.file)
    vendor = restore_database(path)
    print(f"Restored {path} into the {vendor} database. Now run `cpqa audit verify`.")
    return 0
