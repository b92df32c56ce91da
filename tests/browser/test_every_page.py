"""The accessibility check on every page of the app, not only those the journeys pass through.

The pages come from the same walk of the URL configuration as the URL-by-role test
(tests/web/test_url_access.py), with its sample record; each is opened by a role allowed to
see it (the QA manager where it may), screenshot, and checked with axe-core for WCAG 2.2 AA.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

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


def test_search_results_and_their_errors_meet_wcag_aa(page: Page, steps: Steps, settings: Any) -> None:
    """The results are a POST (the term never goes in the address), so the walk above reaches
    only the empty search page: here the header box is used as a person would, for results,
    for a date of birth and for an impossible date."""
    settings.CPQA_TODAY = SAMPLE_TODAY
    build_sample_world()
    steps.become(sample_user(Role.QA_MANAGER))
    steps.visit(reverse("today"))
    page.get_by_label("Search for a child, family or conference").fill("testchild")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Search results")).to_be_visible()
    assert page.url == steps.url(reverse("search"))
    steps.check("search-results")
    page.get_by_role("link", name=re.compile("^Testfamily household")).click()
    expect(page.get_by_role("heading", level=1, name="Testfamily household")).to_be_visible()
    steps.visit(reverse("search"))
    page.get_by_label("Search for a child, family or conference").fill("1 May 2015")
    steps.submit("Search")
    expect(page.get_by_role("table", name="Children found")).to_contain_text("TEST0001")
    steps.check("search-by-date-of-birth")
    page.get_by_label("Search for a child, family or conference").fill("31/02/2015")
    steps.submit("Search again")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a real date")
    steps.check("search-impossible-date")


def test_diary_month_and_dates_views_meet_wcag_aa(page: Page, steps: Steps, settings: Any) -> None:
    settings.CPQA_TODAY = SAMPLE_TODAY
    build_sample_world()
    steps.become(sample_user(Role.BUSINESS_SUPPORT))
    steps.visit(reverse("diary") + "?view=month&on_day=1&on_month=4&on_year=2024")
    # The sample review is booked for the sample day itself with nothing recorded: outcome missing.
    expect(page.get_by_role("table", name="Monday 22 April 2024")).to_contain_text("Outcome missing")
    steps.check("diary-month")
    steps.visit(reverse("diary") + "?view=dates&start_day=9&start_month=4&start_year=2024&end_day=1")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    steps.check("diary-dates-error")
