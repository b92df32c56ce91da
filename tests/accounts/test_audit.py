"""The access log's chain: append-only in the database, hashed, verified by `cpqa audit verify`."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.contrib.auth.signals import user_login_failed
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from cpqa.accounts import audit, audit_triggers
from cpqa.accounts.access import log_access
from cpqa.accounts.commands import _verify
from cpqa.accounts.models import AccessEvent, AccessLogHead, Role, User
from tests.web.samples import ROLE_USERNAMES


def _request(role: str) -> object:
    request = RequestFactory().get("/x/", REMOTE_ADDR="10.0.0.7")
    request.user = User.objects.get(username=ROLE_USERNAMES[role])
    return request


def _three_events() -> list[AccessEvent]:
    request = _request(Role.QA_MANAGER)
    return [
        log_access(request, "list", "today", "", "today", children=[12, 3, 12]),
        log_access(request, "view", "child", 40, "child_page"),
        audit.log_event("second_factor", user=request.user, detail="enrolled"),
    ]


@pytest.mark.django_db
def test_each_entry_is_chained_onto_the_one_before(world: dict[str, int]) -> None:
    """Entry n's hash is SHA-256 of entry n-1's hash, a newline and n's sorted-key JSON fields."""
    first, second, third = _three_events()
    assert (first.position, second.position, third.position) == (1, 2, 3)
    assert first.previous_hash == "0" * 64
    assert second.previous_hash == first.entry_hash and third.previous_hash == second.entry_hash
    stored = AccessEvent.objects.get(pk=second.pk)
    # Worked by hand from the definition: the fields the entry was stored with.
    fields = {
        "action": "view", "at": stored.at.isoformat(timespec="microseconds"),
        "children": " 40 ", "detail": "child_page", "ip_address": "10.0.0.7", "object_id": "40",
        "object_type": "child", "position": 2, "role": "qa_manager", "user_id": stored.user_id,
        "username": ROLE_USERNAMES[Role.QA_MANAGER], "whole_record": False,
    }
    payload = first.entry_hash + "\n" + json.dumps(fields, sort_keys=True, separators=(",", ":"))
    assert stored.entry_hash == hashlib.sha256(payload.encode()).hexdigest()
    # The list named its children by id, sorted and once each.
    assert AccessEvent.objects.get(pk=first.pk).children == " 3 12 "
    assert AccessLogHead.objects.get(pk=1).entries == 3


@pytest.mark.django_db
def test_the_database_refuses_update_and_delete(world: dict[str, int]) -> None:
    """Raw SQL, past the application, cannot change or remove an entry while the triggers stand."""
    assert audit_triggers.installed(connection) == set(audit_triggers.TRIGGER_NAMES)
    event = _three_events()[0]
    for statement in (
        "UPDATE accounts_accessevent SET detail = 'nothing' WHERE id = %s",
        "DELETE FROM accounts_accessevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [event.pk])
    assert AccessEvent.objects.get(pk=event.pk).detail == "today"
    with pytest.raises(ValueError):
        AccessEvent.objects.filter(pk=event.pk).first().save()


def _tamper(sql: str, params: list[object]) -> None:
    audit_triggers.remove(connection)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
    finally:
        audit_triggers.install(connection)


@pytest.mark.django_db
def test_verify_passes_an_untouched_log(world: dict[str, int], capsys: pytest.CaptureFixture[str]) -> None:
    _three_events()
    checked, broken = audit.verify_chain()
    assert broken is None and checked == AccessEvent.objects.count()
    assert _verify(None) == 0
    assert "intact" in capsys.readouterr().out


@pytest.mark.django_db
def test_verify_names_the_first_changed_entry(world: dict[str, int], capsys: pytest.CaptureFixture[str]) -> None:
    """Entry 2's detail rewritten behind the triggers: verify exits 1 naming entry 2 and its row id."""
    _, second, third = _three_events()
    _tamper("UPDATE accounts_accessevent SET children = ' 41 ' WHERE id = %s", [second.pk])
    assert _verify(None) == 1
    out = capsys.readouterr().out
    assert f"entry {second.position} (row id {second.pk})" in out and "changed" in out
    assert f"entry {third.position}" not in out


@pytest.mark.django_db
def test_verify_names_a_removed_entry_and_a_forged_one(world: dict[str, int]) -> None:
    """A deleted middle entry shows as missing; a row inserted at the end, past the head, as forged."""
    _, second, third = _three_events()
    _tamper("DELETE FROM accounts_accessevent WHERE id = %s", [second.pk])
    checked, broken = audit.verify_chain()
    assert (checked, broken.position) == (1, 2) and "missing" in broken.reason
    _tamper("DELETE FROM accounts_accessevent WHERE id = %s", [third.pk])
    checked, broken = audit.verify_chain()
    assert (checked, broken.position) == (1, 2) and "removed" in broken.reason


@pytest.mark.django_db
def test_verify_names_a_forged_row_at_the_end(world: dict[str, int]) -> None:
    """A row made to look right (hash over the real head) but not written through the log."""
    events = _three_events()
    forged = AccessEvent(
        position=len(events) + 1, at=events[-1].at, username="nobody", role="qa_manager", action="view",
        previous_hash=events[-1].entry_hash,
    )
    forged.entry_hash = audit.entry_hash(forged.previous_hash, forged)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO accounts_accessevent (position, at, username, role, action, object_type, object_id, detail,"
            " children, whole_record, previous_hash, entry_hash) VALUES (%s, %s, %s, %s, %s, '', '', '', '', %s, %s, %s)",
            [forged.position, forged.at, "nobody", "qa_manager", "view", False, forged.previous_hash, forged.entry_hash],
        )
    checked, broken = audit.verify_chain()
    assert checked == 4 and broken.position == 4 and "beyond the chain's head" in broken.reason


@pytest.mark.django_db
def test_sign_in_failures_and_lockouts_are_logged(world: dict[str, int], client) -> None:
    """A wrong password logs a failure against the account tried; a good one logs the sign-in."""
    username = ROLE_USERNAMES[Role.CHAIR]
    user_login_failed.send(sender=None, credentials={"username": username, "password": "x"}, request=None)
    failure = AccessEvent.objects.get(action="sign_in_failed")
    assert (failure.username, failure.user.username) == (username, username)
    assert "x" not in failure.detail
    from axes.signals import user_locked_out

    user_locked_out.send(sender=None, request=None, username=username, ip_address="10.0.0.9")
    lockout = AccessEvent.objects.get(action="lockout")
    assert (lockout.username, lockout.ip_address) == (username, "10.0.0.9")
    client.force_login(User.objects.get(username=username))
    assert AccessEvent.objects.filter(action="sign_in", username=username).count() == 1
    assert audit.verify_chain()[1] is None
