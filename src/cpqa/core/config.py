"""The authority's configuration: the one function every caller reads it through."""

from __future__ import annotations

from cpqa.domain.config import AuthorityConfig


def authority_config(given: AuthorityConfig | None = None) -> AuthorityConfig:
    """The configuration the service runs on; `given` (a caller's own, e.g. a test's) wins."""
    if given is not None:
        return given
    return AuthorityConfig()
