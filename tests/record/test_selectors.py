"""The database as the record's tables: what a report, tracker or export reads."""

from __future__ import annotations

import datetime as dt

import pytest

from cpqa.record import models as m
from cpqa.record.selectors import record_tables

D = dt.date


@pytest.fixture
def two_siblings_at_one_conference() -> dict[str, object]:
    """A fake family: two siblings, one s47 each, one initial conference about both, one plan each."""
    team = m.Team.objects.create(name="Assessment Team Zeta (fake)")
    family = m.Family.objects.create(reference="FAM-TEST-1", name="Testfamily (fake)")
    chair = m.StaffMember.objects.create(name="Chair Fakename", role="chair")
    older = m.Child.objects.create(
        local_id="TESTC1", family=family, first_name="Fakeone", last_name="Testfamily", sex="F",
        date_of_birth=D(2010, 5, 1), ethnicity="WBRI", disabilities="NONE", team=team,
    )
    unborn = m.Child.objects.create(
        local_id="TESTC2", family=family, sex="U", expected_date_of_birth=D(2018, 6, 30), ethnicity="NOBT",
    )
    conference = m.Conference.objects.create(
        conference_type="initial", due_date=D(2018, 4, 11), scheduled_date=D(2018, 4, 10),
        held_date=D(2018, 4, 10), chair=chair, quorate=True,
    )
    for child in (older, unborn):
        referral = m.Referral.objects.create(child=child, referral_date=D(2018, 3, 12), source="6")
        m.Assessment.objects.create(
            referral=referral, start_date=D(2018, 3, 12), authorised_date=D(2018, 4, 2), factors="3B 4B"
        )
        discussion = m.StrategyDiscussion.objects.create(
            referral=referral, held_date=D(2018, 3, 19),
            notified_to_qa_date=D(2018, 3, 22) if child is older else None,
        )
        s47 = m.Section47.objects.create(referral=referral, start_date=D(2018, 3, 19), strategy_discussion=discussion)
        plan = m.Plan.objects.create(
            child=child, referral=referral, start_date=D(2018, 4, 10),
            initial_categories="NEG+EMO", latest_categories="NEG+EMO",
        )
        m.ConferenceSubject.objects.create(
            conference=conference, child=child, section47=s47, plan=plan, outcome="plan",
            participation_code="PN7" if child is older else "",
        )
    m.Invitee.objects.create(conference=conference, agency="social_care", attendance="attended")
    m.Invitee.objects.create(conference=conference, agency="police", attendance="apologies", report_submitted=True)
    return {"conference": conference, "older": older, "unborn": unborn}


@pytest.mark.django_db
def test_record_tables_reads_every_fact(two_siblings_at_one_conference: dict[str, object]) -> None:
    """Each child is a row; the conference about two siblings is two rows sharing one meeting."""
    record = record_tables()
    assert record.source == "database"
    children = record.children.sort("child_id")
    assert children["child_id"].to_list() == ["TESTC1", "TESTC2"]
    assert children["family_id"].to_list() == ["FAM-TEST-1", "FAM-TEST-1"]
    assert children["disabilities"].to_list() == [["NONE"], []]
    assert children["team"].to_list() == ["Assessment Team Zeta (fake)", None]
    assert children["date_of_birth"].to_list() == [D(2010, 5, 1), None]

    conferences = record.conferences
    assert conferences.height == 2
    assert conferences["meeting_id"].n_unique() == 1
    assert set(conferences["outcome"]) == {"plan"}
    assert set(conferences["held_date"]) == {D(2018, 4, 10)}
    assert sorted(conferences["participation_code"].to_list(), key=str) == [None, "PN7"]

    s47 = record.s47.sort("child_id")
    assert s47["qa_notified_date"].to_list() == [D(2018, 3, 22), None]

    plans = record.plans
    assert plans["initial_category"].to_list() == ["MUL", "MUL"]
    assert plans["initial_categories"].to_list() == [["EMO", "NEG"], ["EMO", "NEG"]]
    assert record.assessments["factors"].to_list() == [["3B", "4B"], ["3B", "4B"]]

    attendance = record.attendance.sort("agency")
    assert attendance["agency"].to_list() == ["police", "social_care"]
    assert attendance["attended"].to_list() == [False, True]
    assert attendance["report_submitted"].to_list() == [True, False]


@pytest.mark.django_db
def test_record_tables_narrowed_to_some_children(two_siblings_at_one_conference: dict[str, object]) -> None:
    """A social work manager's view: only the children asked for, and only their conference rows."""
    record = record_tables(children=m.Child.objects.filter(local_id="TESTC2"))
    assert record.children["child_id"].to_list() == ["TESTC2"]
    assert record.conferences["child_id"].to_list() == ["TESTC2"]
    assert record.plans.height == 1


@pytest.mark.django_db
def test_schema_check_sees_an_unapplied_migration() -> None:
    """ensure_database runs `migrate` only when a migration on disk is not recorded as applied."""
    from django.db import connection

    from cpqa.core.commands import _schema_is_current

    assert _schema_is_current()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = 'record' AND name = '0001_initial'")
    assert not _schema_is_current()


@pytest.mark.django_db
def test_record_tables_for_no_children_is_an_empty_record(two_siblings_at_one_conference: dict[str, object]) -> None:
    """A manager with no teams: Django knows the answer is empty before asking the database."""
    record = record_tables(children=m.Child.objects.filter(pk__in=[]))
    assert record.children.height == 0 and record.conferences.height == 0 and record.attendance.height == 0


@pytest.mark.django_db
def test_fetch_frame_types_a_column_of_whole_and_part_numbers_as_numbers() -> None:
    """A full-time (1) and a half-time (0.5) chair: SQLite hands back the int 1 and the float 0.5
    in one column, which must become one column of numbers (1.0, 0.5), not a refusal."""
    from decimal import Decimal

    from cpqa.record.selectors import fetch_frame

    m.StaffMember.objects.create(name="Chair Fullfake", role="chair", fte=Decimal(1))
    m.StaffMember.objects.create(name="Chair Halffake", role="chair", fte=Decimal("0.5"))
    frame = fetch_frame(m.StaffMember.objects.order_by("name").values_list("name", "fte"), ["name", "fte"])
    assert frame["name"].to_list() == ["Chair Fullfake", "Chair Halffake"]
    assert [float(fte) for fte in frame["fte"].to_list()] == [1.0, 0.5]
