"""What a source may add to the record's tables for a load: the synthetic authority's teams,
staff, families' adults, allocations, minute takers and rearrangements. Any object with these
attributes will do (the synthetic authority is one), so the record needs no import of a source.
"""

from __future__ import annotations

from typing import Protocol

import polars as pl

from cpqa.domain.tables import Record


class RecordExtras(Protocol):
    record: Record
    # team_id, name, service, linked_chair_id
    teams: pl.DataFrame
    # staff_id, name, role, fte, contract_type, team_id
    staff: pl.DataFrame
    # family_id, name
    families: pl.DataFrame
    # family_id, name, relationship
    family_members: pl.DataFrame
    # child_id, social_worker_id (staff_id)
    allocations: pl.DataFrame
    # meeting_id, minute_taker_id, venue, from_authority
    meetings: pl.DataFrame
    # meeting_id, from_date, to_date, reason
    rearrangements: pl.DataFrame
