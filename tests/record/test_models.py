"""Bad input is refused by the model layer and the database, and nothing is written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cpqa.record import models as m

D = dt.date


def _child(local_id: str = "BADIN1") -> m.Child:
    return m.Child.objects.create(local_id=local_id, sex="M", date_of_birth=D(2012, 1, 1), ethnicity="WBRI")


@pytest.mark.django_db
def test_plan_end_before_start_is_refused_by_clean_and_by_the_database() -> None:
    """An end date before (or on) the start is an error in clean() and a CHECK constraint."""
    child = _child()
    plan = m.Plan(child=child, start_date=D(2018, 1, 10), end_date=D(2018, 1, 9), initial_categories="NEG",
                  latest_categories="NEG")
    with pytest.raises(ValidationError) as refused:
        plan.full_clean()
    assert "end_date" in refused.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        plan.save()
    assert m.Plan.objects.count() == 0


@pytest.mark.django_db
def test_a_childs_second_open_plan_is_refused() -> None:
    """One open plan per child: a unique constraint on (child) where end_date is null."""
    child = _child()
    m.Plan.objects.create(child=child, start_date=D(2018, 1, 10), initial_categories="NEG", latest_categories="NEG")
    second = m.Plan(child=child, start_date=D(2018, 2, 1), initial_categories="EMO", latest_categories="EMO")
    with pytest.raises(ValidationError, match="already has an open plan"):
        second.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()
    assert m.Plan.objects.filter(child=child).count() == 1


@pytest.mark.django_db
def test_unknown_codes_are_refused_naming_the_field() -> None:
    child = m.Child(local_id="BADIN2", sex="X", date_of_birth=D(2012, 1, 1), ethnicity="ZZZZ", disabilities="NONE AUT")
    with pytest.raises(ValidationError) as refused:
        child.full_clean()
    errors = refused.value.message_dict
    assert {"sex", "ethnicity", "disabilities"} <= set(errors)
    plan = m.Plan(child=_child("BADIN3"), start_date=D(2018, 1, 10), initial_categories="NEG+XYZ",
                  latest_categories="NEG")
    with pytest.raises(ValidationError, match="unknown category of abuse: XYZ"):
        plan.full_clean()


@pytest.mark.django_db
def test_a_review_before_its_plan_is_refused() -> None:
    child = _child()
    plan = m.Plan.objects.create(child=child, start_date=D(2018, 1, 10), initial_categories="NEG",
                                 latest_categories="NEG")
    review = m.Conference.objects.create(conference_type="review", held_date=D(2018, 1, 5))
    subject = m.ConferenceSubject(conference=review, child=child, plan=plan, outcome="plan_continued")
    with pytest.raises(ValidationError, match="must be after the start of the plan"):
        subject.full_clean()


@pytest.mark.django_db
def test_a_child_needs_a_birth_or_expected_birth_date() -> None:
    child = m.Child(local_id="BADIN4", sex="U", ethnicity="NOBT")
    with pytest.raises(ValidationError, match="expected date of birth"):
        child.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        child.save()


def test_dfe_category_is_the_one_category_or_mul() -> None:
    plan = m.Plan(initial_categories="NEG", latest_categories="EMO+NEG")
    assert plan.initial_category_set == ["NEG"] and plan.latest_category_set == ["EMO", "NEG"]
    from cpqa.domain.codes import dfe_category

    assert dfe_category(["NEG"]) == "NEG"
    assert dfe_category(["NEG", "EMO"]) == "MUL"
    assert dfe_category(["MUL"]) == "MUL"
    with pytest.raises(ValueError, match="at least one"):
        dfe_category([])
