"""Today per role, its CSV downloads, and what each role may not see there.

The sample world (tests/web/samples.py): Alex Testchild (TEST0001, Team Alpha) had a
strategy discussion on Wed 3 Jan 2024, so the initial conference was due 15 working days
later, Wed 24 Jan (4-5, 8-12, 15-19, 22-24 January), and was held that day; the plan started
then, so the first review is due 24 April, booked for Mon 22 April.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from cpqa.accounts.models import AccessEvent, Role
from cpqa.record import models as m


def _today(client: Client, on: str) -> str:
    response = client.get(reverse("today"), {"on": on})
    assert response.status_code == 200
    return response.content.decode()


def test_qa_manager_sees_the_enquiry_awaiting_its_conference(client_for: Callable[[str | None], Client]) -> None:
    """On 10 Jan the enquiry awaits its conference, due 24 Jan (10 working days away: on track)."""
    page = _today(client_for(Role.QA_MANAGER), "2024-01-10")
    assert "Section 47 enquiries awaiting an initial conference" in page
    assert "Alex Testchild (TEST0001)" in page
    assert "24 January 2024" in page
    assert "On track" in page


def test_the_child_links_to_their_record(
    client_for: Callable[[str | None], Client], world: dict[str, int]
) -> None:
    """Each row's child links to the child's record page."""
    page = _today(client_for(Role.QA_MANAGER), "2024-01-10")
    assert f'href="{reverse("child_detail", kwargs={"pk": world["child"]})}"' in page


def test_after_the_conference_the_enquiry_leaves_the_list(client_for: Callable[[str | None], Client]) -> None:
    """On 25 Jan, the day after the conference was held, nothing awaits a conference."""
    page = _today(client_for(Role.QA_MANAGER), "2024-01-25")
    assert "No section 47 enquiry is waiting for an initial conference." in page


def test_social_work_manager_sees_only_their_teams(
    client_for: Callable[[str | None], Client], world: dict[str, int]
) -> None:
    """A second enquiry for a Team Beta child shows to the QA manager but not to Team Alpha's manager."""
    other = m.Child.objects.get(pk=world["other_team_child"])
    referral = m.Referral.objects.create(child=other, referral_date=dt.date(2024, 1, 4))
    m.Section47.objects.create(referral=referral, start_date=dt.date(2024, 1, 5))
    qa_page = _today(client_for(Role.QA_MANAGER), "2024-01-10")
    manager_page = _today(client_for(Role.SOCIAL_WORK_MANAGER), "2024-01-10")
    assert "Sam Otherteam" in qa_page
    assert "Sam Otherteam" not in manager_page
    assert "Alex Testchild" in manager_page
    assert "Team Alpha (test)" in manager_page


def test_chair_sees_their_conferences_this_week(client_for: Callable[[str | None], Client]) -> None:
    """On Mon 22 April the chair's week holds the review booked that day."""
    page = _today(client_for(Role.CHAIR), "2024-04-22")
    assert "My conferences this week" in page
    assert "Alex Testchild (TEST0001)" in page
    assert "22 April 2024" in page


def test_business_support_sees_paperwork(client_for: Callable[[str | None], Client]) -> None:
    """On 10 April: invitations for the review on the 22nd, and the January decision letter.

    Working days from the conference on 24 Jan to 10 Apr: 25-26 and 29-31 Jan (5), February
    (21), March less Good Friday 29th (20), 2-5 and 8-10 April (7, Easter Monday 1 April) = 53.
    """
    page = _today(client_for(Role.BUSINESS_SUPPORT), "2024-04-10")
    assert "Invitations to send" in page
    assert "Decision letters outstanding" in page
    assert ">53<" in page


def test_analyst_sees_counts_not_children(client_for: Callable[[str | None], Client]) -> None:
    """The analyst's Today gives numbers only: no child's name or id."""
    page = _today(client_for(Role.ANALYST), "2024-01-10")
    assert "Section 47 enquiries awaiting an initial conference" in page
    assert "Alex" not in page and "TEST0001" not in page


def test_administrator_sees_accounts_not_children(client_for: Callable[[str | None], Client]) -> None:
    """The administrator's Today shows accounts by role and no child."""
    page = _today(client_for(Role.ADMINISTRATOR), "2024-01-10")
    assert "Active accounts" in page
    assert "Alex" not in page and "TEST0001" not in page


