"""Template tags about signing in, for the base page (`{% load sign_in %}`)."""

from __future__ import annotations

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def password_only_sign_in() -> bool:
    """Whether accounts sign in with a password alone (the demo); the banner says so."""
    return not settings.CPQA_REQUIRE_2FA
