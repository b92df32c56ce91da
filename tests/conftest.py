"""Shared test set-up: a temporary CPQA_HOME so no test touches a developer's own data."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("CPQA_HOME", tempfile.mkdtemp(prefix="cpqa-test-"))
# Tests write rows straight through the ORM and roll back, so a server's copy of the record in
# memory would outlive them; tests/record/test_cache.py turns it on where it is the subject.
os.environ.setdefault("CPQA_RECORD_CACHE", "0")
