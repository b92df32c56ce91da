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
