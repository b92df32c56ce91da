"""Shared set-up for the CIN census tests: the hand-written fixtures and the shared generator."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from cpqa.cli import main

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).resolve().parents[2]
# The generator the benchmark and the peer comparison use; it lives beside the repository, not
# in it, so tests that need it skip (saying why) where it is absent.
GENERATOR = REPO.parent / "shared" / "peers" / "make_cin_xml.py"


@pytest.fixture
def make_cin(tmp_path: Path) -> Callable[..., Path]:
    """Write a synthetic census file with make_cin_xml.py: make_cin(200, "--faults") -> path."""
    if not GENERATOR.exists():
        pytest.skip(f"the CIN generator is not at {GENERATOR.relative_to(REPO.parent)} beside the repository")

    def make(children: int, *options: str, name: str = "generated.xml") -> Path:
        out = tmp_path / name
        subprocess.run([sys.executable, str(GENERATOR), str(children), str(out), *options], check=True)
        return out

    return make


Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cpqa(capsys: pytest.CaptureFixture[str]) -> Run:
    """Run the `cpqa` command in-process: cpqa("check-cin", path) -> (status, stdout, stderr)."""

    def run(*argv: str) -> tuple[int, str, str]:
        try:
            status = main(list(argv))
        except SystemExit as exit_:  # argparse's own usage errors
            status = int(exit_.code or 0)
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return run
