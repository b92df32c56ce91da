"""What an authority can configure, with the defaults the domain notes give.

Pure data: the web app stores it, the command line reads it from options, the domain takes it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl

from cpqa.domain.calendar import WorkingCalendar
from cpqa.domain.codes import AGENCY, CONVENING_AGENCY
from cpqa.domain.timescales import DEFAULT_CORE_GROUP_INTERVAL_WEEKS, DEFAULT_PREBIRTH_DAYS_BEFORE_DELIVERY

# Every agency but children's social care counts towards quoracy unless the authority says not.
DEFAULT_COUNTED_AGENCIES: frozenset[str] = frozenset(AGENCY) - {CONVENING_AGENCY}


@dataclass(frozen=True)
class QuoracyRule:
    """Children's social care plus at least N of the agencies with direct contact attended.

    `counted_agencies` are the agencies whose attendance counts towards the N (an authority may
    decide, say, that housing has no direct contact with the child).
    """

    social_care_required: bool = True
    other_agencies_required: int = 2
    counted_agencies: frozenset[str] = DEFAULT_COUNTED_AGENCIES

    def is_quorate(self, agencies_attended: set[str] | frozenset[str]) -> bool:
        others = {a for a in agencies_attended if a in self.counted_agencies}
        if self.social_care_required and CONVENING_AGENCY not in agencies_attended:
            return False
        return len(others) >= self.other_agencies_required

    def counts_expr(self, agency: pl.Expr) -> pl.Expr:
        """Whether an attendance row's agency counts towards the N."""
        return agency.is_in(sorted(self.counted_agencies))

    def is_quorate_expr(self, social_care_attended: pl.Expr, other_agencies_attended: pl.Expr) -> pl.Expr:
        """Columnar twin of `is_quorate`, per meeting: did social care attend, how many counted
        agencies did (`counts_expr`)."""
        enough_others = other_agencies_attended >= self.other_agencies_required
        if self.social_care_required:
            return social_care_attended.fill_null(False) & enough_others
        return enough_others

    def describe(self) -> str:
        first = "children's social care and " if self.social_care_required else ""
        which = "other agencies" if self.counted_agencies == DEFAULT_COUNTED_AGENCIES else "of the counted agencies"
        return f"{first}at least {self.other_agencies_required} {which} attended"


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
    # Working days before the conference by which the social work report should reach the family
    # (initial and transfer-in conferences; reviews).
    report_shared_days_initial: int = 3
    report_shared_days_review: int = 5
    # Working days before the conference by which each invited agency's report should arrive.
    agency_report_days_initial: int = 2
    agency_report_days_review: int = 5
    # Invitations: working days after booking (initial, transfer-in), before the conference (review).
    invitation_days_after_booking: int = 1
    invitation_days_before_review: int = 20
    # Working days after the conference for the decision letter and for the minutes.
    decision_letter_days: int = 1
    minutes_days: int = 15
    escalation_response_working_days: dict[int, int] = field(
        default_factory=lambda: {1: 5, 2: 5, 3: 10}
    )
    # Months on a plan at which the long-plan panel looks at a child again (the first is when the
    # child joins its list).
    long_plan_flag_months: tuple[int, ...] = (9, 12, 15, 18)
    # Weeks from one core group to the next, after the first (docs/definitions.md#core-group-due).
    core_group_interval_weeks: int = DEFAULT_CORE_GROUP_INTERVAL_WEEKS

    @property
    def calendar(self) -> WorkingCalendar:
        return WorkingCalendar(closure_days=self.closure_days)
