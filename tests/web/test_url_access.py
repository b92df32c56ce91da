"""Every URL in the URL configuration, with every role and signed out, against the ACCESS tables.

Each app's urls module exports ACCESS (URL name -> cpqa.accounts.access.Expect). This test
walks the whole URL configuration, so a URL added without an ACCESS row fails here, and a
view that answers a role it should refuse (or refuses one it should serve) fails too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cpqa.accounts.access import Expect, Sample, is_guarded
from cpqa.accounts.roles import ALL_ROLES


@dataclass(frozen=True)
class Route:
    name: str  # namespaced URL name, for reverse()
    expect: Expect | None  # None: the module that defines it has no ACCESS row for it
    where: str  # the urls module, for the failure message
    callback: Callable[..., Any]


def _routes(resolver: URLResolver, namespace: str = "") -> Iterator[Route]:
    module = resolver.urlconf_module
    access = getattr(module, "ACCESS", {})
    where = getattr(module, "__name__", str(module))
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _routes(pattern, inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name or f"<unnamed {pattern.pattern}>"
            yield Route(f"{namespace}{name}", access.get(pattern.name), where, pattern.callback)


ROUTES = list(_routes(get_resolver()))


def _url(route: Route, world: dict[str, int]) -> str:
    kwargs = {
        key: world[value.kind] if isinstance(value, Sample) else value
        for key, value in route.expect.sample.items()
    }
    return reverse(route.name, kwargs=kwargs)


def test_every_url_has_an_access_row() -> None:
    """Each URL pattern is named and has an Expect row in its own urls module's ACCESS table."""
    missing = [f"{r.name} (in {r.where})" for r in ROUTES if r.expect is None]
    assert not missing, "URLs with no ACCESS row: " + ", ".join(missing)


def test_every_view_carries_an_access_rule() -> None:
    """Each view is wrapped in role_required or public_page, so the guard middleware serves it."""
    unguarded = [f"{r.name} (in {r.where})" for r in ROUTES if not is_guarded(r.callback)]
    assert not unguarded, "views with no access rule: " + ", ".join(unguarded)


def test_the_walk_finds_the_shell_pages() -> None:
    """The walk reaches nested URL modules (a walk that found nothing would prove nothing)."""
    names = {r.name for r in ROUTES}
    assert {"login", "logout", "today"} <= names


def _request(client: Client, route: Route, url: str) -> Any:
    if route.expect.method == "post":
        return client.post(url, {})
    return client.get(url)


@pytest.mark.parametrize("route", [r for r in ROUTES if r.expect is not None], ids=lambda r: r.name)
@pytest.mark.parametrize("role", sorted(ALL_ROLES) + [None], ids=lambda r: r or "anonymous")
def test_url_answers_each_role_as_expected(
    route: Route, role: str | None, client_for: Callable[[str | None], Client], world: dict[str, int]
) -> None:
    """Allowed roles get 200 or 302 (not asked to sign in), other roles 403, anonymous sign-in."""
    url = _url(route, world)
    response = _request(client_for(role), route, url)
    location = response.get("Location", "")
    if role is None:
        if route.expect.public:
            assert response.status_code == 200, f"{route.name}: public page answered {response.status_code}"
        else:
            assert response.status_code == 302 and location.startswith(reverse("login")), (
                f"{route.name}: anonymous got {response.status_code} {location!r}, not the sign-in page"
            )
    elif role in route.expect.allowed:
        assert response.status_code in (200, 302), f"{route.name} as {role}: {response.status_code}"
        # Sign-out's own redirect to the sign-in page is fine; being asked to sign in is not.
        assert "?next=" not in location, f"{route.name} as {role}: asked to sign in"
    else:
        assert response.status_code == 403, f"{route.name} as {role}: {response.status_code}, expected 403"
