"""The access log's chain: every entry is appended here, hashed onto the one before it.

An investigator must be able to trust that the log says who saw which child and that nothing
has been changed or taken out since. Two things make that so:

- the database refuses UPDATE and DELETE on the log's table (triggers, migration
  accounts 0005), so the application and anyone using the ordinary tools cannot rewrite it;
- each entry carries `entry_hash` = SHA-256 over the previous entry's hash and this entry's
  canonical fields (`canonical_fields`), so someone who drops the triggers and rewrites,
  removes or forges a row breaks the chain, and `cpqa audit verify` names the first entry
  where it breaks.

Appending is serialized by the chain head row (`AccessLogHead`): each append first updates it,
which on PostgreSQL locks the row until the transaction ends and on SQLite takes the database's
write lock, so two appends can never both chain onto the same entry. `append_event` is the only
code that computes a hash or writes an entry; `log_access` (web) and `log_event` (anywhere else:
commands, sign-in signals, the second factor) call it.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cpqa.accounts.models import AccessEvent, AccessLogHead, User

# The hash the first entry chains onto.
GENESIS_HASH = "0" * 64

# Who a command-line event is recorded against: the operating-system account, never a child.
COMMAND_LINE_ROLE = "command_line"


def children_text(children: Iterable[object]) -> str:
    """Child ids as stored: sorted, unique, space-separated with a space at each end.

    The spaces at both ends let a search for one child match " 12 " and never "112".
    """
    ids = sorted({int(str(child_id)) for child_id in children})
    return f" {' '.join(str(i) for i in ids)} " if ids else ""


def children_of(text: str) -> list[int]:
    return [int(part) for part in text.split()]


def canonical_fields(event: AccessEvent) -> str:
    """The entry's fields the hash covers, as one deterministic string (sorted-key JSON)."""
    return json.dumps(
        {
            "position": event.position,
            "at": event.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
            "user_id": event.user_id,
            "username": event.username,
            "role": event.role,
            "action": event.action,
            "object_type": event.object_type,
            "object_id": event.object_id,
            "detail": event.detail,
            "children": event.children,
            "whole_record": bool(event.whole_record),
            "ip_address": event.ip_address or "",
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
    )


def entry_hash(previous_hash: str, event: AccessEvent) -> str:
    """SHA-256 (hex) over the previous entry's hash and this entry's canonical fields."""
    payload = f"{previous_hash}\n{canonical_fields(event)}".encode()
    return hashlib.sha256(payload).hexdigest()


def _normalized_ip(ip_address: str | None) -> str | None:
    # Stored as the database gives it back, so the hash computed now matches the one verified later.
    if not ip_address:
        return None
    return AccessEvent._meta.get_field("ip_address").to_python(ip_address)


def append_event(event: AccessEvent) -> AccessEvent:
    """Chain `event` (unsaved) onto the log and insert it, in one transaction."""
    valid_actions = {choice for choice, _ in AccessEvent.ACTIONS}
    if event.action not in valid_actions:
        raise ValueError(f"unknown access action {event.action!r}; expected one of {sorted(valid_actions)}")
    with transaction.atomic():
        # Taking the head first serializes every append (row lock / SQLite write lock).
        if not AccessLogHead.objects.filter(pk=1).update(entries=F("entries") + 1):
            AccessLogHead.objects.get_or_create(pk=1)
            AccessLogHead.objects.filter(pk=1).update(entries=F("entries") + 1)
        head = AccessLogHead.objects.get(pk=1)
        event.position = head.entries
        event.previous_hash = head.last_hash or GENESIS_HASH
        event.at = timezone.now()
        event.ip_address = _normalized_ip(event.ip_address)
        event.entry_hash = entry_hash(event.previous_hash, event)
        event.save(force_insert=True)
        AccessLogHead.objects.filter(pk=1).update(last_hash=event.entry_hash)
    return event


def log_event(
    action: str,
    *,
    user: User | None = None,
    username: str = "",
    role: str = "",
    object_type: str = "",
    object_id: object = "",
    detail: str = "",
    children: Iterable[object] = (),
    whole_record: bool = False,
    ip_address: str | None = None,
) -> AccessEvent:
    """Append one event from anywhere (a command, a sign-in signal, the second factor).

    `children` are the ids of the children whose data was read or exported (ids, never names);
    `whole_record` says every child in the record was (a census, a full export). `detail` says
    what was asked for and never names a person. Second-factor code calls, for example,
    `log_event("second_factor", user=user, detail="enrolled")`.
    """
    if user is not None:
        username = username or user.get_username()
        role = role or user.role
    return append_event(
        AccessEvent(
            user=user,
            username=username[:150],
            role=role[:30],
            action=action,
            object_type=object_type[:40],
            object_id=str(object_id)[:40],
            detail=detail[:200],
            children=children_text(children),
            whole_record=whole_record,
            ip_address=ip_address,
        )
    )


def log_command(
    command: str,
    *,
    action: str = "export",
    children: Iterable[object] = (),
    whole_record: bool = False,
    detail: str = "",
) -> AccessEvent:
    """Log a command-line read or export against the operating-system account that ran it."""
    try:
        account = getpass.getuser()
    except (KeyError, OSError):
        account = "unknown"
    return log_event(
        action,
        username=f"command line ({account})",
        role=COMMAND_LINE_ROLE,
        object_type="command",
        object_id=command,
        detail=detail or f"cpqa {command}",
        children=children,
        whole_record=whole_record,
    )


@dataclass(frozen=True)
class ChainBreak:
    """The first entry where the chain does not hold, and why (in an investigator's words)."""

    position: int
    event_id: int | None
    reason: str


def verify_chain(batch: int = 2000) -> tuple[int, ChainBreak | None]:
    """Walk the log in chain order: (entries checked, the first break or None)."""
    previous = GENESIS_HASH
    expected_position = 1
    last_pk = 0
    checked = 0
    fields = [f.name for f in AccessEvent._meta.concrete_fields]
    while True:
        rows = list(
            AccessEvent.objects.filter(position__gte=expected_position)
            .order_by("position")
            .only(*fields)[:batch]
        )
        if not rows:
            break
        for event in rows:
            if event.position != expected_position:
                return checked, ChainBreak(
                    expected_position, event.pk, f"entry {expected_position} is missing (the next is {event.position})"
                )
            if event.previous_hash != previous:
                return checked, ChainBreak(event.position, event.pk, "does not chain onto the entry before it")
            if entry_hash(previous, event) != event.entry_hash:
                return checked, ChainBreak(event.position, event.pk, "has been changed since it was written")
            previous = event.entry_hash
            expected_position += 1
            last_pk = event.pk
            checked += 1
    return checked, _head_break(checked, previous, last_pk)


def _head_break(checked: int, last_hash: str, last_pk: int) -> ChainBreak | None:
    """The newest entries taken away (or a row appended behind the head's back) show against the head."""
    head = AccessLogHead.objects.filter(pk=1).first()
    head_entries = head.entries if head else 0
    head_hash = (head.last_hash if head else "") or GENESIS_HASH
    if head_entries > checked:
        return ChainBreak(
            checked + 1, None, f"the log should hold {head_entries} entries but holds {checked}: entries were removed"
        )
    if head_entries != checked or head_hash != last_hash:
        return ChainBreak(checked, last_pk, "was not written through the log (it is beyond the chain's head)")
    return None


# --- Sign-in events (connected in AccountsConfig.ready) -------------------------------------


def _ip(request: object) -> str | None:
    meta = getattr(request, "META", None) or {}
    return meta.get("REMOTE_ADDR") or None


def on_signed_in(sender: object, request: object, user: User, **kwargs: object) -> None:
    log_event("sign_in", user=user, object_type="account", detail="signed in", ip_address=_ip(request))


def on_signed_out(sender: object, request: object, user: User | None, **kwargs: object) -> None:
    if user is not None and user.is_authenticated:
        log_event("sign_out", user=user, object_type="account", detail="signed out", ip_address=_ip(request))


def on_sign_in_failed(sender: object, credentials: dict[str, object], request: object = None, **kwargs: object) -> None:
    # The username tried is a staff account name, kept so repeated guessing shows; never the password.
    username = str(credentials.get("username", ""))[:150]
    user = User.objects.filter(username=username).first()
    log_event(
        "sign_in_failed", user=user, username=username, object_type="account",
        detail="wrong username or password", ip_address=_ip(request),
    )


def on_locked_out(sender: object, request: object, username: str | None = None, ip_address: str | None = None,
                  **kwargs: object) -> None:
    name = (username or "")[:150]
    user = User.objects.filter(username=name).first()
    log_event(
        "lockout", user=user, username=name, object_type="account",
        detail="locked out after repeated failures", ip_address=ip_address or _ip(request),
    )


def connect_signals() -> None:
    from axes.signals import user_locked_out
    from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

    user_logged_in.connect(on_signed_in, dispatch_uid="cpqa_audit_signed_in")
    user_logged_out.connect(on_signed_out, dispatch_uid="cpqa_audit_signed_out")
    user_login_failed.connect(on_sign_in_failed, dispatch_uid="cpqa_audit_sign_in_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="cpqa_audit_locked_out")
