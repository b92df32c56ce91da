"""The database triggers that make the access log append-only, per database vendor.

Installed by migration accounts 0005. UPDATE and DELETE on the log's table are refused by the
database itself, whoever asks. (TRUNCATE on PostgreSQL is not refused, so a test database can
still be emptied between tests; a truncated log fails `cpqa audit verify` against the head.)
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "accounts_accessevent"
TRIGGER_NAMES = ("accounts_accessevent_no_update", "accounts_accessevent_no_delete")

_SQLITE_INSTALL = [
    f"CREATE TRIGGER IF NOT EXISTS accounts_accessevent_no_{op.lower()} BEFORE {op} ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, 'the access log is append-only: {op} refused'); END"
    for op in ("UPDATE", "DELETE")
]
_SQLITE_REMOVE = [f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGER_NAMES]

_POSTGRESQL_INSTALL = [
    """CREATE OR REPLACE FUNCTION cpqa_access_log_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'the access log is append-only: % refused', TG_OP;
    END $$""",
    *(
        f"CREATE OR REPLACE TRIGGER accounts_accessevent_no_{op.lower()} BEFORE {op} ON {TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION cpqa_access_log_refuse()"
        for op in ("UPDATE", "DELETE")
    ),
]
_POSTGRESQL_REMOVE = [f"DROP TRIGGER IF EXISTS {name} ON {TABLE}" for name in TRIGGER_NAMES]

SQL = {
    "sqlite": (_SQLITE_INSTALL, _SQLITE_REMOVE),
    "postgresql": (_POSTGRESQL_INSTALL, _POSTGRESQL_REMOVE),
}


def _statements(connection: BaseDatabaseWrapper, install: bool) -> list[str]:
    if connection.vendor not in SQL:
        raise RuntimeError(f"the access log's triggers are written for SQLite and PostgreSQL, not {connection.vendor}")
    return SQL[connection.vendor][0 if install else 1]


def install(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for statement in _statements(connection, install=True):
            cursor.execute(statement)


def remove(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for statement in _statements(connection, install=False):
            cursor.execute(statement)


def installed(connection: BaseDatabaseWrapper) -> set[str]:
    """The names of the log's triggers present in the database."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE])
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal", [TABLE]
            )
        return {row[0] for row in cursor.fetchall()} & set(TRIGGER_NAMES)
