"""The generator: seeded draws over the simulated span, case by case, generation by generation."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

import numpy as np
from faker import Faker

from cpqa.domain.calendar import ReportingYear
from cpqa.domain.config import AuthorityConfig
from cpqa.synthetic.arrivals import Arrivals
from cpqa.synthetic.columns import Columns
from cpqa.synthetic.course import CaseCourse
from cpqa.synthetic.dates import DateRules, day_number
from cpqa.synthetic.plans import PlanCourse
from cpqa.synthetic.shape import HISTORY_BEFORE_FIRST_YEAR_DAYS, WARM_UP_YEARS
from cpqa.synthetic.span import DayTables


class Generator(DayTables, Arrivals, CaseCourse, PlanCourse):
    """The simulation: seeded draws, the span's day tables, and the cases run forward.

    Its parts live in their own modules and share this object's state: `DayTables` (span.py),
    `Arrivals` (arrivals.py), `CaseCourse` (course.py) and `PlanCourse` (plans.py). What they
    make is kept in `Columns`: children, groups (one per case), group children, events
    (conferences) and midway-review dates, which `Assembler` then turns into tables.
    """

    def __init__(self, seed: int, scale: float, years: tuple[ReportingYear, ...], today: dt.date) -> None:
        self.py_random = random.Random(seed)
        self.rng = np.random.default_rng(self.py_random.getrandbits(64))
        self.faker = Faker("en_GB")
        self.faker.seed_instance(seed)
        self.scale = scale
        self.years = years
        self.config = AuthorityConfig()
        self.rules = DateRules(self.config.calendar)
        self.today = day_number(today)
        self.today_date = today
        self.last_year = years[-1]
        self.last_year_start = day_number(self.last_year.start)
        self.first_day = day_number(years[0].start) - 365 * WARM_UP_YEARS
        self.history_start = day_number(years[0].start) - HISTORY_BEFORE_FIRST_YEAR_DAYS
        # Day-indexed tables over the whole simulated span (plus a year for booked dates).
        self.span_end = self.today + 400
        self._build_day_tables()

    # -- small random helpers --------------------------------------------------------------------

    def _pick(self, weights: dict | Sequence[float], n: int) -> np.ndarray:
        values = np.asarray(list(weights.values()) if isinstance(weights, dict) else weights, dtype=float)
        return self.rng.choice(values.size, size=n, p=values / values.sum())

    def _pick_codes(self, weights: dict[str, float], n: int) -> np.ndarray:
        keys = np.array(list(weights), dtype=object)
        return keys[self._pick(weights, n)]

    def _uniform_days(self, low: int, high: int, n: int) -> np.ndarray:
        return self.rng.integers(low, high + 1, size=n)

    # -- build ---------------------------------------------------------------------------------

    def build(self) -> None:
        """Simulate every case; `Assembler` then turns the simulation into tables."""
        self._children = Columns()
        self._groups = Columns()
        self._group_children = Columns()
        self._events = Columns()
        self._midway = Columns()
        self._families = 0
        cases = self._arrivals()
        generation = 0
        # Each return comes at least RETURN_GAP_MIN_DAYS after the last, so a dozen rounds covers
        # any span simulated here; the bound only guards against a runaway.
        while len(cases) and generation < 12:
            cases = self._run(cases)
            generation += 1
