"""Today per role, its CSV downloads, and what each role may not see there.

The sample world (tests/web/samples.py): Alex Testchild (TEST0001, Team Alpha) had a
strategy discussion on Wed 3 Jan 2024, so the initial conference was due 15 working days
later, Wed 24 Jan (4-5, 8-12, 15-19, 22-24 January), and was held that day; the plan started
then, so the first review is due 24 April, booked for Mon 22 April.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

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


def test_chair_sees_their_conferences_for_four_weeks(
    client_for: Callable[[str | None], Client], world: dict[str, int]
) -> None:
    """The review booked for Mon 22 April is on the chair's list from 26 March (22 April is the
    27th day after it: D to D + 27 days is four weeks) but not on 25 March (the 28th day after);
    the row opens the conference's page, not the child's record."""
    page = _today(client_for(Role.CHAIR), "2024-03-26")
    assert "My conferences in the next 4 weeks" in page
    section = page.split('id="my_conferences"', 1)[1].split("</section>", 1)[0]
    assert "Alex Testchild (TEST0001)" in section and "22 April 2024" in section
    conference = m.Conference.objects.get(conference_type="review")
    assert f'href="{reverse("conference_detail", kwargs={"pk": conference.pk})}"' in section
    assert f'href="{reverse("child_detail", kwargs={"pk": world["child"]})}"' not in section
    early = _today(client_for(Role.CHAIR), "2024-03-25").split('id="my_conferences"', 1)[1].split("</section>", 1)[0]
    assert "You have no conferences in the next 4 weeks." in early


def test_business_support_sees_paperwork(client_for: Callable[[str | None], Client]) -> None:
    """On 10 April: invitations for the review on the 22nd, and the January decision letter.

    Working days from the conference on 24 Jan to 10 Apr: 25-26 and 29-31 Jan (5), February
    (21), March less Good Friday 29th (20), 2-5 and 8-10 April (7, Easter Monday 1 April) = 53.
    """
    page = _today(client_for(Role.BUSINESS_SUPPORT), "2024-04-10")
    assert "Invitations to send" in page
    assert "Decision letters to send" in page
    letters = page.split('id="decision_letters"', 1)[1].split("</section>", 1)[0]
    initial = m.Conference.objects.get(conference_type="initial")
    # The row opens the conference and carries its own "Record sent today" form.
    assert f'href="{reverse("conference_detail", kwargs={"pk": initial.pk})}"' in letters
    assert f'action="{reverse("today_record_sent", kwargs={"pk": initial.pk})}"' in letters
    assert 'value="decision_letter"' in letters


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
    response = client_for(Role.QA_MANAGER).get(
        reverse("today_csv", kwargs={"key": "awaiting_initial_conference"}), {"on": "2024-01-10"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    lines = response.content.decode("utf-8-sig").splitlines()
    # The daily report's row keys; booked on 24 Jan, its due date, so "booked".
    assert lines[0] == "child,due,status,enquiry_start,booked_for"
    assert lines[1:] == ["TEST0001,2024-01-24,booked,2024-01-03,2024-01-24"]
    event = AccessEvent.objects.get(action="export")
    assert (event.object_type, event.object_id) == ("tracker", "awaiting_initial_conference")
    assert "Alex" not in event.detail
    # The one row's child, TEST0001, is named in the log by its record id (not a count).
    from cpqa.record.models import Child

    assert event.children == f" {Child.objects.get(local_id='TEST0001').pk} "


def test_csv_of_another_roles_list_is_refused(client_for: Callable[[str | None], Client]) -> None:
    """A chair asking for business support's 'to book' list gets 403, logged as denied."""
    response = client_for(Role.CHAIR).get(reverse("today_csv", kwargs={"key": "to_book"}))
    assert response.status_code == 403
    assert AccessEvent.objects.filter(action="denied", object_id="to_book").exists()


def test_csv_of_an_unknown_list_is_404(client_for: Callable[[str | None], Client]) -> None:
    """A list name that does not exist is 'not found'."""
    response = client_for(Role.QA_MANAGER).get(reverse("today_csv", kwargs={"key": "no-such-list"}))
    assert response.status_code == 404


@pytest.mark.parametrize("value, expected", [("=SUM(A1)", "'=SUM(A1)"), ("Smith", "Smith"), ("", "")])
def test_csv_cells_cannot_become_formulas(value: str, expected: str) -> None:
    """Text starting with =, +, - or @ is prefixed with ' so a spreadsheet shows it as text."""
    from cpqa.web.today_tables import csv_safe

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
    overdue_section = page.split('id="escalation_responses_overdue"', 1)[1].split("</section>", 1)[0]
    assert "TEST0001" in overdue_section and "8 March 2024" in overdue_section
    # The chair raised it: on the 8th (due today, not overdue) it is on their own list as due
    # soon, and on the 11th as overdue.
    for day, status in (("2024-03-08", "Due within 3 working days"), ("2024-03-11", "Overdue")):
        chair_page = _today(client_for(Role.CHAIR), day)
        mine = chair_page.split('id="my_escalation_responses"', 1)[1].split("</section>", 1)[0]
        assert "TEST0001" in mine and "8 March 2024" in mine and status in mine
    assert "Responses due on escalations you raised" not in _today(client_for(Role.BUSINESS_SUPPORT), "2024-03-11")


