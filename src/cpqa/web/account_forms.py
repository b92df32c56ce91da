"""Forms for the second factor, password change and reset, and the administrator's accounts page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms

from cpqa.accounts.models import Role
from cpqa.record.models import Team
from cpqa.ui.forms import GovukForm, TextLimits


class CodeForm(GovukForm):
    code = forms.CharField(
        label="Security code", max_length=20,
        error_messages={"required": "Enter the security code"},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )


class AppCodeForm(CodeForm):
    """The first code from the app being set up: 6 digits."""

    def clean_code(self) -> str:
        digits = "".join(ch for ch in self.cleaned_data["code"] if ch.isdigit())
        if len(digits) != 6:
            raise forms.ValidationError("Enter the 6-digit code your authenticator app shows")
        return digits


class PasswordChangeForm(TextLimits, auth_forms.PasswordChangeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].help_text = _policy_hint()
        self.fields["new_password2"].label = "New password again"
        self.error_messages["password_incorrect"] = "Your current password is not right. Enter it again."


class SetPasswordForm(TextLimits, auth_forms.SetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].help_text = _policy_hint()
        self.fields["new_password2"].label = "New password again"


class PasswordResetForm(TextLimits, auth_forms.PasswordResetForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address"
        self.fields["email"].error_messages = {
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        }


def _policy_hint() -> str:
    from django.conf import settings

    length = next(
        (v.get("OPTIONS", {}).get("min_length", 8) for v in settings.AUTH_PASSWORD_VALIDATORS
         if v["NAME"].endswith("MinimumLengthValidator")),
        8,
    )
    return (
        f"At least {length} characters. Three random words together make a good password. "
        "Common passwords are refused."
    )


class NewAccountForm(GovukForm):
    username = forms.CharField(max_length=150, error_messages={"required": "Enter a username"})
    first_name = forms.CharField(max_length=150, required=False, label="First name")
    last_name = forms.CharField(max_length=150, required=False, label="Last name")
    email = forms.EmailField(
        required=False, label="Email address", help_text="For resetting a forgotten password.",
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )
    role = forms.ChoiceField(choices=Role.choices, widget=forms.RadioSelect, error_messages={"required": "Choose a role"})
    teams = forms.ModelMultipleChoiceField(
        queryset=Team.objects.order_by("name"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Social work managers only: the teams whose children they may see.",
    )
    password = forms.CharField(
        label="First password", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter a first password"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = (
            _policy_hint() + " Give it to the person in person or by phone; they set up their "
            "authenticator app when they first sign in."
        )


class RoleForm(GovukForm):
    role = forms.ChoiceField(
        choices=Role.choices, widget=forms.RadioSelect, label="What this account may do",
        error_messages={"required": "Choose a role"},
    )


class TeamsForm(GovukForm):
    teams = forms.ModelMultipleChoiceField(
        queryset=Team.objects.order_by("name"), required=False, widget=forms.CheckboxSelectMultiple,
        label="Teams", help_text="The teams whose children this social work manager may see.",
    )