def test_a_bad_date_falls_back_to_today_with_a_warning(client_for: Callable[[str | None], Client]) -> None:
    """?on=31/01/2024 is not YYYY-MM-DD: the page says so and shows today."""
    page = _today(client_for(Role.QA_MANAGER), "31/01/2024")
    assert "is not a date in the form YYYY-MM-DD" in page


def test_today_is_logged_as_a_list(client_for: Callable[[str | None], Client]) -> None:
    """Opening Today as a child-level role leaves one 'list' event in the access log."""
    _today(client_for(Role.QA_MANAGER), "2024-01-10")
    event = AccessEvent.objects.get(action="list")
    assert event.object_type == "today"


def test_csv_download_of_a_list(client_for: Callable[[str | None], Client]) -> None:
    """The awaiting list as CSV: a header, one row with ISO dates and codes, logged as an export."""
    response = client_for(Role.QA_MANAGER).get(reverse("today_csv", kwargs={"key": "awaiting-icpc"}), {"on": "2024-01-10"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "child_id,first_name,last_name,Team,Strategy discussion,Conference due,Booked for,Status"
    assert lines[1:] == ["TEST0001,Alex,Testchild,Team Alpha (test),2024-01-03,2024-01-24,2024-01-24,on_track"]
    event = AccessEvent.objects.get(action="export")
    assert (event.object_type, event.object_id) == ("tracker", "awaiting-icpc")
    assert "Alex" not in event.detail
    # The one row's child, TEST0001, is named in the log by its record id (not a count).
    from cpqa.record.models import Child

    assert event.children == f" {Child.objects.get(local_id='TEST0001').pk} "


def test_csv_of_another_roles_list_is_refused(client_for: Callable[[str | None], Client]) -> None:
    """A chair asking for business support's 'to book' list gets 403, logged as denied."""
    response = client_for(Role.CHAIR).get(reverse("today_csv", kwargs={"key": "to-book"}))
    assert response.status_code == 403
    assert AccessEvent.objects.filter(action="denied", object_id="to-book").exists()


def test_csv_of_an_unknown_list_is_404(client_for: Callable[[str | None], Client]) -> None:
    """A list name that does not exist is 'not found'."""
    response = client_for(Role.QA_MANAGER).get(reverse("today_csv", kwargs={"key": "no-such-list"}))
    assert response.status_code == 404


@pytest.mark.parametrize("value, expected", [("=SUM(A1)", "'=SUM(A1)"), ("Smith", "Smith"), ("", "")])
def test_csv_cells_cannot_become_formulas(value: str, expected: str) -> None:
    """Text starting with =, +, - or @ is prefixed with ' so a spreadsheet shows it as text."""
    from cpqa.web.today import csv_safe

    assert csv_safe(value) == expected


def test_paperwork_older_than_three_months_leaves_today(client_for: Callable[[str | None], Client]) -> None:
    """On 1 May the 24 January conference is 98 days old, past the 92-day window: no letter row."""
    page = _today(client_for(Role.BUSINESS_SUPPORT), "2024-05-01")
    assert "No decision letter is outstanding for the last 3 months." in page


def test_overdue_escalation_response_shows_for_qa_manager_and_chair(
    client_for: Callable[[str | None], Client],
) -> None:
    """The sample's stage 1 escalation wants a response by Fri 8 Mar 2024: on the 8th it is not
    yet overdue; on Mon 11 Mar it is, for the QA manager and the chairs, not business support."""
    assert "No escalation is waiting past its response date." in _today(client_for(Role.QA_MANAGER), "2024-03-08")
    page = _today(client_for(Role.QA_MANAGER), "2024-03-11")
    assert "Escalation responses overdue" in page
    overdue_section = page.split("Escalation responses overdue", 1)[1]
    assert "Alex Testchild (TEST0001)" in overdue_section and "8 March 2024" in overdue_section
    assert "Escalation responses overdue" in _today(client_for(Role.CHAIR), "2024-03-11")
    assert "Escalation responses overdue" not in _today(client_for(Role.BUSINESS_SUPPORT), "2024-03-11")
