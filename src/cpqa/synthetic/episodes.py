"""A child's course through the service as tables: episodes, CIN plans, assessments, enquiries, plans."""

from __future__ import annotations

import numpy as np
import polars as pl

from cpqa.domain import codes
from cpqa.synthetic.columns import date_column, numbered_ids, string_column
from cpqa.synthetic.dates import NO_DATE, completed_years
from cpqa.synthetic.shape import (
    CATEGORY_SETS,
    CHILD_FACTOR_AGE,
    CHILD_FACTOR_WEIGHTS,
    END_NO_PLAN,
    END_REVIEW,
    END_S47_ONLY,
    END_TRANSFER_OUT,
    FAMILY_FACTOR_COUNT,
    FAMILY_FACTOR_WEIGHTS,
    KIND_S47_ONLY,
    KIND_TRANSFER_IN,
    LATEST_CATEGORY_CHANGES,
    REFERRAL_SOURCE_WEIGHTS,
    SIBLINGS_SHARE_CATEGORIES,
)


class Episodes:
    """Memberships of cases and the tables that hang from them (a part of `Assembler`)."""

    def _memberships(self) -> None:
        group, child, exit_reason, start = self._membership_rows()
        n = group.size
        kind = self.groups["kind"][group]
        # Referral and episode closure.
        referral = np.where(kind == KIND_TRANSFER_IN, start, start - self.rng.integers(0, 21, size=n))
        has_plan, plan_end, end_reason = self._plan_end_reasons(group, exit_reason)
        closure, closure_reason, cin_start, cin_end = self._closures(group, plan_end, end_reason)
        self._episode_tables(kind, referral, closure, closure_reason, cin_start, cin_end)
        self._assessments_table(group, child, referral)
        self._s47_table(group, kind, start)
        self._plans_table(group, child, has_plan, end_reason)

    def _membership_rows(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """One row per child per kept case, in (child, case start) order, as `self.m`."""
        gen, g = self.gen, self.groups
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
        self.m = m = {"group": group, "child": child, "exit": exit_day, "number": number}
        m["child_id"] = self.child_ids[number]
        m["family_id"] = self.family_ids[self.family_number[g["family"][group]]]
        m["episode_id"] = numbered_ids("EP", n)
        return group, child, exit_reason, start

    def _plan_end_reasons(
        self, group: np.ndarray, exit_reason: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Whether each row's case reached a plan, and the day and reason the child's plan ended."""
        g, m = self.groups, self.m
        n = group.size
        exit_day = m["exit"]
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
        return has_plan, plan_end, end_reason

    def _closures(
        self, group: np.ndarray, plan_end: np.ndarray, end_reason: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Each episode's closure date and reason, and the CIN plan (start, end) that some have."""
        g, rng, today = self.groups, self.rng, self.today
        n = group.size
        end_kind = g["end_kind"][group]
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
        return closure, closure_reason, cin_start, cin_end

    def _episode_tables(
        self,
        kind: np.ndarray,
        referral: np.ndarray,
        closure: np.ndarray,
        closure_reason: np.ndarray,
        cin_start: np.ndarray,
        cin_end: np.ndarray,
    ) -> None:
        m = self.m
        n = kind.size
        self.tables["episodes"] = pl.DataFrame(
            {
                "episode_id": string_column(m["episode_id"]),
                "child_id": string_column(m["child_id"]),
                "referral_date": date_column(referral),
                "referral_source": string_column(
                    np.where(kind == KIND_TRANSFER_IN, "5C", self.gen._pick_codes(REFERRAL_SOURCE_WEIGHTS, n))
                ),
                "primary_need": string_column(self.gen._pick_codes({"N1": 88, "N4": 6, "N5": 6}, n)),
                "closure_date": date_column(closure),
                "closure_reason": string_column(closure_reason),
                "referral_nfa": pl.Series(np.zeros(n, dtype=bool)),
            }
        )
        cin = np.flatnonzero(cin_start != NO_DATE)
        self.tables["cin_plans"] = pl.DataFrame(
            {
                "cin_plan_id": string_column(numbered_ids("CIN", cin.size)),
                "episode_id": string_column(m["episode_id"][cin]),
                "child_id": string_column(m["child_id"][cin]),
                "start_date": date_column(cin_start[cin]),
                "end_date": date_column(cin_end[cin]),
            }
        )

    def _assessments_table(self, group: np.ndarray, child: np.ndarray, referral: np.ndarray) -> None:
        # Assessment: the family's factors, and an older child's own.
        m, rng = self.m, self.rng
        n = group.size
        assessed = referral + rng.integers(0, 6, size=n)
        authorised = assessed + rng.integers(15, 46, size=n)
        authorised[authorised > self.today] = NO_DATE
        self.tables["assessments"] = pl.DataFrame(
            {
                "assessment_id": string_column(numbered_ids("AS", n)),
                "episode_id": string_column(m["episode_id"]),
                "child_id": string_column(m["child_id"]),
                "start_date": date_column(assessed),
                "authorised_date": date_column(authorised),
                "factors": pl.Series(self._factors(group, child, assessed), dtype=pl.List(pl.String)),
            }
        )

    def _s47_table(self, group: np.ndarray, kind: np.ndarray, start: np.ndarray) -> None:
        # Section 47 enquiries (none for a transfer in).
        g, m, today = self.groups, self.m, self.today
        enquiry = kind != KIND_TRANSFER_IN
        s47_rows = np.flatnonzero(enquiry)
        m["s47_id"] = np.full(group.size, None, dtype=object)
        m["s47_id"][s47_rows] = numbered_ids("S47", s47_rows.size)
        done = g["s47_done"][group]
        self.tables["s47"] = pl.DataFrame(
            {
                "s47_id": string_column(m["s47_id"][s47_rows]),
                "episode_id": string_column(m["episode_id"][s47_rows]),
                "child_id": string_column(m["child_id"][s47_rows]),
                "start_date": date_column(start[s47_rows]),
                "icpc_target_date": date_column(g["due"][group][s47_rows]),
                "icpc_not_required": pl.Series(kind[s47_rows] == KIND_S47_ONLY),
                "completed_date": date_column(np.where(done[s47_rows] <= today, done[s47_rows], NO_DATE)),
            }
        )

    def _plans_table(
        self, group: np.ndarray, child: np.ndarray, has_plan: np.ndarray, end_reason: np.ndarray
    ) -> None:
        # Plans, one per child per case that reached a plan.
        g, m = self.groups, self.m
        n = group.size
        number = m["number"]
        plan_rows = np.flatnonzero(has_plan)
        m["plan_id"] = np.full(n, None, dtype=object)
        m["plan_id"][plan_rows] = numbered_ids("PL", plan_rows.size)
        m["has_plan"] = has_plan
        # Rows are in (child, start) order, so a running count per child gives the earlier plans.
        plan_count = np.cumsum(has_plan)
        first_row_of_child = np.r_[0, np.flatnonzero(np.diff(number)) + 1]
        child_first = np.repeat(first_row_of_child, np.diff(np.r_[first_row_of_child, n]))
        earlier = plan_count - has_plan - (plan_count[child_first] - has_plan[child_first])
        external = self.gen._children.column("external_previous")[child]
        previous = earlier + external
        m["previous_plans"] = previous
        m["external_only"] = (earlier == 0) & (external > 0)
        initial_sets, latest_sets = self._categories(group, plan_rows)
        self.tables["plans"] = pl.DataFrame(
            {
                "plan_id": string_column(m["plan_id"][plan_rows]),
                "episode_id": string_column(m["episode_id"][plan_rows]),
                "child_id": string_column(m["child_id"][plan_rows]),
                "start_date": date_column(g["plan_start"][group][plan_rows]),
                "end_date": date_column(m["plan_end"][plan_rows]),
                "end_reason": string_column(end_reason[plan_rows]),
                "initial_category": string_column(
                    np.array([codes.dfe_category(c) for c in initial_sets], dtype=object)
                ),
                "latest_category": string_column(
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
        age = completed_years(self.gen._children.column("born")[child], on)
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
