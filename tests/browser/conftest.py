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
from django.db import DEFAULT_DB_ALIAS, connections
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
        configured = os.environ.get("CPQA_CHROMIUM")
        where = f"CPQA_CHROMIUM={configured} is not a file; " if configured else ""
        pytest.skip(
            f"{where}Chromium not installed: apt-get install chromium (or set CPQA_CHROMIUM to its path)"
        )
    # `--headed` (pytest-playwright's option, for watching a test on a machine with a display)
    # turns headless off; Chromium's own --headless flag would otherwise win.
    headless = browser_type_launch_args.get("headless", True)
    args = CHROMIUM_ARGS if headless else [a for a in CHROMIUM_ARGS if a != "--headless"]
    return {**browser_type_launch_args, "executable_path": executable, "args": args}


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


@pytest.fixture(scope="session")
def seeded_rows(django_db_setup: None) -> str | None:
    """The rows the migrations seed (the escalation reasons), as Django serialised them when it
    made the test database; taken before Playwright starts (see `seeded_rows_back`)."""
    return getattr(connections[DEFAULT_DB_ALIAS], "_test_serialized_contents", None)


@pytest.fixture(autouse=True)
def seeded_rows_back(request: pytest.FixtureRequest, seeded_rows: str | None, page: Page) -> None:
    """`serialized_rollback` puts the seeded rows back after each test's flush, from an attribute
    of the database connection. Under Playwright's sync API the test runs in a context of its own
    and so gets a connection of its own, without that attribute: once the tests before were run
    outside it (any non-browser test), the rows would stay flushed. The first such test puts them
    back itself and hands the attribute on; from then on Django does it."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("serialized_rollback") or seeded_rows is None:
        return
    connection = connections[DEFAULT_DB_ALIAS]
    if not hasattr(connection, "_test_serialized_contents"):
        connection._test_serialized_contents = seeded_rows
        connection.creation.deserialize_db_from_string(seeded_rows)


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
