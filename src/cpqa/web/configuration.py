"""The authority's configuration page: the administrator sets what the authority configures,
adds and removes closure days, and sees every change made (who, when, old value, new value).

Every value is checked here in the user's words, then written by `cpqa.core.config`, which logs
each change; the rest of the service reads the new values at once through `authority_config()`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from cpqa.accounts.access import log_access, role_required
from cpqa.accounts.models import Role
from cpqa.core import config as settings_service
from cpqa.core.errors import Refusal
from cpqa.core.models import AuthoritySettings, ClosureDay, ConfigurationChange
from cpqa.domain import codes
from cpqa.ui.forms import GovukDateField, GovukForm, save_form

COUNTABLE_AGENCIES = [(code, label) for code, label in codes.AGENCY.items() if code != codes.CONVENING_AGENCY]


def _days(label: str, hint: str = "", most: int = 60) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, help_text=hint, min_value=0, max_value=most,
        error_messages={
            "required": f"Enter the number of working days for: {label.lower()}",
            "invalid": "Enter a whole number of working days, like 5",
            "min_value": "The number of working days cannot be negative",
            "max_value": f"Enter a number of working days from 0 to {most}",
        },
    )


def _age(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=0, max_value=17,
        error_messages={
            "required": f"Enter the age for: {label.lower()}",
            "invalid": "Enter an age in whole years, like 12",
            "min_value": "Enter an age from 0 to 17",
            "max_value": "Enter an age from 0 to 17",
        },
    )


class AuthoritySettingsForm(GovukForm):
    """Every setting, with the field names of `AuthoritySettings`."""

    name = forms.CharField(label="Name of the authority", max_length=120,
                           error_messages={"required": "Enter the name of the authority"})
    la_code = forms.RegexField(
        label="DfE local authority code", regex=r"^\d{3}$", help_text="3 digits, for example 306. Census returns carry it",
        error_messages={"required": "Enter the authority's DfE code", "invalid": "Enter the DfE code as 3 digits, like 306"},
    )
    prebirth_days_before_delivery = forms.IntegerField(
        label="Pre-birth conference: days before the expected date of delivery", min_value=0, max_value=280,
        help_text="70 days is 10 weeks",
        error_messages={"required": "Enter the number of days before delivery", "invalid": "Enter a whole number of days",
                        "min_value": "Enter a number of days from 0 to 280", "max_value": "Enter a number of days from 0 to 280"},
    )
    quoracy_social_care_required = forms.TypedChoiceField(
        label="Must children's social care attend for a conference to be quorate?",
        choices=[("yes", "Yes"), ("no", "No")], coerce=lambda value: value == "yes", widget=forms.RadioSelect,
        error_messages={"required": "Choose whether children's social care must attend"},
    )
    quoracy_other_agencies_required = forms.IntegerField(
        label="How many other agencies must attend", min_value=0, max_value=len(COUNTABLE_AGENCIES),
        error_messages={"required": "Enter how many other agencies must attend", "invalid": "Enter a whole number",
                        "min_value": "Enter a number from 0", "max_value": f"Enter a number up to {len(COUNTABLE_AGENCIES)}"},
    )
    quoracy_counted_agencies = forms.MultipleChoiceField(
        label="Agencies whose attendance counts (those with direct contact with the child)",
        choices=COUNTABLE_AGENCIES, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one agency whose attendance counts"},
    )
    participation_booklet_from = _age("Consultation booklet from age")
    participation_advocacy_from = _age("Advocacy from age")
    participation_attendance_from = _age("Attending their conference from age")
    report_shared_days_initial = _days("Social work report to the family: working days before an initial conference")
    report_shared_days_review = _days("Social work report to the family: working days before a review")
    agency_report_days_initial = _days("Agency reports: working days before an initial conference")
    agency_report_days_review = _days("Agency reports: working days before a review")
    invitation_days_after_booking = _days("Invitations to an initial conference: working days after booking")
    invitation_days_before_review = _days("Invitations to a review: working days before the conference")
    decision_letter_days = _days("Decision letter: working days after the conference")
    minutes_days = _days("Minutes: working days after the conference")
    escalation_stage_1_days = _days("Escalation stage 1: working days to respond")
    escalation_stage_2_days = _days("Escalation stage 2: working days to respond")
    escalation_stage_3_days = _days("Escalation stage 3: working days to respond")
    core_group_interval_weeks = forms.IntegerField(
        label="Core groups after the first: weeks from one to the next", min_value=1, max_value=12,
        error_messages={"required": "Enter the number of weeks between core groups",
                        "invalid": "Enter a whole number of weeks",
                        "min_value": "Enter a number of weeks from 1 to 12",
                        "max_value": "Enter a number of weeks from 1 to 12"},
    )
    long_plan_flag_months = forms.CharField(
        label="Long-plan panel: months on a plan at which a child is looked at again",
        help_text="Whole months separated by spaces or commas, for example 9, 12, 15, 18", max_length=60,
        error_messages={"required": "Enter at least one number of months"},
    )

    def clean_long_plan_flag_months(self) -> str:
        parts = self.cleaned_data["long_plan_flag_months"].replace(",", " ").split()
        if not parts or not all(part.isdigit() and 1 <= int(part) <= 60 for part in parts):
            raise ValidationError("Enter whole months from 1 to 60 separated by commas, like 9, 12, 15, 18")
        return " ".join(str(m) for m in sorted({int(part) for part in parts}))

    def clean_quoracy_counted_agencies(self) -> str:
        return " ".join(sorted(self.cleaned_data["quoracy_counted_agencies"]))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        booklet, advocacy = data.get("participation_booklet_from"), data.get("participation_advocacy_from")
        if booklet is not None and advocacy is not None and advocacy < booklet:
            self.add_error("participation_advocacy_from", "Advocacy usually starts at or after the age of the booklet: "
                           f"enter an age of {booklet} or more")
        return data


def _initial(row: AuthoritySettings) -> dict[str, Any]:
    values = {name: getattr(row, name) for name in AuthoritySettingsForm.base_fields}
    values["quoracy_social_care_required"] = "yes" if row.quoracy_social_care_required else "no"
    values["quoracy_counted_agencies"] = row.quoracy_counted_agencies.split()
    values["long_plan_flag_months"] = ", ".join(row.long_plan_flag_months.split())
    return values


class ClosureDayForm(GovukForm):
    day = GovukDateField(label="Date of the closure day")
    description = forms.CharField(label="What it is", max_length=120, help_text="For example, Council closure day",
                                  error_messages={"required": "Enter what the closure day is"})


def _setting_label(setting: str) -> str:
    if setting == "closure_day":
        return "Closure day"
    field = AuthoritySettingsForm.base_fields.get(setting)
    return str(field.label) if field is not None else setting


def _page(request: HttpRequest, form: forms.Form, closure_form: forms.Form) -> HttpResponse:
    changes = [
        {"at": change.at, "username": change.username, "setting": _setting_label(change.setting),
         "old_value": change.old_value, "new_value": change.new_value}
        for change in ConfigurationChange.objects.all()[:50]
    ]
    return render(request, "web/configuration.html", {
        "form": form, "closure_form": closure_form, "closures": ClosureDay.objects.all(), "changes": changes,
    })


@role_required(Role.ADMINISTRATOR)
def configuration(request: HttpRequest) -> HttpResponse:
    row = AuthoritySettings.objects.filter(pk=settings_service.SETTINGS_PK).first() or AuthoritySettings()
    form = AuthoritySettingsForm(request.POST or None, initial=_initial(row))
    changed = save_form(form, request, lambda data: settings_service.do_update_authority_settings(
        by=request.user, values=data))
    if changed is not None:
        messages.success(request, f"{len(changed)} setting{'s' if len(changed) != 1 else ''} changed" if changed
                         else "Nothing was changed")
        return redirect("configuration")
    log_access(request, "list", "configuration", "", "configuration")
    return _page(request, form, ClosureDayForm())


@role_required(Role.ADMINISTRATOR)
def closure_day_add(request: HttpRequest) -> HttpResponse:
    row = AuthoritySettings.objects.filter(pk=settings_service.SETTINGS_PK).first() or AuthoritySettings()
    if request.method != "POST":
        return redirect("configuration")
    form = ClosureDayForm(request.POST)
    if save_form(form, request, lambda data: settings_service.do_add_closure_day(by=request.user, **data)):
        messages.success(request, "Closure day added")
        return redirect("configuration")
    return _page(request, AuthoritySettingsForm(initial=_initial(row)), form)


class _RemoveForm(GovukForm):
    day = forms.DateField(input_formats=["%Y-%m-%d"], error_messages={"required": "Choose a closure day to remove"})


@role_required(Role.ADMINISTRATOR)
def closure_day_remove(request: HttpRequest) -> HttpResponse:
    form = _RemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            settings_service.do_remove_closure_day(by=request.user, day=form.cleaned_data["day"])
            messages.success(request, "Closure day removed")
        except Refusal as refusal:
            messages.error(request, str(refusal))
    return redirect("configuration")
