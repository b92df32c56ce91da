"""Fuzzing every form (issue 11, point 8): hypothesis posts random and hostile values to every
form the pages offer, signed in as each role. No answer is a 500, and a form that is refused
(anything but the redirect after a save) leaves the database exactly as it was: no partial write.

The forms are found the way a person finds them: every page the role may open is fetched and
each POST form on it (its action, its fields, the options it offers) becomes a target, so a form
added tomorrow is fuzzed without anyone listing it. A short, deterministic run here
(CPQA_FUZZ_EXAMPLES examples per form, default 3, derandomized); bench/fuzz_forms.py runs it long.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpqa.accounts.roles import ALL_ROLES
from tests.web.test_hostile_addresses import LEAK_MARKERS, URLS, _path

EXAMPLES = int(os.environ.get("CPQA_FUZZ_EXAMPLES", "3"))
# The suite's run is the same every time; the benchmark may ask for fresh random draws.
DERANDOMIZE = os.environ.get("CPQA_FUZZ_RANDOM") != "1"

HOSTILE = (
    "", " ", "0", "-1", "1", "31", "13", "2024", "99999999999999999999", "1e309", "NaN",
    "0001-01-01", "9999-12-31", "29", "2", "2100", "1899", "yes", "no", "on",
    "x" * 5001, "y" * 200_001, "\x00", "\u202e", "<script>alert(1)</script>", "'; DROP TABLE x; --",
    "１２", "٣", "\r\n", "../../etc/passwd",
)

# Rows a request may write whatever it does: the access log (every view and refusal is logged),
# sign-in bookkeeping and sessions. Everything else must be unchanged by a refused form.
NOT_FINGERPRINTED = {"accounts.accessevent", "accounts.accessloghead", "sessions.session", "axes.accessattempt", "axes.accesslog",
                     "axes.accessfailurelog", "contenttypes.contenttype", "auth.permission"}


@dataclass
class Form:
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> values the page offers
    multiple: set[str] = field(default_factory=set)  # checkboxes and multiple selects


class _Forms(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__()
        self.page = page
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            method = a.get("method", "get").lower()
            self._form = Form(urlsplit(urljoin(self.page, a.get("action", ""))).path) if method == "post" else None
            if self._form is not None:
                self.forms.append(self._form)
            return
        if self._form is None or not a.get("name") or a["name"] == "csrfmiddlewaretoken":
            if tag == "option" and self._form is not None and self._select:
                self._form.fields[self._select].append(a.get("value", ""))
            return
        name = a["name"]
        values = self._form.fields.setdefault(name, [])
        if tag == "input":
            values.append(a.get("value", ""))
            if a.get("type") == "checkbox":
                self._form.multiple.add(name)
        elif tag == "select":
            self._select = name
            if "multiple" in a:
                self._form.multiple.add(name)
        elif tag == "textarea":
            values.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def _forms_for(client: Client, role: str, world: dict[str, int]) -> dict[str, Form]:
    """Every POST form on every page `role` may open, by action (one per action)."""
    found: dict[str, Form] = {}
    for url in URLS:
        if role not in url.allowed or url.method != "get":
            continue
        address = _path(url, world)
        response = client.get(address)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = _Forms(address)
        parser.feed(response.content.decode())
        for form in parser.forms:
            if form.action not in ("/sign-out/",):  # signing out is not a form to fuzz
                found.setdefault(form.action, form)
    return found


def fingerprint() -> str:
    """A digest of every row of every table but the logs of requests (NOT_FINGERPRINTED)."""
    digest = hashlib.sha256()
    for model in apps.get_models():
        if model._meta.label_lower in NOT_FINGERPRINTED:
            continue
        digest.update(model._meta.label_lower.encode())
        for row in model.objects.order_by("pk").values_list():
            digest.update(repr(row).encode())
    return digest.hexdigest()


def _values(form: Form) -> st.SearchStrategy[dict[str, str | list[str]]]:
    parts: dict[str, st.SearchStrategy[object]] = {}
    for name, offered in form.fields.items():
        one = st.one_of(
            st.sampled_from([v for v in offered if v] or [""]),
            st.sampled_from(HOSTILE),
            st.text(max_size=40),
        )
        if name in form.multiple:
            parts[name] = st.lists(one, max_size=4)
        else:
            parts[name] = st.one_of(st.none(), one)  # None: the field is left out of the post
    return st.fixed_dictionaries(parts).map(lambda d: {k: v for k, v in d.items() if v is not None})


def _fuzz(client: Client, form: Form, role: str) -> None:
    @settings(
        max_examples=EXAMPLES, derandomize=DERANDOMIZE, deadline=None, database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=_values(form))
    def post(data: dict[str, str | list[str]]) -> None:
        with transaction.atomic():
            before = fingerprint()
            response = client.post(form.action, data)
            what = f"POST {form.action} as {role} with {sorted(data)}"
            assert response.status_code != 500, f"{what}: 500"
            body = response.content.decode("utf-8", "replace")
            assert not [m for m in LEAK_MARKERS if m in body], f"{what}: a traceback"
            if response.status_code != 302:
                assert fingerprint() == before, f"{what}: refused ({response.status_code}) but the database changed"
            # Each example starts from the same record.
            transaction.set_rollback(True)

    post()


@pytest.mark.parametrize("role", sorted(ALL_ROLES))
def test_every_form_survives_random_and_hostile_posts(
    role: str, client_for: Callable[[str | None], Client], world: dict[str, int]
) -> None:
    client = client_for(role)
    forms = _forms_for(client, role, world)
    if role == "qa_manager":
        # The walk finds the forms (a walk that found none would prove nothing).
        assert len(forms) >= 10, sorted(forms)
    for form in forms.values():
        _fuzz(client, form, role)


def test_the_fingerprint_sees_a_change(world: dict[str, int]) -> None:
    from cpqa.record.models import Team

    before = fingerprint()
    with transaction.atomic():
        Team.objects.filter(name="Team Alpha (test)").update(name="Team Alpha renamed (test)")
        assert fingerprint() != before
        transaction.set_rollback(True)
    assert fingerprint() == before


@pytest.mark.parametrize("day, month", [("99999999999999999999", "1"), ("1", "99999999999999999999")])
def test_a_date_too_big_for_the_machine_is_not_a_real_date(day: str, month: str) -> None:
    """Found by the long run (bench/fuzz_forms.py): a day of 10^20 overflowed dt.date, a 500 on
    the escalation response page. It is now the form's own error."""
    from cpqa.ui.forms import GovukDateField

    with pytest.raises(ValidationError) as refused:
        GovukDateField().clean([day, month, "2024"])
    assert refused.value.messages == ["Enter a real date"]
