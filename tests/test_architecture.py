"""The layers of docs/architecture.md hold: the import contracts in pyproject.toml are kept by
the code, and they would catch a forbidden import (each is shown breaking on a copy of the
code with one bad import added). No module loads another through importlib but the cli."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src" / "cpqa"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint_imports(source_root: Path) -> subprocess.CompletedProcess[str]:
    """Run the project's contracts over the `cpqa` package found under `source_root`."""
    env = dict(os.environ, PYTHONPATH=str(source_root))
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=source_root, env=env, capture_output=True, text=True, timeout=300, check=False,
    )


def test_the_code_keeps_every_import_contract() -> None:
    result = _lint_imports(ROOT / "src")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 5 kept, 0 broken." in result.stdout


@pytest.fixture(scope="module")
def code_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("code")
    shutil.copytree(SOURCE, root / "cpqa", ignore=shutil.ignore_patterns("__pycache__", "static", "templates"))
    return root


@pytest.mark.parametrize(
    ("module", "bad_import", "contract"),
    [
        ("domain/calendar.py", "from cpqa.web import views", "The domain is pure: no other cpqa package, no Django"),
        ("domain/codes.py", "import django.db", "The domain is pure: no other cpqa package, no Django"),
        ("interop/census.py", "from cpqa.cli import main",
         "Nothing below the shell imports the shell or the command line"),
        ("record/services.py", "from cpqa.conferences import services",
         "The record and the accounts know no workflow"),
        ("accounts/roles.py", "from cpqa.oversight import models", "The record and the accounts know no workflow"),
        ("domain/counting.py", "from cpqa.domain.indicators import common",
         "No import circles between sibling modules anywhere in cpqa"),
    ],
)
def test_a_forbidden_import_breaks_its_contract(code_copy: Path, module: str, bad_import: str, contract: str) -> None:
    path = code_copy / "cpqa" / module
    original = path.read_text(encoding="utf-8")
    path.write_text(original + f"\n{bad_import}  # planted by the test\n", encoding="utf-8")
    try:
        result = _lint_imports(code_copy)
    finally:
        path.write_text(original, encoding="utf-8")
    assert result.returncode == 1
    broken = result.stdout.split("Broken contracts", 1)[-1]
    assert contract in broken, result.stdout


def _dynamic_imports(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in {"import_module", "__import__"}:
                lines.append(node.lineno)
    return lines


def test_only_the_cli_loads_modules_through_importlib() -> None:
    found = {
        str(path.relative_to(SOURCE)): lines
        for path in SOURCE.rglob("*.py")
        if path.name != "cli.py" and (lines := _dynamic_imports(path))
    }
    assert found == {}
    # The check itself sees the cli's own lazy loading of the command modules.
    assert _dynamic_imports(SOURCE / "cli.py")
