"""Search: by name, local id, date of birth (as people type it), family and conference; narrowed
to what the user may see, logged by the children shown, never the term; bad input answered in
words, never a 500.

The sample world (tests/web/samples.py, all fake): Alex Testchild (TEST0001), born 1 May 2015,
Team Alpha, family "Testfamily household" (FAM-TEST-1), with an initial conference held on
24 January 2024 (outcome plan) and a review booked for 22 April 2024, both chaired by "Chair
Testperson"; Sam Otherteam (TEST0002), born 1 June 2016, Team Beta, no family. The social work
manager manages Team Alpha only. The service's day is pinned at Monday 15 April 2024, so the
initial conference is held (its one child has an outcome) and the review is booked (after D).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db.models import Max
from django.test import Client
from django.urls import reverse

from cpqa.accounts.models import AccessEvent, Role
from cpqa.record import models as m
from cpqa.web.search import parse_date_term
from tests.support.html import tables, text

SERVICE_DAY = "2024-04-15"


@pytest.fixture(autouse=True)
def pinned_day(settings: Any) -> None:
    settings.CPQA_TODAY = SERVICE_DAY


def _search(client: Client, term: str) -> str:
    response = client.post(reverse("search"), {"term": term})
    assert response.status_code == 200
    return response.content.decode()


def _children_found(page: str) -> list[str]:
    """The local ids in the Children table (second column), or [] when none was found."""
    return [row[1] for row in tables(page).get("Children found", [])[1:]]


@pytest.mark.parametrize(
    "term", ["alex", "TESTCHILD", "testch", "test0001", "0001", "Alex Testchild", "  alex   TESTCHILD "]
)
def test_a_child_is_found_by_name_or_local_id_in_part_and_in_any_case(
    client_for: Callable[[str | None], Client], term: str
) -> None:
    assert _children_found(_search(client_for(Role.QA_MANAGER), term)) == ["TEST0001"]


@pytest.mark.parametrize("term", ["01/05/2015", "1/5/2015", "1.5.2015", "1-5-2015", "1 May 2015",
                                  "1st may 2015", "1 May, 2015", "2015-05-01"])
def test_a_child_is_found_by_date_of_birth_as_people_type_it(
    client_for: Callable[[str | None], Client], term: str
) -> None:
    page = _search(client_for(Role.QA_MANAGER), term)
    assert _children_found(page) == ["TEST0001"]
    assert "Children born on 1 May 2015" in text(page)


def test_the_dates_people_type_read_day_first() -> None:
    # 12/03/2015 is 12 March in England, never 3 December.
    import datetime as dt

    assert parse_date_term("12/03/2015") == dt.date(2015, 3, 12)
    assert parse_date_term("12 Mar 2015") == dt.date(2015, 3, 12)
    assert parse_date_term("2015-03-12") == dt.date(2015, 3, 12)
    assert parse_date_term("Alex") is None
    assert parse_date_term("TEST0001") is None


def test_both_children_match_a_shared_part_of_the_local_id_for_a_role_that_sees_both(
    client_for: Callable[[str | None], Client],
) -> None:
    # Ordered by last name: Otherteam before Testchild.
    assert _children_found(_search(client_for(Role.QA_MANAGER), "TEST000")) == ["TEST0002", "TEST0001"]


def test_a_family_is_found_by_its_name_and_its_view_is_one_click_away(
    client_for: Callable[[str | None], Client], world: dict[str, int]
) -> None:
    page = _search(client_for(Role.BUSINESS_SUPPORT), "testfamily")
    assert _children_found(page) == ["TEST0001"]
    family_url = reverse("family_detail", args=[world["family"]])
    assert page.count(f'href="{family_url}"') == 2  # the child's row and the Families list
    assert "Testfamily household (FAM-TEST-1) – children: Alex Testchild" in text(page)


def test_the_childs_page_links_to_the_family_view(
    client_for: Callable[[str | None], Client], world: dict[str, int]
) -> None:
    page = client_for(Role.CHAIR).get(reverse("child_detail", args=[world["child"]])).content.decode()
    assert f'href="{reverse("family_detail", args=[world["family"]])}"' in page


def test_conferences_are_found_by_chair_by_date_and_by_child(
    client_for: Callable[[str | None], Client], world: dict[str, int]
) -> None:
    client = client_for(Role.CHAIR)
    by_chair = tables(_search(client, "chair testperson"))["Conferences found"]
    # Newest first; the review (22 April 2024, after 15 April) is booked, the initial held.
    assert by_chair[1:] == [
        ["22 April 2024", "Review child protection conference", "Chair Testperson", "Alex Testchild", "Booked"],
        ["24 January 2024", "Initial child protection conference", "Chair Testperson", "Alex Testchild", "Held"],
    ]
    by_date = _search(client, "24 January 2024")
    assert [row[0] for row in tables(by_date)["Conferences found"][1:]] == ["24 January 2024"]
    assert _children_found(by_date) == []  # nobody was born that day
    assert len(tables(_search(client, "alex"))["Conferences found"]) == 3
    assert f'href="{reverse("conference_detail", args=[world["conference"]])}"' in by_date


def test_a_social_work_manager_does_not_find_another_teams_child_and_the_page_shows_nothing_of_it(
    client_for: Callable[[str | None], Client], world: dict[str, int]
) -> None:
    manager = client_for(Role.SOCIAL_WORK_MANAGER)
    assert _children_found(_search(manager, "alex")) == ["TEST0001"]
    hidden = _search(manager, "Otherteam")
    assert _children_found(hidden) == []
    # Take the other team's child out of the record: the same search reads exactly the same,
    # so the page never told the manager that such a child exists.
    m.Child.objects.filter(pk=world["other_team_child"]).delete()
    nothing = _search(manager, "Otherteam")
    assert _without_tokens(hidden) == _without_tokens(nothing)
    # The manager is not a conference reader: no conference list at all.
    assert "Conferences" not in text(hidden)


def _latest_event() -> int:
    """The newest access-log entry's id: the log cannot be emptied, so tests read what follows it."""
    return AccessEvent.objects.aggregate(newest=Max("pk"))["newest"] or 0


