"""GOV.UK form rendering (cpqa.ui.templatetags.govuk) and the three-box date field."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.template import Context, Template

from cpqa.ui.forms import GovukDateField


class SampleForm(forms.Form):
    reference = forms.CharField(label="Reference", help_text="As on the referral form")
    agency = forms.ChoiceField(
        label="Agency", choices=[("", "Choose"), ("police", "Police"), ("school", "School")],
        widget=forms.RadioSelect,
    )
    categories = forms.MultipleChoiceField(
        label="Categories", choices=[("NEG", "Neglect"), ("EMO", "Emotional abuse")],
        widget=forms.CheckboxSelectMultiple, required=False,
    )
    held = GovukDateField(label="Date held")
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)
    quorate = forms.BooleanField(label="Quorate", required=False)


def _render(form: forms.Form, body: str) -> str:
    return Template("{% load govuk %}" + body).render(Context({"form": form}))


def test_text_input_with_hint_and_error() -> None:
    """A missing required field gets the error classes, message and aria-describedby for hint and error."""
    form = SampleForm(data={})
    html = _render(form, "{% govuk_field form.reference %}")
    assert "govuk-form-group--error" in html
    assert 'class="govuk-input govuk-input--error"' in html
    assert 'aria-describedby="id_reference-hint id_reference-error"' in html
    assert '<span class="govuk-visually-hidden">Error:</span> This field is required.' in html


def test_radios_skip_the_blank_choice_and_keep_the_selection() -> None:
    """Radios list the real choices only, numbered from 0, with the chosen one checked."""
    form = SampleForm(data={"agency": "school"})
    html = _render(form, "{% govuk_field form.agency %}")
    assert "Choose" not in html
    assert 'id="id_agency_0" name="agency" type="radio" value="police">' in html
    assert 'id="id_agency_1" name="agency" type="radio" value="school" checked>' in html
    assert 'class="govuk-radios"' in html


def test_checkboxes_keep_several_selections() -> None:
    """Each ticked category stays ticked when the form is shown again."""
    form = SampleForm(data={"categories": ["NEG", "EMO"]})
    html = _render(form, "{% govuk_field form.categories %}")
    assert html.count(" checked>") == 2
    assert 'type="checkbox"' in html and "govuk-checkboxes__item" in html


def test_error_summary_links_to_the_first_input_of_each_field() -> None:
    """The summary's links point at the text input, the first radio and the day box."""
    form = SampleForm(data={})
    html = _render(form, "{% govuk_error_summary form %}")
    assert 'href="#id_reference"' in html
    assert 'href="#id_agency_0"' in html
    assert 'href="#id_held_0"' in html
    assert "There is a problem" in html


def test_error_summary_is_empty_for_an_unbound_form() -> None:
    """A form not yet submitted shows no error summary."""
    assert "govuk-error-summary" not in _render(SampleForm(), "{% govuk_error_summary form %}")


def test_date_input_renders_three_boxes_with_the_value() -> None:
    """A bound date shows in day, month and year boxes named held_day, held_month, held_year."""
    form = SampleForm(initial={"held": dt.date(2024, 4, 5)})
    html = _render(form, "{% govuk_date_input form.held %}")
    for name, value in (("held_day", "5"), ("held_month", "4"), ("held_year", "2024")):
        assert f'name="{name}" type="text" inputmode="numeric" value="{value}"' in html
    assert "govuk-input--width-4" in html and "govuk-date-input" in html


@pytest.mark.parametrize(
    "day, month, year, expected",
    [
        ("5", "4", "2024", dt.date(2024, 4, 5)),
        ("29", "2", "2024", dt.date(2024, 2, 29)),
    ],
)
def test_date_field_accepts_real_dates(day: str, month: str, year: str, expected: dt.date) -> None:
    """5/4/2024 and 29/2/2024 (a leap year) are real dates."""
    form = SampleForm(data={"reference": "R", "agency": "police", "held_day": day, "held_month": month,
                            "held_year": year})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["held"] == expected


@pytest.mark.parametrize(
    "day, month, year, message",
    [
        ("29", "2", "2023", "Enter a real date"),
        ("31", "13", "2024", "Enter a real date"),
        ("5", "", "2024", "Enter a complete date: day, month and year"),
        ("", "", "", "Enter a date"),
        ("five", "4", "2024", "Enter a real date"),
    ],
)
def test_date_field_refuses_with_one_clear_message(day: str, month: str, year: str, message: str) -> None:
    """Impossible, incomplete, empty or non-numeric dates each give one message about the date."""
    form = SampleForm(data={"reference": "R", "agency": "police", "held_day": day, "held_month": month,
                            "held_year": year})
    assert not form.is_valid()
    assert form.errors["held"] == [message]


def test_unknown_widget_is_a_clear_template_error() -> None:
    """A widget with no GOV.UK rendering fails loudly, naming the field."""
    from django.template import TemplateSyntaxError

    class FileForm(forms.Form):
        upload = forms.FileField()

    with pytest.raises(TemplateSyntaxError, match="upload"):
        _render(FileForm(), "{% govuk_field form.upload %}")


def test_every_required_field_says_what_to_enter_or_select() -> None:
    """The base form (cpqa.ui.forms.GovukForm) turns each label into its own message."""
    from django import forms as django_forms

    from cpqa.ui.forms import GovukDateField, GovukForm

    class Example(GovukForm):
        scheduled_date = GovukDateField(label="Date of the conference")
        agencies = django_forms.MultipleChoiceField(label="Agencies who attended", choices=[("police", "Police")])
        owner = django_forms.CharField(label="Who must respond")
        reason = django_forms.ChoiceField(label="Why is the conference being rearranged?", choices=[("a", "A")])
        venue = django_forms.CharField(label="Venue (optional)")
        kept = django_forms.CharField(label="Kept", error_messages={"required": "Enter what was kept"})

    form = Example(data={"venue": ""})
    assert not form.is_valid()
    assert form.errors == {
        "scheduled_date": ["Enter the date of the conference"],
        "agencies": ["Select the agencies who attended"],
        "owner": ["Enter who must respond"],
        "reason": ["Select an answer to the question: Why is the conference being rearranged?"],
        "venue": ["Enter the venue"],
        "kept": ["Enter what was kept"],
    }
