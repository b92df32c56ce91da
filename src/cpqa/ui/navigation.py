"""The service navigation: which pages each role sees in the header.

Each app's urls module may export `NAVIGATION`, a list of `NavItem`; the header shows, in
URL-configuration order, the items whose roles include the signed-in user's. An app adds its
pages to the header by exporting the list, without touching the base template.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from django.urls import URLResolver, get_resolver


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str]
    # Other URL names that belong to this section, so it stays highlighted on their pages.
    also_active_for: frozenset[str] = frozenset()


@dataclass(frozen=True)
class HeaderSearch:
    """The search box in the header: the page it posts to and the roles that see it. An app's
    urls module exports at most one, as `HEADER_SEARCH`."""

    url_name: str
    roles: frozenset[str]
    label: str


def _urlconf_modules(resolver: URLResolver) -> Iterator[object]:
    yield resolver.urlconf_module
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _urlconf_modules(pattern)


def navigation_items() -> tuple[NavItem, ...]:
    # Keyed on the resolver in use, so a request served under another URL configuration (a
    # test's `urls` override) never leaves its menu behind for later requests.
    return _items_of(get_resolver())


@lru_cache(maxsize=8)
def _items_of(resolver: URLResolver) -> tuple[NavItem, ...]:
    items: list[NavItem] = []
    for module in _urlconf_modules(resolver):
        items.extend(getattr(module, "NAVIGATION", ()))
    return tuple(items)


def items_for(role: str) -> list[NavItem]:
    return [item for item in navigation_items() if role in item.roles]


@lru_cache(maxsize=8)
def _search_of(resolver: URLResolver) -> HeaderSearch | None:
    for module in _urlconf_modules(resolver):
        found = getattr(module, "HEADER_SEARCH", None)
        if found is not None:
            return found
    return None


def header_search_for(role: str) -> HeaderSearch | None:
    found = _search_of(get_resolver())
    return found if found is not None and role in found.roles else None
