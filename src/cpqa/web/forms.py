"""Form pieces in GOV.UK style: the three-box date input and the sign-in form.

Render any Django form field with `{% govuk_field form.field %}` (templatetags/govuk.py); a
`GovukDateField` renders as the GOV.UK date input (day, month, year in one fieldset).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django import forms
from django.contrib.auth.forms import AuthenticationForm


class GovukDateWidget(forms.MultiWidget):
    """Day, month and year boxes: GOV.UK asks for dates this way, not with a date picker."""

    template_name = "web/forms/date_widget.html"
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
        except (TypeError, ValueError):
            raise forms.ValidationError("Enter a real date", code="invalid") from None
        self.run_validators(result)
        return result

    def compress(self, data_list: list[Any]) -> dt.date | None:
        # clean() builds the date itself; compress is only reached through it.
        if not data_list:
            return None
        day, month, year = data_list
        return dt.date(year, month, day)


class SignInForm(AuthenticationForm):
    """Django's sign-in form with labels in the service's words."""

    error_messages: ClassVar[dict[str, str]] = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is not active.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "spellcheck": "false"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})
