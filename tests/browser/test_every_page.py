"""The accessibility check on every page of the app, not only those the journeys pass through.

The pages come from the same walk of the URL configuration as the URL-by-role test
(tests/web/test_url_access.py), with its sample record; each is opened by a role allowed to
see it (the QA manager where it may), screenshot, and checked with axe-core for WCAG 2.2 AA.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from cpqa.accounts.access import Sample
from cpqa.accounts.models import Role, User
from tests.browser.helpers import Steps
from tests.web.samples import ROLE_USERNAMES, build_sample_world
from tests.web.test_url_access import ROUTES, Route, _url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _is_download(route: Route) -> bool:
    """A URL whose last part has an extension (today/awaiting_initial_conference.csv, reports/annual/2023-24.json)
    is a file, not a page; the annual report's web page format is checked below on its own."""
    kwargs = {key: 1 if isinstance(value, Sample) else value for key, value in route.expect.sample.items()}
    return "." in reverse(route.name, kwargs=kwargs).rsplit("/", 1)[-1]


PAGES = [r for r in ROUTES if r.expect is not None and r.expect.method == "get" and not _is_download(r)]
# The sample day: the sample child's review is due on 24 April 2024 (tests/web/samples.py).
SAMPLE_TODAY = "2024-04-22"


def sample_user(role: str) -> User:
    return User.objects.get(username=ROLE_USERNAMES[role])


def _viewer(route: Route) -> User:
    allowed = route.expect.allowed
    return sample_user(Role.QA_MANAGER if Role.QA_MANAGER in allowed else min(allowed))


@pytest.mark.parametrize("route", PAGES, ids=lambda r: r.name)
def test_page_meets_wcag_aa(route: Route, page: Page, steps: Steps, settings: Any) -> None:
    settings.CPQA_TODAY = SAMPLE_TODAY
    world = build_sample_world()
    if not route.expect.public:
        steps.become(_viewer(route))
    response = page.goto(steps.url(_url(route, world)))
    assert response is not None and response.status == 200, f"{route.name}: {response and response.status}"
    steps.check(route.name)


def test_annual_report_web_page_meets_wcag_aa(page: Page, steps: Steps, settings: Any) -> None:
    """The report as a web page is a download (it is sent to the Board); opened in the browser it
    must read as well as the app's own pages."""
    settings.CPQA_TODAY = SAMPLE_TODAY
    build_sample_world()
    steps.become(sample_user(Role.QA_MANAGER))
    response = page.request.get(steps.url("/reports/annual/2023-24.html"))
    assert response.status == 200
    page.set_content(response.text())
    steps.check("annual-report-html")


def test_page_not_found_meets_wcag_aa(page: Page, steps: Steps) -> None:
    build_sample_world()
    steps.become(sample_user(Role.QA_MANAGER))
    response = page.goto(steps.url("/children/999999/"))
    assert response is not None and response.status == 404
    steps.check("not-found")
