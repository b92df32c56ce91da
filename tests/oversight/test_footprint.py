"""Concern notes and the chair's footprint: on one child's file, and per chair and team."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cpqa.accounts.models import Role
from cpqa.domain.calendar import ReportingYear
from cpqa.oversight import models as qa
from cpqa.oversight import selectors, services, tables
from cpqa.record import models as m

from .conftest import World, conference, plan

D = dt.date


def test_a_chair_case_of_concern_on_a_child_takes_the_childs_family(world: World) -> None:
    note = services.do_record_concern_note(
        kind="chair_case_of_concern",
        recorded_date=D(2018, 2, 1),
        note="No visit for 4 weeks (test).",
        by=world.users[Role.CHAIR],
        child=world.sibling_1,
    )
    assert (note.family, note.author) == (world.family, world.chair_a)
    table = tables.oversight_tables()["concern_notes"]
    assert table.select("child_id", "family_id", "kind", "recorded_date", "author_id").rows() == [
        ("QA0001", "FAM-QA-1", "chair_case_of_concern", D(2018, 2, 1), str(world.chair_a.pk))
    ]


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"child": None, "family": None}, "child"),
        ({"kind": "gossip"}, "kind"),
        ({"note": "   "}, "note"),
        ({"recorded_date": D(2099, 1, 1)}, "recorded_date"),
    ],
)
def test_bad_notes_are_refused(world: World, arguments: dict[str, object], field: str) -> None:
    values: dict[str, object] = {
        "kind": "qa_case_note",
        "recorded_date": D(2018, 2, 1),
        "note": "Consultation (test).",
        "by": world.users[Role.QA_MANAGER],
        "child": world.sibling_1,
    }
    values.update(arguments)
    with pytest.raises(ValidationError) as refused:
        services.do_record_concern_note(**values)  # type: ignore[arg-type]
    assert field in refused.value.message_dict
    assert qa.ConcernNote.objects.count() == 0


def test_a_child_from_another_family_and_the_wrong_role_are_refused(world: World) -> None:
    with pytest.raises(ValidationError, match="not in family FAM-QA-1"):
        services.do_record_concern_note(
            kind="qa_case_note",
            recorded_date=D(2018, 2, 1),
            note="x",
            by=world.users[Role.CHAIR],
            child=world.beta_child,
            family=world.family,
        )
    with pytest.raises(PermissionDenied):
        services.do_record_concern_note(
            kind="qa_case_note",
            recorded_date=D(2018, 2, 1),
            note="x",
            by=world.users[Role.BUSINESS_SUPPORT],
            child=world.sibling_1,
        )
    assert qa.ConcernNote.objects.count() == 0


@pytest.fixture
def footprint_world(world: World) -> World:
    """In 2017-18, chair A: a QA case note on sibling 1, a case of concern about the family (no
    child named), an escalation for both siblings and a midway review for sibling 1. Chair B:
    a case of concern on the Beta child. The QA manager: a QA case note on the Beta child in
    2016-17 (outside the year)."""
    chair, chair_b, qa_manager = world.users[Role.CHAIR], world.users["chair_b"], world.users[Role.QA_MANAGER]
    services.do_record_concern_note(
        kind="qa_case_note",
        recorded_date=D(2017, 11, 2),
        note="Consultation (test).",
        by=chair,
        child=world.sibling_1,
    )
    services.do_record_concern_note(
        kind="chair_case_of_concern",
        recorded_date=D(2017, 12, 5),
        note="Drift in the plan (test).",
        by=chair,
        family=world.family,
    )
    services.do_record_concern_note(
        kind="chair_case_of_concern",
        recorded_date=D(2018, 1, 8),
        note="Core group not held (test).",
        by=chair_b,
        child=world.beta_child,
    )
    services.do_record_concern_note(
        kind="qa_case_note",
        recorded_date=D(2017, 3, 1),
        note="Earlier (test).",
        by=qa_manager,
        child=world.beta_child,
    )
    services.do_raise_escalation(
        raised_date=D(2018, 1, 15),
        stage=1,
        reasons=["plan_not_progressed"],
        owner="Service manager (test)",
        by=chair,
        family=world.family,
    )
    sibling_plan = plan(world.sibling_1, D(2017, 10, 2))
    conference("initial", D(2017, 10, 2), world.chair_a, [(world.sibling_1, sibling_plan)])
    services.do_record_midway_review(
        plan=sibling_plan,
        held_date=D(2017, 11, 20),
        social_worker_present=True,
        manager_present=False,
        summary="On track (test).",
        by=chair,
    )
    return world


def test_the_childs_footprint_newest_first(footprint_world: World) -> None:
    footprint = selectors.child_footprint(footprint_world.sibling_1)
    assert [(e.on, e.what, e.who) for e in footprint.entries] == [
        (D(2018, 1, 15), "Formal escalation", "Chair Atest"),
        (D(2017, 12, 5), "Chair case of concern", "Chair Atest"),
        (D(2017, 11, 20), "Midway review", "Chair Atest"),
        (D(2017, 11, 2), "QA case note", "Chair Atest"),
    ]
    assert footprint.entries[0].detail == "Raised at stage 1, open at stage 1: Plan not progressed"
    assert footprint.entries[1].detail.endswith("(about the family)")
    assert footprint.entries[2].detail.startswith("With the social worker.")
    # The Beta child's file holds only its own notes.
    assert [e.on for e in selectors.child_footprint(footprint_world.beta_child).entries] == [
        D(2018, 1, 8),
        D(2017, 3, 1),
    ]


def test_footprint_per_chair_and_team_in_the_year(footprint_world: World) -> None:
    """Chair A in Alpha: 1 consultation, 1 case of concern (the family's), 1 escalation, 1 midway.
    Chair B in Beta: 1 case of concern. The QA manager's note was in 2016-17."""
    rows = selectors.footprint_summary(footprint_world.users[Role.ANALYST], ReportingYear(2017))
    assert [
        (r.staff.name, r.team, r.consultations, r.cases_of_concern, r.escalations, r.midway_reviews)
        for r in rows
    ] == [
        ("Chair Atest", "Team Alpha (test)", 1, 1, 1, 1),
        ("Chair Btest", "Team Beta (test)", 0, 1, 0, 0),
    ]
    managers_view = selectors.footprint_summary(
        footprint_world.users[Role.SOCIAL_WORK_MANAGER], ReportingYear(2017)
    )
    assert [r.team for r in managers_view] == ["Team Alpha (test)"]


def test_linked_chairs_per_team(footprint_world: World) -> None:
    teams = selectors.linked_chairs(footprint_world.users[Role.QA_MANAGER])
    assert [(t.name, t.linked_chair) for t in teams] == [
        ("Team Alpha (test)", footprint_world.chair_a),
        ("Team Beta (test)", None),
    ]
    assert m.Team.objects.count() == 2
