"""Every URL pattern of the resolver, with hostile values in every path parameter and in the
query parameters pages read, signed in as each role: never a 500, never a traceback.

The known 500s of issue 11 are here by name (?on=0001-01-01, ?on=9999-12-31,
/reports/annual/0001-02.json, ?month=9999-12, ?year=9999-00) and must answer 400 or 404.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from cpqa.accounts.access import Sample
from cpqa.accounts.roles import ALL_ROLES

HOSTILE_QUERY_VALUES = (
    "0001-01-01", "9999-12-31", "9999-12", "9999-00", "x" * 300, "\x00", "２０２４-０１-０１", "-1",
)
HOSTILE_PATH_VALUES = {
    "int": ("0", "2147483648", "9223372036854775808", "99999999999999999999999999"),
    "slug": ("x", "a" * 300, "--", "_"),
    "str": ("0001-02", "9999-00", "9999-10000", "2023-24x", "'", "%00", "..", "a" * 300, "<b>"),
}
# Words that only Django's debug pages or a traceback would show.
LEAK_MARKERS = ("Traceback", "Exception Value", "Request Method:", "DJANGO_SETTINGS_MODULE", "urlpatterns")


@dataclass(frozen=True)
class Url:
    name: str
    route: str  # e.g. "children/<int:pk>/"
    sample: dict[str, object]
    method: str
    allowed: frozenset[str]


def _walk(resolver: URLResolver, prefix: str = "") -> Iterator[Url]:
    access = getattr(resolver.urlconf_module, "ACCESS", {})
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            expect = access.get(pattern.name)
            yield Url(
                name=pattern.name or str(pattern.pattern),
                route=prefix + str(pattern.pattern),
                sample=dict(expect.sample) if expect else {},
                method=expect.method if expect else "get",
                # A URL with no ACCESS row is refused by test_url_access; walk it as everyone here.
                allowed=expect.allowed if expect else frozenset(ALL_ROLES),
            )


URLS = list(_walk(get_resolver()))
PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")


def _path(url: Url, world: dict[str, int], hostile: tuple[str, str] | None = None) -> str:
    """The route with each parameter filled: the sample value, or the hostile one for `name`."""

    def fill(match: re.Match[str]) -> str:
        name = match.group(2)
        if hostile is not None and hostile[0] == name:
            return quote(hostile[1], safe="")
        value = url.sample.get(name, 1)
        return str(world[value.kind] if isinstance(value, Sample) else value)

    return "/" + PARAMETER.sub(fill, url.route)


def _check(client: Client, method: str, address: str, what: str) -> None:
    response = client.post(address, {}) if method == "post" else client.get(address)
    assert response.status_code != 500, f"{what}: 500"
    assert response.status_code in (200, 302, 400, 403, 404, 405), f"{what}: {response.status_code}"
    if not getattr(response, "streaming", False):
        body = response.content.decode("utf-8", "replace")
        leaked = [marker for marker in LEAK_MARKERS if marker in body]
        assert not leaked, f"{what}: the page shows {leaked}"


def test_the_walk_covers_the_whole_resolver() -> None:
    names = {url.name for url in URLS}
    assert {"today", "annual_report", "child_detail", "escalation_detail", "repeat_plans"} <= names
    assert len(URLS) >= 50


@pytest.mark.parametrize("role", sorted(ALL_ROLES))
def test_hostile_path_values_never_break_a_page(
    role: str, client_for: Callable[[str | None], Client], world: dict[str, int]
) -> None:
    client = client_for(role)
    for url in URLS:
        if role not in url.allowed:
            continue
        for kind, name in ((m.group(1) or "str", m.group(2)) for m in PARAMETER.finditer(url.route)):
            for value in HOSTILE_PATH_VALUES.get(kind, HOSTILE_PATH_VALUES["str"]):
                address = _path(url, world, (name, value))
                _check(client, url.method, address, f"{url.name} as {role}, {name}={value[:20]!r}")


def _parameters_read(client: Client, address: str, monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """The query parameters a page reads, seen by watching its request.GET during one request
    (so a parameter added to a view tomorrow is walked without anyone listing it here)."""
    read: set[str] = set()
    original_get, original_item = QueryDict.get, QueryDict.__getitem__
    original_getlist, original_contains = QueryDict.getlist, QueryDict.__contains__

    def get(self: QueryDict, key: str, default: object = None) -> object:
        read.add(key)
        return original_get(self, key, default)

    def item(self: QueryDict, key: str) -> object:
        read.add(key)
        return original_item(self, key)

    def getlist(self: QueryDict, key: str, default: object = None) -> object:
        read.add(key)
        return original_getlist(self, key, default)

    def contains(self: QueryDict, key: object) -> bool:
        read.add(str(key))
        return original_contains(self, key)

    with monkeypatch.context() as patch:
        patch.setattr(QueryDict, "get", get)
        patch.setattr(QueryDict, "__getitem__", item)
        patch.setattr(QueryDict, "getlist", getlist)
        patch.setattr(QueryDict, "__contains__", contains)
        client.get(address)
    return read


@pytest.mark.parametrize("role", sorted(ALL_ROLES))
def test_hostile_query_values_never_break_a_page(
    role: str, client_for: Callable[[str | None], Client], world: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each hostile value in each query parameter the page reads, on every page the role may open."""
    client = client_for(role)
    walked: set[str] = set()
    for url in URLS:
        if role not in url.allowed or url.method != "get":
            continue
        base = _path(url, world)
        for name in sorted(_parameters_read(client, base, monkeypatch)):
            walked.add(name)
            for value in HOSTILE_QUERY_VALUES:
                _check(client, "get", f"{base}?{urlencode({name: value})}", f"{url.name} as {role}, {name}={value[:20]!r}")
    # The watch sees the parameters (a watch that saw nothing would prove nothing).
    if role == "qa_manager":
        assert {"on", "month", "year"} <= walked, walked


@pytest.mark.parametrize(
    "address, role, status",
    [
        # Each worked by hand: a year outside 1900-2100 cannot be used; a malformed date on a page
        # falls back to today with a warning (200), in a download it is a 400.
        ("/?on=0001-01-01", "qa_manager", 200),
        ("/?on=9999-12-31", "qa_manager", 200),
        ("/reports/lateness.csv?on=9999-12-31", "qa_manager", 400),
        ("/reports/annex-a.xlsx?on=0001-01-01", "qa_manager", 400),
        ("/reports/annual/0001-02.json", "analyst", 404),
        ("/oversight/repeat-plans/?month=9999-12", "qa_manager", 400),
        ("/oversight/long-plans/?on=0001-01-01", "qa_manager", 400),
        ("/oversight/footprint/?year=9999-00", "qa_manager", 400),
    ],
)
def test_the_known_500s_answer_clearly(
    address: str, role: str, status: int, client_for: Callable[[str | None], Client]
) -> None:
    response = client_for(role).get(address)
    assert response.status_code == status
    page = response.content.decode()
    if status == 400:
        assert "There is a problem with the web address" in page
        assert "between 1900 and 2100" in page
    if status == 200:
        assert "so today is shown" in page
