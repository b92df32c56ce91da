"""Today's "Core groups due" list on fixed days, its CSV, and the domain function agreeing.

The sample world (tests/web/samples.py): Alex Testchild's plan started at the initial
conference on Wednesday 24 January 2024, with no core group held. First core group: 24 Jan + 10
working days = 25, 26, 29, 30, 31 Jan, 1, 2, 5, 6, 7 Feb: Wednesday 7 February 2024.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from cpqa.accounts.models import Role
from cpqa.conferences.models import CoreGroupMeeting
from cpqa.core.config import authority_config
from cpqa.domain.core_groups import core_groups_due
from cpqa.record import models as m
from cpqa.record.selectors import record_tables

D = dt.date


def _csv(client: Client, on: str) -> list[str]:
    response = client.get(reverse("today_csv", kwargs={"key": "core-groups"}), {"on": on})
    assert response.status_code == 200
    return response.content.decode("utf-8-sig").splitlines()


def test_the_first_core_group_is_due_soon_on_monday_5_february(client_for: Callable[[str | None], Client]) -> None:
    # On Mon 5 Feb, working days after D up to and including 7 Feb: 6, 7 = 2 (at most 3): due soon.
    client = client_for(Role.QA_MANAGER)
    page = client.get(reverse("today"), {"on": "2024-02-05"}).content.decode()
    assert "Core groups due" in page
    assert "7 February 2024" in page
    lines = _csv(client, "2024-02-05")
    assert lines[0] == "child,plan_start,last_core_group,due_date,status"
    assert lines[1:] == ["TEST0001,2024-01-24,,2024-02-07,due_soon"]


def test_a_core_group_held_moves_the_next_four_weeks_on(client_for: Callable[[str | None], Client]) -> None:
    # Held Tue 6 Feb: next due 6 Feb + 28 days = Tue 5 March 2024. On Mon 12 Feb that is 16
    # working days away: on track. On Wed 6 March it is overdue.
    plan = m.Plan.objects.get(child__local_id="TEST0001")
    CoreGroupMeeting.objects.create(plan=plan, held_date=D(2024, 2, 6), agencies_attended="police social_care")
    client = client_for(Role.QA_MANAGER)
    assert _csv(client, "2024-02-12")[1:] == [
        "TEST0001,2024-01-24,2024-02-06,2024-03-05,on_track"
    ]
    assert _csv(client, "2024-03-06")[1:] == [
        "TEST0001,2024-01-24,2024-02-06,2024-03-05,overdue"
    ]
    # The list's rows are the domain function's rows over the same record.
    frame = core_groups_due(record_tables(), D(2024, 3, 6), authority_config(), authority_config().calendar)
    assert frame.select("child_id", "due_date", "status").rows() == [("TEST0001", D(2024, 3, 5), "overdue")]


def test_the_chair_has_no_core_group_list(client_for: Callable[[str | None], Client]) -> None:
    response = client_for(Role.CHAIR).get(reverse("today_csv", kwargs={"key": "core-groups"}))
    assert response.status_code in (403, 404)


def test_a_social_work_manager_sees_their_teams_core_groups(
    client_for: Callable[[str | None], Client],
) -> None:
    # Their record is narrowed to Team Alpha's children (the record cache narrows every table,
    # core groups too); Alex is in Team Alpha, so the row is the QA manager's.
    lines = _csv(client_for(Role.SOCIAL_WORK_MANAGER), "2024-02-05")
    assert lines[1:] == ["TEST0001,2024-01-24,,2024-02-07,due_soon"]
