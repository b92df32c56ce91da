"""The access log's page: search by user, child and dates, a page at a time, the CSV; and the
QA manager's "who has seen this record" section on a child's page."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from django.test import Client, RequestFactory

from cpqa.accounts.access import log_access
from cpqa.accounts.models import AccessEvent, Role, User
from cpqa.web.access_log import PAGE_SIZE
from tests.web.samples import ROLE_USERNAMES


def _log_lists(role: str, children: list[int], times: int) -> None:
    request = RequestFactory().get("/")
    request.user = User.objects.get(username=ROLE_USERNAMES[role])
    for _ in range(times):
        log_access(request, "list", "today", "", "today", children=children)


def test_search_by_child_and_user_and_pages(world: dict[str, int], client_for: Callable[[str | None], Client]) -> None:
    """60 lists naming the child by the chair, 5 not naming it by the QA manager: a child search finds 60."""
    _log_lists(Role.CHAIR, [world["child"]], 60)
    _log_lists(Role.QA_MANAGER, [world["other_team_child"]], 5)
    admin = client_for(Role.ADMINISTRATOR)
    first = admin.get("/access-log/", {"child": world["child"], "action": "list"})
    body = first.content.decode()
    # 60 events at 50 a page: page 1 of 2, with a link to page 2.
    assert "60 events, page 1 of 2" in body and "govuk-pagination" in body and "page=2" in body
    second = admin.get("/access-log/", {"child": world["child"], "action": "list", "page": 2}).content.decode()
    assert second.count("<tr class=\"govuk-table__row\">") == 1 + (60 - PAGE_SIZE)
    by_user = admin.get("/access-log/", {"user": ROLE_USERNAMES[Role.QA_MANAGER], "action": "list"}).content.decode()
    assert "5 events" in by_user
    # The search itself is in the log, naming the child searched for.
    # Two of the three searches named the child.
    assert AccessEvent.objects.filter(action="search", children=f" {world['child']} ").count() == 2


def test_bad_search_values_are_told_clearly(world: dict[str, int], client_for: Callable[[str | None], Client]) -> None:
    page = client_for(Role.ADMINISTRATOR).get("/access-log/", {"from": "2027-02-30", "child": "Alex"})
    body = page.content.decode()
    assert page.status_code == 200 and "There is a problem" in body
    assert "From must be a date in the form YYYY-MM-DD" in body and "Enter the child&#x27;s record number" in body


def test_a_control_character_in_the_user_is_told_clearly_and_searches_nothing(
    world: dict[str, int], client_for: Callable[[str | None], Client]
) -> None:
    # PostgreSQL refuses a NUL byte in any text; the search says so in words instead of failing.
    page = client_for(Role.ADMINISTRATOR).get("/access-log/", {"user": "demo\x00qa"})
    body = page.content.decode()
    assert page.status_code == 200 and "There is a problem" in body
    assert "Enter the username as it is written" in body
    # Its own log entry records what was searched without the refused value.
    newest = AccessEvent.objects.order_by("-position").first()
    assert newest is not None and "\x00" not in newest.detail


def test_csv_has_the_same_events_and_is_logged(world: dict[str, int], client_for: Callable[[str | None], Client]) -> None:
    _log_lists(Role.CHAIR, [world["child"]], 3)
    response = client_for(Role.ADMINISTRATOR).get("/access-log.csv", {"child": world["child"], "action": "list"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "When" and len(rows) == 1 + 3
    assert {row[5] for row in rows[1:]} == {str(world["child"])}
    assert AccessEvent.objects.filter(action="export", object_type="access_log").count() == 1


def test_a_qa_manager_sees_who_has_seen_a_child(world: dict[str, int], client_for: Callable[[str | None], Client]) -> None:
    """The chair's view of the child shows on the QA manager's copy of the page; the chair sees no such section."""
    chair = client_for(Role.CHAIR)
    assert "Who has seen this record" not in chair.get(f"/children/{world['child']}/").content.decode()
    page = client_for(Role.QA_MANAGER).get(f"/children/{world['child']}/").content.decode()
    section = page.split("Who has seen this record")[1]
    assert ROLE_USERNAMES[Role.CHAIR] in section
