"""Families arriving as cases, at rates shaped by the seed report, and their children."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cpqa.synthetic.dates import NO_DATE
from cpqa.synthetic.shape import (
    CHILDREN_PER_CASE,
    DISABILITY_WEIGHTS,
    ETHNICITY_WEIGHTS,
    EXTERNAL_PREVIOUS_PLAN,
    KIND_INITIAL,
    KIND_PREBIRTH,
    KIND_S47_ONLY,
    KIND_TRANSFER_IN,
    PACE_EARLIER_YEARS,
    PACE_LAST_YEAR_FIRST_QUARTER,
    PACE_TRANSFER_IN_EARLIER_YEARS,
    RATE_INITIAL_CASES,
    RATE_PREBIRTH_CASES,
    RATE_S47_ONLY_CASES,
    RATE_TRANSFER_IN_CASES,
    TRANSFER_IN_CHILDREN_PER_CASE,
    YOUNGEST_AGE_WEIGHTS,
)


@dataclass
class Cases:
    """One row per case: a family's enquiry, transfer or return, and everything decided for it."""

    family: np.ndarray
    kind: np.ndarray
    start: np.ndarray  # strategy discussion, or the transfer-in notification
    previous_end_kind: np.ndarray  # END_* of the family's previous case, or -1

    def __len__(self) -> int:
        return len(self.kind)


class Arrivals:
    """New families' cases and children (a part of `Generator`)."""

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

    def _arrivals(self) -> Cases:
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
        cases = Cases(family=family, kind=kind, start=start, previous_end_kind=np.full(kind.size, -1))
        self._new_children(cases)
        return cases

    def _new_children(self, cases: Cases) -> None:
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
