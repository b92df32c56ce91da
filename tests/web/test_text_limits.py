"""Every form in cpqa limits every text box, in one place (`cpqa.ui.forms.TextLimits`), with
the message in the user's words; a page refuses a too-long note and writes nothing."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django import forms
from django.test import Client
from django.urls import reverse

import cpqa
from cpqa.accounts.models import Role
from cpqa.core.limits import LINE_MOST, NOTE_MOST
from cpqa.oversight import models as qa
from cpqa.oversight.forms import ConcernNoteForm, RaiseEscalationForm
from cpqa.record.forms import TransferInNotificationForm
from cpqa.ui.forms import TextLimits


def _cpqa_form_classes() -> list[type[forms.BaseForm]]:
    """Every form class defined in a cpqa module (migrations and commands need no forms)."""
    found: dict[str, type[forms.BaseForm]] = {}
    for info in pkgutil.walk_packages(cpqa.__path__, "cpqa."):
        if ".migrations" in info.name or info.name.endswith(("wsgi", "asgi", "__main__")):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, forms.BaseForm)
                and value.__module__ == module.__name__
            ):
                found[f"{module.__name__}.{name}"] = value
    return list(found.values())


FORMS = _cpqa_form_classes()


def test_the_walk_finds_the_forms() -> None:
    names = {f.__name__ for f in FORMS}
    assert {"ConcernNoteForm", "DomainsForm", "SignInForm", "AuthoritySettingsForm"} <= names


@pytest.mark.parametrize("form_class", FORMS, ids=lambda f: f"{f.__module__}.{f.__name__}")
def test_every_form_uses_the_kit_limits(form_class: type[forms.BaseForm]) -> None:
    assert issubclass(form_class, TextLimits), f"{form_class.__name__} does not use cpqa.ui.forms.GovukForm"


def _make(form_class: type[forms.BaseForm], data: dict[str, Any] | None = None) -> forms.BaseForm:
    """Build a form whatever its extra keyword arguments (each has a default or is given one here)."""
    extra: dict[str, Any] = {}
    parameters = inspect.signature(form_class.__init__).parameters
    for name, parameter in parameters.items():
        if parameter.kind is parameter.KEYWORD_ONLY and parameter.default is parameter.empty:
            extra[name] = {
                "children": [], "ask_chair": False, "conference_type": "initial",
                "questions": SimpleNamespace(booklet=True, advocate=True),
            }.get(name)
    if "request" in parameters:  # Django's AuthenticationForm
        return form_class(None, data=data, **extra)  # type: ignore[call-arg]
    return form_class(data, **extra)  # type: ignore[call-arg]


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", FORMS, ids=lambda f: f"{f.__module__}.{f.__name__}")
def test_every_text_box_has_a_limit_and_says_it_in_words(form_class: type[forms.BaseForm]) -> None:
    form = _make(form_class)
    for name, field in form.fields.items():
        if isinstance(field, forms.CharField):
            assert field.max_length is not None, f"{form_class.__name__}.{name} has no length limit"
            assert field.max_length <= NOTE_MOST
            messages = [getattr(v, "message", "") for v in field.validators]
            assert any("characters or fewer" in str(m) for m in messages), f"{form_class.__name__}.{name}"


@pytest.mark.django_db
def test_a_concern_over_5000_characters_is_refused_with_the_limit_in_words() -> None:
    form = _make(RaiseEscalationForm, {"concern": "c" * 5001})
    assert not form.is_valid()
    assert form.errors["concern"] == ["The concern must be 5,000 characters or fewer"]
    form = _make(RaiseEscalationForm, {"concern": "c" * 5000})
    form.is_valid()
    assert "concern" not in form.errors


@pytest.mark.django_db
def test_a_note_and_a_one_line_box_have_their_limits() -> None:
    note = _make(ConcernNoteForm, {"note": "n" * (NOTE_MOST + 1)})
    assert note.fields["note"].max_length == 5000
    assert not note.is_valid()
    assert note.errors["note"] == ["The note must be 5,000 characters or fewer"]
    # A box with its own max_length keeps it; the message is still in words.
    transfer = _make(TransferInNotificationForm, {"from_authority": "a" * 121})
    assert not transfer.is_valid()
    assert transfer.errors["from_authority"] == ["The authority the child has moved from must be 120 characters or fewer"]
    assert LINE_MOST == 200


def _raise_escalation(client: Client, child: int, concern: str) -> Any:
    return client.post(
        reverse("escalation_raise", kwargs={"child_pk": child}),
        {
            "children": [str(child)], "stage": "1", "raised_date_day": "2", "raised_date_month": "4",
            "raised_date_year": "2024", "reasons": ["visits_out_of_timescale"], "owner": "Service manager (test)",
            "concern": concern,
        },
    )


def test_the_page_refuses_a_too_long_concern_in_words_and_writes_nothing(
    client_for: Callable[[str | None], Client], world: dict[str, int]
) -> None:
    # The sample chair is linked to a staff record, so an escalation they raise has its author.
    client = client_for(Role.CHAIR)
    before = qa.Escalation.objects.count()
    response = _raise_escalation(client, world["child"], "c" * 5001)
    assert response.status_code == 200
    assert "The concern must be 5,000 characters or fewer" in response.content.decode()
    assert qa.Escalation.objects.count() == before
    # The same form with a concern of exactly 5,000 characters is saved (the redirect after a save).
    assert _raise_escalation(client, world["child"], "c" * 5000).status_code == 302
    assert qa.Escalation.objects.count() == before + 1
