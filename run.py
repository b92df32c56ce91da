#!/usr/bin/env python3
"""One entry point that needs nothing but Python 3.11+ and pip.

    python3 run.py demo    install, build the synthetic authority, serve http://127.0.0.1:8000
    python3 run.py test    install, then run the whole test suite (SQLite; PostgreSQL too
                           when DATABASE_URL points at one)

It creates `.venv/` beside this file on first use and installs the project into it
(editable, with the test extras), so a fresh clone needs no other step.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".cpqa-installed"


def _requirements_fingerprint() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def ensure_installed() -> None:
    """Create the virtual environment and install the project, once per pyproject change."""
    if sys.version_info < (3, 11):
        sys.exit(f"cpqa needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not PY.exists():
        print("[setup] creating .venv", file=sys.stderr)
        venv.EnvBuilder(with_pip=True).create(VENV)
    fingerprint = _requirements_fingerprint()
    if STAMP.exists() and STAMP.read_text() == fingerprint:
        return
    print("[setup] installing cpqa and its dependencies into .venv", file=sys.stderr)
    subprocess.run([str(PY), "-m", "pip", "install", "-q", "--upgrade", "pip"], check=True)
    subprocess.run([str(PY), "-m", "pip", "install", "-q", "-e", f"{ROOT}[dev]"], check=True)
    STAMP.write_text(fingerprint)


def ensure_chromium() -> None:
    """Install Debian's Chromium for the browser tests where we are allowed to (root + apt)."""
    if os.environ.get("CPQA_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser"):
        return
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        print("[setup] installing Debian's chromium for the browser tests", file=sys.stderr)
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        subprocess.run(["apt-get", "update"], check=False, **quiet)
        subprocess.run(["apt-get", "install", "-y", "-q", "chromium"], check=False, **quiet)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"demo", "test", "install"}:
        print(__doc__)
        return 2
    ensure_installed()
    env = dict(os.environ)
    if argv[0] == "install":
        return 0
    if argv[0] == "demo":
        return subprocess.run([str(BIN / "cpqa"), "demo", *argv[1:]], env=env).returncode
    ensure_chromium()
    return subprocess.run([str(PY), "-m", "pytest", *argv[1:]], cwd=ROOT, env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
