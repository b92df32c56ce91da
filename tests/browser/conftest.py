"""Browser tests: Playwright for Python driving Debian's Chromium against pytest-django's live server.

Chromium is found at $CPQA_CHROMIUM, else `chromium` or `chromium-browser` on PATH; with none,
every browser test is skipped with the command that installs it. Playwright never downloads a
browser of its own here (`playwright install` needs a network this project does not have).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import Steps

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Generous: other engineers' test runs share the 2 cores, and a slow page is not a failure here.
ACTION_TIMEOUT_MS = 30_000
NAVIGATION_TIMEOUT_MS = 60_000

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"


def chromium_executable() -> str | None:
    configured = os.environ.get("CPQA_CHROMIUM")
    if configured:
        return configured if Path(configured).is_file() else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    executable = chromium_executable()
    if executable is None:
        pytest.skip("Chromium not installed: apt-get install chromium (or set CPQA_CHROMIUM to its path)")
    return {**browser_type_launch_args, "executable_path": executable, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_context_args,
        "viewport": {"width": 1280, "height": 900},
        "locale": "en-GB",
        "timezone_id": "Europe/London",
    }


@pytest.fixture(scope="session", autouse=True)
def orm_beside_playwright() -> Iterator[None]:
    """Playwright's sync API keeps an asyncio loop running in the test's thread for the whole
    session, so Django would refuse every ORM call the test makes (SynchronousOnlyOperation).
    The tests are plain synchronous code, so the check is switched off while the browser lives."""
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if before is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    # Argon2 is deliberately slow and every test signs in two or three times through the form;
    # the real hasher is tested in tests/accounts.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def page(page: Page) -> Page:
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    page.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
    expect.set_options(timeout=ACTION_TIMEOUT_MS)
    return page


@pytest.fixture
def steps(page: Page, live_server: Any, request: pytest.FixtureRequest) -> Steps:
    """Screenshots and the accessibility check for each step of the test, under test-artifacts/."""
    # test_page_meets_wcag_aa[chromium-today] -> test_page_meets_wcag_aa-chromium-today
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "-", request.node.name).strip("-")
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return Steps(page=page, base_url=live_server.url, folder=folder)
