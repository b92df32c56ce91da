"""Single sign-on with the council's identity provider (OpenID Connect; Microsoft Entra ID or any
provider that signs its id_token with RS256), on mozilla-django-oidc.

The account is found by the provider's subject (`sub`), never by email, so a local account that
shares an address is never taken over. The role comes from the groups (or app roles) claim at
every sign-in, through CPQA_OIDC_ROLE_MAP: someone in no mapped group is refused, with a message
that says why. The groups claim is read from the signed id_token first (Entra puts groups
there, and its userinfo endpoint does not return them), then from userinfo.
"""

from __future__ import annotations

import logging
from typing import Any

import requests
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from cpqa.accounts.models import Role, User

logger = logging.getLogger(__name__)
# The refusal the callback shows, kept on the request by the backend.
REFUSAL_ATTRIBUTE = "cpqa_sign_on_refusal"
NOT_MAPPED = (
    "Your council account is not in a group that gives access to cpqa, so you cannot sign in. "
    "Ask the service's administrator to add you to the right group."
)
DISABLED = "Your cpqa account has been disabled. Ask the service's administrator."
NO_ANSWER = "The council's sign-in service did not answer. Try again in a few minutes, or sign in with a cpqa password."
NOT_CHECKED = "Signing in with your council account did not work. Try again, or ask the service's administrator."
# Roles in order of reach, so someone in two mapped groups gets the wider one.
ROLE_ORDER = [
    Role.ADMINISTRATOR, Role.QA_MANAGER, Role.CHAIR, Role.BUSINESS_SUPPORT, Role.SOCIAL_WORK_MANAGER, Role.ANALYST,
]


def role_map(text: str | None = None) -> dict[str, str]:
    """Parse "group-id=role,group-id=role" (CPQA_OIDC_ROLE_MAP); an unknown role is a configuration error."""
    text = settings.CPQA_OIDC_ROLE_MAP if text is None else text
    mapping: dict[str, str] = {}
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        group, sep, role = item.rpartition("=")
        if not sep or not group.strip() or role.strip() not in Role.values:
            raise ImproperlyConfigured(
                f"CPQA_OIDC_ROLE_MAP: {item!r} is not group=role with a role among {', '.join(Role.values)}"
            )
        mapping[group.strip()] = role.strip()
    return mapping


def role_for_groups(groups: object, mapping: dict[str, str]) -> str | None:
    """The widest cpqa role any of the groups maps to; None when none does."""
    if isinstance(groups, str):
        groups = [groups]
    if not isinstance(groups, (list, tuple)):
        return None
    roles = {mapping[g] for g in groups if isinstance(g, str) and g in mapping}
    return next((role for role in ROLE_ORDER if role in roles), None)


class CouncilOIDCBackend(OIDCAuthenticationBackend):
    """Sign in with the council's account: match by subject, role from groups, no local password."""

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> dict[str, Any]:
        issuer = settings.CPQA_OIDC_ISSUER
        if issuer and payload.get("iss") != issuer:
            raise SuspiciousOperation("id_token issuer is not the configured one")
        if payload.get("aud") not in (self.OIDC_RP_CLIENT_ID, [self.OIDC_RP_CLIENT_ID]):
            raise SuspiciousOperation("id_token audience is not this service")
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            info = super().get_userinfo(access_token, id_token, payload)
            if info.get("sub") != payload.get("sub"):
                raise SuspiciousOperation("userinfo subject differs from the id_token's")
            # The signed id_token wins for every claim it carries (the groups above all).
            claims = {**info, **payload}
        return claims

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        if not claims.get("sub"):
            return False
        if role_for_groups(claims.get(settings.CPQA_OIDC_GROUPS_CLAIM), role_map()) is None:
            setattr(self.request, REFUSAL_ATTRIBUTE, NOT_MAPPED)
            return False
        return True

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        return User.objects.filter(oidc_subject=str(claims["sub"]))

    def create_user(self, claims: dict[str, Any]) -> User:
        from cpqa.accounts.services import note_role_from_sign_on

        role = role_for_groups(claims.get(settings.CPQA_OIDC_GROUPS_CLAIM), role_map())
        user = User(
            username=self._free_username(claims), oidc_subject=str(claims["sub"]), role=role,
            email=str(claims.get("email") or "")[:254],
            first_name=str(claims.get("given_name") or "")[:150], last_name=str(claims.get("family_name") or "")[:150],
        )
        user.set_unusable_password()
        user.save()
        note_role_from_sign_on(user, "", role)
        return user

    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        from cpqa.accounts.services import note_role_from_sign_on

        if not user.is_active:
            setattr(self.request, REFUSAL_ATTRIBUTE, DISABLED)
        role = role_for_groups(claims.get(settings.CPQA_OIDC_GROUPS_CLAIM), role_map())
        if role is not None and role != user.role:
            old = user.role
            user.role = role
            user.save(update_fields=["role"])
            note_role_from_sign_on(user, old, role)
        return user

    def _free_username(self, claims: dict[str, Any]) -> str:
        """The provider's own name for the person (UPN or email), made unique if a local account has it."""
        base = str(claims.get("preferred_username") or claims.get("email") or f"sso-{claims['sub']}")[:140]
        name, n = base, 1
        while User.objects.filter(username__iexact=name).exists():
            n += 1
            name = f"{base}-{n}"
        return name


def enabled() -> bool:
    return bool(settings.CPQA_OIDC_ENABLED)


class SignOnStart(OIDCAuthenticationRequestView):
    """Send the browser to the council's provider (state, nonce and PKCE by mozilla-django-oidc)."""


class SignOnCallback(OIDCAuthenticationCallbackView):
    """Back from the provider: sign in, or back to the sign-in page with what went wrong."""

    def get(self, request: HttpRequest) -> HttpResponse:
        # A forged or broken answer (bad signature, wrong nonce or state) and a provider that
        # does not answer both end at the sign-in page with a message, never an error page.
        try:
            return super().get(request)
        except SuspiciousOperation:
            logger.warning("single sign-on answer refused (signature, nonce, state, issuer or audience)")
            return self.login_failure()
        except requests.RequestException:
            logger.warning("single sign-on: the identity provider did not answer")
            setattr(request, REFUSAL_ATTRIBUTE, NO_ANSWER)
            return self.login_failure()

    @property
    def failure_url(self) -> str:
        return reverse("login")

    def login_failure(self) -> HttpResponse:
        reason = getattr(self.request, REFUSAL_ATTRIBUTE, "") or NOT_CHECKED
        messages.error(self.request, reason)
        return super().login_failure()
