"""The Reports page: annual report downloads, the lateness page and CSV, and the access log.

In the sample world the plan started at the initial conference on 24 Jan 2024 and its first
review is due 3 months later, 24 April 2024. These tests hold that review on Fri 26 April
(2 working days late: 25 and 26 April) with the reason "no chair available in time".

The record's reviews are judged from its first recorded review on (indicators.md), so the
fixture also records an earlier, in-time review for the other child: plan from 2 Oct 2023,
first review due and held 2 Jan 2024.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from cpqa.accounts.models import AccessEvent, Role
from cpqa.record import models as m


@pytest.fixture
def late_review(world: dict[str, int]) -> None:
    review = m.Conference.objects.get(pk=world["review_conference"])
    review.held_date = dt.date(2024, 4, 26)
    review.late_reason = "chair_capacity"
    review.save()
    other = m.Child.objects.get(pk=world["other_team_child"])
    plan = m.Plan.objects.create(
        child=other, start_date=dt.date(2023, 10, 2), initial_categories="EMO", latest_categories="EMO"
    )
    earlier = m.Conference.objects.create(
        conference_type="review", due_date=dt.date(2024, 1, 2), scheduled_date=dt.date(2024, 1, 2),
        held_date=dt.date(2024, 1, 2),
    )
    m.ConferenceSubject.objects.create(conference=earlier, child=other, plan=plan, outcome="plan_continued")


def _lateness(client: Client, **params: str) -> str:
    response = client.get(reverse("lateness"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_reports_page_lists_the_years_in_the_record(client_for: Callable[[str | None], Client]) -> None:
    """The record's conferences and plan are all in 2023-24, so that is the one year offered."""
    page = client_for(Role.ANALYST).get(reverse("reports")).content.decode()
    assert "2023-24" in page
    assert reverse("annual_report", kwargs={"year": "2023-24", "fmt": "xlsx"}) in page
    assert "2022-23" not in page and "2024-25" not in page


def test_annual_report_json_download_is_logged(client_for: Callable[[str | None], Client]) -> None:
    """The JSON download is the report contract for the year, and leaves a 'report' event."""
    response = client_for(Role.ANALYST).get(reverse("annual_report", kwargs={"year": "2023-24", "fmt": "json"}))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="cpqa-annual-report-2023-24.json"'
    report = json.loads(response.content)
    assert (report["schema"], report["year"]) == ("cpqa-annual-report/1", "2023-24")
    event = AccessEvent.objects.get(action="report")
    assert (event.object_type, event.object_id, event.detail) == ("annual_report", "2023-24", "annual report json")


@pytest.mark.parametrize("fmt, magic", [("xlsx", b"PK"), ("docx", b"PK"), ("html", b"<!")])
def test_annual_report_other_formats(client_for: Callable[[str | None], Client], fmt: str, magic: bytes) -> None:
    """Excel and Word files are zip packages; the HTML report is a page."""
    response = client_for(Role.QA_MANAGER).get(reverse("annual_report", kwargs={"year": "2023-24", "fmt": fmt}))
    assert response.status_code == 200
    assert response.content[:2].upper() == magic.upper()


@pytest.mark.parametrize("year, fmt", [("2023-25", "json"), ("2023-24", "pdf"), ("next-year", "json")])
def test_annual_report_bad_year_or_format_is_404(
    client_for: Callable[[str | None], Client], year: str, fmt: str
) -> None:
    """A year not of the form 2023-24, or a format not offered, is 'not found'."""
    response = client_for(Role.QA_MANAGER).get(reverse("annual_report", kwargs={"year": year, "fmt": fmt}))
    assert response.status_code == 404


@pytest.mark.usefixtures("late_review")
def test_lateness_week_shows_the_late_review_with_its_reason(client_for: Callable[[str | None], Client]) -> None:
    """The week of 22-28 April: one review held out of time, 2 working days, no chair available."""
    page = _lateness(client_for(Role.QA_MANAGER), period="week", on="2024-04-24")
    assert "Week beginning 22 April 2024" in page
    assert "1 held out of time." in page
    assert "No chair available in time" in page
    assert "Alex Testchild (TEST0001)" in page
    assert ">2<" in page


@pytest.mark.usefixtures("late_review")
def test_lateness_other_week_has_none(client_for: Callable[[str | None], Client]) -> None:
    """The week before (15-21 April) had no conference held out of time."""
    page = _lateness(client_for(Role.QA_MANAGER), period="week", on="2024-04-17")
    assert "0 held out of time." in page


@pytest.mark.usefixtures("late_review")
def test_lateness_month_for_the_analyst_is_counts_only(client_for: Callable[[str | None], Client]) -> None:
    """April 2024 for the analyst: the reason and count, but no child."""
    page = _lateness(client_for(Role.ANALYST), period="month", on="2024-04-01")
    assert "April 2024" in page and "1 held out of time." in page
    assert "No chair available in time" in page
    assert "Alex" not in page and "TEST0001" not in page


@pytest.mark.usefixtures("late_review")
def test_lateness_csv_by_role(client_for: Callable[[str | None], Client]) -> None:
    """The QA manager's CSV lists the child; the analyst's gives counts by reason only."""
    url = reverse("lateness_csv")
    qa = client_for(Role.QA_MANAGER).get(url, {"period": "week", "on": "2024-04-22"}).content.decode("utf-8-sig")
    analyst = client_for(Role.ANALYST).get(url, {"period": "week", "on": "2024-04-22"}).content.decode("utf-8-sig")
    assert qa.splitlines()[1] == "TEST0001,Alex,Testchild,review,2024-04-24,2024-04-26,2,chair_capacity"
    assert analyst.splitlines() == ["conference_type,late_reason,children", "review,chair_capacity,1"]
    assert AccessEvent.objects.filter(action="export", object_type="lateness").count() == 2


def test_access_log_shows_events_to_the_administrator(client_for: Callable[[str | None], Client]) -> None:
    """After the QA manager opens Today, the administrator's access log shows that list event."""
    client_for(Role.QA_MANAGER).get(reverse("today"))
    page = client_for(Role.ADMINISTRATOR).get(reverse("access_log"), {"action": "list"}).content.decode()
    assert "test-qa-manager" in page
    assert "Listed records" in page


def test_annex_a_download_for_the_qa_manager_is_logged(client_for: Callable[[str | None], Client]) -> None:
    """On 1 March 2024 the sample child's plan (from 24 Jan 2024) is open: list 7 has a row for
    TEST0001; the download is an export in the access log."""
    import io

    import openpyxl

    response = client_for(Role.QA_MANAGER).get(reverse("annex_a"), {"on": "2024-03-01"})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    list7_ids = [row[0] for row in book["List 7"].iter_rows(min_row=2, values_only=True)]
    assert "TEST0001" in list7_ids
    event = AccessEvent.objects.filter(action="export", object_type="annex_a").get()
    assert event.object_id == "2024-03-01" and "TEST" not in event.detail


@pytest.mark.parametrize("role", [Role.CHAIR, Role.BUSINESS_SUPPORT, Role.ANALYST, Role.SOCIAL_WORK_MANAGER])
def test_annex_a_is_refused_to_other_roles(client_for: Callable[[str | None], Client], role: str) -> None:
    assert client_for(role).get(reverse("annex_a")).status_code == 403
