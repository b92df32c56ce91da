"""A synthetic authority: a realistic, clearly fake child protection record for the demo,
the benchmarks and the tests.

Pure Python, numpy and Polars: no Django, no files. `generate_authority` returns the record as
tables (`cpqa.domain.tables.Record`) plus what the database needs beyond them (teams, staff,
families and their adults, minute takers, rearrangements), so `cpqa.record.load` can write it.

How it is made. Families arrive as cases on working days (a strategy discussion starting a
section 47 enquiry, a pre-birth enquiry, a transfer-in notification, or an enquiry that needs
no conference) at rates shaped by the seed annual report (`../shared/seeds/`): a steady
earlier year, a rise three months into the last reporting year (the seed's post-inspection
surge), dips in the school holidays and a bump after them. Each case runs forward through the
timescale engine: the initial conference on the 15-working-day rule, a plan for most, reviews
on the 3- and 6-month rules held before they are due (school-aged children's reviews moved out
of the summer, Christmas and Easter holidays), the plan ending at a review, at a transfer-out
conference or when a child becomes looked after. A family whose case closed may come back
later, which is where repeat plans come from. Everything is worked on whole arrays at once, so
England's volume takes about as many passes as one authority's; a due date is always asked of
`cpqa.domain.timescales`, once per distinct date.

Names are clearly fake: first names and surnames come from Faker's en_GB lists (seeded), and
every surname carries the suffix " (fake)", for children, family members and staff alike.
Ids are made up (children `SYN0000001`...); nothing comes from a real person.

The same seed gives the same record, table for table.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import polars as pl
from faker import Faker

from cpqa.domain import codes, timescales
from cpqa.domain.calendar import ReportingYear, WorkingCalendar, add_months
from cpqa.domain.config import AuthorityConfig
from cpqa.domain.tables import Record

# The seed authority's size: children on a plan at the end of the last reporting year.
DEFAULT_CHILDREN_ON_PLAN = 550
FAKE_SUFFIX = " (fake)"

# Days are numpy integers counted from 1970-01-01 (Polars' own Date representation).
NO_DATE = -1_000_000
_EPOCH = dt.date(1970, 1, 1).toordinal()

# --- Case rates at the default size, per year at the full (last-year, post-surge) pace --------
# Tuned so the default authority lands near the seed's 2017-18 figures: ~870 initial (incl.
# ~67 pre-birth), ~1,300 review, ~90 transfer-in, ~40 transfer-out conferences and ~550
# children on a plan at year end, rising from ~390 in April.
RATE_INITIAL_CASES = 420.0  # new families brought to an initial conference
RATE_PREBIRTH_CASES = 58.0
RATE_TRANSFER_IN_CASES = 68.0
RATE_S47_ONLY_CASES = 380.0  # enquiries that end without a conference
# Pace before the last reporting year, and in its first quarter, against the full pace.
PACE_EARLIER_YEARS = 0.48
PACE_LAST_YEAR_FIRST_QUARTER = 0.72
PACE_TRANSFER_IN_EARLIER_YEARS = 0.75
# Years simulated before the first reporting year, so long plans and repeat plans exist.
WARM_UP_YEARS = 5
# Families whose every event ended this long before the first reporting year are left out.
HISTORY_BEFORE_FIRST_YEAR_DAYS = 365

# Children per case (most families bring one child; siblings share one meeting).
CHILDREN_PER_CASE = {1: 0.52, 2: 0.27, 3: 0.13, 4: 0.06, 5: 0.02}
TRANSFER_IN_CHILDREN_PER_CASE = {1: 0.6, 2: 0.3, 3: 0.1}
# Age in completed years of the youngest child when a case starts (0..17).
YOUNGEST_AGE_WEIGHTS = [13, 8, 7, 7, 6, 6, 5, 5, 5, 5, 5, 5, 5, 5, 4, 4, 3, 2]

# Initial conference outcome: a plan for ~85% (seed 2017-18: 737 of 870), by month of the last
# year (April first) from the seed's table, so September's post-inspection dip shows.
PLAN_SHARE_LAST_YEAR = [0.88, 0.91, 0.84, 0.84, 0.83, 0.53, 0.87, 0.84, 0.83, 0.85, 0.91, 0.93]
PLAN_SHARE_OTHER_YEARS = 0.88
PLAN_SHARE_PREBIRTH = 0.9
# ICPCs within 15 working days: seed monthly % for the last year; ~68% before, 62% after.
ICPC_IN_TIME_LAST_YEAR = [0.70, 0.90, 0.81, 0.75, 0.84, 0.48, 0.28, 0.26, 0.26, 0.47, 0.45, 0.62]
ICPC_IN_TIME_EARLIER = 0.68
ICPC_IN_TIME_LATER = 0.62
TRANSFER_IN_IN_TIME_EARLIER = 0.10
TRANSFER_IN_IN_TIME_LAST_YEAR = 0.32
REVIEW_LATE = 0.011  # seed: 98.9% of reviews in time
# A plan ends at its k-th review with these chances (then the last one for every later review).
PLAN_ENDS_AT_REVIEW = [0.22, 0.68, 0.6, 0.55, 0.4]
TRANSFER_OUT_PER_YEAR = 0.09  # per family on a plan (seed: ~40 transfer-out conferences)
LOOKED_AFTER_PER_YEAR = 0.04  # per child on a plan
# Coming back: chance a family's closed case is followed by another, and the gap after closure.
RETURN_CHANCE = {"plan": 0.36, "no_plan": 0.2, "s47_only": 0.12, "transfer_out": 0.12}
RETURN_GAP_MIN_DAYS = 300
RETURN_GAP_MEAN_EXTRA_DAYS = 420
RETURN_IS_S47_ONLY = 0.15
# New families with a plan more than five years ago, outside the record (seed: 19% of repeats).
EXTERNAL_PREVIOUS_PLAN = 0.03
# Pre-birth bands (seed: 28% under 4 weeks, 30% 4 to 10 weeks, 42% over 10 weeks).
PREBIRTH_BAND_SHARES = [0.28, 0.30, 0.42]
PREBIRTH_BAND_DAYS = [(8, 27), (28, 70), (71, 150)]

# Initial categories (seed 2017-18 at year end, with physical abuse alone lifted a little).
CATEGORY_SETS: list[tuple[tuple[str, ...], float]] = [
    (("EMO",), 181),
    (("NEG",), 130),
    (("PHY",), 8),
    (("SAB",), 17),
    (("NEG", "PHY"), 20),
    (("NEG", "SAB"), 8),
    (("EMO", "NEG"), 101),
    (("PHY", "SAB"), 2),
    (("EMO", "PHY"), 101),
    (("EMO", "SAB"), 12),
]
SIBLINGS_SHARE_CATEGORIES = 0.85
LATEST_CATEGORY_CHANGES = 0.12

# Ethnicity of families (seed 2017-18, children on plans by DfE code).
ETHNICITY_WEIGHTS = {
    "WBRI": 175,
    "BAFR": 59,
    "MWBC": 53,
    "BCRB": 50,
    "BOTH": 48,
    "WOTH": 41,
    "MOTH": 36,
    "AOTH": 32,
    "MWBA": 18,
    "MWAS": 18,
    "OOTH": 8,
    "NOBT": 8,
    "APKN": 6,
    "AIND": 4,
    "WIRI": 2,
    "ABAN": 1,
}
DISABILITY_WEIGHTS = {
    "NONE": 90,
    "LD": 3,
    "COMM": 2,
    "AUT": 2,
    "BEH": 1.5,
    "MOB": 0.5,
    "HEAR": 0.5,
    "VIS": 0.5,
}
# Factors at assessment (seed 2017-18 counts): the family's, and the older child's own.
FAMILY_FACTOR_WEIGHTS = {
    "3B": 116,
    "4B": 98,
    "2B": 61,
    "1B": 61,
    "16A": 41,
    "17A": 26,
    "6B": 21,
    "3C": 13,
    "6C": 10,
    "5B": 7,
    "2C": 5,
    "18C": 4,
    "4C": 3,
    "19C": 3,
    "5C": 2,
    "22A": 1,
    "23A": 1,
}
CHILD_FACTOR_WEIGHTS = {
    "3A": 25,
    "4A": 22,
    "14A": 21,
    "7A": 19,
    "5A": 19,
    "10A": 13,
    "15A": 11,
    "13A": 10,
    "6A": 9,
    "11A": 8,
    "24A": 6,
    "2A": 6,
    "1A": 2,
    "12A": 1,
}
FAMILY_FACTOR_COUNT = [0.12, 0.42, 0.32, 0.14]  # 0, 1, 2, 3 factors
CHILD_FACTOR_AGE = 10
REFERRAL_SOURCE_WEIGHTS = {
    "6": 25,
    "2A": 17,
    "3B": 5,
    "3A": 3,
    "3E": 3,
    "3F": 3,
    "5A": 4,
    "5D": 5,
    "1A": 8,
    "1B": 2,
    "8": 7,
    "4": 2,
    "7": 3,
    "9": 2,
    "10": 1,
    "2B": 2,
}

LATE_REASONS_BEFORE_JANUARY = {
    "chair_capacity": 35,
    "care_planning_delay": 20,
    "late_notification": 15,
    "rearranged_family": 10,
    "rearranged_professional": 10,
    "reports_not_ready": 10,
}
# Seed: "since January 2018 the main reason for delay is late notification to QA".
LATE_REASONS_FROM_JANUARY = {
    "late_notification": 55,
    "chair_capacity": 10,
    "care_planning_delay": 10,
    "rearranged_family": 10,
    "rearranged_professional": 8,
    "reports_not_ready": 7,
}
LATE_REASONS_TRANSFER_IN = {"care_planning_delay": 60, "rearranged_family": 20, "rearranged_professional": 20}
LATE_REASONS_REVIEW = {"rearranged_inquorate": 40, "rearranged_family": 30, "chair_capacity": 30}

# Agency attendance (seed audit of June/July 2018): attended with report, attended without,
# report only, neither; by conference kind. Police "neither" at initial and transfer-in
# conferences was "due to no invite".
ATTENDANCE = {
    ("police", "initial"): [0.45, 0.035, 0.335, 0.18],
    ("police", "transfer_in"): [0.5, 0.0, 0.0, 0.5],
    ("police", "review"): [0.22, 0.0, 0.49, 0.29],
    ("health", "initial"): [0.26, 0.58, 0.0, 0.16],
    ("health", "transfer_in"): [0.0, 1.0, 0.0, 0.0],
    ("health", "review"): [0.45, 0.16, 0.04, 0.35],
    ("education", "initial"): [0.52, 0.44, 0.0, 0.04],
    ("education", "transfer_in"): [0.0, 0.0, 0.0, 1.0],
    ("education", "review"): [0.455, 0.405, 0.035, 0.105],
    ("other", "initial"): [0.135, 0.44, 0.04, 0.385],
    ("other", "transfer_in"): [0.135, 0.44, 0.04, 0.385],
    ("other", "review"): [0.135, 0.44, 0.04, 0.385],
}
NOT_INVITED_WHEN_ABSENT = {"police": {"initial", "transfer_in"}}
OTHER_AGENCIES = ["probation", "adult_mental_health", "substance_misuse", "housing", "other"]
REPORT_GRADE_WEIGHTS = {"outstanding": 5, "good": 45, "requires_improvement": 38, "inadequate": 12}

# QA workflows in the last reporting year at the default size (seed: 26 CERPs with 22
# families, one the year before; 285 chair case-of-concern notes).
ESCALATIONS_LAST_YEAR = 26
ESCALATIONS_EARLIER_YEAR = 1
CONCERN_NOTES_LAST_YEAR = {"chair_case_of_concern": 285, "qa_case_note": 420}
CONCERN_NOTES_EARLIER_YEAR = {"chair_case_of_concern": 120, "qa_case_note": 200}
ESCALATION_REASON_WEIGHTS = {
    "visits_out_of_timescale": 30,
    "plan_not_progressed": 25,
    "core_group_not_held": 18,
    "management_oversight": 15,
    "case_transfer_delay": 10,
    "legal_planning_delay": 8,
    "other": 3,
}
# Repeat-plan findings by family (seed table, the over-5-years and moved-away rows apart).
REPEAT_FINDING_WEIGHTS = {
    "ended_appropriately": 14,
    "domestic_abuse_work_incomplete": 11,
    "ended_too_early": 24,
    "step_down_not_robust": 5,
    "new_issue_missed": 5,
}
# Midway reviews started on 1 August of the last reporting year (seed 8b).
MIDWAY_START_MONTHS_INTO_LAST_YEAR = 4
MIDWAY_HELD = 0.9
ADVOCACY_START_MONTHS_INTO_LAST_YEAR = 9  # the advocacy service began in January
REPORT_GRADING_START_MONTHS_INTO_LAST_YEAR = 6

# The service and the social work teams at the default size (seed 1b and 8a).
TEAMS_BY_SERVICE = {"Assessment": 4, "Care planning": 6, "Permanence": 2}
PERMANENT_CHAIRS = 5
LOCUM_CHAIR_FTES = [0.8, 0.9, 0.8]
MINUTE_TAKERS = 6
SOCIAL_WORKERS_PER_TEAM = 6
OTHER_AUTHORITIES = [
    "Northmere Borough Council (synthetic)",
    "Eastwold County Council (synthetic)",
    "Southvale City Council (synthetic)",
    "Westbrook District (synthetic)",
]
VENUES = ["Conference room 1", "Conference room 2", "Conference room 3", "Family centre"]

KIND_INITIAL, KIND_PREBIRTH, KIND_TRANSFER_IN, KIND_S47_ONLY = 0, 1, 2, 3
END_OPEN, END_REVIEW, END_TRANSFER_OUT, END_NO_PLAN, END_S47_ONLY, END_PENDING = 0, 1, 2, 3, 4, 5
TYPE_NAMES = ["initial", "prebirth", "review", "transfer_in", "transfer_out"]
T_INITIAL, T_PREBIRTH, T_REVIEW, T_TRANSFER_IN, T_TRANSFER_OUT = 0, 1, 2, 3, 4
# Future conferences are booked this far ahead of today.
BOOKED_AHEAD_DAYS = 28


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


def generate_authority(
    *,
    seed: int = 1,
    children_on_plan: int = DEFAULT_CHILDREN_ON_PLAN,
    years: tuple[str, ...] = ("2016-17", "2017-18"),
    today: dt.date | None = None,
) -> SyntheticAuthority:
    """A synthetic authority about `children_on_plan` children on plans at the last year's end.

    `today` is the day the record is taken: events up to it are recorded as held, conferences
    in the next four weeks as booked. By default, the last reporting year's last day.
    """
    if children_on_plan < 1:
        raise ValueError(f"children_on_plan must be at least 1, not {children_on_plan}")
    if not years:
        raise ValueError("give at least one reporting year, e.g. 2017-18")
    reporting_years = tuple(sorted({ReportingYear.parse(y) for y in years}, key=lambda y: y.first_year))
    record_day = today or reporting_years[-1].end
    if record_day < reporting_years[0].start:
        raise ValueError(
            f"today ({record_day.isoformat()}) is before the first reporting year starts "
            f"({reporting_years[0].start.isoformat()})"
        )
    return _Generator(seed, children_on_plan / DEFAULT_CHILDREN_ON_PLAN, reporting_years, record_day).build()


# ---------------------------------------------------------------------------------------------
# Dates as whole arrays


def _day(value: dt.date) -> int:
    return value.toordinal() - _EPOCH


def _date(value: int) -> dt.date:
    return dt.date.fromordinal(int(value) + _EPOCH)


def _ymd(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    as_dates = days.astype("datetime64[D]")
    months = as_dates.astype("datetime64[M]")
    year = as_dates.astype("datetime64[Y]").astype(np.int64) + 1970
    month = months.astype(np.int64) % 12 + 1
    day_of_month = (as_dates - months).astype(np.int64) + 1
    return year, month, day_of_month


def _completed_years(born: np.ndarray, on: np.ndarray) -> np.ndarray:
    """Age in completed years on `on`; -1 where not yet born (or no date of birth)."""
    by, bm, bd = _ymd(np.where(born == NO_DATE, 0, born))
    oy, om, od = _ymd(on)
    age = oy - by - ((om < bm) | ((om == bm) & (od < bd))).astype(np.int64)
    return np.where((born == NO_DATE) | (born > on), -1, age)


class _DateRules:
    """The domain's scalar date rules applied to whole arrays, one call per distinct input.

    Conference dates repeat heavily (a few thousand distinct days however many children), so
    asking the timescale engine once per distinct day keeps one definition and stays fast.
    """

    def __init__(self, calendar: WorkingCalendar) -> None:
        self.calendar = calendar

    def each(self, rule: Callable[[dt.date], dt.date], days: np.ndarray) -> np.ndarray:
        return self._apply(lambda d, _: rule(d), days, np.zeros_like(days))

    def each_pair(
        self, rule: Callable[[dt.date, dt.date], dt.date], first: np.ndarray, second: np.ndarray
    ) -> np.ndarray:
        return self._apply(lambda a, b: rule(a, _date(b)), first, second)

    def add_working_days(self, days: np.ndarray, counts: np.ndarray) -> np.ndarray:
        return self._apply(lambda d, n: self.calendar.add_working_days(d, int(n)), days, counts)

    def _apply(
        self, rule: Callable[[dt.date, int], dt.date], days: np.ndarray, other: np.ndarray
    ) -> np.ndarray:
        """`rule(day, other)` for each distinct pair; NO_DATE in, NO_DATE out."""
        days = np.asarray(days, dtype=np.int64)
        out = np.full(days.size, NO_DATE, dtype=np.int64)
        known = (days != NO_DATE) & (np.asarray(other) != NO_DATE)
        if not known.any():
            return out
        pairs = np.stack([days[known], np.asarray(other, dtype=np.int64)[known]], axis=1)
        distinct, where = np.unique(pairs, axis=0, return_inverse=True)
        answers = np.fromiter(
            (_day(rule(_date(d), int(o))) for d, o in distinct), dtype=np.int64, count=len(distinct)
        )
        out[known] = answers[where.reshape(-1)]
        return out

    def working_day_on_or_before(self, days: np.ndarray) -> np.ndarray:
        return self.each(lambda d: self._step_to_working_day(d, -1), days)

    def working_day_on_or_after(self, days: np.ndarray) -> np.ndarray:
        return self.each(lambda d: self._step_to_working_day(d, 1), days)

    def _step_to_working_day(self, day: dt.date, step: int) -> dt.date:
        while not self.calendar.is_working_day(day):
            day += dt.timedelta(days=step)
        return day


# ---------------------------------------------------------------------------------------------
# The generator


@dataclass
class _Cases:
    """One row per case: a family's enquiry, transfer or return, and everything decided for it."""

    family: np.ndarray
    kind: np.ndarray
    start: np.ndarray  # strategy discussion, or the transfer-in notification
    previous_end_kind: np.ndarray  # END_* of the family's previous case, or -1

    def __len__(self) -> int:
        return len(self.kind)


