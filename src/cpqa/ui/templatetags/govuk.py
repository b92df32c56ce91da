"""Template tags that render Django forms and small pieces in GOV.UK Design System markup.

{% load govuk %} then:
- {% govuk_field form.name %}                 label, hint (help_text), error message, input
- {% govuk_field form.name classes="govuk-input--width-10" page_heading=True %}
- {% govuk_date_input form.date_field %}       the three-box date input (GovukDateField)
- {% govuk_error_summary form %}               error summary linking to each field in error
- {% govuk_status_tag status %}                on track / due soon / overdue as a coloured tag
- {% authority_name %}                         the authority the service runs for
"""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.conf import settings
from django.forms import BoundField
from django.urls import NoReverseMatch, reverse

from cpqa.core.config import authority_config
from cpqa.domain.timescales import DUE_SOON_WORKING_DAYS, Status
from cpqa.ui.forms import GovukDateWidget
from cpqa.ui.navigation import items_for

register = template.Library()

# What a status reads as on a page, and its tag colour.
STATUS_TAGS: dict[str, tuple[str, str]] = {
    Status.ON_TRACK.value: ("On track", "green"),
    Status.DUE_SOON.value: (f"Due within {DUE_SOON_WORKING_DAYS} working days", "yellow"),
    Status.OVERDUE.value: ("Overdue", "red"),
}

_TEXT_WIDGETS = (
    forms.TextInput,
    forms.NumberInput,
    forms.EmailInput,
    forms.URLInput,
    forms.PasswordInput,
    forms.DateInput,
    forms.TimeInput,
)


def field_kind(field: BoundField) -> str:
    widget = field.field.widget
    if isinstance(widget, GovukDateWidget):
        return "date"
    # CheckboxSelectMultiple is a subclass of RadioSelect, so it is asked about first.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    if isinstance(widget, _TEXT_WIDGETS):
        return "input"
    raise template.TemplateSyntaxError(
        f"govuk_field has no GOV.UK rendering for field {field.name!r} ({type(widget).__name__})"
    )


def field_anchor(field: BoundField) -> str:
    """The id an error summary links to: the first input of a group, else the input itself."""
    base = field.auto_id or f"id_{field.html_name}"
    if field_kind(field) in ("date", "radios", "checkboxes"):
        return f"{base}_0"
    return base


def _input_class(kind: str, has_error: bool, extra: str) -> str:
    base = {"input": "govuk-input", "textarea": "govuk-textarea", "select": "govuk-select"}.get(kind, "")
    error = {"input": "govuk-input--error", "textarea": "govuk-textarea--error", "select": "govuk-select--error"}
    parts = [base, error.get(kind, "") if has_error else "", extra]
    return " ".join(p for p in parts if p)


@register.inclusion_tag("ui/forms/field.html")
def govuk_field(field: BoundField, classes: str = "", page_heading: bool = False, hint: str = "") -> dict[str, Any]:
    kind = field_kind(field)
    has_error = bool(field.errors)
    base_id = field.auto_id or f"id_{field.html_name}"
    hint_text = hint or str(field.help_text or "")
    described_by = " ".join(
        part for part in (f"{base_id}-hint" if hint_text else "", f"{base_id}-error" if has_error else "") if part
    )
    context: dict[str, Any] = {
        "field": field,
        "kind": kind,
        "base_id": base_id,
        "hint": hint_text,
        "has_error": has_error,
        "described_by": described_by,
        "page_heading": page_heading,
        "classes": classes,
    }
    if kind in ("input", "textarea", "select"):
        attrs = {"class": _input_class(kind, has_error, classes)}
        if described_by:
            attrs["aria-describedby"] = described_by
        context["widget_html"] = field.as_widget(attrs=attrs)
    elif kind == "date":
        context["widget_html"] = field.as_widget(attrs={"error": "1"} if has_error else {})
    elif kind == "hidden":
        context["widget_html"] = field.as_widget()
    elif kind in ("radios", "checkboxes"):
        selected = field.value()
        values = {str(v) for v in (selected if isinstance(selected, (list, tuple)) else [selected]) if v is not None}
        context["input_type"] = "radio" if kind == "radios" else "checkbox"
        # A blank choice is the select's "choose one"; radios and checkboxes have no use for it.
        choices = [(value, label) for value, label in field.field.choices if str(value) != ""]
        context["options"] = [
            {"id": f"{base_id}_{index}", "value": str(value), "label": label, "checked": str(value) in values}
            for index, (value, label) in enumerate(choices)
        ]
    elif kind == "checkbox":
        context["checked"] = bool(field.value())
    return context


@register.inclusion_tag("ui/forms/field.html")
def govuk_date_input(field: BoundField, page_heading: bool = False, hint: str = "") -> dict[str, Any]:
    if field_kind(field) != "date":
        raise template.TemplateSyntaxError(f"govuk_date_input needs a GovukDateField, not {field.name!r}")
    return govuk_field(field, page_heading=page_heading, hint=hint)


@register.inclusion_tag("ui/includes/error_summary.html")
def govuk_error_summary(*forms_: forms.BaseForm) -> dict[str, Any]:
    errors: list[dict[str, str]] = []
    for form in forms_:
        if form is None or not form.is_bound:
            continue
        for message in form.non_field_errors():
            errors.append({"href": "", "message": message})
        for field in form:
            for message in field.errors:
                errors.append({"href": f"#{field_anchor(field)}", "message": message})
    return {"errors": errors}


@register.inclusion_tag("ui/includes/status_tag.html")
def govuk_status_tag(status: Status | str) -> dict[str, str]:
    value = status.value if isinstance(status, Status) else str(status)
    text, colour = STATUS_TAGS.get(value, (value.replace("_", " ").capitalize(), "grey"))
    return {"text": text, "colour": colour}


@register.simple_tag
def authority_name() -> str:
    return getattr(settings, "CPQA_AUTHORITY_NAME", "") or authority_config().name


@register.inclusion_tag("ui/includes/service_navigation.html", takes_context=True)
def service_navigation(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return {"items": [], "user": None}
    match = getattr(request, "resolver_match", None)
    current = match.url_name if match else ""
    items = []
    # A session still owing its second factor has only sign-out (cpqa.accounts.middleware).
    roles_items = [] if getattr(request, "cpqa_second_factor_pending", False) else items_for(user.role)
    for item in roles_items:
        try:
            href = reverse(item.url_name)
        except NoReverseMatch:
            # An item whose page takes arguments cannot be a header link; skip it rather than fail.
            continue
        active = current == item.url_name or current in item.also_active_for or (
            href != "/" and request.path.startswith(href)
        )
        items.append({"label": item.label, "href": href, "active": active})
    return {"items": items, "user": user, "csrf_token": context.get("csrf_token")}
