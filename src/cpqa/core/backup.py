"""Backup and restore (the commands `cpqa backup FILE`, `cpqa restore FILE` are in cpqa.accounts.commands,
which logs the backup as an export of the whole record): a consistent copy of the database while it runs.

    cpqa backup /var/backups/cpqa/cpqa-2027-01-05.backup
    cpqa restore /var/backups/cpqa/cpqa-2027-01-05.backup    # into an empty database only

SQLite is copied with its online backup API (a consistent snapshot even while the service
writes); PostgreSQL with pg_dump's custom format (one transaction's snapshot), restored with
pg_restore. The backup file is created readable by its owner only (0600): it holds every child's
record. A restore goes only into an empty database (no tables at all), so it can never mix one
record into another or overwrite a live service; docs/operations.md has the restore drill.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from cpqa.core.commands import CommandError

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


def _database() -> dict[str, Any]:
    from cpqa.core.commands import ensure_django

    ensure_django()
    from django.conf import settings

    return settings.DATABASES["default"]


def _vendor(db: dict[str, Any]) -> str:
    engine = db["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise CommandError(f"backups are made for SQLite and PostgreSQL databases, not {engine}")


def _create_private(path: Path) -> None:
    """Create the empty backup file readable and writable by its owner only, refusing to overwrite."""
    if not path.parent.is_dir():
        raise CommandError(f"{path}: the folder {path.parent} does not exist")
    try:
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        raise CommandError(f"{path}: the file already exists; choose a new name (a backup never overwrites)") from None
    os.close(descriptor)
    os.chmod(path, 0o600)


def _pg_environment(db: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[variable] = str(db[key])
    return env


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise CommandError(f"{name} is not installed; PostgreSQL's client tools are needed to back up and restore")
    return found


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise CommandError(f"{what} failed: {result.stderr.strip()[:500]}")


def backup_database(path: Path) -> str:
    """Write the whole database to `path` (a new 0600 file); returns the vendor copied."""
    db = _database()
    vendor = _vendor(db)
    _create_private(path)
    try:
        if vendor == "sqlite":
            from django.db import connection

            connection.ensure_connection()
            target = sqlite3.connect(path)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
        else:
            command = [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={path}",
                       str(db["NAME"])]
            _run(command, _pg_environment(db), "pg_dump")
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    os.chmod(path, 0o600)
    return vendor


def _kind_of(path: Path) -> str:
    with path.open("rb") as handle:
        start = handle.read(len(SQLITE_MAGIC))
    if start == SQLITE_MAGIC:
        return "sqlite"
    if start.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    raise CommandError(f"{path}: this is not a backup made by `cpqa backup` (neither SQLite nor pg_dump)")


def database_tables() -> list[str]:
    from django.db import connection

    return connection.introspection.table_names()


def restore_database(path: Path) -> str:
    """Load the backup at `path` into the (empty) database; returns the vendor restored."""
    if not path.is_file():
        raise CommandError(f"{path}: there is no such backup file")
    db = _database()
    vendor = _vendor(db)
    kind = _kind_of(path)
    if kind != vendor:
        raise CommandError(f"{path} is a {kind} backup, but the service's database is {vendor}; restore it into {kind}")
    if vendor == "sqlite":
        Path(db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    tables = database_tables()
    if tables:
        raise CommandError(
            f"the database already holds {len(tables)} tables; a backup is restored only into an empty database "
            "(create a new one, point DATABASE_URL at it, and run the restore again)"
        )
    if vendor == "sqlite":
        from django.db import connection

        connection.ensure_connection()
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        if Path(db["NAME"]).exists():
            os.chmod(db["NAME"], 0o600)
    else:
        command = [_pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
                   f"--dbname={db['NAME']}", str(path)]
        _run(command, _pg_environment(db), "pg_restore")
    return vendor
