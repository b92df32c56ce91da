"""Escalations through the services: raising, responses, resolving and escalating, with
response dates worked out by hand from a wall calendar; and the record's escalation tables."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cpqa.accounts.models import Role
from cpqa.domain.config import AuthorityConfig
from cpqa.oversight import models as qa
from cpqa.oversight import selectors, services
from cpqa.oversight import tables as qa_tables
from cpqa.record.errors import RecordError
from cpqa.record.models import RecordChange

from .conftest import World

D = dt.date


def raise_for_sibling(world: World, **overrides: object) -> qa.Escalation:
    arguments: dict[str, object] = {
        "raised_date": D(2018, 3, 23),
        "stage": 1,
        "reasons": ["visits_out_of_timescale", "core_group_not_held"],
        "owner": "Service manager (test)",
        "by": world.users[Role.CHAIR],
        "children": [world.sibling_1],
    }
    arguments.update(overrides)
    return services.do_raise_escalation(**arguments)  # type: ignore[arg-type]


def test_raising_at_stage_one_sets_the_response_due_date_and_the_family(world: World) -> None:
    """Fri 2018-03-23 + 5 working days: 26-29 March (4), Good Friday and Easter Monday skipped,
    Tue 3 April (5)."""
    escalation = raise_for_sibling(world)
    stage = escalation.stages.get()
    assert (stage.stage, stage.started_date, stage.response_due_date) == (1, D(2018, 3, 23), D(2018, 4, 3))
    assert escalation.family == world.family
    assert list(escalation.children.all()) == [world.sibling_1]
    assert escalation.raised_by == world.chair_a
    assert escalation.reason_codes == ["visits_out_of_timescale", "core_group_not_held"]
    assert RecordChange.objects.filter(action="raise_escalation", object_id=str(escalation.pk)).count() == 1


def test_raising_for_a_family_takes_all_its_children(world: World) -> None:
    escalation = raise_for_sibling(world, children=[], family=world.family, stage=2)
    assert set(escalation.children.all()) == {world.sibling_1, world.sibling_2}
    assert escalation.stages.get().stage == 2


def test_stage_three_response_days_come_from_the_authority(world: World) -> None:
    """Stage 3 with 10 working days from Mon 2018-05-21: 22-25 (4), Mon 28 May bank holiday,
    29-31 May and 1 June (8), 4 and 5 June (10)."""
    escalation = raise_for_sibling(world, raised_date=D(2018, 5, 21), stage=3)
    assert escalation.stages.get().response_due_date == D(2018, 6, 5)
    configured = raise_for_sibling(
        world,
        raised_date=D(2018, 5, 21),
        stage=3,
        children=[world.beta_child],
        config=AuthorityConfig(escalation_response_working_days={1: 5, 2: 5, 3: 2}),
    )
    assert configured.stages.get().response_due_date == D(2018, 5, 23)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"reasons": []}, "reasons"),
        ({"reasons": ["not_a_reason"]}, "reasons"),
        ({"stage": 4}, "stage"),
        ({"owner": "  "}, "owner"),
        ({"raised_date": D(2099, 1, 1)}, "raised_date"),
        ({"children": []}, "children"),
    ],
)
def test_bad_escalations_are_refused_naming_the_field_and_nothing_is_written(
    world: World, overrides: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        raise_for_sibling(world, **overrides)
    assert field in refused.value.message_dict
    assert qa.Escalation.objects.count() == 0
    assert qa.EscalationStage.objects.count() == 0


def test_children_of_two_families_are_refused(world: World) -> None:
    with pytest.raises(ValidationError, match="different families"):
        raise_for_sibling(world, children=[world.sibling_1, world.beta_child])
    with pytest.raises(ValidationError, match="QA0003"):
        raise_for_sibling(world, children=[world.beta_child], family=world.family)
    assert qa.Escalation.objects.count() == 0


def test_a_retired_reason_is_no_longer_offered(world: World) -> None:
    reason = qa.EscalationReason.objects.get(code="core_group_not_held")
    services.do_set_escalation_reason_active(reason=reason, active=False, by=world.users[Role.QA_MANAGER])
    with pytest.raises(ValidationError, match="retired"):
        raise_for_sibling(world)
    services.do_add_escalation_reason(
        code="no_core_group_minutes",
        label="Core group minutes missing (test)",
        by=world.users[Role.QA_MANAGER],
    )
    escalation = raise_for_sibling(world, reasons=["no_core_group_minutes"])
    assert escalation.reason_codes == ["no_core_group_minutes"]


@pytest.mark.parametrize(
    "role", [Role.BUSINESS_SUPPORT, Role.SOCIAL_WORK_MANAGER, Role.ANALYST, Role.ADMINISTRATOR]
)
def test_only_chairs_and_the_qa_manager_raise_escalations(world: World, role: str) -> None:
    with pytest.raises(PermissionDenied):
        raise_for_sibling(world, by=world.users[role])
    assert qa.Escalation.objects.count() == 0


def test_only_the_qa_manager_and_administrator_change_the_reasons(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.do_add_escalation_reason(code="x", label="X", by=world.users[Role.CHAIR])
    with pytest.raises(ValidationError, match="already"):
        services.do_add_escalation_reason(
            code="other", label="Other again", by=world.users[Role.ADMINISTRATOR]
        )


def test_response_then_resolution_at_stage_one(world: World) -> None:
    escalation = raise_for_sibling(world)
    chair = world.users[Role.CHAIR]
    services.do_record_escalation_response(
        escalation=escalation, response_date=D(2018, 3, 29), response="Visits booked (test).", by=chair
    )
    services.do_resolve_escalation(escalation=escalation, resolved_date=D(2018, 4, 4), by=chair)
    escalation.refresh_from_db()
    stage = escalation.stages.get()
    assert (stage.response_date, stage.outcome, stage.outcome_date) == (
        D(2018, 3, 29),
        "resolved",
        D(2018, 4, 4),
    )
    assert (escalation.resolved_stage, escalation.resolved_date) == (1, D(2018, 4, 4))
    with pytest.raises(RecordError, match="resolved"):
        services.do_resolve_escalation(escalation=escalation, resolved_date=D(2018, 4, 5), by=chair)


def test_a_response_before_the_stage_began_is_refused(world: World) -> None:
    escalation = raise_for_sibling(world)
    with pytest.raises(ValidationError, match="before stage 1 began"):
        services.do_record_escalation_response(
            escalation=escalation,
            response_date=D(2018, 3, 22),
            response="Too early (test).",
            by=world.users[Role.CHAIR],
        )
    assert escalation.stages.get().response_date is None


def test_escalating_to_stage_two_then_three_and_no_further(world: World) -> None:
    """Stage 2 from Tue 2018-04-10: 11, 12, 13, 16, 17 -> due Tue 17 April. Stage 3 from
    Wed 2018-04-18 with 10 working days: 19, 20, 23-27, 30 April, 1, 2 May -> Wed 2 May."""
    escalation = raise_for_sibling(world)
    qa_manager = world.users[Role.QA_MANAGER]
    second = services.do_escalate_to_next_stage(
        escalation=escalation,
        escalated_date=D(2018, 4, 10),
        onward_reason="no_response",
        owner="Head of service (test)",
        by=qa_manager,
    )
    assert (second.stage, second.response_due_date) == (2, D(2018, 4, 17))
    third = services.do_escalate_to_next_stage(
        escalation=escalation,
        escalated_date=D(2018, 4, 18),
        onward_reason="chair_not_satisfied",
        owner="Director (test)",
        by=qa_manager,
    )
    assert (third.stage, third.response_due_date) == (3, D(2018, 5, 2))
    with pytest.raises(RecordError, match="last stage"):
        services.do_escalate_to_next_stage(
            escalation=escalation,
            escalated_date=D(2018, 5, 3),
            onward_reason="other",
            owner="Nobody",
            by=qa_manager,
        )
    assert [s.onward_reason for s in escalation.stages.order_by("stage")] == [
        "no_response",
        "chair_not_satisfied",
        "",
    ]


def test_escalating_needs_a_known_onward_reason(world: World) -> None:
    escalation = raise_for_sibling(world)
    with pytest.raises(ValidationError) as refused:
        services.do_escalate_to_next_stage(
            escalation=escalation,
            escalated_date=D(2018, 4, 10),
            onward_reason="bored",
            owner="Head (test)",
            by=world.users[Role.CHAIR],
        )
    assert "onward_reason" in refused.value.message_dict
    assert escalation.stages.count() == 1
    assert escalation.stages.get().outcome == ""


def test_overdue_responses_for_today_by_role(world: World) -> None:
    """Stage 1 raised Fri 2018-03-23 is due Tue 3 April: not overdue on the 3rd, overdue on the 4th.
    The social work manager of Team Alpha sees it; an analyst sees no child-level items."""
    escalation = raise_for_sibling(world)
    raise_for_sibling(world, children=[world.beta_child])
    qa_manager = world.users[Role.QA_MANAGER]
    assert selectors.overdue_escalation_responses(qa_manager, D(2018, 4, 3)) == []
    overdue = selectors.overdue_escalation_responses(qa_manager, D(2018, 4, 4))
    assert len(overdue) == 2
    swm = selectors.overdue_escalation_responses(world.users[Role.SOCIAL_WORK_MANAGER], D(2018, 4, 4))
    assert [s.escalation_id for s in swm] == [escalation.pk]
    assert selectors.overdue_escalation_responses(world.users[Role.ANALYST], D(2018, 4, 4)) == []
    services.do_record_escalation_response(
        escalation=escalation, response_date=D(2018, 4, 4), response="Done (test).", by=qa_manager
    )
    assert len(selectors.overdue_escalation_responses(qa_manager, D(2018, 4, 5))) == 1


def test_escalation_tables_of_the_record(world: World) -> None:
    """Raised at 1, escalated to 2 (no response), resolved at 2: stage_reached 2, onward ["no_response"]."""
    escalation = raise_for_sibling(world, children=[], family=world.family)
    by = world.users[Role.CHAIR]
    services.do_escalate_to_next_stage(
        escalation=escalation,
        escalated_date=D(2018, 4, 10),
        onward_reason="no_response",
        owner="Head (test)",
        by=by,
    )
    services.do_resolve_escalation(escalation=escalation, resolved_date=D(2018, 4, 20), by=by)
    tables = qa_tables.oversight_tables()
    assert tables["escalations"].to_dicts() == [
        {
            "escalation_id": str(escalation.pk),
            "family_id": "FAM-QA-1",
            "raised_date": D(2018, 3, 23),
            "raised_by": str(world.chair_a.pk),
            "stage_raised": 1,
            "stage_reached": 2,
            "resolved_stage": 2,
            "resolved_date": D(2018, 4, 20),
            "reasons": ["visits_out_of_timescale", "core_group_not_held"],
            "onward_reasons": ["no_response"],
        }
    ]
    assert sorted(tables["escalation_children"]["child_id"]) == ["QA0001", "QA0002"]
    beta_only = qa_tables.oversight_tables(
        children=world.beta_child.__class__.objects.filter(pk=world.beta_child.pk)
    )
    assert beta_only["escalations"].is_empty()


def test_an_imported_escalation_gives_back_the_same_table_row(world: World) -> None:
    """A loader's row: raised at 1, reached 2 via 'no_follow_up', resolved at 2."""
    escalation = services.do_import_escalation(
        raised_date=D(2017, 9, 4),
        raised_by=world.chair_b,
        stage_raised=1,
        stage_reached=2,
        reasons=["plan_not_progressed"],
        onward_reasons=["no_follow_up"],
        children=[world.beta_child],
        resolved_stage=2,
        resolved_date=D(2017, 10, 2),
        by=world.users[Role.QA_MANAGER],
    )
    row = qa_tables.oversight_tables()["escalations"].row(0, named=True)
    assert row["escalation_id"] == str(escalation.pk)
    assert (row["stage_raised"], row["stage_reached"], row["resolved_stage"]) == (1, 2, 2)
    assert (row["reasons"], row["onward_reasons"]) == (["plan_not_progressed"], ["no_follow_up"])
    with pytest.raises(ValidationError, match="onward reason"):
        services.do_import_escalation(
            raised_date=D(2017, 9, 4),
            raised_by=None,
            stage_raised=1,
            stage_reached=3,
            reasons=["other"],
            onward_reasons=["other"],
            children=[world.beta_child],
            by=world.users[Role.QA_MANAGER],
        )
    assert qa.Escalation.objects.count() == 1