def test_business_support_record_a_letter_sent_without_leaving_the_list(
    client_for: Callable[[str | None], Client], settings: Any
) -> None:
    """On 11 March the January conference's decision letter is on the list; "Record sent today"
    records it through the conferences service, comes back to the same place in the list, and
    the letter is gone from it."""
    settings.CPQA_TODAY = "2024-03-11"
    client = client_for(Role.BUSINESS_SUPPORT)
    initial = m.Conference.objects.get(conference_type="initial")
    back = "?decision_letters-page=1#decision_letters"
    response = client.post(reverse("today_record_sent", kwargs={"pk": initial.pk}),
                           {"document": "decision_letter", "next": back})
    assert response.status_code == 302
    assert response["Location"] == reverse("today") + "?decision_letters-page=1&sent=decision_letter#decision_letters"
    initial.refresh_from_db()
    assert initial.decision_letter_sent_date == dt.date(2024, 3, 11)
    page = client.get(response["Location"]).content.decode()
    assert "Recorded as sent today." in page
    letters = page.split('id="decision_letters"', 1)[1].split("</section>", 1)[0]
    assert "No decision letter is outstanding for the last 3 months." in letters


def test_recording_minutes_for_a_conference_not_held_is_refused_in_words(
    client_for: Callable[[str | None], Client], settings: Any
) -> None:
    """The review of 22 April has not been held on 11 March: its minutes cannot be sent."""
    settings.CPQA_TODAY = "2024-03-11"
    review = m.Conference.objects.get(conference_type="review")
    response = client_for(Role.BUSINESS_SUPPORT).post(
        reverse("today_record_sent", kwargs={"pk": review.pk}), {"document": "minutes", "next": "https://evil.example/"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and "has not been held yet" in page and "Nothing was recorded." in page
    assert "evil.example" not in page
    review.refresh_from_db()
    assert review.minutes_sent_date is None


def test_a_chair_cannot_record_paperwork(client_for: Callable[[str | None], Client]) -> None:
    initial = m.Conference.objects.get(conference_type="initial")
    response = client_for(Role.CHAIR).post(reverse("today_record_sent", kwargs={"pk": initial.pk}),
                                           {"document": "decision_letter"})
    assert response.status_code == 403
    initial.refresh_from_db()
    assert initial.decision_letter_sent_date is None


def _awaiting_many(world: dict[str, int], count: int) -> None:
    """`count` more enquiries for the Team Beta child, strategy discussions from Mon 8 Jan 2024."""
    other = m.Child.objects.get(pk=world["other_team_child"])
    referral = m.Referral.objects.create(child=other, referral_date=dt.date(2024, 1, 4))
    for n in range(count):
        m.Section47.objects.create(referral=referral, start_date=dt.date(2024, 1, 8) + dt.timedelta(days=n % 3))


def test_a_long_list_is_paginated_25_a_page(
    client_for: Callable[[str | None], Client], world: dict[str, int]
) -> None:
    """31 enquiries await on 10 Jan (TEST0001's and 30 more): page 1 has 25 rows, page 2 the other 6,
    with the GOV.UK pagination links; the count beside the list is all 31."""
    _awaiting_many(world, 30)
    client = client_for(Role.QA_MANAGER)
    first = client.get(reverse("today"), {"on": "2024-01-10"})
    [section] = [s for s in first.context["sections"] if s.item.key == "awaiting_initial_conference"]
    assert (section.count, len(section.rows), [p.number for p in section.pages]) == (31, 25, [1, 2])
    assert 'class="govuk-pagination"' in first.content.decode()
    second = client.get(reverse("today"), {"on": "2024-01-10", "awaiting_initial_conference-page": "2"})
    [section] = [s for s in second.context["sections"] if s.item.key == "awaiting_initial_conference"]
    assert len(section.rows) == 6 and section.previous_href and not section.next_href


def test_filters_by_team_and_date_with_counts_by_status(
    client_for: Callable[[str | None], Client], world: dict[str, int]
) -> None:
    """Team Beta's 3 enquiries (8, 9, 10 Jan: due 29, 30, 31 Jan) on 10 Jan, not TEST0001's;
    to 30 Jan, two. Each is on track (13+ working days away), so the counts say 2 on track."""
    _awaiting_many(world, 3)
    client = client_for(Role.QA_MANAGER)
    response = client.get(reverse("today"), {"on": "2024-01-10", "team": "Team Beta (test)", "to": "2024-01-30"})
    [section] = [s for s in response.context["sections"] if s.item.key == "awaiting_initial_conference"]
    assert (section.count, section.total) == (2, 4)
    assert dict(section.status_counts)["on_track"] == 2 and dict(section.status_counts)["booked"] == 0
    bad = client.get(reverse("today"), {"on": "2024-01-10", "from": "10/01/2024"}).content.decode()
    assert "Enter the first date as a date in the form YYYY-MM-DD" in bad
