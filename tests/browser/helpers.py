"""What every browser test does: sign in through the form, fill GOV.UK inputs, and at each step
save a screenshot and run the accessibility check (axe-core) on the page as the user sees it."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from playwright.sync_api import Locator, Page, expect

from cpqa.accounts.models import User
from tests.web.samples import PASSWORD

# WCAG 2.0, 2.1 and 2.2 at levels A and AA: the standard public-sector sites must meet.
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_AA_TAGS}, "resultTypes": ["violations"]}

_AXE = Axe()


def wcag_results(page: Page) -> dict[str, Any]:
    """axe-core's results for the WCAG A/AA rules on the page as it stands."""
    return dict(_AXE.run(page, options=AXE_OPTIONS).response)


def wcag_violations(page: Page) -> list[dict[str, Any]]:
    return list(wcag_results(page)["violations"])


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """Rule, impact and the elements' selectors: enough to find the template, and no page text."""
    lines = []
    for violation in violations:
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets[:5]}")
    return "\n".join(lines)


@dataclass
class Steps:
    """One test's journey: `check` after each step saves `NN-name.png` and asserts no violation."""

    page: Page
    base_url: str
    folder: Path
    taken: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base_url + path

    def visit(self, path: str) -> None:
        self.page.goto(self.url(path))

    def check(self, name: str) -> None:
        self.taken.append(name)
        self.page.screenshot(path=str(self.folder / f"{len(self.taken):02d}-{name}.png"), full_page=True)
        results = wcag_results(self.page)
        violations = results["violations"]
        # What axe could not decide (e.g. contrast over an image) is kept for a person to look at.
        summary = {key: [rule["id"] for rule in results[key]] for key in ("violations", "incomplete")}
        (self.folder / f"{len(self.taken):02d}-{name}.axe.json").write_text(json.dumps(summary, indent=1))
        assert not violations, f"WCAG 2.2 AA violations on {self.page.url} ({name}):\n" + describe_violations(
            violations
        )

    def sign_in(self, username: str, password: str = PASSWORD) -> None:
        self.visit("/sign-in/")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign in").click()
        expect(self.page.get_by_role("heading", level=1, name=re.compile("^Today"))).to_be_visible()

    def sign_out(self) -> None:
        self.page.get_by_role("button", name="Sign out").click()
        expect(self.page.get_by_role("heading", level=1, name="Sign in")).to_be_visible()

    def become(self, user: User) -> None:
        """Sign in as `user` by the session cookie Django's test client makes (the journey signs in
        through the form; the other tests only need to be someone)."""
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        self.page.context.clear_cookies()
        self.page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": self.base_url}])

    def refused_to(self, user: User, path: str) -> None:
        """`user` opens `path` and gets the 403 page (checked like any other page)."""
        self.become(user)
        self.refused(path, f"refused-to-{user.role.replace('_', '-')}")

    def refused(self, path: str, name: str) -> None:
        """The signed-in user opens `path` and gets the 403 page (checked like any other page)."""
        response = self.page.goto(self.url(path))
        assert response is not None and response.status == 403, (
            f"{path} answered {response and response.status}"
        )
        expect(
            self.page.get_by_role("heading", level=1, name="You do not have access to this page")
        ).to_be_visible()
        self.check(name)

    def submit(self, name: str) -> None:
        self.page.get_by_role("button", name=name).click()

    def success_banner(self) -> Locator:
        return self.page.locator(".govuk-notification-banner--success")


def fill_date(page: Page, legend: str, day: dt.date) -> None:
    """A GOV.UK date input: the Day, Month and Year boxes inside the fieldset named `legend`."""
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))
