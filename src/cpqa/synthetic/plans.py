"""A plan's course: reviews on the timescale rules until it ends, and children leaving it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cpqa.domain import timescales
from cpqa.domain.calendar import add_months
from cpqa.synthetic.dates import NO_DATE, completed_years
from cpqa.synthetic.shape import (
    BOOKED_AHEAD_DAYS,
    END_REVIEW,
    END_TRANSFER_OUT,
    LATE_REASONS_REVIEW,
    LOOKED_AFTER_PER_YEAR,
    PLAN_ENDS_AT_REVIEW,
    REVIEW_LATE,
    T_REVIEW,
    T_TRANSFER_OUT,
    TRANSFER_OUT_PER_YEAR,
)


class PlanCourse:
    """Reviews, transfers out and leaving the plan (a part of `Generator`)."""

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
        ending = _Endings(np.full(n, NO_DATE, dtype=np.int64), end_kind, end_day)
        on_plan = plan_start != NO_DATE
        # School-aged: anyone in the group 4 or over when the plan starts.
        born = self._children.column("born")[members["child"]]
        age = completed_years(born, np.where(on_plan, plan_start, 0)[members["group_pos"]])
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
            active = self._review_round(k, group, active, previous, school_aged, transfer_out, ending)
            k += 1

        self._leaving_the_plan(members, plan_start, ending.plan_end, born)
        return ending.plan_end, ending.end_kind, ending.end_day

    def _review_round(
        self,
        k: int,
        group: np.ndarray,
        active: np.ndarray,
        previous: np.ndarray,
        school_aged: np.ndarray,
        transfer_out: np.ndarray,
        ending: _Endings,
    ) -> np.ndarray:
        """The k-th review of every plan still active; returns the plans that carry on after it."""
        if k == 0:
            due = self.rules.each(timescales.first_review_due, previous[active])
        else:
            due = self.rules.each(timescales.next_review_due, previous[active])
        self._midway.add(group=group[active], previous=previous[active], next_due=due)
        held, reason, rearranged = self._review_dates(due, previous[active], school_aged[active])
        leaves = transfer_out[active] < held
        self._transfer_out_before_review(group, active[leaves], transfer_out, ending)
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
        ending.close(active[ends & happened], held[ends & happened], END_REVIEW)
        carry_on = happened & ~ends
        previous[active[carry_on]] = held[carry_on]
        return active[carry_on]

    def _transfer_out_before_review(
        self, group: np.ndarray, leaving: np.ndarray, transfer_out: np.ndarray, ending: _Endings
    ) -> None:
        # A transfer out before the review ends the plan there if it has happened by today,
        # and is booked if it is in the next four weeks.
        out = leaving[transfer_out[leaving] <= self.today + BOOKED_AHEAD_DAYS]
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
        ending.close(gone, transfer_out[gone], END_TRANSFER_OUT)

    def _leaving_the_plan(
        self, members: dict[str, np.ndarray], plan_start: np.ndarray, plan_end: np.ndarray, born: np.ndarray
    ) -> None:
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


@dataclass
class _Endings:
    """Each case's plan end, and how (END_*) and when the case ended, filled in as plans end."""

    plan_end: np.ndarray
    end_kind: np.ndarray
    end_day: np.ndarray

    def close(self, cases: np.ndarray, day: np.ndarray, how: int) -> None:
        self.plan_end[cases] = day
        self.end_kind[cases] = how
        self.end_day[cases] = day
