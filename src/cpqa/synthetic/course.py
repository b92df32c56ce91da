"""Running each case forward: the enquiry, the first conference and its outcome, the return."""

from __future__ import annotations

import numpy as np

from cpqa.domain import timescales
from cpqa.synthetic.arrivals import Cases
from cpqa.synthetic.columns import rows_matching
from cpqa.synthetic.dates import NO_DATE, completed_years
from cpqa.synthetic.shape import (
    BOOKED_AHEAD_DAYS,
    END_NO_PLAN,
    END_OPEN,
    END_PENDING,
    END_REVIEW,
    END_S47_ONLY,
    END_TRANSFER_OUT,
    ICPC_IN_TIME_EARLIER,
    ICPC_IN_TIME_LAST_YEAR,
    ICPC_IN_TIME_LATER,
    KIND_INITIAL,
    KIND_PREBIRTH,
    KIND_S47_ONLY,
    KIND_TRANSFER_IN,
    LATE_REASONS_BEFORE_JANUARY,
    LATE_REASONS_FROM_JANUARY,
    LATE_REASONS_TRANSFER_IN,
    PLAN_SHARE_LAST_YEAR,
    PLAN_SHARE_OTHER_YEARS,
    PLAN_SHARE_PREBIRTH,
    PREBIRTH_BAND_DAYS,
    PREBIRTH_BAND_SHARES,
    RETURN_CHANCE,
    RETURN_GAP_MEAN_EXTRA_DAYS,
    RETURN_GAP_MIN_DAYS,
    RETURN_IS_S47_ONLY,
    T_INITIAL,
    T_PREBIRTH,
    T_TRANSFER_IN,
    TRANSFER_IN_IN_TIME_EARLIER,
    TRANSFER_IN_IN_TIME_LAST_YEAR,
)


class CaseCourse:
    """One generation of cases run forward (a part of `Generator`)."""

    def _run(self, cases: Cases) -> Cases:
        cases, members = self._cases_with_children(cases)
        n = len(cases)
        group = np.arange(self._groups.size, self._groups.size + n)
        members["group"] = group[members["group_pos"]]
        kind = cases.kind
        due, first_held, late_reason, rearranged, s47_done = self._enquiry(kind, cases.start)
        self._prebirth_dates(kind, first_held, members)
        conference_held, has_plan = self._first_outcome(kind, first_held)
        plan_start = np.where(has_plan, first_held, NO_DATE)
        # Every group has its chair for the whole case (continuity), and its teams.
        chair = self.rng.random(n)
        assessment_team = self.rng.random(n)
        care_team = self.rng.random(n)
        end_kind, end_day = self._ends_without_plan(kind, first_held, s47_done, conference_held, has_plan)
        self._book_first_conference(group, kind, due, first_held, late_reason, rearranged)

        plan_end, end_kind, end_day = self._plan_course(group, plan_start, members, end_kind, end_day)

        self._groups.add(
            kind=kind,
            family=cases.family,
            start=cases.start,
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

    def _cases_with_children(self, cases: Cases) -> tuple[Cases, dict[str, np.ndarray]]:
        """The cases that have a child to be about, and each case's children (its members)."""
        children = self._children.frame()
        # The case's children: the family's, still under 18 when the case starts, not looked after.
        members = self._members(cases, children)
        with_children = np.bincount(members["group_pos"], minlength=len(cases)) > 0
        if not with_children.all():
            keep = np.flatnonzero(with_children)
            cases = Cases(
                cases.family[keep], cases.kind[keep], cases.start[keep], cases.previous_end_kind[keep]
            )
            members = self._members(cases, children)
        return cases, members

    def _enquiry(
        self, kind: np.ndarray, start: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The first conference's due date, held date, late reason and rearrangements, and the
        day the section 47 enquiry was completed."""
        n = kind.size
        is_initial = _initial(kind)
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
        return due, first_held, late_reason, rearranged, s47_done

    def _prebirth_dates(
        self, kind: np.ndarray, first_held: np.ndarray, members: dict[str, np.ndarray]
    ) -> None:
        # Pre-birth babies: the expected date from the band, the birth near it and after the conference.
        n = kind.size
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

    def _first_outcome(self, kind: np.ndarray, first_held: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Outcome of the first conference: whether it has been held, and whether it made a plan."""
        n = kind.size
        transfer = kind == KIND_TRANSFER_IN
        conference_held = (_initial(kind) | transfer) & (first_held <= self.today)
        months_in = self._months_into_last_year(first_held)
        plan_share = np.where(
            (months_in >= 0) & (months_in < 12),
            np.array(PLAN_SHARE_LAST_YEAR)[np.clip(months_in, 0, 11)],
            PLAN_SHARE_OTHER_YEARS,
        )
        plan_share = np.where(kind == KIND_PREBIRTH, PLAN_SHARE_PREBIRTH, plan_share)
        plan_share = np.where(transfer, 1.0, plan_share)
        has_plan = conference_held & (self.rng.random(n) < plan_share)
        return conference_held, has_plan

    def _ends_without_plan(
        self,
        kind: np.ndarray,
        first_held: np.ndarray,
        s47_done: np.ndarray,
        conference_held: np.ndarray,
        has_plan: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray]:
        """How and when each case ended before any plan (END_OPEN where it has a plan or is open)."""
        n = kind.size
        is_initial = _initial(kind)
        transfer = kind == KIND_TRANSFER_IN
        only = kind == KIND_S47_ONLY
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
        return end_kind, end_day

    def _book_first_conference(
        self,
        group: np.ndarray,
        kind: np.ndarray,
        due: np.ndarray,
        first_held: np.ndarray,
        late_reason: np.ndarray,
        rearranged: np.ndarray,
    ) -> None:
        # The first conference as an event (held, or booked within the next four weeks).
        transfer = kind == KIND_TRANSFER_IN
        first_type = np.select(
            [kind == KIND_INITIAL, kind == KIND_PREBIRTH, transfer],
            [T_INITIAL, T_PREBIRTH, T_TRANSFER_IN],
            -1,
        )
        booked = (_initial(kind) | transfer) & (first_held <= self.today + BOOKED_AHEAD_DAYS)
        self._add_events(
            group[booked],
            first_type[booked],
            due[booked],
            first_held[booked],
            late_reason[booked],
            rearranged[booked],
            ends_plan=np.zeros(int(booked.sum()), dtype=bool),
        )

    def _members(self, cases: Cases, children: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        group_pos, child = rows_matching(children["family"], cases.family)
        start = cases.start[group_pos]
        age = completed_years(children["born"][child], start)
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

    def _returns(
        self,
        group: np.ndarray,
        cases: Cases,
        end_kind: np.ndarray,
        end_day: np.ndarray,
        members: dict[str, np.ndarray],
    ) -> Cases:
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
        return Cases(
            family=cases.family[idx], kind=kind[idx], start=start[idx], previous_end_kind=end_kind[idx]
        )


def _initial(kind: np.ndarray) -> np.ndarray:
    """Cases brought to an initial conference (pre-birth ones included)."""
    return (kind == KIND_INITIAL) | (kind == KIND_PREBIRTH)
