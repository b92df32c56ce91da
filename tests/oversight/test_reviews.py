"""Repeat-plan reviews and the long-plan panel through the services and the QA manager's lists."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cpqa.accounts.models import Role
from cpqa.domain.calendar import ReportingYear
from cpqa.oversight import models as qa
from cpqa.oversight import selectors, services, tables
from cpqa.record.errors import RecordError

from .conftest import World, plan

D = dt.date


@pytest.fixture
def repeat_world(world: World) -> World:
    """Sibling 1: a plan in 2016 and a second from 15 Jan 2018. Sibling 2: first plan 20 Jan 2018.
    Beta child: first plan here from 22 Jan 2018, but one before elsewhere (previous_plans 1)."""
    plan(world.sibling_1, D(2016, 2, 1), D(2016, 9, 1))
    plan(world.sibling_1, D(2018, 1, 15))
    plan(world.sibling_2, D(2018, 1, 20))
    plan(world.beta_child, D(2018, 1, 22), previous_plans=1)
    return world


def test_the_monthly_list_holds_second_plans_with_the_earlier_ones_shown(repeat_world: World) -> None:
    items = selectors.repeat_plan_list(repeat_world.users[Role.QA_MANAGER], "2018-01")
    assert [(i.plan.child.local_id, i.plan.start_date) for i in items] == [
        ("QA0001", D(2018, 1, 15)),
        ("QA0003", D(2018, 1, 22)),
    ]
    assert [p.start_date for p in items[0].previous_plans] == [D(2016, 2, 1)]
    assert (items[1].previous_plans, items[1].previous_plans_elsewhere) == ([], 1)
    assert selectors.repeat_plan_list(repeat_world.users[Role.QA_MANAGER], "2018-02") == []


def test_a_social_work_manager_sees_only_their_teams_children(repeat_world: World) -> None:
    items = selectors.repeat_plan_list(repeat_world.users[Role.SOCIAL_WORK_MANAGER], "2018-01")
    assert [i.plan.child.local_id for i in items] == ["QA0001"]
    assert selectors.repeat_plan_list(repeat_world.users[Role.ANALYST], "2018-01") == []


def test_recording_the_finding_then_the_list_shows_it(repeat_world: World) -> None:
    second = repeat_world.sibling_1.plans.get(start_date=D(2018, 1, 15))
    qa_manager = repeat_world.users[Role.QA_MANAGER]
    review = services.do_record_repeat_plan_review(
        plan=second,
        reviewed_date=D(2018, 2, 5),
        finding="ended_too_early",
        themes="Work with the perpetrator not done (test).",
        by=qa_manager,
    )
    assert review.reviewer == repeat_world.qa_staff
    items = selectors.repeat_plan_list(qa_manager, "2018-01")
    assert items[0].review == review
    table = tables.oversight_tables()["repeat_plan_reviews"]
    assert table.select("plan_id", "child_id", "family_id", "reviewed_date", "finding").rows() == [
        (str(second.pk), "QA0001", "FAM-QA-1", D(2018, 2, 5), "ended_too_early")
    ]
    # One review in 2017-18 (5 February 2018): one family, one child; none in 2018-19.
    findings = selectors.repeat_plan_findings_in(qa_manager, ReportingYear(2017))
    assert [(f["finding"], f["families"], f["children"]) for f in findings] == [("ended_too_early", 1, 1)]
    assert selectors.repeat_plan_findings_in(qa_manager, ReportingYear(2018)) == []
    assert selectors.repeat_plan_findings_in(repeat_world.users[Role.ANALYST], ReportingYear(2017)) == []
    with pytest.raises(RecordError, match="reviewed on 5 February 2018"):
        services.do_record_repeat_plan_review(
            plan=second, reviewed_date=D(2018, 2, 6), finding="ended_appropriately", by=qa_manager
        )


def test_repeat_review_refusals(repeat_world: World) -> None:
    qa_manager = repeat_world.users[Role.QA_MANAGER]
    first_plan = repeat_world.sibling_2.plans.get()
    with pytest.raises(RecordError, match="first plan"):
        services.do_record_repeat_plan_review(
            plan=first_plan, reviewed_date=D(2018, 2, 5), finding="ended_appropriately", by=qa_manager
        )
    elsewhere = repeat_world.beta_child.plans.get()
    with pytest.raises(ValidationError) as refused:
        services.do_record_repeat_plan_review(
            plan=elsewhere, reviewed_date=D(2018, 2, 5), finding="x", by=qa_manager
        )
    assert "finding" in refused.value.message_dict
    with pytest.raises(ValidationError, match="before the plan started"):
        services.do_record_repeat_plan_review(
            plan=elsewhere, reviewed_date=D(2018, 1, 21), finding="over_5_years", by=qa_manager
        )
    with pytest.raises(PermissionDenied):
        services.do_record_repeat_plan_review(
            plan=elsewhere,
            reviewed_date=D(2018, 2, 5),
            finding="over_5_years",
            by=repeat_world.users[Role.CHAIR],
        )
    assert qa.RepeatPlanReview.objects.count() == 0


@pytest.fixture
def long_world(world: World) -> World:
    """On 2018-03-31: sibling 1 from 2016-03-31 (730 days: 2 years), sibling 2 from 2016-09-30
    (18 months on 2018-03-30), the Beta child from 2017-04-01 (9 months on 2018-01-01, not yet
    12)."""
    plan(world.sibling_1, D(2016, 3, 31))
    plan(world.sibling_2, D(2016, 9, 30))
    plan(world.beta_child, D(2017, 4, 1))
    return world


def test_the_panel_list_flags_18_months_and_two_years(long_world: World) -> None:
    items = selectors.long_plan_panel_list(long_world.users[Role.QA_MANAGER], D(2018, 3, 31))
    assert [
        (i.plan.child.local_id, i.milestone_months, i.band, i.days_on_plan, i.flag_18_months, i.flag_2_years)
        for i in items
    ] == [
        ("QA0001", 18, "2_years_or_more", 730, True, True),
        ("QA0002", 18, "18_to_24_months", 547, True, False),
        # 2017-04-01 to 2018-03-31 is 364 days: past the 9-month flag, no report band yet.
        ("QA0003", 9, None, 364, False, False),
    ]
    # A day later the Beta child has had 12 months (2017-04-01 + 12 months = 2018-04-01).
    later = selectors.long_plan_panel_list(long_world.users[Role.QA_MANAGER], D(2018, 4, 1))
    assert [(i.plan.child.local_id, i.milestone_months, i.band) for i in later][-1] == (
        "QA0003", 12, "12_to_18_months"
    )


def test_the_panel_decision_is_recorded_with_the_band_on_the_day(long_world: World) -> None:
    qa_manager = long_world.users[Role.QA_MANAGER]
    sibling_plan = long_world.sibling_2.plans.get()
    decision = services.do_record_panel_decision(
        plan=sibling_plan,
        panel_date=D(2018, 3, 20),
        decision="Legal planning meeting (test).",
        actions="Social worker to book (test).",
        by=qa_manager,
    )
    # On 20 March 2018 the plan from 30 Sept 2016 had lasted 15 months but not 18 (due 30 March).
    assert (decision.band, decision.milestone_months) == ("12_to_18_months", 15)
    items = selectors.long_plan_panel_list(qa_manager, D(2018, 3, 31))
    assert [i.last_decision for i in items] == [None, decision, None]
    with pytest.raises(RecordError, match="already recorded"):
        services.do_record_panel_decision(
            plan=sibling_plan, panel_date=D(2018, 3, 20), decision="Again", by=qa_manager
        )


def test_a_plan_short_of_the_first_flag_is_not_for_the_panel(long_world: World) -> None:
    # The Beta child's plan from 2017-04-01 reaches 9 months on 2018-01-01.
    with pytest.raises(RecordError, match="not lasted 9 months"):
        services.do_record_panel_decision(
            plan=long_world.beta_child.plans.get(),
            panel_date=D(2017, 12, 31),
            decision="Too soon (test).",
            by=long_world.users[Role.QA_MANAGER],
        )
    with pytest.raises(ValidationError) as refused:
        services.do_record_panel_decision(
            plan=long_world.sibling_1.plans.get(),
            panel_date=D(2018, 3, 31),
            decision=" ",
            by=long_world.users[Role.QA_MANAGER],
        )
    assert "decision" in refused.value.message_dict
    assert qa.LongPlanPanelReview.objects.count() == 0
