"""The record kept in memory by each server process (cpqa.record.cache): refreshed by every write,
narrowed in memory exactly as the database narrows it, and never stale in a second process.

The sample world (tests/web/samples.py): Sam Otherteam (Team Beta) has no enquiry yet. A
referral on Thu 4 Jan 2024 and an enquiry started Fri 5 Jan (no strategy discussion recorded)
make an initial conference due 15 working days after the enquiry's start: 8-12, 15-19, 22-26 Jan,
so Fri 26 Jan. Booked for Fri 19 Jan, it shows on the QA manager's Today on 10 Jan as booked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import polars as pl
import pytest
from django.test import Client
from django.urls import reverse

from cpqa.accounts.models import Role, User
from cpqa.conferences.services import do_book_initial_conference
from cpqa.domain.tables import SCHEMAS, Record, narrow_to_children
from cpqa.record import cache
from cpqa.record import models as m
from cpqa.record.access import visible_children
from cpqa.record.load import load_synthetic_authority
from cpqa.record.selectors import record_tables
from cpqa.synthetic import generate_authority


@pytest.fixture
def cached(settings: Any) -> cache.RecordCache:
    """The process's copy, switched on (the suite runs without it) and empty at the start."""
    settings.CPQA_RECORD_CACHE = True
    settings.CPQA_TODAY = "2024-01-10"
    cache._PROCESS_CACHE.clear()
    reads_before = cache._PROCESS_CACHE.reads
    yield cache._PROCESS_CACHE
    cache._PROCESS_CACHE.clear()
    assert cache._PROCESS_CACHE.reads >= reads_before


def _qa_today(client: Client) -> str:
    response = client.get(reverse("today"), {"on": "2024-01-10"})
    assert response.status_code == 200
    return response.content.decode()


def _book_for_sam(world: dict[str, int]) -> m.Conference:
    other = m.Child.objects.get(pk=world["other_team_child"])
    referral = m.Referral.objects.create(child=other, referral_date=dt.date(2024, 1, 4))
    enquiry = m.Section47.objects.create(referral=referral, start_date=dt.date(2024, 1, 5))
    booker = User.objects.get(role=Role.BUSINESS_SUPPORT)
    return do_book_initial_conference(section47=enquiry, scheduled_date=dt.date(2024, 1, 19), by=booker)


# Committed, not rolled back: the copy is not used inside a transaction, and each test is one.
@pytest.mark.django_db(transaction=True)
def test_a_conference_booked_shows_at_once_on_today(
    cached: cache.RecordCache, client_for: Callable[[str | None], Client], world: dict[str, int]
) -> None:
    client = client_for(Role.QA_MANAGER)
    reads = cached.reads
    before = _qa_today(client)
    assert "Sam Otherteam" not in before
    assert cached.reads == reads + 1
    _qa_today(client)
    assert cached.reads == reads + 1, "a second request with no write in between reads nothing again"

    conference = _book_for_sam(world)
    after = _qa_today(client)
    assert cached.reads == reads + 2
    assert conference.due_date == dt.date(2024, 1, 26)
    assert "Sam Otherteam" in after
    assert "19 January 2024" in after and "26 January 2024" in after


@pytest.mark.django_db(transaction=True)
def test_a_second_process_sees_the_version_move_and_reads_again(
    cached: cache.RecordCache, world: dict[str, int]
) -> None:
    """Two copies stand for two gunicorn workers: a write through one is seen by the other."""
    first, second = cache.RecordCache(), cache.RecordCache()
    assert first.whole().conferences.height == second.whole().conferences.height == 2
    version = m.RecordVersion.current()
    _book_for_sam(world)
    assert m.RecordVersion.current() == version + 1
    assert second.whole().conferences.height == 3
    assert second.reads == 2 and first.reads == 1


@pytest.mark.django_db(transaction=True)
def test_inside_a_write_the_copy_is_neither_used_nor_kept(cached: cache.RecordCache, world: dict[str, int]) -> None:
    from django.db import transaction

    reads = cached.reads
    with transaction.atomic():
        cache.record_for()
    assert cached.reads == reads
    cache.record_for()
    assert cached.reads == reads + 1


def _sorted(frame: pl.DataFrame) -> pl.DataFrame:
    scalar = [c for c, dtype in frame.schema.items() if not isinstance(dtype, pl.List)]
    return frame.sort(scalar, nulls_last=True)


@pytest.mark.django_db
def test_a_managers_record_narrowed_in_memory_equals_the_narrowed_read() -> None:
    """On a small synthetic authority, the social work manager of one escalated child's team: the whole
    record narrowed in memory to visible_children() is the record read for those children,
    table by table (rows compared in a fixed order: the database gives no order)."""
    load_synthetic_authority(generate_authority(seed=5, children_on_plan=40))
    manager = User.objects.create(username="manager", role=Role.SOCIAL_WORK_MANAGER)
    escalated = m.Child.objects.filter(escalation_links__isnull=False, team__isnull=False).order_by("pk").first()
    manager.teams.set([escalated.team])
    children = visible_children(manager)
    whole = record_tables()
    ids = frozenset(children.values_list("local_id", flat=True))
    in_memory = narrow_to_children(whole, ids)
    from_database = record_tables(children=children)

    assert 0 < len(ids) < whole.children.height
    for name in SCHEMAS:
        expected = _sorted(getattr(from_database, name))
        assert _sorted(getattr(in_memory, name)).equals(expected), name
    # The QA tables are there to narrow, and narrowing dropped some rows of them (this small
    # authority's two escalations both name children of the team, so those are only kept).
    assert in_memory.escalations.height > 0 and in_memory.escalation_children.height > 0
    for name in ("concern_notes", "midway_reviews", "attendance", "conferences"):
        assert 0 < getattr(in_memory, name).height < getattr(whole, name).height, name


def test_a_table_with_no_rule_to_narrow_it_is_refused() -> None:
    record = Record()
    object.__setattr__(record, "table_names", lambda: [*Record().table_names(), "new_table"])
    with pytest.raises(ValueError, match="no rule to narrow table"):
        narrow_to_children(record, {"C1"})


@pytest.mark.django_db(transaction=True)
def test_a_result_is_worked_out_once_per_version_and_key(cached: cache.RecordCache, world: dict[str, int]) -> None:
    calls: list[str] = []

    def work(name: str) -> Callable[[], str]:
        return lambda: calls.append(name) or f"{name} {len(calls)}"

    assert cache.remembered(("list", 1), work("a")) == "a 1"
    assert cache.remembered(("list", 1), work("a")) == "a 1"
    assert cache.remembered(("list", 2), work("b")) == "b 2"
    _book_for_sam(world)
    assert cache.remembered(("list", 1), work("a")) == "a 3", "the write made the result out of date"
    assert calls == ["a", "b", "a"]
