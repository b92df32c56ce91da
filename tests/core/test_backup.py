"""`cpqa backup` and `cpqa restore`: every table and the access log's chain survive a round trip.

Run through the command line in child processes, as an operator would, on SQLite always and on
PostgreSQL too when DATABASE_URL points at one (databases <name>_i11backup and _i11restore made
and dropped here).
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"


def _cpqa(env: dict[str, str]) -> Callable[..., subprocess.CompletedProcess[str]]:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        full = {**os.environ, "PYTHONPATH": str(SRC), **env}
        return subprocess.run([sys.executable, "-m", "cpqa.cli", *args], env=full, capture_output=True, text=True, check=False)

    return run


def _build_and_back_up(source: Callable[..., subprocess.CompletedProcess[str]], folder: Path) -> tuple[Path, str]:
    """A small synthetic record, an export (so the log has entries), the report, then the backup."""
    assert source("generate", "--children-on-plan", "12", "--years", "2017-18").returncode == 0
    assert source("export-cin", "--year", "2017-18", "--out", str(folder / "census.xml")).returncode == 0
    report = source("report", "--year", "2017-18", "--format", "json", "--out", "-")
    assert report.returncode == 0, report.stderr
    backup = folder / "cpqa.backup"
    made = source("backup", str(backup))
    assert made.returncode == 0, made.stderr
    return backup, report.stdout


def _check_restored(target: Callable[..., subprocess.CompletedProcess[str]], backup: Path, report: str) -> None:
    restored = target("restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    verify = target("audit", "verify")
    # export-cin, report and backup each logged one entry before the copy was taken.
    assert verify.returncode == 0 and "all 3 entries" in verify.stdout, verify.stdout
    again = target("report", "--year", "2017-18", "--format", "json", "--out", "-")
    assert json.loads(again.stdout) == json.loads(report)
    # A second restore would mix two records: refused, clearly, with nothing changed.
    refused = target("restore", str(backup))
    assert refused.returncode == 2 and "only into an empty database" in refused.stderr


def _sqlite_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(path) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {t: sorted(db.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}


def test_sqlite_backup_restores_every_table_and_the_chain(tmp_path: Path) -> None:
    source = _cpqa({"CPQA_HOME": str(tmp_path / "live")} | _sqlite_url(tmp_path / "live.sqlite3"))
    target = _cpqa({"CPQA_HOME": str(tmp_path / "new")} | _sqlite_url(tmp_path / "restored.sqlite3"))
    backup, report = _build_and_back_up(source, tmp_path)
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    _check_restored(target, backup, report)
    live, restored = _sqlite_rows(tmp_path / "live.sqlite3"), _sqlite_rows(tmp_path / "restored.sqlite3")
    assert set(live) == set(restored) and len(live) > 20
    # The restored copy then logged one more report; every other table is row-for-row the same.
    for table in live:
        if table not in ("accounts_accessevent", "accounts_accessloghead", "sqlite_sequence"):
            assert live[table] == restored[table], table
    assert restored["accounts_accessevent"][: len(live["accounts_accessevent"])] == live["accounts_accessevent"]
    assert stat.S_IMODE((tmp_path / "restored.sqlite3").stat().st_mode) == 0o600


def _sqlite_url(path: Path) -> dict[str, str]:
    return {"DATABASE_URL": f"sqlite:///{path}"}


def test_backup_never_overwrites_and_restore_refuses_a_foreign_file(tmp_path: Path) -> None:
    run = _cpqa({"CPQA_HOME": str(tmp_path)} | _sqlite_url(tmp_path / "db.sqlite3"))
    existing = tmp_path / "taken.backup"
    existing.write_text("someone's file")
    refused = run("backup", str(existing))
    assert refused.returncode == 2 and "never overwrites" in refused.stderr
    assert existing.read_text() == "someone's file"
    not_backup = run("restore", str(existing))
    assert not_backup.returncode == 2 and "not a backup made by `cpqa backup`" in not_backup.stderr


def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


@pytest.mark.skipif(_postgres_url() is None, reason="DATABASE_URL does not point at PostgreSQL")
def test_postgresql_backup_restores_the_chain_and_the_report(tmp_path: Path) -> None:
    import psycopg

    base = _postgres_url().rsplit("/", 1)[0]
    names = ("cpqa_i11backup", "cpqa_i11restore")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        for name in names:
            admin.execute(f"DROP DATABASE IF EXISTS {name}")
            admin.execute(f"CREATE DATABASE {name}")
    try:
        source = _cpqa({"CPQA_HOME": str(tmp_path), "DATABASE_URL": f"{base}/{names[0]}"})
        target = _cpqa({"CPQA_HOME": str(tmp_path), "DATABASE_URL": f"{base}/{names[1]}"})
        backup, report = _build_and_back_up(source, tmp_path)
        assert stat.S_IMODE(backup.stat().st_mode) == 0o600
        _check_restored(target, backup, report)
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            for name in names:
                admin.execute(f"DROP DATABASE IF EXISTS {name}")