class _Generator:
    def __init__(self, seed: int, scale: float, years: tuple[ReportingYear, ...], today: dt.date) -> None:
        self.py_random = random.Random(seed)
        self.rng = np.random.default_rng(self.py_random.getrandbits(64))
        self.faker = Faker("en_GB")
        self.faker.seed_instance(seed)
        self.scale = scale
        self.years = years
        self.config = AuthorityConfig()
        self.rules = _DateRules(self.config.calendar)
        self.today = _day(today)
        self.today_date = today
        self.last_year = years[-1]
        self.last_year_start = _day(self.last_year.start)
        self.first_day = _day(years[0].start) - 365 * WARM_UP_YEARS
        self.history_start = _day(years[0].start) - HISTORY_BEFORE_FIRST_YEAR_DAYS
        # Day-indexed tables over the whole simulated span (plus a year for booked dates).
        self.span_end = self.today + 400
        self._build_day_tables()

    # -- day tables ----------------------------------------------------------------------------

    def _build_day_tables(self) -> None:
        days = np.arange(self.first_day, self.span_end + 1)
        calendar = self.config.calendar
        self.days = days
        self.is_working = np.fromiter(
            (calendar.is_working_day(_date(d)) for d in days), dtype=bool, count=days.size
        )
        year, _, _ = _ymd(days)
        # Start of the school holiday a day falls in (summer, Christmas, Easter), else NO_DATE.
        holiday_start = np.full(days.size, NO_DATE, dtype=np.int64)
        season = np.ones(days.size)
        for y in range(int(year.min()) - 1, int(year.max()) + 1):
            windows = [
                (_day(dt.date(y, 7, 22)), _day(dt.date(y, 8, 31)), 0.6),
                (_day(dt.date(y, 12, 20)), _day(dt.date(y + 1, 1, 3)), 0.35),
            ]
            good_friday = self._good_friday(y)
            if good_friday is not None:
                windows.append((_day(good_friday) - 7, _day(good_friday) + 10, 0.7))
            for first, last, dip in windows:
                inside = (days >= first) & (days <= last)
                holiday_start[inside] = first
                season[inside] = dip
                # Referrals bunch up in the three weeks after a holiday.
                after = (days > last) & (days <= last + 21)
                season[after] = 1.25
        self.holiday_start = holiday_start
        self.season = season

    def _good_friday(self, year: int) -> dt.date | None:
        # The one Friday bank holiday in spring followed by a Monday bank holiday three days on.
        holidays_of_year = {d for d in self.config.calendar.non_working_days if d.year == year}
        for d in sorted(holidays_of_year):
            if d.month in (3, 4) and d.weekday() == 4 and d + dt.timedelta(days=3) in holidays_of_year:
                return d
        return None

    def _index(self, days: np.ndarray) -> np.ndarray:
        return np.clip(days - self.first_day, 0, self.days.size - 1)

    # -- small random helpers --------------------------------------------------------------------

    def _pick(self, weights: dict | Sequence[float], n: int) -> np.ndarray:
        values = np.asarray(list(weights.values()) if isinstance(weights, dict) else weights, dtype=float)
        return self.rng.choice(values.size, size=n, p=values / values.sum())

    def _pick_codes(self, weights: dict[str, float], n: int) -> np.ndarray:
        keys = np.array(list(weights), dtype=object)
        return keys[self._pick(weights, n)]

    def _uniform_days(self, low: int, high: int, n: int) -> np.ndarray:
        return self.rng.integers(low, high + 1, size=n)

    def _months_into_last_year(self, days: np.ndarray) -> np.ndarray:
        year, month, _ = _ymd(days)
        return (year - self.last_year.first_year) * 12 + (month - 4)

    # -- build ---------------------------------------------------------------------------------

    def build(self) -> SyntheticAuthority:
        self._children = _Columns()
        self._groups = _Columns()
        self._group_children = _Columns()
        self._events = _Columns()
        self._midway = _Columns()
        self._families = 0
        cases = self._arrivals()
        generation = 0
        # Each return comes at least RETURN_GAP_MIN_DAYS after the last, so a dozen rounds covers
        # any span simulated here; the bound only guards against a runaway.
        while len(cases) and generation < 12:
            cases = self._run(cases)
            generation += 1
        return _Assembler(self).assemble()

    # -- arrivals --------------------------------------------------------------------------------

    def _pace(self, kind: int) -> np.ndarray:
        days = self.days
        months_in = self._months_into_last_year(days)
        if kind == KIND_PREBIRTH:
            pace = np.ones(days.size)
        elif kind == KIND_TRANSFER_IN:
            pace = np.where(days < self.last_year_start, PACE_TRANSFER_IN_EARLIER_YEARS, 1.0)
        else:
            pace = np.where(
                days < self.last_year_start,
                PACE_EARLIER_YEARS,
                np.where(months_in < 3, PACE_LAST_YEAR_FIRST_QUARTER, 1.0),
            )
            pace = pace * self.season
        return pace

    def _arrivals(self) -> _Cases:
        working = self.is_working & (self.days <= self.today)
        per_working_day = 1.0 / 253.0
        kinds, starts = [], []
        for kind, rate in (
            (KIND_INITIAL, RATE_INITIAL_CASES),
            (KIND_PREBIRTH, RATE_PREBIRTH_CASES),
            (KIND_TRANSFER_IN, RATE_TRANSFER_IN_CASES),
            (KIND_S47_ONLY, RATE_S47_ONLY_CASES),
        ):
            expected = np.where(working, rate * per_working_day * self.scale * self._pace(kind), 0.0)
            count = self.rng.poisson(expected)
            day = np.repeat(self.days, count)
            kinds.append(np.full(day.size, kind))
            starts.append(day)
        kind = np.concatenate(kinds)
        start = np.concatenate(starts)
        order = np.lexsort((kind, start))
        kind, start = kind[order], start[order]
        family = np.arange(self._families, self._families + kind.size)
        self._families += kind.size
        cases = _Cases(family=family, kind=kind, start=start, previous_end_kind=np.full(kind.size, -1))
        self._new_children(cases)
        return cases

    def _new_children(self, cases: _Cases) -> None:
        """Children of newly arrived families (pre-birth babies get their dates in `_run`)."""
        n = len(cases)
        sizes = np.where(
            cases.kind == KIND_TRANSFER_IN,
            np.array(list(TRANSFER_IN_CHILDREN_PER_CASE))[self._pick(TRANSFER_IN_CHILDREN_PER_CASE, n)],
            np.array(list(CHILDREN_PER_CASE))[self._pick(CHILDREN_PER_CASE, n)],
        )
        sizes = np.where(cases.kind == KIND_PREBIRTH, 1, sizes)
        family = np.repeat(cases.family, sizes)
        kind = np.repeat(cases.kind, sizes)
        start = np.repeat(cases.start, sizes)
        position = np.arange(family.size) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        # The youngest child's age, then older siblings spaced one to four years apart.
        youngest = np.repeat(self._pick(YOUNGEST_AGE_WEIGHTS, n), sizes)
        spacing = self.rng.integers(1, 5, size=family.size)
        spacing[position == 0] = 0
        offsets = np.zeros(family.size, dtype=np.int64)
        for k in range(1, int(sizes.max(initial=1))):
            later = position == k
            offsets[later] = offsets[np.flatnonzero(later) - 1] + spacing[later]
        age_days = (youngest + offsets) * 365 + self.rng.integers(0, 365, size=family.size)
        keep = (youngest + offsets <= 17) | (position == 0)
        born = start - age_days
        born = np.where(kind == KIND_PREBIRTH, NO_DATE, born)
        family, born, kind = family[keep], born[keep], kind[keep]
        family_ethnicity = self._pick_codes(ETHNICITY_WEIGHTS, n)
        ethnicity = family_ethnicity[np.searchsorted(cases.family, family)]
        external = self.rng.random(n) < EXTERNAL_PREVIOUS_PLAN
        external &= (cases.kind == KIND_INITIAL) | (cases.kind == KIND_S47_ONLY)
        sex = np.where(self.rng.random(family.size) < 0.506, "F", "M").astype(object)
        self._children.add(
            family=family,
            born=born,
            expected=np.full(family.size, NO_DATE),
            sex=sex,
            ethnicity=ethnicity,
            disability=self._pick_codes(DISABILITY_WEIGHTS, family.size),
            external_previous=external[np.searchsorted(cases.family, family)].astype(np.int64),
            looked_after=np.zeros(family.size, dtype=np.int64),
        )

    # -- running cases forward -------------------------------------------------------------------

    def _run(self, cases: _Cases) -> _Cases:
        children = self._children.frame()
        # The case's children: the family's, still under 18 when the case starts, not looked after.
        members = self._members(cases, children)
        with_children = np.bincount(members["group_pos"], minlength=len(cases)) > 0
        if not with_children.all():
            keep = np.flatnonzero(with_children)
            cases = _Cases(
                cases.family[keep], cases.kind[keep], cases.start[keep], cases.previous_end_kind[keep]
            )
            members = self._members(cases, children)
        n = len(cases)
        group = np.arange(self._groups.size, self._groups.size + n)
        members["group"] = group[members["group_pos"]]
        kind = cases.kind
        start = cases.start

        is_initial = (kind == KIND_INITIAL) | (kind == KIND_PREBIRTH)
        enquiry = is_initial | (kind == KIND_S47_ONLY)
        due = np.full(n, NO_DATE, dtype=np.int64)
        due[enquiry] = self.rules.each(
            lambda d: timescales.initial_conference_due(d, self.config.calendar), start[enquiry]
        )
        transfer = kind == KIND_TRANSFER_IN
        due[transfer] = self.rules.each(
            lambda d: timescales.transfer_in_conference_due(d, self.config.calendar), start[transfer]
        )
        first_held, late_reason, rearranged = self._first_conference(kind, start)
        s47_done = np.full(n, NO_DATE, dtype=np.int64)
        s47_days = self.rng.integers(5, 13, size=n)
        s47_done[is_initial] = self.rules.add_working_days(start[is_initial], s47_days[is_initial])
        s47_done = np.where(is_initial, np.minimum(s47_done, first_held), s47_done)
        only = kind == KIND_S47_ONLY
        s47_done[only] = self.rules.add_working_days(
            start[only], self.rng.integers(8, 21, size=int(only.sum()))
        )

        # Pre-birth babies: the expected date from the band, the birth near it and after the conference.
        prebirth = kind == KIND_PREBIRTH
        band = self._pick(PREBIRTH_BAND_SHARES, n)
        low = np.array([b[0] for b in PREBIRTH_BAND_DAYS])[band]
        high = np.array([b[1] for b in PREBIRTH_BAND_DAYS])[band]
        expected = first_held + self.rng.integers(low, high + 1)
        birth = np.maximum(
            expected + np.round(self.rng.normal(0, 6, size=n)).astype(np.int64), first_held + 1
        )
        baby = members["child"][prebirth[members["group_pos"]]]
        self._children.set("expected", baby, expected[members["group_pos"][prebirth[members["group_pos"]]]])
        self._children.set("born", baby, birth[members["group_pos"][prebirth[members["group_pos"]]]])

        # Outcome of the first conference.
        conference_held = (is_initial | transfer) & (first_held <= self.today)
        months_in = self._months_into_last_year(first_held)
        plan_share = np.where(
            (months_in >= 0) & (months_in < 12),
            np.array(PLAN_SHARE_LAST_YEAR)[np.clip(months_in, 0, 11)],
            PLAN_SHARE_OTHER_YEARS,
        )
        plan_share = np.where(prebirth, PLAN_SHARE_PREBIRTH, plan_share)
        plan_share = np.where(transfer, 1.0, plan_share)
        has_plan = conference_held & (self.rng.random(n) < plan_share)
        plan_start = np.where(has_plan, first_held, NO_DATE)

        # Every group has its chair for the whole case (continuity), and its teams.
        chair = self.rng.random(n)
        assessment_team = self.rng.random(n)
        care_team = self.rng.random(n)

        end_kind = np.full(n, END_OPEN)
        end_day = np.full(n, NO_DATE, dtype=np.int64)
        end_kind[is_initial & conference_held & ~has_plan] = END_NO_PLAN
        end_day[is_initial & conference_held & ~has_plan] = first_held[
            is_initial & conference_held & ~has_plan
        ]
        end_kind[(is_initial | transfer) & ~conference_held] = END_PENDING
        only_done = only & (s47_done <= self.today)
        end_kind[only] = np.where(only_done[only], END_S47_ONLY, END_PENDING)
        end_day[only_done] = s47_done[only_done]

        # The first conference as an event (held, or booked within the next four weeks).
        first_type = np.select(
            [kind == KIND_INITIAL, prebirth, transfer], [T_INITIAL, T_PREBIRTH, T_TRANSFER_IN], -1
        )
        booked = (is_initial | transfer) & (first_held <= self.today + BOOKED_AHEAD_DAYS)
        self._add_events(
            group[booked],
            first_type[booked],
            due[booked],
            first_held[booked],
            late_reason[booked],
            rearranged[booked],
            ends_plan=np.zeros(int(booked.sum()), dtype=bool),
        )

        plan_end, end_kind, end_day = self._plan_course(group, plan_start, members, end_kind, end_day)

        self._groups.add(
            kind=kind,
            family=cases.family,
            start=start,
            due=due,
            first_held=first_held,
            s47_done=s47_done,
            plan_start=plan_start,
            plan_end=plan_end,
            end_kind=end_kind,
            end_day=end_day,
            chair=chair,
            assessment_team=assessment_team,
            care_team=care_team,
            previous_end_kind=cases.previous_end_kind,
            repeat_finding=self.rng.random(n),
        )
        self._group_children.add(
            group=members["group"],
            child=members["child"],
            exit=members["exit"],
            exit_reason=members["exit_reason"],
        )
        return self._returns(group, cases, end_kind, end_day, members)

    def _members(self, cases: _Cases, children: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        family_of_child = children["family"]
        order = np.argsort(family_of_child, kind="stable")
        sorted_family = family_of_child[order]
        first = np.searchsorted(sorted_family, cases.family, side="left")
        last = np.searchsorted(sorted_family, cases.family, side="right")
        sizes = last - first
        group_pos = np.repeat(np.arange(len(cases)), sizes)
        within = np.arange(group_pos.size) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        child = order[np.repeat(first, sizes) + within]
        start = cases.start[group_pos]
        age = _completed_years(children["born"][child], start)
        # Not so near 18 that the plan could not run to its first review.
        near_adult = start - children["born"][child] > 18 * 365 - 120
        eligible = (age <= 17) & ~near_adult & (children["looked_after"][child] == 0)
        # An unborn child (pre-birth case) is always a member of its own case.
        eligible |= children["born"][child] == NO_DATE
        group_pos, child = group_pos[eligible], child[eligible]
        return {
            "group_pos": group_pos,
            "child": child,
            "exit": np.full(child.size, NO_DATE, dtype=np.int64),
            "exit_reason": np.full(child.size, None, dtype=object),
        }

    def _first_conference(
        self, kind: np.ndarray, start: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Held date, late reason and rearrangements of each case's first conference."""
        n = kind.size
        month_of_held = self._months_into_last_year(start + 21)
        in_last_year = (month_of_held >= 0) & (month_of_held < 12)
        in_time_share = np.where(
            in_last_year,
            np.array(ICPC_IN_TIME_LAST_YEAR)[np.clip(month_of_held, 0, 11)],
            np.where(month_of_held < 0, ICPC_IN_TIME_EARLIER, ICPC_IN_TIME_LATER),
        )
        transfer = kind == KIND_TRANSFER_IN
        in_time_share = np.where(
            transfer,
            np.where(
                start < self.last_year_start, TRANSFER_IN_IN_TIME_EARLIER, TRANSFER_IN_IN_TIME_LAST_YEAR
            ),
            in_time_share,
        )
        in_time = self.rng.random(n) < in_time_share
        working_days = np.where(
            in_time,
            self.rng.integers(6, 16, size=n),
            15 + np.minimum(self.rng.geometric(1 / 8, size=n), 60),
        )
        held = self.rules.add_working_days(start, working_days)
        from_january = month_of_held >= 9
        reason = np.where(
            from_january,
            self._pick_codes(LATE_REASONS_FROM_JANUARY, n),
            self._pick_codes(LATE_REASONS_BEFORE_JANUARY, n),
        )
        reason = np.where(transfer, self._pick_codes(LATE_REASONS_TRANSFER_IN, n), reason)
        reason = np.where(in_time, None, reason)
        rearranged = np.where(
            np.char.startswith(reason.astype(str), "rearranged"), 1 + (self.rng.random(n) < 0.2), 0
        )
        return held, reason, rearranged

    def _add_events(
        self,
        group: np.ndarray,
        conference_type: np.ndarray,
        due: np.ndarray,
        held: np.ndarray,
        late_reason: np.ndarray,
        rearranged: np.ndarray,
        *,
        ends_plan: np.ndarray,
    ) -> None:
        self._events.add(
            group=group,
            type=conference_type,
            due=due,
            date=held,
            late_reason=late_reason,
            rearranged=rearranged,
            ends_plan=ends_plan,
        )

    def _review_dates(
        self, due: np.ndarray, previous: np.ndarray, school_aged: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        n = due.size
        candidate = np.maximum(due - self.rng.integers(0, 21, size=n), previous + 28)
        candidate = self.rules.working_day_on_or_before(candidate)
        # School-aged children's reviews are held before the holiday rather than in it.
        window = self.holiday_start[self._index(candidate)]
        in_holiday = window != NO_DATE
        moved = self.rules.working_day_on_or_before(
            np.where(in_holiday, window - self.rng.integers(1, 12, size=n), NO_DATE)
        )
        move = school_aged & in_holiday & (moved > previous + 28)
        candidate = np.where(move, moved, candidate)
        late = self.rng.random(n) < REVIEW_LATE
        late_held = self.rules.working_day_on_or_after(due + self.rng.integers(1, 22, size=n))
        held = np.where(late, late_held, candidate)
        reason = np.where(late, self._pick_codes(LATE_REASONS_REVIEW, n), None)
        rearranged = np.where(late & np.char.startswith(reason.astype(str), "rearranged"), 1, 0)
        return held, reason, rearranged

    def _plan_course(
        self,
        group: np.ndarray,
        plan_start: np.ndarray,
        members: dict[str, np.ndarray],
        end_kind: np.ndarray,
        end_day: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Reviews until the plan ends at one, at a transfer out, or is still open today."""
        n = group.size
        plan_end = np.full(n, NO_DATE, dtype=np.int64)
        on_plan = plan_start != NO_DATE
        # School-aged: anyone in the group 4 or over when the plan starts.
        born = self._children.column("born")[members["child"]]
        age = _completed_years(born, np.where(on_plan, plan_start, 0)[members["group_pos"]])
        school_aged = np.zeros(n, dtype=bool)
        np.logical_or.at(school_aged, members["group_pos"], age >= 4)
        transfer_out = (
            plan_start + 14 + self.rng.exponential(365 / TRANSFER_OUT_PER_YEAR, size=n).astype(np.int64)
        )
        transfer_out = self.rules.working_day_on_or_after(np.where(on_plan, transfer_out, 0))

        active = np.flatnonzero(on_plan)
        previous = plan_start.copy()
        k = 0
        while active.size:
            if k == 0:
                due = self.rules.each(timescales.first_review_due, previous[active])
            else:
                due = self.rules.each(timescales.next_review_due, previous[active])
            self._midway.add(group=group[active], previous=previous[active], next_due=due)
            held, reason, rearranged = self._review_dates(due, previous[active], school_aged[active])
            leaves = transfer_out[active] < held
            # A transfer out before the review ends the plan there if it has happened by today,
            # and is booked if it is in the next four weeks.
            out = active[leaves & (transfer_out[active] <= self.today + BOOKED_AHEAD_DAYS)]
            self._add_events(
                group[out],
                np.full(out.size, T_TRANSFER_OUT),
                np.full(out.size, NO_DATE),
                transfer_out[out],
                np.full(out.size, None, dtype=object),
                np.zeros(out.size, dtype=np.int64),
                ends_plan=transfer_out[out] <= self.today,
            )
            gone = out[transfer_out[out] <= self.today]
            plan_end[gone] = transfer_out[gone]
            end_kind[gone] = END_TRANSFER_OUT
            end_day[gone] = transfer_out[gone]
            reviewed = ~leaves
            ends = reviewed & (
                self.rng.random(active.size) < PLAN_ENDS_AT_REVIEW[min(k, len(PLAN_ENDS_AT_REVIEW) - 1)]
            )
            happened = reviewed & (held <= self.today)
            booked = reviewed & ~happened & (held <= self.today + BOOKED_AHEAD_DAYS)
            show = happened | booked
            self._add_events(
                group[active[show]],
                np.full(int(show.sum()), T_REVIEW),
                due[show],
                held[show],
                reason[show],
                rearranged[show],
                ends_plan=(ends & happened)[show],
            )
            finished = active[ends & happened]
            plan_end[finished] = held[ends & happened]
            end_kind[finished] = END_REVIEW
            end_day[finished] = held[ends & happened]
            carry_on = happened & ~ends
            previous[active[carry_on]] = held[carry_on]
            active = active[carry_on]
            k += 1

        # A child leaves the plan (and the family's later meetings) on becoming looked after, or at 18.
        child_start = plan_start[members["group_pos"]]
        child_end = plan_end[members["group_pos"]]
        on_a_plan = child_start != NO_DATE
        leaves_at = (
            child_start
            + 7
            + self.rng.exponential(365 / LOOKED_AFTER_PER_YEAR, size=child_start.size).astype(np.int64)
        )
        leaves_at = self.rules.working_day_on_or_after(np.where(on_a_plan, leaves_at, NO_DATE))
        adult_on = self.rules.each(lambda d: add_months(d, 18 * 12), np.where(on_a_plan, born, NO_DATE))
        limit = np.where(child_end == NO_DATE, self.today, child_end - 1)
        looked_after = on_a_plan & (leaves_at <= limit) & ((adult_on == NO_DATE) | (leaves_at < adult_on))
        turns_18 = on_a_plan & ~looked_after & (adult_on != NO_DATE) & (adult_on <= limit)
        members["exit"] = np.select([looked_after, turns_18], [leaves_at, adult_on], NO_DATE)
        members["exit_reason"] = np.select(
            [looked_after, turns_18], ["looked_after", "turned_18"], None
        ).astype(object)
        self._children.set(
            "looked_after", members["child"][looked_after], np.ones(int(looked_after.sum()), dtype=np.int64)
        )
        return plan_end, end_kind, end_day

    def _returns(
        self,
        group: np.ndarray,
        cases: _Cases,
        end_kind: np.ndarray,
        end_day: np.ndarray,
        members: dict[str, np.ndarray],
    ) -> _Cases:
        n = group.size
        chance = np.select(
            [
                end_kind == END_REVIEW,
                end_kind == END_NO_PLAN,
                end_kind == END_S47_ONLY,
                end_kind == END_TRANSFER_OUT,
            ],
            [
                RETURN_CHANCE["plan"],
                RETURN_CHANCE["no_plan"],
                RETURN_CHANCE["s47_only"],
                RETURN_CHANCE["transfer_out"],
            ],
            0.0,
        )
        comes_back = self.rng.random(n) < chance
        gap = RETURN_GAP_MIN_DAYS + self.rng.exponential(RETURN_GAP_MEAN_EXTRA_DAYS, size=n).astype(np.int64)
        start = self.rules.working_day_on_or_after(np.where(comes_back, end_day + gap, 0))
        comes_back &= start <= self.today
        kind = np.where(self.rng.random(n) < RETURN_IS_S47_ONLY, KIND_S47_ONLY, KIND_INITIAL)
        idx = np.flatnonzero(comes_back)
        return _Cases(
            family=cases.family[idx], kind=kind[idx], start=start[idx], previous_end_kind=end_kind[idx]
        )


def _ids(prefix: str, count: int, width: int = 7) -> np.ndarray:
    return np.array([f"{prefix}{i:0{width}d}" for i in range(1, count + 1)], dtype=object)


def _dates(values: np.ndarray) -> pl.Series:
    """Day numbers as a Polars Date column, NO_DATE as null."""
    days = pl.Series(np.asarray(values, dtype=np.int64))
    return pl.select(
        pl.when(days == NO_DATE).then(None).otherwise(days).cast(pl.Int32).cast(pl.Date)
    ).to_series()


def _strings(values: np.ndarray) -> pl.Series:
    return pl.Series(list(values), dtype=pl.String)


def _upn(la_code: str, serial: int) -> str:
    """A permanent UPN: check letter, LA code, nine digits (DfE check-letter rule, weights 2-13)."""
    body = f"{la_code}{serial:09d}"
    total = sum(int(ch) * weight for ch, weight in zip(body, range(2, 14), strict=True))
    return "ABCDEFGHJKLMNPQRTUVWXYZ"[total % 23] + body


class _Assembler:
    """Turns the simulated cases into the record's tables and the database's extras."""

    def __init__(self, gen: _Generator) -> None:
        self.gen = gen
        self.rng = gen.rng
        self.today = gen.today
        self.tables: dict[str, pl.DataFrame] = {}

    def assemble(self) -> SyntheticAuthority:
        self._select()
        self._people()
        self._staff_and_teams()
        self._memberships()
        self._conferences()
        self._children_table()
        self._oversight()
        record = Record.of(source="synthetic", **self.tables)
        return SyntheticAuthority(
            record=record,
            config=self.gen.config,
            years=self.gen.years,
            today=self.gen.today_date,
            teams=self.teams,
            staff=self.staff,
            families=self.families,
            family_members=self.family_members,
            allocations=self.allocations,
            meetings=self.meetings,
            rearrangements=self.rearrangements,
            counts={name: frame.height for name, frame in self.tables.items()},
        )

    # -- which families the record holds ---------------------------------------------------------

    def _select(self) -> None:
        gen = self.gen
        groups = gen._groups.frame()
        children = gen._children.frame()
        recent = (groups["end_day"] == NO_DATE) | (groups["end_day"] >= gen.history_start)
        family_count = int(children["family"].max()) + 1
        kept_family = np.zeros(family_count, dtype=bool)
        kept_family[groups["family"][recent]] = True
        self.kept_family = kept_family
        # New numbers in order of first arrival, so ids read in time order.
        family_number = np.cumsum(kept_family) - 1
        self.family_number = np.where(kept_family, family_number, -1)
        # A child who was never the subject of a case (too near 18 when the family arrived) is left out.
        in_a_case = np.zeros(children["family"].size, dtype=bool)
        in_a_case[gen._group_children.column("child")] = True
        kept_child = kept_family[children["family"]] & in_a_case
        self.child_number = np.where(kept_child, np.cumsum(kept_child) - 1, -1)
        self.children = {name: values[kept_child] for name, values in children.items()}
        self.child_ids = _ids("SYN", int(kept_child.sum()))
        self.family_ids = _ids("FAM", int(kept_family.sum()), width=6)
        self.groups = groups
        self.kept_group = kept_family[groups["family"]]

    # -- names -------------------------------------------------------------------------------------

    def _people(self) -> None:
        faker = self.gen.faker
        # Pools drawn once from the seeded Faker; order kept (never a set) so runs repeat exactly.
        self.female_names = np.array(
            list(dict.fromkeys(faker.first_name_female() for _ in range(1500))), dtype=object
        )
        self.male_names = np.array(
            list(dict.fromkeys(faker.first_name_male() for _ in range(1500))), dtype=object
        )
        self.surnames = np.array(list(dict.fromkeys(faker.last_name() for _ in range(3000))), dtype=object)
        n_families = len(self.family_ids)
        surname = self.surnames[self.rng.integers(0, self.surnames.size, size=n_families)] + FAKE_SUFFIX
        self.family_surname = surname
        self.families = pl.DataFrame(
            {"family_id": _strings(self.family_ids), "name": _strings(surname + " household")}
        )
        mother = self.rng.random(n_families) < 0.92
        father = self.rng.random(n_families)
        grandmother = self.rng.random(n_families) < 0.08
        rows_family, rows_name, rows_relationship = [], [], []
        for relationship, present, pool in (
            ("Mother", mother, self.female_names),
            ("Father", father < 0.55, self.male_names),
            ("Stepfather", (father >= 0.55) & (father < 0.65), self.male_names),
            ("Grandmother", grandmother, self.female_names),
        ):
            idx = np.flatnonzero(present)
            first = pool[self.rng.integers(0, pool.size, size=idx.size)]
            rows_family.append(self.family_ids[idx])
            rows_name.append(first + " " + surname[idx])
            rows_relationship.append(np.full(idx.size, relationship, dtype=object))
        self.family_members = pl.DataFrame(
            {
                "family_id": _strings(np.concatenate(rows_family)),
                "name": _strings(np.concatenate(rows_name)),
                "relationship": _strings(np.concatenate(rows_relationship)),
            }
        ).sort("family_id", "relationship", maintain_order=True)

    # -- the service and the teams -----------------------------------------------------------------

    def _staff_and_teams(self) -> None:
        scale = self.gen.scale
        teams_name, teams_service = [], []
        for service, count in TEAMS_BY_SERVICE.items():
            for k in range(1, max(1, round(count * scale)) + 1):
                teams_name.append(f"{service} team {k}")
                teams_service.append(service)
        n_teams = len(teams_name)
        self.team_ids = _ids("TM", n_teams, width=4)
        self.team_service = np.array(teams_service, dtype=object)
        roles, ftes, contracts, team_of = [], [], [], []

        def add(
            role: str, count: int, fte: Sequence[float], contract: Sequence[str], team: int | None = None
        ) -> None:
            for k in range(count):
                roles.append(role)
                ftes.append(fte[k % len(fte)])
                contracts.append(contract[k % len(contract)])
                team_of.append(team)

        add("qa_manager", max(1, round(scale)), [1.0], ["permanent"])
        n_permanent = max(1, round(PERMANENT_CHAIRS * scale))
        n_locum = max(1, round(len(LOCUM_CHAIR_FTES) * scale))
        add("chair", n_permanent, [1.0], ["permanent"])
        add("chair", n_locum, LOCUM_CHAIR_FTES, ["locum"])
        add("business_support", max(1, round(scale)), [1.0], ["permanent"])
        add(
            "minute_taker",
            max(1, round(MINUTE_TAKERS * scale)),
            [1.0, 1.0, 0.6],
            ["permanent", "permanent", "fixed_term"],
        )
        for t in range(n_teams):
            add("team_manager", 1, [1.0], ["permanent"], t)
            add(
                "social_worker",
                SOCIAL_WORKERS_PER_TEAM,
                [1.0, 1.0, 1.0, 0.8],
                ["permanent", "permanent", "locum"],
                t,
            )
        n_staff = len(roles)
        self.staff_ids = _ids("STF", n_staff, width=5)
        # Unique names: distinct (first name, surname) pairs.
        firsts = np.concatenate([self.female_names, self.male_names])
        pairs = self.rng.choice(firsts.size * self.surnames.size, size=n_staff, replace=False)
        names = (
            firsts[pairs // self.surnames.size]
            + " "
            + self.surnames[pairs % self.surnames.size]
            + FAKE_SUFFIX
        )
        self.staff_role = np.array(roles, dtype=object)
        self.staff = pl.DataFrame(
            {
                "staff_id": _strings(self.staff_ids),
                "name": _strings(names),
                "role": _strings(self.staff_role),
                "fte": pl.Series(ftes, dtype=pl.Float64),
                "contract_type": _strings(np.array(contracts, dtype=object)),
                "team_id": pl.Series(
                    [self.team_ids[t] if t is not None else None for t in team_of], dtype=pl.String
                ),
            }
        )
        self.chair_ids = self.staff_ids[self.staff_role == "chair"]
        chair_fte = np.array(ftes)[self.staff_role == "chair"]
        self.chair_cumulative = np.cumsum(chair_fte) / chair_fte.sum()
        self.qa_manager_id = self.staff_ids[self.staff_role == "qa_manager"][0]
        self.minute_taker_ids = self.staff_ids[self.staff_role == "minute_taker"]
        team_of_arr = np.array([-1 if t is None else t for t in team_of])
        self.social_workers_by_team = [
            self.staff_ids[(self.staff_role == "social_worker") & (team_of_arr == t)] for t in range(n_teams)
        ]
        linked = self.chair_ids[np.arange(n_teams) % self.chair_ids.size]
        self.teams = pl.DataFrame(
            {
                "team_id": _strings(self.team_ids),
                "name": _strings(np.array(teams_name, dtype=object)),
                "service": _strings(self.team_service),
                "linked_chair_id": _strings(linked),
            }
        )
        self.team_names = np.array(teams_name, dtype=object)

    def _chair_of(self, u: np.ndarray) -> np.ndarray:
        return self.chair_ids[
            np.minimum(np.searchsorted(self.chair_cumulative, u, side="right"), self.chair_ids.size - 1)
        ]

    def _team_of(self, service: str, u: np.ndarray) -> np.ndarray:
        teams = np.flatnonzero(self.team_service == service)
        return teams[np.minimum((u * teams.size).astype(np.int64), teams.size - 1)]

    # -- episodes, assessments, enquiries, plans ---------------------------------------------------

    def _memberships(self) -> None:
        gen, g, rng, today = self.gen, self.groups, self.rng, self.today
        gc = gen._group_children.frame()
        keep = self.kept_group[gc["group"]]
        group, child, exit_day, exit_reason = (
            gc["group"][keep],
            gc["child"][keep],
            gc["exit"][keep],
            gc["exit_reason"][keep],
        )
        number = self.child_number[child]
        start = g["start"][group]
        order = np.lexsort((start, number))
        group, child, exit_day, exit_reason = group[order], child[order], exit_day[order], exit_reason[order]
        number, start = number[order], start[order]
        n = group.size
        kind = g["kind"][group]
        self.m = m = {"group": group, "child": child, "exit": exit_day, "number": number}
        m["child_id"] = self.child_ids[number]
        m["family_id"] = self.family_ids[self.family_number[g["family"][group]]]
        m["episode_id"] = _ids("EP", n)

        # Referral and episode closure.
        referral = np.where(kind == KIND_TRANSFER_IN, start, start - rng.integers(0, 21, size=n))
        has_plan = g["plan_start"][group] != NO_DATE
        plan_end = np.where(exit_day != NO_DATE, exit_day, g["plan_end"][group])
        end_kind = g["end_kind"][group]
        end_reason = np.full(n, None, dtype=object)
        end_reason[has_plan & (exit_day != NO_DATE)] = exit_reason[has_plan & (exit_day != NO_DATE)]
        end_reason[has_plan & (exit_day == NO_DATE) & (end_kind == END_TRANSFER_OUT)] = "transferred_out"
        at_review = has_plan & (exit_day == NO_DATE) & (end_kind == END_REVIEW)
        end_reason[at_review] = self.gen._pick_codes(
            {"stepped_down_cin": 0.75, "no_further_action": 0.2, "adopted_sgo_cao": 0.05},
            int(at_review.sum()),
        )
        m["plan_end"] = np.where(has_plan, plan_end, NO_DATE)
        m["end_reason"] = end_reason
        closure = np.full(n, NO_DATE, dtype=np.int64)
        closure_reason = np.full(n, None, dtype=object)
        cin_start = np.full(n, NO_DATE, dtype=np.int64)
        cin_end = np.full(n, NO_DATE, dtype=np.int64)
        cin_chance = rng.random(n)
        step_down = end_reason == "stepped_down_cin"
        cin_start[step_down] = plan_end[step_down]
        cin_end[step_down] = plan_end[step_down] + rng.integers(60, 201, size=int(step_down.sum()))
        ended_plain = (
            (end_reason == "no_further_action")
            | (end_reason == "adopted_sgo_cao")
            | (end_reason == "turned_18")
        )
        closure[ended_plain] = plan_end[ended_plain] + rng.integers(0, 31, size=int(ended_plain.sum()))
        closure_reason[end_reason == "no_further_action"] = "RC7"
        closure_reason[end_reason == "turned_18"] = "RC6"
        closure_reason[end_reason == "adopted_sgo_cao"] = "RC4"
        moved = end_reason == "transferred_out"
        closure[moved] = plan_end[moved]
        closure_reason[moved] = "RC5"

        def after_enquiry(ended: np.ndarray, day: np.ndarray, cin_share: float, reasons: np.ndarray) -> None:
            # No plan: a child in need plan for some, the case closed within weeks for the rest.
            cin = ended & (cin_chance < cin_share)
            cin_start[cin] = day[cin]
            cin_end[cin] = day[cin] + rng.integers(90, 241, size=int(cin.sum()))
            closed = ended & ~cin
            closure[closed] = day[closed] + rng.integers(5, 41, size=int(closed.sum()))
            closure_reason[closed] = reasons[closed]

        after_enquiry(end_kind == END_NO_PLAN, g["first_held"][group], 0.7, np.full(n, "RC8", dtype=object))
        after_enquiry(
            end_kind == END_S47_ONLY,
            g["s47_done"][group],
            0.4,
            np.where(rng.random(n) < 0.7, "RC8", "RC9").astype(object),
        )
        with_cin = cin_start != NO_DATE
        closure[with_cin] = cin_end[with_cin]
        closure_reason[with_cin] = "RC7"
        future = closure > today
        closure[future] = NO_DATE
        closure_reason[future] = None
        cin_end[cin_end > today] = NO_DATE
        self.tables["episodes"] = pl.DataFrame(
            {
                "episode_id": _strings(m["episode_id"]),
                "child_id": _strings(m["child_id"]),
                "referral_date": _dates(referral),
                "referral_source": _strings(
                    np.where(kind == KIND_TRANSFER_IN, "5C", self.gen._pick_codes(REFERRAL_SOURCE_WEIGHTS, n))
                ),
                "primary_need": _strings(self.gen._pick_codes({"N1": 88, "N4": 6, "N5": 6}, n)),
                "closure_date": _dates(closure),
                "closure_reason": _strings(closure_reason),
                "referral_nfa": pl.Series(np.zeros(n, dtype=bool)),
            }
        )
        cin = np.flatnonzero(with_cin)
        self.tables["cin_plans"] = pl.DataFrame(
            {
                "cin_plan_id": _strings(_ids("CIN", cin.size)),
                "episode_id": _strings(m["episode_id"][cin]),
                "child_id": _strings(m["child_id"][cin]),
                "start_date": _dates(cin_start[cin]),
                "end_date": _dates(cin_end[cin]),
            }
        )

        # Assessment: the family's factors, and an older child's own.
        assessed = referral + rng.integers(0, 6, size=n)
        authorised = assessed + rng.integers(15, 46, size=n)
        authorised[authorised > today] = NO_DATE
        self.tables["assessments"] = pl.DataFrame(
            {
                "assessment_id": _strings(_ids("AS", n)),
                "episode_id": _strings(m["episode_id"]),
                "child_id": _strings(m["child_id"]),
                "start_date": _dates(assessed),
                "authorised_date": _dates(authorised),
                "factors": pl.Series(self._factors(group, child, assessed), dtype=pl.List(pl.String)),
            }
        )

        # Section 47 enquiries (none for a transfer in).
        enquiry = kind != KIND_TRANSFER_IN
        s47_rows = np.flatnonzero(enquiry)
        m["s47_id"] = np.full(n, None, dtype=object)
        m["s47_id"][s47_rows] = _ids("S47", s47_rows.size)
        done = g["s47_done"][group]
        self.tables["s47"] = pl.DataFrame(
            {
                "s47_id": _strings(m["s47_id"][s47_rows]),
                "episode_id": _strings(m["episode_id"][s47_rows]),
                "child_id": _strings(m["child_id"][s47_rows]),
                "start_date": _dates(start[s47_rows]),
                "icpc_target_date": _dates(g["due"][group][s47_rows]),
                "icpc_not_required": pl.Series(kind[s47_rows] == KIND_S47_ONLY),
                "completed_date": _dates(np.where(done[s47_rows] <= today, done[s47_rows], NO_DATE)),
            }
        )

        # Plans, one per child per case that reached a plan.
        plan_rows = np.flatnonzero(has_plan)
        m["plan_id"] = np.full(n, None, dtype=object)
        m["plan_id"][plan_rows] = _ids("PL", plan_rows.size)
        m["has_plan"] = has_plan
        # Rows are in (child, start) order, so a running count per child gives the earlier plans.
        plan_count = np.cumsum(has_plan)
        first_row_of_child = np.r_[0, np.flatnonzero(np.diff(number)) + 1]
        child_first = np.repeat(first_row_of_child, np.diff(np.r_[first_row_of_child, n]))
        earlier = plan_count - has_plan - (plan_count[child_first] - has_plan[child_first])
        external = gen._children.column("external_previous")[child]
        previous = earlier + external
        m["previous_plans"] = previous
        m["external_only"] = (earlier == 0) & (external > 0)
        initial_sets, latest_sets = self._categories(group, plan_rows)
        self.tables["plans"] = pl.DataFrame(
            {
                "plan_id": _strings(m["plan_id"][plan_rows]),
                "episode_id": _strings(m["episode_id"][plan_rows]),
                "child_id": _strings(m["child_id"][plan_rows]),
                "start_date": _dates(g["plan_start"][group][plan_rows]),
                "end_date": _dates(m["plan_end"][plan_rows]),
                "end_reason": _strings(end_reason[plan_rows]),
                "initial_category": _strings(
                    np.array([codes.dfe_category(c) for c in initial_sets], dtype=object)
                ),
                "latest_category": _strings(
                    np.array([codes.dfe_category(c) for c in latest_sets], dtype=object)
                ),
                "initial_categories": pl.Series(initial_sets, dtype=pl.List(pl.String)),
                "latest_categories": pl.Series(latest_sets, dtype=pl.List(pl.String)),
                "previous_plans": pl.Series(previous[plan_rows], dtype=pl.Int64),
            }
        )

    def _factors(self, group: np.ndarray, child: np.ndarray, on: np.ndarray) -> list[list[str]]:
        rng = self.rng
        n_groups = self.groups["kind"].size
        family_count = np.array([0, 1, 2, 3])[self.gen._pick(FAMILY_FACTOR_COUNT, n_groups)]
        family_codes = list(FAMILY_FACTOR_WEIGHTS)
        family_p = np.array(list(FAMILY_FACTOR_WEIGHTS.values()), dtype=float)
        family_p /= family_p.sum()
        child_codes = list(CHILD_FACTOR_WEIGHTS)
        child_p = np.array(list(CHILD_FACTOR_WEIGHTS.values()), dtype=float)
        child_p /= child_p.sum()
        # Three candidate factors per case and per child, the first `count` of them used.
        family_draw = rng.choice(len(family_codes), size=(n_groups, 3), p=family_p)
        child_draw = rng.choice(len(child_codes), size=(child.size, 2), p=child_p)
        age = _completed_years(self.gen._children.column("born")[child], on)
        child_count = np.where(
            age >= CHILD_FACTOR_AGE, np.array([0, 1, 2])[self.gen._pick([0.7, 0.22, 0.08], child.size)], 0
        )
        out: list[list[str]] = []
        for row in range(child.size):
            g = group[row]
            chosen = [family_codes[i] for i in family_draw[g, : family_count[g]]]
            chosen += [child_codes[i] for i in child_draw[row, : child_count[row]]]
            out.append(sorted(dict.fromkeys(chosen)) or ["21"])
        return out

    def _categories(
        self, group: np.ndarray, plan_rows: np.ndarray
    ) -> tuple[list[list[str]], list[list[str]]]:
        rng = self.rng
        sets = [sorted(s) for s, _ in CATEGORY_SETS]
        weights = [w for _, w in CATEGORY_SETS]
        n_groups = self.groups["kind"].size
        group_pick = self.gen._pick(weights, n_groups)
        own_pick = self.gen._pick(weights, plan_rows.size)
        shared = rng.random(plan_rows.size) < SIBLINGS_SHARE_CATEGORIES
        pick = np.where(shared, group_pick[group[plan_rows]], own_pick)
        changes = rng.random(plan_rows.size) < LATEST_CATEGORY_CHANGES
        # Only a plan that has been reviewed can have its categories changed.
        reviewed = (self.m["plan_end"][plan_rows] == NO_DATE) | (
            self.m["plan_end"][plan_rows] - self.groups["plan_start"][group[plan_rows]] > 80
        )
        extra = rng.choice(list(codes.SINGLE_CATEGORIES), size=plan_rows.size)
        initial_sets, latest_sets = [], []
        for i in range(plan_rows.size):
            initial = sets[pick[i]]
            latest = initial
            if changes[i] and reviewed[i]:
                latest = initial[1:] if len(initial) > 1 else sorted({*initial, extra[i]})
            initial_sets.append(initial)
            latest_sets.append(latest)
        return initial_sets, latest_sets

    # -- conferences, attendance, participation ----------------------------------------------------

    def _conferences(self) -> None:
        gen, g, m, rng, today = self.gen, self.groups, self.m, self.rng, self.today
        ev = gen._events.frame()
        keep = self.kept_group[ev["group"]]
        ev = {name: values[keep] for name, values in ev.items()}
        order = np.lexsort((ev["type"], ev["group"], ev["date"]))
        ev = {name: values[order] for name, values in ev.items()}
        n_events = ev["group"].size
        # Every membership row of an event's case, then only the children still at the meeting.
        members_of_group = np.argsort(m["group"], kind="stable")
        sorted_groups = m["group"][members_of_group]
        lo = np.searchsorted(sorted_groups, ev["group"], side="left")
        hi = np.searchsorted(sorted_groups, ev["group"], side="right")
        sizes = hi - lo
        event_of_row = np.repeat(np.arange(n_events), sizes)
        within = np.arange(event_of_row.size) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        member = members_of_group[np.repeat(lo, sizes) + within]
        date = ev["date"][event_of_row]
        ctype = ev["type"][event_of_row]
        exit_day = m["exit"][member]
        first_meeting = (ctype == T_INITIAL) | (ctype == T_PREBIRTH) | (ctype == T_TRANSFER_IN)
        present = first_meeting | (exit_day == NO_DATE) | (date < exit_day)
        event_of_row, member, date, ctype = (
            event_of_row[present],
            member[present],
            date[present],
            ctype[present],
        )
        # Meetings that still have a subject, numbered in date order.
        has_subject = np.zeros(n_events, dtype=bool)
        has_subject[event_of_row] = True
        meeting_number = np.cumsum(has_subject) - 1
        meeting_ids = _ids("MT", int(has_subject.sum()))
        row_meeting = meeting_number[event_of_row]
        rows = event_of_row.size
        held_mask = date <= today
        group = ev["group"][event_of_row]
        has_plan_group = g["plan_start"][group] != NO_DATE
        ends = ev["ends_plan"][event_of_row].astype(bool)
        outcome = np.full(rows, None, dtype=object)
        initial_like = (ctype == T_INITIAL) | (ctype == T_PREBIRTH)
        outcome[initial_like] = np.where(has_plan_group[initial_like], "plan", "no_plan")
        outcome[ctype == T_TRANSFER_IN] = "plan"
        outcome[ctype == T_REVIEW] = np.where(ends[ctype == T_REVIEW], "plan_ended", "plan_continued")
        outcome[ctype == T_TRANSFER_OUT] = "plan_ended"
        outcome[~held_mask] = None
        born = gen._children.column("born")[m["child"][member]]
        age = _completed_years(born, date)
        chair = self._chair_of(g["chair"][group])
        participation, booklet, advocate = self._participation(age, date, held_mask)
        grading = held_mask & (gen._months_into_last_year(date) >= REPORT_GRADING_START_MONTHS_INTO_LAST_YEAR)
        grade = np.where(grading, self.gen._pick_codes(REPORT_GRADE_WEIGHTS, rows), None)
        shared_in_time = np.where(grading, rng.random(rows) < 0.55, None)
        quorate_by_meeting = self._attendance(meeting_ids, row_meeting, ctype, age, date, held_mask)
        quorate = np.where(held_mask, quorate_by_meeting[row_meeting], None)
        late_reason = ev["late_reason"][event_of_row]
        self.tables["conferences"] = pl.DataFrame(
            {
                "conference_id": _strings(_ids("CF", rows)),
                "meeting_id": _strings(meeting_ids[row_meeting]),
                "child_id": _strings(m["child_id"][member]),
                "conference_type": _strings(np.array(TYPE_NAMES, dtype=object)[ctype]),
                "due_date": _dates(ev["due"][event_of_row]),
                "scheduled_date": _dates(date),
                "held_date": _dates(np.where(held_mask, date, NO_DATE)),
                "s47_id": _strings(np.where(initial_like, m["s47_id"][member], None)),
                "plan_id": _strings(np.where(has_plan_group, m["plan_id"][member], None)),
                "notification_date": _dates(np.where(ctype == T_TRANSFER_IN, g["start"][group], NO_DATE)),
                "outcome": _strings(outcome),
                "late_reason": _strings(late_reason),
                "rearrangements": pl.Series(ev["rearranged"][event_of_row], dtype=pl.Int64),
                "chair_id": _strings(chair),
                "quorate": pl.Series(list(quorate), dtype=pl.Boolean),
                "participation_code": _strings(participation),
                "booklet_completed": pl.Series(list(booklet), dtype=pl.Boolean),
                "advocate_used": pl.Series(list(advocate), dtype=pl.Boolean),
                "report_grade": _strings(grade),
                "report_shared_in_time": pl.Series(list(shared_in_time), dtype=pl.Boolean),
            }
        )
        # The database's extras for each meeting: minute taker, venue, the authority a transfer came from.
        meeting_event = np.flatnonzero(has_subject)
        n_meetings = meeting_event.size
        m_type = ev["type"][meeting_event]
        from_authority = np.where(
            m_type == T_TRANSFER_IN,
            np.array(OTHER_AUTHORITIES, dtype=object)[
                rng.integers(0, len(OTHER_AUTHORITIES), size=n_meetings)
            ],
            None,
        )
        self.meetings = pl.DataFrame(
            {
                "meeting_id": _strings(meeting_ids),
                "minute_taker_id": _strings(
                    self.minute_taker_ids[rng.integers(0, self.minute_taker_ids.size, size=n_meetings)]
                ),
                "venue": _strings(
                    np.array(VENUES, dtype=object)[rng.integers(0, len(VENUES), size=n_meetings)]
                ),
                "from_authority": _strings(from_authority),
            }
        )
        # Rearrangements: first booked on or just before the due date, then moved to the held date.
        count = ev["rearranged"][meeting_event]
        due = ev["due"][meeting_event]
        final = ev["date"][meeting_event]
        first_booked = gen.rules.working_day_on_or_before(
            np.where(due != NO_DATE, due, final) - rng.integers(0, 4, size=n_meetings)
        )
        middle = gen.rules.working_day_on_or_before((first_booked + final) // 2)
        rows_meeting, rows_from, rows_to, rows_reason = [], [], [], []
        once = count >= 1
        twice = count >= 2
        reason = ev["late_reason"][meeting_event]
        rows_meeting += [meeting_ids[twice], meeting_ids[once]]
        rows_from += [first_booked[twice], np.where(twice, middle, first_booked)[once]]
        rows_to += [middle[twice], final[once]]
        rows_reason += [reason[twice], reason[once]]
        rearrangements = pl.DataFrame(
            {
                "meeting_id": _strings(np.concatenate(rows_meeting)),
                "from_date": _dates(np.concatenate(rows_from)),
                "to_date": _dates(np.concatenate(rows_to)),
                "reason": _strings(np.concatenate(rows_reason)),
            }
        )
        self.rearrangements = rearrangements.filter(pl.col("from_date") < pl.col("to_date")).sort(
            "meeting_id", "from_date"
        )
        # A booking moved to a date no later than the first one is no rearrangement: count what is left.
        counted = self.rearrangements.group_by("meeting_id").len("moved")
        self.tables["conferences"] = (
            self.tables["conferences"]
            .join(counted, on="meeting_id", how="left", maintain_order="left")
            .with_columns(pl.col("moved").fill_null(0).alias("rearrangements"))
            .drop("moved")
        )
        self.meeting_rows = {"member": member, "date": date, "type": ctype, "held": held_mask}

    def _participation(
        self, age: np.ndarray, date: np.ndarray, held: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        rng = self.rng
        ages = self.gen.config.participation
        n = age.size
        u = rng.random(n)
        code = np.full(n, None, dtype=object)
        code[age < 4] = "PN0"
        young = (age >= 4) & (age < ages.booklet_from)
        code[young] = np.where(u[young] < 0.4, "PN6", "PN7")
        middle = (age >= ages.booklet_from) & (age < ages.advocacy_from)
        code[middle] = np.where(u[middle] < 0.55, "PN6", "PN7")
        advocacy_open = self.gen._months_into_last_year(date) >= ADVOCACY_START_MONTHS_INTO_LAST_YEAR
        older = age >= ages.advocacy_from
        advocate = older & advocacy_open & (rng.random(n) < 0.18)
        can_attend = age >= ages.attendance_from
        code[older] = np.select(
            [u[older] < 0.07 * can_attend[older], u[older] < 0.1 * can_attend[older], u[older] < 0.6],
            ["PN1", "PN4", "PN6"],
            "PN7",
        )
        code[advocate] = np.where(can_attend[advocate] & (u[advocate] < 0.3), "PN2", "PN5")
        booklet = np.where(age >= ages.booklet_from, rng.random(n) < 0.35, None)
        advocate_used = np.where(older, advocate, None)
        code[~held] = None
        booklet[~held] = None
        advocate_used[~held] = None
        return code, booklet, advocate_used

    def _attendance(
        self,
        meeting_ids: np.ndarray,
        row_meeting: np.ndarray,
        ctype: np.ndarray,
        age: np.ndarray,
        date: np.ndarray,
        held: np.ndarray,
    ) -> np.ndarray:
        """Agency rows per held meeting; returns whether each meeting was quorate."""
        rng = self.rng
        n_meetings = meeting_ids.size
        under_five = np.zeros(n_meetings, dtype=bool)
        school = np.zeros(n_meetings, dtype=bool)
        nursery = np.zeros(n_meetings, dtype=bool)
        np.logical_or.at(under_five, row_meeting, age < 5)
        np.logical_or.at(school, row_meeting, age >= 5)
        np.logical_or.at(nursery, row_meeting, (age >= 2) & (age < 5))
        meeting_type = np.zeros(n_meetings, dtype=np.int64)
        meeting_type[row_meeting] = ctype
        meeting_held = np.zeros(n_meetings, dtype=bool)
        meeting_held[row_meeting] = held
        kind = np.select(
            [(meeting_type == T_INITIAL) | (meeting_type == T_PREBIRTH), meeting_type == T_TRANSFER_IN],
            ["initial", "transfer_in"],
            "review",
        )
        other_present = rng.random(n_meetings) < 0.4
        other_agency = np.array(OTHER_AGENCIES, dtype=object)[
            rng.integers(0, len(OTHER_AGENCIES), size=n_meetings)
        ]
        agency_rows: list[tuple[np.ndarray, np.ndarray | str, str]] = [
            (meeting_held, "social_care", "social_care"),
            (meeting_held, "police", "police"),
            (meeting_held & under_five, "health_visitor", "health"),
            (meeting_held & school, "school_nurse", "health"),
            (meeting_held & (meeting_type == T_PREBIRTH), "midwife", "health"),
            (meeting_held & (rng.random(n_meetings) < 0.25), "gp", "health"),
            (meeting_held & school, "school", "education"),
            (meeting_held & nursery, "nursery", "education"),
            (meeting_held & other_present, other_agency, "other"),
        ]
        parts_meeting, parts_agency, parts_invited, parts_attended, parts_report = [], [], [], [], []
        for present, agency, agency_group in agency_rows:
            idx = np.flatnonzero(present)
            size = idx.size
            if agency_group == "social_care":
                attended = rng.random(size) < 0.99
                report = rng.random(size) < 0.97
                invited = np.ones(size, dtype=bool)
            else:
                outcome = np.zeros(size, dtype=np.int64)
                for conference_kind in ("initial", "transfer_in", "review"):
                    sel = kind[idx] == conference_kind
                    outcome[sel] = rng.choice(
                        4, size=int(sel.sum()), p=ATTENDANCE[(agency_group, conference_kind)]
                    )
                attended = outcome <= 1
                report = (outcome == 0) | (outcome == 2)
                not_invited_kinds = NOT_INVITED_WHEN_ABSENT.get(agency_group, set())
                invited = ~((outcome == 3) & np.isin(kind[idx], list(not_invited_kinds)))
            parts_meeting.append(idx)
            parts_agency.append(
                agency[idx] if isinstance(agency, np.ndarray) else np.full(size, agency, dtype=object)
            )
            parts_invited.append(invited)
            parts_attended.append(attended)
            parts_report.append(report)
        meeting = np.concatenate(parts_meeting)
        agency_all = np.concatenate(parts_agency)
        attended_all = np.concatenate(parts_attended)
        order = np.lexsort((np.arange(meeting.size), meeting))
        self.tables["attendance"] = pl.DataFrame(
            {
                "meeting_id": _strings(meeting_ids[meeting[order]]),
                "agency": _strings(agency_all[order]),
                "invited": pl.Series(np.concatenate(parts_invited)[order]),
                "attended": pl.Series(attended_all[order]),
                "report_submitted": pl.Series(np.concatenate(parts_report)[order]),
            }
        )
        # Quoracy by the authority's rule, over the agencies that attended each meeting.
        rule = self.gen.config.quoracy
        attended_sets: list[set[str]] = [set() for _ in range(n_meetings)]
        for mtg, agency, came in zip(
            meeting.tolist(), agency_all.tolist(), attended_all.tolist(), strict=True
        ):
            if came:
                attended_sets[mtg].add(agency)
        return np.array([rule.is_quorate(s) for s in attended_sets], dtype=bool)

    # -- children ------------------------------------------------------------------------------------

    def _children_table(self) -> None:
        c, m, g, rng, today = self.children, self.m, self.groups, self.rng, self.today
        n = self.child_ids.size
        born_known = (c["born"] != NO_DATE) & (c["born"] <= today)
        date_of_birth = np.where(born_known, c["born"], NO_DATE)
        sex = np.where(born_known, c["sex"], "U")
        first_u = rng.integers(0, 1 << 30, size=n)
        first = np.where(
            sex == "F",
            self.female_names[first_u % self.female_names.size],
            self.male_names[first_u % self.male_names.size],
        )
        first = np.where(born_known, first, None)
        family_number = self.family_number[c["family"]]
        last = self.family_surname[family_number]
        age_today = _completed_years(date_of_birth, np.full(n, today))
        school_age = age_today >= 5
        upn = np.array(
            [_upn(self.gen.config.la_code, i + 1) if school_age[i] else None for i in range(n)], dtype=object
        )
        upn_unknown = np.where(school_age, None, "UN1")
        # The team now: from the child's latest case (rows are in child, start order).
        last_row = np.r_[np.flatnonzero(np.diff(m["number"])), m["number"].size - 1]
        group = m["group"][last_row]
        open_plan = m["has_plan"][last_row] & (m["plan_end"][last_row] == NO_DATE)
        plan_age = today - g["plan_start"][group]
        service = np.where(
            open_plan & (plan_age >= 540),
            "Permanence",
            np.where(m["has_plan"][last_row] & ~(open_plan & (plan_age < 90)), "Care planning", "Assessment"),
        )
        team = np.empty(n, dtype=np.int64)
        for name in ("Assessment", "Care planning", "Permanence"):
            sel = service == name
            team[sel] = self._team_of(
                name, g["care_team" if name != "Assessment" else "assessment_team"][group[sel]]
            )
        self.tables["children"] = pl.DataFrame(
            {
                "child_id": _strings(self.child_ids),
                "family_id": _strings(self.family_ids[family_number]),
                "first_name": _strings(first),
                "last_name": _strings(last),
                "sex": _strings(sex),
                "date_of_birth": _dates(date_of_birth),
                "expected_date_of_birth": _dates(c["expected"]),
                "ethnicity": _strings(c["ethnicity"]),
                "disabilities": pl.Series([[d] for d in c["disability"]], dtype=pl.List(pl.String)),
                "upn": _strings(upn),
                "upn_unknown": _strings(upn_unknown),
                "team": _strings(self.team_names[team]),
            }
        )
        worker = np.array(
            [
                self.social_workers_by_team[t][u % self.social_workers_by_team[t].size]
                for t, u in zip(team, first_u, strict=True)
            ],
            dtype=object,
        )
        self.allocations = pl.DataFrame(
            {"child_id": _strings(self.child_ids), "social_worker_id": _strings(worker)}
        )

    # -- quality assurance ---------------------------------------------------------------------------

    def _open_plan_rows(self, days: np.ndarray) -> np.ndarray:
        """For each day, a random membership row whose plan is open that day (-1 if none)."""
        m, g, rng = self.m, self.groups, self.rng
        rows = np.flatnonzero(m["has_plan"])
        starts = g["plan_start"][m["group"][rows]]
        order = np.argsort(starts, kind="stable")
        rows, starts = rows[order], starts[order]
        ends = np.where(m["plan_end"][rows] == NO_DATE, self.today + 1, m["plan_end"][rows])
        upper = np.searchsorted(starts, days, side="right")
        picked = np.full(days.size, -1, dtype=np.int64)
        pending = np.flatnonzero(upper > 0)
        for _ in range(200):
            if not pending.size:
                break
            candidate = (rng.random(pending.size) * upper[pending]).astype(np.int64)
            ok = ends[candidate] > days[pending]
            picked[pending[ok]] = rows[candidate[ok]]
            pending = pending[~ok]
        return picked

    def _working_days_in(self, first: int, last: int, count: int) -> np.ndarray:
        gen = self.gen
        span = gen.days[(gen.days >= first) & (gen.days <= last) & gen.is_working]
        if not span.size or count <= 0:
            return np.zeros(0, dtype=np.int64)
        return np.sort(span[self.rng.integers(0, span.size, size=count)])

    def _yearly(self, last_year_count: float, earlier_count: float) -> np.ndarray:
        """Working days spread over each reporting year (and on to today), at each year's rate."""
        gen = self.gen
        out = []
        year = gen.years[0]
        while year.start <= gen.today_date:
            first, last = _day(year.start), min(_day(year.end), self.today)
            share = (last - first + 1) / (_day(year.end) - first + 1)
            per_year = last_year_count if year.first_year >= gen.last_year.first_year else earlier_count
            out.append(self._working_days_in(first, last, round(per_year * gen.scale * share)))
            year = ReportingYear(year.first_year + 1)
        return np.concatenate(out) if out else np.zeros(0, dtype=np.int64)

    def _oversight(self) -> None:
        self._escalations()
        self._concern_notes()
        self._repeat_plan_reviews()
        self._midway_reviews()

    def _escalations(self) -> None:
        m, g, rng, gen = self.m, self.groups, self.rng, self.gen
        raised = self._yearly(ESCALATIONS_LAST_YEAR, ESCALATIONS_EARLIER_YEAR)
        row = self._open_plan_rows(raised)
        raised, row = raised[row >= 0], row[row >= 0]
        n = raised.size
        group = m["group"][row]
        # About one in seven is a second escalation about a family already escalated, if still on a plan.
        plan_end = np.where(m["plan_end"] == NO_DATE, self.today + 1, m["plan_end"])
        for i in range(1, n):
            if rng.random() < 0.15:
                j = int(rng.integers(0, i))
                if plan_end[row[j]] > raised[i] and group[j] != group[i]:
                    row[i], group[i] = row[j], group[j]
        stage_raised = np.where(rng.random(n) < 2 / 26, 2, 1)
        u = rng.random(n)
        # Stage 1: 16 of 24 resolved there, 4 taken to stage 2 and resolved there, 4 still open.
        resolved_stage = np.where(
            stage_raised == 1, np.select([u < 16 / 24, u < 20 / 24], [1, 2], 0), np.where(u < 0.5, 2, 0)
        )
        stage_reached = np.where(resolved_stage == 2, 2, stage_raised)
        first_response = gen.rules.add_working_days(raised, rng.integers(3, 16, size=n))
        resolved = np.where(
            resolved_stage == 0,
            NO_DATE,
            np.where(
                (resolved_stage == 2) & (stage_raised == 1),
                gen.rules.add_working_days(first_response, rng.integers(5, 21, size=n)),
                first_response,
            ),
        )
        late = resolved > self.today
        resolved_stage = np.where(late, 0, resolved_stage)
        resolved = np.where(late, NO_DATE, resolved)
        ids = _ids("ESC", n, width=5)
        reason_codes = list(ESCALATION_REASON_WEIGHTS)
        p = np.array(list(ESCALATION_REASON_WEIGHTS.values()), dtype=float)
        reasons = []
        for _ in range(n):
            k = int(rng.integers(1, 4))
            reasons.append(sorted(rng.choice(reason_codes, size=k, replace=False, p=p / p.sum()).tolist()))
        onward = [
            [str(rng.choice(list(codes.ESCALATION_ONWARD_REASON)))] if reached > raised_at else []
            for reached, raised_at in zip(stage_reached, stage_raised, strict=True)
        ]
        self.tables["escalations"] = pl.DataFrame(
            {
                "escalation_id": _strings(ids),
                "family_id": _strings(m["family_id"][row]),
                "raised_date": _dates(raised),
                "raised_by": _strings(self._chair_of(g["chair"][group])),
                "stage_raised": pl.Series(stage_raised, dtype=pl.Int64),
                "stage_reached": pl.Series(stage_reached, dtype=pl.Int64),
                "resolved_stage": pl.Series([int(s) if s else None for s in resolved_stage], dtype=pl.Int64),
                "resolved_date": _dates(resolved),
                "reasons": pl.Series(reasons, dtype=pl.List(pl.String)),
                "onward_reasons": pl.Series(onward, dtype=pl.List(pl.String)),
            }
        )
        # The children of the case still on the plan that day.
        on_plan = m["has_plan"]
        link_escalation, link_child = [], []
        by_group = np.argsort(m["group"], kind="stable")
        sorted_group = m["group"][by_group]
        for i in range(n):
            lo, hi = (
                np.searchsorted(sorted_group, group[i]),
                np.searchsorted(sorted_group, group[i], side="right"),
            )
            for r in by_group[lo:hi]:
                if on_plan[r] and plan_end[r] > raised[i]:
                    link_escalation.append(ids[i])
                    link_child.append(m["child_id"][r])
        self.tables["escalation_children"] = pl.DataFrame(
            {
                "escalation_id": pl.Series(link_escalation, dtype=pl.String),
                "child_id": pl.Series(link_child, dtype=pl.String),
            }
        )

    def _concern_notes(self) -> None:
        m, g = self.m, self.groups
        days_parts, kind_parts = [], []
        for kind in codes.CONCERN_NOTE_KIND:
            days = self._yearly(CONCERN_NOTES_LAST_YEAR[kind], CONCERN_NOTES_EARLIER_YEAR[kind])
            days_parts.append(days)
            kind_parts.append(np.full(days.size, kind, dtype=object))
        days = np.concatenate(days_parts)
        kind = np.concatenate(kind_parts)
        row = self._open_plan_rows(days)
        keep = row >= 0
        days, kind, row = days[keep], kind[keep], row[keep]
        order = np.lexsort((kind, days))
        days, kind, row = days[order], kind[order], row[order]
        chair = self._chair_of(g["chair"][m["group"][row]])
        author = np.where(
            (kind == "qa_case_note") & (self.rng.random(days.size) < 0.5), self.qa_manager_id, chair
        )
        # One note per author, child, kind and day.
        key = np.char.add(np.char.add(kind.astype(str), m["child_id"][row].astype(str)), author.astype(str))
        _, first = np.unique(np.char.add(key, days.astype(str)), return_index=True)
        once = np.sort(first)
        days, kind, row, author = days[once], kind[once], row[once], author[once]
        self.tables["concern_notes"] = pl.DataFrame(
            {
                "note_id": _strings(_ids("NOTE", days.size)),
                "child_id": _strings(m["child_id"][row]),
                "family_id": _strings(m["family_id"][row]),
                "kind": _strings(kind),
                "recorded_date": _dates(days),
                "author_id": _strings(author),
            }
        )

    def _repeat_plan_reviews(self) -> None:
        m, g, gen = self.m, self.groups, self.gen
        rows = np.flatnonzero(m["has_plan"] & (m["previous_plans"] > 0))
        start = g["plan_start"][m["group"][rows]]
        reviewed = gen.rules.working_day_on_or_after(start + self.rng.integers(7, 36, size=rows.size))
        done = reviewed <= self.today
        rows, reviewed = rows[done], reviewed[done]
        group = m["group"][rows]
        findings = np.array(list(REPEAT_FINDING_WEIGHTS), dtype=object)
        weights = np.cumsum(list(REPEAT_FINDING_WEIGHTS.values()), dtype=float)
        weights /= weights[-1]
        # One finding per family's case, as the QA manager reviews the family together.
        finding = findings[
            np.minimum(np.searchsorted(weights, g["repeat_finding"][group], side="right"), findings.size - 1)
        ]
        finding = np.where(g["previous_end_kind"][group] == END_TRANSFER_OUT, "moved_away_returned", finding)
        finding = np.where(m["external_only"][rows], "over_5_years", finding)
        self.tables["repeat_plan_reviews"] = pl.DataFrame(
            {
                "review_id": _strings(_ids("RPR", rows.size, width=6)),
                "plan_id": _strings(m["plan_id"][rows]),
                "child_id": _strings(m["child_id"][rows]),
                "family_id": _strings(m["family_id"][rows]),
                "reviewed_date": _dates(reviewed),
                "finding": _strings(finding),
            }
        )

    def _midway_reviews(self) -> None:
        m, g, gen, rng, today = self.m, self.groups, self.gen, self.rng, self.today
        mid = gen._midway.frame()
        keep = self.kept_group[mid["group"]]
        group, previous, next_due = mid["group"][keep], mid["previous"][keep], mid["next_due"][keep]
        due = gen.rules.each_pair(timescales.midway_review_due, previous, next_due)
        first = _day(add_months(gen.last_year.start, MIDWAY_START_MONTHS_INTO_LAST_YEAR))
        keep = (due >= first) & (due <= today + BOOKED_AHEAD_DAYS)
        group, due = group[keep], due[keep]
        # Per child of the case still on the plan on the due date.
        by_group = np.argsort(m["group"], kind="stable")
        sorted_group = m["group"][by_group]
        lo = np.searchsorted(sorted_group, group, side="left")
        hi = np.searchsorted(sorted_group, group, side="right")
        sizes = hi - lo
        review_of_row = np.repeat(np.arange(group.size), sizes)
        within = np.arange(review_of_row.size) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        row = by_group[np.repeat(lo, sizes) + within]
        row_due = due[review_of_row]
        plan_end = np.where(m["plan_end"][row] == NO_DATE, today + BOOKED_AHEAD_DAYS + 1, m["plan_end"][row])
        on_plan = m["has_plan"][row] & (plan_end > row_due)
        row, row_due, review_of_row = row[on_plan], row_due[on_plan], review_of_row[on_plan]
        held_day = gen.rules.working_day_on_or_after(row_due - rng.integers(0, 8, size=row.size))
        held_review = rng.random(group.size) < MIDWAY_HELD
        held = np.where(held_review[review_of_row] & (held_day <= today), held_day, NO_DATE)
        order = np.lexsort((m["child_id"][row], row_due))
        row, row_due, held, review_of_row = row[order], row_due[order], held[order], review_of_row[order]
        self.tables["midway_reviews"] = pl.DataFrame(
            {
                "midway_id": _strings(_ids("MID", row.size)),
                "plan_id": _strings(m["plan_id"][row]),
                "child_id": _strings(m["child_id"][row]),
                "due_date": _dates(row_due),
                "held_date": _dates(held),
                "chair_id": _strings(self._chair_of(g["chair"][group[review_of_row]])),
            }
        )


class _Columns:
    """Named numpy columns that grow by appending whole arrays, and can be changed in place."""

    def __init__(self) -> None:
        self._parts: dict[str, list[np.ndarray]] = {}
        self._whole: dict[str, np.ndarray] | None = None

    def add(self, **columns: np.ndarray) -> None:
        lengths = {len(values) for values in columns.values()}
        if len(lengths) != 1 or (self._parts and set(columns) != set(self._parts)):
            raise ValueError("every batch gives every column, all of one length")
        for name, values in columns.items():
            self._parts.setdefault(name, []).append(np.asarray(values))
        self._whole = None

    def frame(self) -> dict[str, np.ndarray]:
        if self._whole is None:
            self._whole = {name: np.concatenate(parts) for name, parts in self._parts.items()}
            # Keep the joined arrays as the only part, so changes made through `set` persist.
            self._parts = {name: [values] for name, values in self._whole.items()}
        return self._whole

    @property
    def size(self) -> int:
        return len(next(iter(self.frame().values()))) if self._parts else 0

    def column(self, name: str) -> np.ndarray:
        return self.frame()[name]

    def set(self, name: str, rows: np.ndarray, values: np.ndarray) -> None:
        self.frame()[name][rows] = values
