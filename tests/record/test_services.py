"""Record services: referrals, strategy discussions, enquiries, notifications and plans.

Each write is checked before it happens, refused with a message naming the field (and, where
a conference has several children, the child), and noted with the person who made it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from cpqa.accounts.models import Role
from cpqa.record import models as m
from cpqa.record import services
from cpqa.record.errors import RecordError
from cpqa.record.models import RecordChange
from tests.conferences import builders as b

D = dt.date
pytestmark = pytest.mark.django_db


def test_strategy_discussion_then_section47_starting_on_the_discussion_date() -> None:
    """The enquiry's start date is the discussion that initiated it (indicators.md)."""
    qa = b.user(Role.QA_MANAGER)
    kid = b.child("FAKE-R1")
    referral = services.do_record_referral(child=kid, referral_date=D(2018, 3, 12), source="6", by=qa)
    discussion = services.do_record_strategy_discussion(
        referral=referral, held_date=D(2018, 3, 19), notified_to_qa_date=D(2018, 3, 22), by=qa
    )
    enquiry = services.do_start_section47(strategy_discussion=discussion, by=qa)
    assert enquiry.start_date == D(2018, 3, 19)
    assert enquiry.referral == referral
    actions = list(RecordChange.objects.order_by("pk").values_list("action", "username", "role"))
    assert actions == [
        ("record_referral", "fake-qa_manager", "qa_manager"),
        ("record_strategy_discussion", "fake-qa_manager", "qa_manager"),
        ("start_section47", "fake-qa_manager", "qa_manager"),
    ]


def test_strategy_discussion_before_its_referral_is_refused_naming_field_and_date() -> None:
    qa = b.user(Role.QA_MANAGER)
    kid = b.child("FAKE-R2")
    referral = services.do_record_referral(child=kid, referral_date=D(2018, 3, 12), by=qa)
    with pytest.raises(ValidationError) as refused:
        services.do_record_strategy_discussion(referral=referral, held_date=D(2018, 3, 9), by=qa)
    assert refused.value.message_dict["held_date"] == [
        "The strategy discussion cannot be before the referral on 12 March 2018"
    ]
    assert not m.StrategyDiscussion.objects.exists()


def test_notification_to_qa_before_the_discussion_is_refused() -> None:
    qa = b.user(Role.QA_MANAGER)
    referral = services.do_record_referral(child=b.child("FAKE-R3"), referral_date=D(2018, 3, 12), by=qa)
    with pytest.raises(ValidationError) as refused:
        services.do_record_strategy_discussion(
            referral=referral, held_date=D(2018, 3, 19), notified_to_qa_date=D(2018, 3, 16), by=qa
        )
    assert "notified_to_qa_date" in refused.value.message_dict


def test_one_discussion_starts_one_enquiry() -> None:
    qa = b.user(Role.QA_MANAGER)
    enquiry = b.enquiry(b.child("FAKE-R4"), D(2018, 3, 19))
    with pytest.raises(RecordError, match="already started"):
        services.do_start_section47(strategy_discussion=enquiry.strategy_discussion, by=qa)
    assert m.Section47.objects.count() == 1


def test_a_change_with_nobody_making_it_is_refused_and_rolled_back() -> None:
    """'Record who did it': an anonymous write is refused and the referral is not kept."""
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(RecordError, match="needs the person"):
        services.do_record_referral(
            child=b.child("FAKE-R5"), referral_date=D(2018, 3, 12), by=AnonymousUser()
        )
    assert not m.Referral.objects.exists()


def test_referral_unknown_source_code_is_refused() -> None:
    with pytest.raises(ValidationError) as refused:
        services.do_record_referral(
            child=b.child("FAKE-R6"), referral_date=D(2018, 3, 12), source="ZZ", by=b.user()
        )
    assert "source" in refused.value.message_dict


def test_plan_with_several_categories_is_stored_joined_and_multiple() -> None:
    """Neglect and emotional abuse: stored sorted "EMO+NEG"; the DfE category is MUL."""
    qa = b.user(Role.QA_MANAGER)
    kid = b.child("FAKE-P1")
    plan = services.do_start_plan(child=kid, start_date=D(2018, 4, 11), categories=["NEG", "EMO"], by=qa)
    plan.refresh_from_db()
    assert (plan.initial_categories, plan.initial_category) == ("EMO+NEG", "MUL")
    assert (plan.latest_categories, plan.latest_category) == ("EMO+NEG", "MUL")


