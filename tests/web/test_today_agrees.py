"""Every Today page agrees with `cpqa today` for the same user and day (random small records),
and the daily lists agree with counts made independently by plain ORM queries on the
synthetic authority.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
from collections import Counter
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpqa.accounts.models import User
from cpqa.accounts.roles import CHILD_ROLES
from cpqa.cli import main
from cpqa.domain.calendar import add_months
from cpqa.oversight import models as qa
from cpqa.record import models as m
from tests.web.samples import ROLE_USERNAMES

D = dt.date(2024, 4, 5)


def _command(argv: list[str]) -> dict[str, Any]:
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    with contextlib.redirect_stdout(out):
        assert main(["today", *argv]) == 0
        out.flush()
        return json.loads(out.buffer.getvalue())


child_facts = st.fixed_dictionaries({
    "team": st.sampled_from(["alpha", "beta"]),
    "s47_days_ago": st.one_of(st.none(), st.integers(-3, 60)),
    "completed": st.booleans(),
    "not_required": st.booleans(),
    "conference_in": st.one_of(st.none(), st.integers(-20, 40)),
    "conference_held": st.booleans(),
    "outcome": st.booleans(),
    "plan_days_ago": st.one_of(st.none(), st.integers(0, 900)),
    "review_in": st.one_of(st.none(), st.integers(-10, 60)),
    "transfer_days_ago": st.one_of(st.none(), st.integers(0, 40)),
    "escalation_due_in": st.one_of(st.none(), st.integers(-6, 8)),
})


def _make_child(n: int, facts: dict[str, Any], teams: dict[str, m.Team], chair: m.StaffMember) -> None:
    child = m.Child.objects.create(local_id=f"HYP{n:04d}", first_name="Hypo", last_name=f"Child{n}",
                                   date_of_birth=dt.date(2015, 1, 1), team=teams[facts["team"]])
    if facts["s47_days_ago"] is not None:
        start = D - dt.timedelta(days=facts["s47_days_ago"])
        referral = m.Referral.objects.create(child=child, referral_date=start)
        s47 = m.Section47.objects.create(
            referral=referral, start_date=start, conference_not_required=facts["not_required"],
            completed_date=start + dt.timedelta(days=5) if facts["completed"] else None,
        )
        if facts["conference_in"] is not None:
            day = D + dt.timedelta(days=facts["conference_in"])
            held = day if facts["conference_held"] and day <= D else None
            conference = m.Conference.objects.create(conference_type="initial", scheduled_date=day, held_date=held,
                                                     chair=chair)
            m.ConferenceSubject.objects.create(conference=conference, child=child, section47=s47,
                                               outcome="no_plan" if held and facts["outcome"] else "")
    if facts["plan_days_ago"] is not None:
        referral = m.Referral.objects.create(child=child, referral_date=D - dt.timedelta(days=facts["plan_days_ago"]))
        plan = m.Plan.objects.create(child=child, referral=referral, start_date=referral.referral_date,
                                     initial_categories="NEG", latest_categories="NEG")
        if facts["review_in"] is not None:
            review = m.Conference.objects.create(conference_type="review", chair=chair,
                                                 scheduled_date=D + dt.timedelta(days=facts["review_in"]))
            m.ConferenceSubject.objects.create(conference=review, child=child, plan=plan)
    if facts["transfer_days_ago"] is not None:
        m.TransferInNotification.objects.create(child=child, from_authority="Elsewhere (test)",
                                                received_date=D - dt.timedelta(days=facts["transfer_days_ago"]))
    if facts["escalation_due_in"] is not None:
        escalation = qa.Escalation.objects.create(raised_date=D - dt.timedelta(days=10), raised_by=chair,
                                                  stage_raised=1, reasons="plan_not_progressed")
        qa.EscalationChild.objects.create(escalation=escalation, child=child)
        qa.EscalationStage.objects.create(escalation=escalation, stage=1, started_date=D - dt.timedelta(days=10),
                                          response_due_date=D + dt.timedelta(days=facts["escalation_due_in"]),
                                          owner="Team manager (test)")


def _page_sections(username: str) -> list[Any]:
    client = Client()
    client.force_login(User.objects.get(username=username))
    response = client.get(reverse("today"), {"on": D.isoformat()})
    assert response.status_code == 200
    return response.context["sections"]


def _assert_page_equals_command(username: str) -> None:
    sections = _page_sections(username)
    report = _command(["--as-of", D.isoformat(), "--user", username])
    assert [s.item.key for s in sections] == list(report["lists"])
    for section in sections:
        rows = report["lists"][section.item.key]
        assert section.count == len(rows), section.item.key
        if section.status_counts:
            by_status = Counter(row["status"] for row in rows)
            assert dict(section.status_counts) == {s: by_status.get(s, 0) for s, _ in section.status_counts}
            # Every row with a status is counted once (an invitation whose conference has no
            # booking day has no due date, so no status).
            assert sum(n for _, n in section.status_counts) == sum(1 for row in rows if row["status"])
        # The page shows the first 25 rows, in the command's order.
        assert len(section.rows) == min(25, len(rows))
        for page_row, row in zip(section.rows, rows, strict=False):
            assert str(row["child"]) in " ".join(cell.text for cell in page_row.cells), section.item.key


@pytest.mark.django_db
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(children=st.lists(child_facts, min_size=1, max_size=6))
def test_every_today_page_equals_the_command(world: dict[str, int], children: list[dict[str, Any]]) -> None:
    with transaction.atomic():
        teams = {"alpha": m.Team.objects.get(name="Team Alpha (test)"), "beta": m.Team.objects.get(name="Team Beta (test)")}
        chair = m.StaffMember.objects.get(pk=world["staff"])
        for n, facts in enumerate(children):
            _make_child(n, facts, teams, chair)
        for role in sorted(CHILD_ROLES):
            _assert_page_equals_command(ROLE_USERNAMES[role])
        transaction.set_rollback(True)


# The synthetic authority, counted by plain queries ---------------------------------------------


def _open_episode(day: dt.date) -> Q:
    return Q(referral__closure_date__isnull=True) | Q(referral__closure_date__gt=day)


def _orm_awaiting(day: dt.date) -> int:
    """Enquiries started by D, episode open, no initial conference held by D, not closed as not required."""
    held = m.ConferenceSubject.objects.filter(
        section47=OuterRef("pk"), conference__cancelled=False, conference__conference_type__in=["initial", "prebirth"],
        conference__held_date__lte=day,
    )
    closed = Q(conference_not_required=True) & (
        Q(completed_date__lte=day) | Q(completed_date__isnull=True, start_date__lte=day)
    )
    return (m.Section47.objects.filter(_open_episode(day), start_date__lte=day).exclude(closed)
            .exclude(Exists(held)).count())


def _orm_outcomes_missing(day: dt.date) -> int:
    dated = Q(conference__held_date__lte=day) | Q(conference__held_date__isnull=True, conference__scheduled_date__lte=day)
    return m.ConferenceSubject.objects.filter(
        dated, conference__cancelled=False, outcome="",
        conference__conference_type__in=["initial", "prebirth", "review", "transfer_in"],
    ).count()


def _orm_long_plans(day: dt.date) -> int:
    open_plan = Q(end_date__isnull=True) | Q(end_date__gt=day)
    return m.Plan.objects.filter(open_plan, start_date__lte=add_months(day, -12)).count()


def _orm_escalations_overdue(day: dt.date) -> int:
    return qa.EscalationStage.objects.filter(outcome="", response_date__isnull=True, response_due_date__lt=day).count()


def _orm_transfer_ins_to_book(day: dt.date) -> int:
    answered = m.ConferenceSubject.objects.filter(
        Q(conference__transfer_notification=OuterRef("pk"))
        | Q(conference__held_date__gte=OuterRef("received_date"))
        | Q(conference__held_date__isnull=True, conference__scheduled_date__gte=OuterRef("received_date")),
        child=OuterRef("child"), conference__cancelled=False, conference__conference_type="transfer_in",
    )
    on_plan = m.Plan.objects.filter(Q(end_date__isnull=True) | Q(end_date__gt=day), child=OuterRef("child"),
                                    start_date__lte=day)
    return (m.TransferInNotification.objects.filter(received_date__lte=day)
            .exclude(Exists(answered)).exclude(Exists(on_plan)).count())


@pytest.mark.django_db
def test_the_synthetic_authority_lists_equal_plain_counts(capsys: Any) -> None:
    """On the synthetic authority (seed 5) on its record day and a month before, each list's
    length equals an independent count over the database."""
    from cpqa.record.load import load_synthetic_authority
    from cpqa.synthetic import generate_authority

    authority = generate_authority(seed=5, children_on_plan=80)
    load_synthetic_authority(authority)
    for day in (dt.date(2018, 3, 31), dt.date(2018, 2, 28)):
        lists = _command(["--as-of", day.isoformat()])["lists"]
        assert len(lists["awaiting_initial_conference"]) == _orm_awaiting(day)
        assert len(lists["outcomes_missing"]) == _orm_outcomes_missing(day)
        assert len(lists["long_plans"]) == _orm_long_plans(day)
        assert len(lists["escalation_responses_overdue"]) == _orm_escalations_overdue(day)
        transfers = [r for r in lists["to_book"] if r["conference_type"] == "transfer_in"]
        assert len(transfers) == _orm_transfer_ins_to_book(day)
    # The case: enquiries wait on 31 March 2018 (the old list showed none).
    assert _orm_awaiting(dt.date(2018, 3, 31)) > 0
