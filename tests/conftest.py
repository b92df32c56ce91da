"""Shared test set-up: a temporary CPQA_HOME so no test touches a developer's own data."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("CPQA_HOME", tempfile.mkdtemp(prefix="cpqa-test-"))

# Sign-in: most tests sign in with client.force_login, which gives no second factor; the second
# factor is off for them. A test of the second factor itself takes the `second_factor_on` fixture.
pytest_plugins = ["tests.support.second_factor"]