def test_second_open_plan_is_refused() -> None:
    qa = b.user(Role.QA_MANAGER)
    kid = b.child("FAKE-P2")
    b.plan(kid, D(2018, 1, 10))
    with pytest.raises(RecordError, match="FAKE-P2 already has an open plan"):
        services.do_start_plan(child=kid, start_date=D(2018, 4, 11), categories=["PHY"], by=qa)
    assert kid.plans.count() == 1


def test_unknown_category_is_refused_naming_the_code() -> None:
    with pytest.raises(ValidationError, match="unknown category of abuse: XYZ"):
        services.do_start_plan(
            child=b.child("FAKE-P3"), start_date=D(2018, 4, 11), categories=["NEG", "XYZ"], by=b.user()
        )
    assert not m.Plan.objects.exists()


def test_plan_cannot_end_on_or_before_its_start() -> None:
    qa = b.user(Role.QA_MANAGER)
    plan = b.plan(b.child("FAKE-P4"), D(2018, 4, 11))
    for end in (D(2018, 4, 11), D(2018, 4, 10)):
        with pytest.raises(ValidationError) as refused:
            services.do_end_plan(plan=plan, end_date=end, end_reason="stepped_down_cin", by=qa)
        assert "end_date" in refused.value.message_dict
    plan.refresh_from_db()
    assert plan.end_date is None


def test_plan_end_reason_must_be_a_known_code() -> None:
    plan = b.plan(b.child("FAKE-P5"), D(2018, 4, 11))
    with pytest.raises(ValidationError) as refused:
        services.do_end_plan(plan=plan, end_date=D(2018, 10, 1), end_reason="bored", by=b.user())
    assert "end_reason" in refused.value.message_dict


def test_new_plan_cannot_start_inside_an_earlier_one() -> None:
    """A plan from 10 Jan to 1 Jun 2018: another starting 1 May would overlap it."""
    qa = b.user(Role.QA_MANAGER)
    kid = b.child("FAKE-P6")
    first = b.plan(kid, D(2018, 1, 10))
    services.do_end_plan(plan=first, end_date=D(2018, 6, 1), end_reason="stepped_down_cin", by=qa)
    with pytest.raises(ValidationError) as refused:
        services.do_start_plan(child=kid, start_date=D(2018, 5, 1), categories=["NEG"], by=qa)
    assert "start_date" in refused.value.message_dict
    repeat = services.do_start_plan(child=kid, start_date=D(2018, 9, 3), categories=["NEG"], by=qa)
    assert repeat.start_date == D(2018, 9, 3)


def test_transfer_in_notification_for_a_child_already_on_a_plan_here_is_refused() -> None:
    kid = b.child("FAKE-T1")
    b.plan(kid, D(2018, 1, 10))
    with pytest.raises(RecordError, match="already on a plan here"):
        services.do_record_transfer_in_notification(
            child=kid, from_authority="Elsewhere Council (fake)", received_date=D(2018, 5, 4), by=b.user()
        )
    assert not m.TransferInNotification.objects.exists()


def test_refusals_say_what_to_do_in_words_without_the_childs_id() -> None:
    """The page is about this child already: the message says what is wrong and what to do,
    with dates in words, and no id of the child."""
    qa = b.user(Role.QA_MANAGER)
    kid = b.child("FAKE-W1")
    services.do_record_referral(child=kid, referral_date=D(2018, 3, 12), by=qa)
    with pytest.raises(RecordError) as twice:
        services.do_record_referral(child=kid, referral_date=D(2018, 3, 20), by=qa)
    assert str(twice.value) == (
        "This child already has an open referral, from 12 March 2018: record what follows on that referral"
    )
    with pytest.raises(ValidationError) as nameless:
        services.do_record_transfer_in_notification(child=kid, from_authority=" ", received_date=D(2018, 5, 4), by=qa)
    assert nameless.value.message_dict["from_authority"] == ["Enter the authority the child has moved from"]
    with pytest.raises(ValidationError) as late_plan:
        services.do_record_transfer_in_notification(
            child=kid, from_authority="Elsewhere Council (fake)", received_date=D(2018, 5, 4),
            other_plan_start_date=D(2018, 5, 7), by=qa,
        )
    assert late_plan.value.message_dict["other_plan_start_date"] == [
        "The other authority's plan cannot start after its notice was received on 4 May 2018"
    ]
    assert "FAKE-W1" not in str(twice.value) + str(nameless.value) + str(late_plan.value)
