"""What an authority can configure, with the defaults the domain notes give.

Pure data: the web app stores it, the command line reads it from options, the domain takes it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl

from cpqa.domain.calendar import WorkingCalendar
from cpqa.domain.timescales import DEFAULT_PREBIRTH_DAYS_BEFORE_DELIVERY


@dataclass(frozen=True)
class QuoracyRule:
    """Children's social care plus at least N other agencies with direct contact attended."""

    social_care_required: bool = True
    other_agencies_required: int = 2

    def is_quorate(self, agencies_attended: set[str] | frozenset[str]) -> bool:
        others = {a for a in agencies_attended if a != "social_care"}
        if self.social_care_required and "social_care" not in agencies_attended:
            return False
        return len(others) >= self.other_agencies_required

    def is_quorate_expr(self, social_care_attended: pl.Expr, other_agencies_attended: pl.Expr) -> pl.Expr:
        """Columnar twin of `is_quorate`, per meeting: did social care attend, how many others did."""
        enough_others = other_agencies_attended >= self.other_agencies_required
        if self.social_care_required:
            return social_care_attended.fill_null(False) & enough_others
        return enough_others

    def describe(self) -> str:
        first = "children's social care and " if self.social_care_required else ""
        return f"{first}at least {self.other_agencies_required} other agencies attended"


@dataclass(frozen=True)
class ParticipationAges:
    """Ages (completed years on the conference date) from which each form of participation applies."""

    booklet_from: int = 8
    advocacy_from: int = 11
    attendance_from: int = 12


@dataclass(frozen=True)
class AuthorityConfig:
    name: str = "Example Borough (synthetic)"
    la_code: str = "999"
    closure_days: frozenset[dt.date] = field(default_factory=frozenset)
    prebirth_days_before_delivery: int = DEFAULT_PREBIRTH_DAYS_BEFORE_DELIVERY
    quoracy: QuoracyRule = field(default_factory=QuoracyRule)
    participation: ParticipationAges = field(default_factory=ParticipationAges)
    # Working days before the conference by which the social work report should reach the family.
    report_shared_days_initial: int = 3
    report_shared_days_review: int = 5
    escalation_response_working_days: dict[int, int] = field(
        default_factory=lambda: {1: 5, 2: 5, 3: 10}
    )

    @property
    def calendar(self) -> WorkingCalendar:
        return WorkingCalendar(closure_days=self.closure_days)
