"""What `generate_authority` returns: the record as tables, and the database's extras."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl

from cpqa.domain.calendar import ReportingYear
from cpqa.domain.config import AuthorityConfig
from cpqa.domain.tables import Record


@dataclass
class SyntheticAuthority:
    """The record as tables, and what the database needs beyond them."""

    record: Record
    config: AuthorityConfig
    years: tuple[ReportingYear, ...]
    today: dt.date
    # team_id, name, service, linked_chair_id
    teams: pl.DataFrame
    # staff_id, name, role, fte, contract_type, team_id (null outside the social work teams)
    staff: pl.DataFrame
    # family_id, name
    families: pl.DataFrame
    # family_id, name, relationship
    family_members: pl.DataFrame
    # child_id, social_worker_id (staff_id)
    allocations: pl.DataFrame
    # meeting_id, minute_taker_id, venue, from_authority (transfer-in meetings)
    meetings: pl.DataFrame
    # meeting_id, from_date, to_date, reason
    rearrangements: pl.DataFrame
    counts: dict[str, int] = field(default_factory=dict)