def _without_tokens(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def test_the_access_log_holds_the_children_shown_and_never_the_term(
    client_for: Callable[[str | None], Client], world: dict[str, int]
) -> None:
    client = client_for(Role.QA_MANAGER)
    before = _latest_event()
    # "Testchild" is Alex's last name, not the family's name ("Testfamily household"): one child,
    # no family, and Alex's two conferences.
    _search(client, "Testchild")
    search = AccessEvent.objects.get(pk__gt=before)
    assert search.action == "search"
    assert search.detail == "search by name or id: children 1 families 0 conferences 2"
    # The one event names the child shown, by record id.
    assert search.children.split() == [str(world["child"])]
    assert not AccessEvent.objects.filter(detail__icontains="testchild").exists()


def test_a_search_that_shows_nobody_logs_the_search_and_no_child(
    client_for: Callable[[str | None], Client],
) -> None:
    client = client_for(Role.SOCIAL_WORK_MANAGER)
    before = _latest_event()
    _search(client, "Otherteam")
    assert list(AccessEvent.objects.filter(pk__gt=before).values_list("action", "detail", "children")) == [
        ("search", "search by name or id: children 0 families 0 conferences 0", "")
    ]


@pytest.mark.parametrize(
    ("term", "message"),
    [
        ("", "Enter a name, local id or date of birth"),
        ("   ", "Enter a name, local id or date of birth"),
        ("a", "Enter at least 2 letters or numbers"),
        ("31/02/2015", "Enter a real date, for example 12/03/2015 or 12 March 2015"),
        ("12/13/2015", "Enter a real date, for example 12/03/2015 or 12 March 2015"),
        ("30 Febtober 2015", "Enter a real date, for example 12/03/2015 or 12 March 2015"),
        ("12/03/15", "Enter the year in full, for example 12/03/2015"),
        ("x" * 101, "Search for 100 characters or fewer"),
    ],
)
def test_bad_input_gets_a_clear_message_and_searches_nothing(
    client_for: Callable[[str | None], Client], term: str, message: str
) -> None:
    client = client_for(Role.QA_MANAGER)
    before = _latest_event()
    response = client.post(reverse("search"), {"term": term})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and message in text(page)
    assert "Children found" not in page
    assert not AccessEvent.objects.filter(pk__gt=before, action="search").exists()


def test_the_header_box_posts_the_term_for_roles_that_search_and_is_absent_for_others(
    client_for: Callable[[str | None], Client],
) -> None:
    page = client_for(Role.BUSINESS_SUPPORT).get(reverse("today")).content.decode()
    box = re.search(r'<form method="(\w+)" action="([^"]+)" role="search"', page)
    assert box is not None and box.groups() == ("post", reverse("search"))
    assert 'id="header-search-term" name="term"' in page
    analyst = client_for(Role.ANALYST)
    assert 'role="search"' not in analyst.get(reverse("today")).content.decode()
    assert analyst.post(reverse("search"), {"term": "alex"}).status_code == 403


def test_the_search_page_answers_a_get_with_the_box_only(client_for: Callable[[str | None], Client]) -> None:
    page = client_for(Role.CHAIR).get(reverse("search")).content.decode()
    assert '<form method="post" action="/search/"' in page
    assert "Children found" not in page and "There is a problem" not in page
