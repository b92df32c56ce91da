"""Single sign-on against a local OpenID Connect provider the tests start (tests/accounts/oidc_provider.py).

The whole flow runs for real: cpqa sends the browser to the provider's authorize endpoint
(state, nonce, PKCE), the provider redirects back with a code, cpqa exchanges it at the token
endpoint, checks the RS256 signature against the JWKS, the issuer, audience and nonce, reads
userinfo, and maps the groups claim to a role. The council's provider does the second factor,
so these accounts skip cpqa's own even when it is required.
"""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from cpqa.accounts.models import AccountChange, Role, User
from cpqa.accounts.oidc import NOT_MAPPED, role_for_groups, role_map
from tests.accounts.oidc_provider import CLIENT_ID, Provider, running_provider

CHAIRS_GROUP = "3f1c0a52-0000-4000-8000-00000000c4a1"
QA_GROUP = "3f1c0a52-0000-4000-8000-0000000000a9"
OTHER_GROUP = "3f1c0a52-0000-4000-8000-000000000999"


@pytest.fixture
def provider(settings: Any, monkeypatch: pytest.MonkeyPatch, db: None, second_factor_on: None) -> Iterator[Provider]:
    """The provider running, cpqa configured for it, and cpqa's own second factor required."""
    # The provider is on this machine: no proxy from the environment may stand between.
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    with running_provider() as running:
        for name, value in running.settings().items():
            setattr(settings, name, value)
        settings.CPQA_OIDC_ROLE_MAP = f"{CHAIRS_GROUP}=chair,{QA_GROUP}=qa_manager"
        settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "cpqa.accounts.oidc.CouncilOIDCBackend"]
        settings.ROOT_URLCONF = "tests.accounts.sso_urls"
        yield running


def _person(sub: str, groups: list[str], **more: Any) -> dict[str, Any]:
    return {"sub": sub, "groups": groups, "preferred_username": f"{sub}@council.example", "given_name": "Sam",
            "family_name": "Example", "email": f"{sub}@council.example", **more}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _sign_on(client: Client) -> Any:
    """Press the button, go to the provider (which signs the person in), come back with the code."""
    start = client.get(reverse("oidc_authentication_init"))
    assert start.status_code == 302
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        opener.open(start["Location"], timeout=10)
    except urllib.error.HTTPError as back:  # the 302 back to cpqa, not followed
        location = back.headers["Location"]
    parts = urlsplit(location)
    assert parts.path == reverse("oidc_authentication_callback")
    return client.get(parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()})


def test_the_sign_in_page_offers_the_council_account_only_when_configured(provider: Provider, settings: Any) -> None:
    page = Client().get(reverse("login"))
    assert b"Sign in with your council account" in page.content
    settings.CPQA_OIDC_ENABLED = False
    assert b"Sign in with your council account" not in Client().get(reverse("login")).content


def test_the_request_to_the_provider_carries_state_nonce_and_pkce(provider: Provider) -> None:
    start = Client().get(reverse("oidc_authentication_init"))
    query = {k: v[0] for k, v in parse_qs(urlsplit(start["Location"]).query).items()}
    assert start["Location"].startswith(f"{provider.base_url}/authorize?")
    assert query["client_id"] == CLIENT_ID and query["response_type"] == "code"
    assert query["redirect_uri"] == "http://testserver" + reverse("oidc_authentication_callback")
    assert query["state"] and query["nonce"] and query["code_challenge_method"] == "S256"
    assert set(query["scope"].split()) == {"openid", "email", "profile"}


def test_a_person_in_a_mapped_group_signs_in_with_its_role_and_no_local_second_factor(provider: Provider) -> None:
    provider.person = _person("entra-sub-1", [OTHER_GROUP, CHAIRS_GROUP])
    client = Client()
    back = _sign_on(client)
    assert back.status_code == 302 and back["Location"] == reverse("today")
    user = User.objects.get(oidc_subject="entra-sub-1")
    # The groups claim (from the signed id_token) maps to chair; names and email from userinfo.
    assert (user.username, user.role, user.first_name, user.email) == (
        "entra-sub-1@council.example", Role.CHAIR, "Sam", "entra-sub-1@council.example"
    )
    assert not user.has_usable_password()
    # cpqa's second factor is required, but this session came through the council's provider.
    assert client.get(reverse("today")).status_code == 200
    # The token exchange sent the PKCE verifier and the client's secret (checked by the provider).
    assert provider.token_requests[-1]["code_verifier"]
    assert [(c.action, c.new_value) for c in AccountChange.objects.filter(account=user)] == [("sso_role", "Child protection chair")]


