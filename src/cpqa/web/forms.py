"""The sign-in form, in the service's words (the form kit itself is `cpqa.ui.forms`)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.forms import AuthenticationForm

from cpqa.ui.forms import TextLimits


class SignInForm(TextLimits, AuthenticationForm):
    """Django's sign-in form with labels in the service's words; the password box is limited too
    (a megabyte of password would be hashed on every try)."""

    error_messages: ClassVar[dict[str, str]] = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is not active.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "spellcheck": "false"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})
