"""The web tests' fixtures (sample world, a client per role) serve the access tests too."""

from tests.web.conftest import client_for, fast_password_hashing, world

__all__ = ["client_for", "fast_password_hashing", "world"]
