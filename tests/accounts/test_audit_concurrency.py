"""Appends from several processes at once never fork the chain (SQLite always; PostgreSQL when
DATABASE_URL points at one, in a database cpqa_i11chain made and dropped here)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
WRITERS, EACH = 4, 25
APPEND = (
    "from cpqa.core.commands import ensure_database; ensure_database()\n"
    "from cpqa.accounts.audit import log_event\n"
    f"for n in range({EACH}): log_event('list', username='writer', detail=f'n {{n}}', children=[n])\n"
)


def _run_writers(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "PYTHONPATH": str(SRC), **env}
    cli = [sys.executable, "-m", "cpqa.cli"]
    # Migrate once first, so the writers race on the log and not on creating the schema.
    subprocess.run([*cli, "audit", "verify"], env=full, capture_output=True, text=True, check=True)
    writers = [subprocess.Popen([sys.executable, "-c", APPEND], env=full) for _ in range(WRITERS)]
    assert all(writer.wait(timeout=300) == 0 for writer in writers)
    return subprocess.run([*cli, "audit", "verify"], env=full, capture_output=True, text=True, check=False)


def test_concurrent_appends_on_sqlite_keep_one_chain(tmp_path: Path) -> None:
    verify = _run_writers({"CPQA_HOME": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"})
    # 4 writers x 25 events, each chained once: 100 entries, all intact.
    assert verify.returncode == 0 and f"all {WRITERS * EACH} entries" in verify.stdout, verify.stdout


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
    reason="DATABASE_URL does not point at PostgreSQL",
)
def test_concurrent_appends_on_postgresql_keep_one_chain(tmp_path: Path) -> None:
    import psycopg

    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute("DROP DATABASE IF EXISTS cpqa_i11chain")
        admin.execute("CREATE DATABASE cpqa_i11chain")
    try:
        verify = _run_writers({"CPQA_HOME": str(tmp_path), "DATABASE_URL": f"{base}/cpqa_i11chain"})
        assert verify.returncode == 0 and f"all {WRITERS * EACH} entries" in verify.stdout, verify.stdout
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute("DROP DATABASE IF EXISTS cpqa_i11chain")