def test_the_widest_mapped_role_wins_and_changes_follow_the_groups(provider: Provider) -> None:
    provider.person = _person("entra-sub-2", [CHAIRS_GROUP, QA_GROUP])
    _sign_on(Client())
    user = User.objects.get(oidc_subject="entra-sub-2")
    assert user.role == Role.QA_MANAGER
    # Moved to the chairs' group only: the next sign-in makes them a chair, logged.
    provider.person = _person("entra-sub-2", [CHAIRS_GROUP])
    _sign_on(Client())
    user.refresh_from_db()
    assert user.role == Role.CHAIR
    assert User.objects.filter(oidc_subject="entra-sub-2").count() == 1
    assert AccountChange.objects.filter(account=user, action="sso_role").first().old_value == "QA service manager"


def test_a_person_in_no_mapped_group_is_refused_clearly(provider: Provider) -> None:
    provider.person = _person("entra-sub-3", [OTHER_GROUP])
    client = Client()
    back = _sign_on(client)
    assert back.status_code == 302 and back["Location"] == reverse("login")
    page = client.get(reverse("login"))
    assert NOT_MAPPED.encode() in page.content.replace(b"&#x27;", b"'")
    assert not User.objects.filter(oidc_subject="entra-sub-3").exists()
    assert "_auth_user_id" not in client.session


def test_a_disabled_account_is_refused_even_by_its_council_account(provider: Provider) -> None:
    provider.person = _person("entra-sub-4", [CHAIRS_GROUP])
    _sign_on(Client())
    User.objects.filter(oidc_subject="entra-sub-4").update(is_active=False)
    client = Client()
    back = _sign_on(client)
    assert back["Location"] == reverse("login")
    assert b"has been disabled" in client.get(reverse("login")).content
    assert "_auth_user_id" not in client.session


def test_an_id_token_signed_with_another_key_is_refused(provider: Provider) -> None:
    provider.person = _person("entra-sub-5", [CHAIRS_GROUP])
    provider.signing_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    client = Client()
    assert _sign_on(client)["Location"] == reverse("login")
    assert not User.objects.filter(oidc_subject="entra-sub-5").exists()


def test_an_id_token_from_another_issuer_is_refused(provider: Provider, settings: Any) -> None:
    settings.CPQA_OIDC_ISSUER = "https://login.microsoftonline.com/another-tenant/v2.0"
    provider.person = _person("entra-sub-6", [CHAIRS_GROUP])
    assert _sign_on(Client())["Location"] == reverse("login")
    assert not User.objects.filter(oidc_subject="entra-sub-6").exists()


def test_a_local_account_with_the_same_email_is_never_taken_over(provider: Provider) -> None:
    local = User.objects.create_user("entra-sub-7@council.example", password="a-long-test-password-1",
                                     role=Role.ADMINISTRATOR, email="entra-sub-7@council.example")
    provider.person = _person("entra-sub-7", [CHAIRS_GROUP])
    _sign_on(Client())
    made = User.objects.get(oidc_subject="entra-sub-7")
    assert made.pk != local.pk and made.username == "entra-sub-7@council.example-2"
    local.refresh_from_db()
    assert local.role == Role.ADMINISTRATOR and local.oidc_subject is None


def test_the_provider_serves_discovery(provider: Provider) -> None:
    import json

    with urllib.request.urlopen(f"{provider.base_url}/.well-known/openid-configuration", timeout=10) as answer:
        found = json.load(answer)
    assert found["issuer"] == provider.issuer and found["jwks_uri"] == provider.settings()["OIDC_OP_JWKS_ENDPOINT"]


def test_role_map_reading(settings: Any) -> None:
    assert role_map("a=chair, b = analyst ,") == {"a": Role.CHAIR, "b": Role.ANALYST}
    with pytest.raises(ImproperlyConfigured, match="'a=boss' is not group=role"):
        role_map("a=boss")
    assert role_for_groups(["x", "b", "a"], {"a": Role.CHAIR, "b": Role.ANALYST}) == Role.CHAIR
    assert role_for_groups("b", {"b": Role.ANALYST}) == Role.ANALYST
    assert role_for_groups(None, {"b": Role.ANALYST}) is None


def test_a_provider_that_does_not_answer_the_token_request_gives_a_clear_message(
    provider: Provider, settings: Any
) -> None:
    """The token endpoint on a port nothing listens on: back to sign-in with a message, not a 500."""
    import socket

    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        closed_port = free.getsockname()[1]
    settings.OIDC_OP_TOKEN_ENDPOINT = f"http://127.0.0.1:{closed_port}/token"
    provider.person = _person("entra-sub-8", [CHAIRS_GROUP])
    client = Client()
    assert _sign_on(client)["Location"] == reverse("login")
    assert b"sign-in service did not answer" in client.get(reverse("login")).content


def test_a_mistyped_role_map_stops_the_service_at_start_up(settings: Any) -> None:
    from django.apps import apps

    settings.CPQA_OIDC_ENABLED = True
    settings.CPQA_OIDC_ROLE_MAP = "abc=chiar"
    with pytest.raises(ImproperlyConfigured, match="'abc=chiar' is not group=role"):
        apps.get_app_config("accounts").ready()
