"""Shared test set-up: a temporary CPQA_HOME so no test touches a developer's own data."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("CPQA_HOME", tempfile.mkdtemp(prefix="cpqa-test-"))
