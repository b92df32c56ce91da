"""The GOV.UK form kit every app's pages use: the three-box date input, yes/no answers, a time
box, and the one way a page runs a service with a form's data and shows its refusal.

Render any field with `{% govuk_field form.field %}` (`cpqa.ui.templatetags.govuk`); a
`GovukDateField` renders as the GOV.UK date input (day, month, year in one fieldset).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.http import HttpRequest

from cpqa.core.errors import Refusal
from cpqa.core.limits import LINE_MOST, NOTE_MOST, too_long_message

# Labels that already read as the subject of a sentence ("What is working well must be ...").
_SUBJECT_STARTS = ("The ", "What ", "Who ", "How ", "Why ", "When ", "Where ")


def _called(label: str) -> str:
    """A field's label as the subject of the too-long message: 'Venue (optional)' -> 'The venue'."""
    text = label.replace("(optional)", "").strip()
    if text.startswith(_SUBJECT_STARTS):
        return text
    return f"The {text[:1].lower()}{text[1:]}"


class TextLimits:
    """Gives every text box of a form a length limit and the message in the user's words.

    A box with no `max_length` of its own gets NOTE_MOST (a multi-line note) or LINE_MOST (one
    line). `text_called` names a box where its label does not read well in the message.
    """

    text_called: ClassVar[dict[str, str]] = {}
    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField):
                self._limit(name, field)

    def _limit(self, name: str, field: forms.CharField) -> None:
        if field.max_length is None:
            field.max_length = NOTE_MOST if isinstance(field.widget, forms.Textarea) else LINE_MOST
        what = self.text_called.get(name) or _called(str(field.label or name.replace("_", " ")))
        # Fields are deep-copied per form instance, so replacing the validators touches this form only.
        field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
        field.validators.append(MaxLengthValidator(field.max_length, too_long_message(what, field.max_length)))


class GovukDateWidget(forms.MultiWidget):
    """Day, month and year boxes: GOV.UK asks for dates this way, not with a date picker."""

    template_name = "ui/forms/date_widget.html"
    parts = ("day", "month", "year")

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets = {
            part: forms.TextInput(attrs={"inputmode": "numeric"}) for part in self.parts
        }
        super().__init__(widgets, attrs)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        for part, subwidget in zip(self.parts, context["widget"]["subwidgets"]):
            subwidget["part_label"] = part.capitalize()
            subwidget["width_class"] = "govuk-input--width-4" if part == "year" else "govuk-input--width-2"
        return context

    def decompress(self, value: dt.date | None) -> list[int | None]:
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateField(forms.MultiValueField):
    """A date typed as day, month and year, with the Design System's error wording."""

    widget = GovukDateWidget

    def __init__(self, *, required: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault("required", "Enter a date")
        kwargs["error_messages"].setdefault("incomplete", "Enter a complete date: day, month and year")
        fields = (
            forms.IntegerField(min_value=1, max_value=31),
            forms.IntegerField(min_value=1, max_value=12),
            forms.IntegerField(min_value=1900, max_value=2100),
        )
        super().__init__(fields, required=required, require_all_fields=False, **kwargs)

    def clean(self, value: Any) -> dt.date | None:
        # MultiValueField would report each box's own error ("Enter a whole number"); one
        # sentence about the date reads better, so the boxes are checked here.
        parts = list(value or [None, None, None])
        filled = [str(p).strip() for p in parts if p not in (None, "")]
        if not filled:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return None
        if len(filled) < 3:
            raise forms.ValidationError(self.error_messages["incomplete"], code="incomplete")
        try:
            day, month, year = (int(str(p).strip()) for p in parts)
            if year < 1900 or year > 2100:
                raise ValueError
            result = dt.date(year, month, day)
        except (TypeError, ValueError, OverflowError):
            # OverflowError: a day or month too big for a C integer (found by the fuzzer, a 500).
            raise forms.ValidationError("Enter a real date", code="invalid") from None
        self.run_validators(result)
        return result

    def compress(self, data_list: list[Any]) -> dt.date | None:
        # clean() builds the date itself; compress is only reached through it.
        if not data_list:
            return None
        day, month, year = data_list
        return dt.date(year, month, day)


DJANGO_REQUIRED = str(forms.Field.default_error_messages["required"])
GENERIC_DATE_REQUIRED = "Enter a date"
# Labels that already start with these words read as they are after "Enter"/"Select".
_NO_ARTICLE = ("a ", "an ", "the ", "who ", "what ", "which ", "how ", "why ", "when ", "where ", "whether ")
_OPTIONAL = " (optional)"


def required_message(field: forms.Field, name: str) -> str:
    """A GOV.UK message for an empty required field, from its label: "Enter the date of the
    conference", "Select the agencies who attended" (a choice is selected, text is entered)."""
    label = str(field.label or name.replace("_", " ")).strip()
    label = label.removesuffix(_OPTIONAL)
    verb = "Select" if isinstance(field, (forms.ChoiceField, forms.ModelChoiceField)) else "Enter"
    if label.endswith("?"):
        return f"{verb} an answer to the question: {label}"
    text = label[:1].lower() + label[1:]
    if not text.lower().startswith(_NO_ARTICLE):
        text = f"the {text}"
    return f"{verb} {text}"


def speak_plainly(form: forms.BaseForm) -> None:
    """Give every required field of `form` a message of its own in place of Django's "This field
    is required." (and the date input's bare "Enter a date"); a message a form sets stays."""
    for name, field in form.fields.items():
        current = str(field.error_messages.get("required", ""))
        if current in ("", DJANGO_REQUIRED, GENERIC_DATE_REQUIRED):
            field.error_messages = {**field.error_messages, "required": required_message(field, name)}


class GovukForm(TextLimits, forms.Form):
    """The base of every form in cpqa: its text boxes all have a length limit (`TextLimits`), and
    its required fields say what to enter or select (`speak_plainly`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        speak_plainly(self)

    def full_clean(self) -> None:
        # Fields added after __init__ (a form that builds them per row) get their messages too.
        speak_plainly(self)
        super().full_clean()


YES_NO = [("yes", "Yes"), ("no", "No")]


def yes_no_value(answer: str) -> bool | None:
    return {"yes": True, "no": False}.get(answer)


def yes_no_initial(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def show_refusal(form: forms.Form, refusal: ValidationError | Refusal) -> None:
    """Put a service's refusal on the form: against its field where the form has one."""
    if isinstance(refusal, ValidationError) and hasattr(refusal, "error_dict"):
        for field, messages in refusal.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
        return
    messages = refusal.messages if isinstance(refusal, ValidationError) else [str(refusal)]
    for message in messages:
        form.add_error(None, message)


def save_form(form: forms.Form, request: HttpRequest, save: Callable[[dict[str, Any]], Any]) -> Any | None:
    """Run `save` with the form's data on a valid POST and return what it returns; None when
    there was nothing to save or a service refused (the refusal is then on the form)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return save(form.cleaned_data)
    except (ValidationError, Refusal) as refusal:
        show_refusal(form, refusal)
        return None


class TimeField(forms.TimeField):
    widget = forms.TextInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", ["%H:%M", "%H.%M", "%H%M"])
        kwargs.setdefault("error_messages", {"invalid": "Enter a time like 10:30"})
        super().__init__(**kwargs)
