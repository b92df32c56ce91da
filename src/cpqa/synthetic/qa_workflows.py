"""The QA workflows: escalations, concern notes, repeat-plan reviews and midway reviews."""

from __future__ import annotations

import numpy as np
import polars as pl

from cpqa.domain import codes, timescales
from cpqa.domain.calendar import ReportingYear, add_months
from cpqa.synthetic.columns import date_column, numbered_ids, rows_matching, string_column
from cpqa.synthetic.dates import NO_DATE, day_number
from cpqa.synthetic.shape import (
    BOOKED_AHEAD_DAYS,
    CONCERN_NOTES_EARLIER_YEAR,
    CONCERN_NOTES_LAST_YEAR,
    END_TRANSFER_OUT,
    ESCALATION_REASON_WEIGHTS,
    ESCALATIONS_EARLIER_YEAR,
    ESCALATIONS_LAST_YEAR,
    MIDWAY_HELD,
    MIDWAY_START_MONTHS_INTO_LAST_YEAR,
    REPEAT_FINDING_WEIGHTS,
)


class QualityAssurance:
    """The QA tables (a part of `Assembler`)."""

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
            first, last = day_number(year.start), min(day_number(year.end), self.today)
            share = (last - first + 1) / (day_number(year.end) - first + 1)
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
        ids = numbered_ids("ESC", n, width=5)
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
                "escalation_id": string_column(ids),
                "family_id": string_column(m["family_id"][row]),
                "raised_date": date_column(raised),
                "raised_by": string_column(self._chair_of(g["chair"][group])),
                "stage_raised": pl.Series(stage_raised, dtype=pl.Int64),
                "stage_reached": pl.Series(stage_reached, dtype=pl.Int64),
                "resolved_stage": pl.Series([int(s) if s else None for s in resolved_stage], dtype=pl.Int64),
                "resolved_date": date_column(resolved),
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
                "note_id": string_column(numbered_ids("NOTE", days.size)),
                "child_id": string_column(m["child_id"][row]),
                "family_id": string_column(m["family_id"][row]),
                "kind": string_column(kind),
                "recorded_date": date_column(days),
                "author_id": string_column(author),
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
                "review_id": string_column(numbered_ids("RPR", rows.size, width=6)),
                "plan_id": string_column(m["plan_id"][rows]),
                "child_id": string_column(m["child_id"][rows]),
                "family_id": string_column(m["family_id"][rows]),
                "reviewed_date": date_column(reviewed),
                "finding": string_column(finding),
            }
        )

    def _midway_reviews(self) -> None:
        m, g, gen, rng, today = self.m, self.groups, self.gen, self.rng, self.today
        mid = gen._midway.frame()
        keep = self.kept_group[mid["group"]]
        group, previous, next_due = mid["group"][keep], mid["previous"][keep], mid["next_due"][keep]
        due = gen.rules.each_pair(timescales.midway_review_due, previous, next_due)
        first = day_number(add_months(gen.last_year.start, MIDWAY_START_MONTHS_INTO_LAST_YEAR))
        keep = (due >= first) & (due <= today + BOOKED_AHEAD_DAYS)
        group, due = group[keep], due[keep]
        # Per child of the case still on the plan on the due date.
        review_of_row, row = rows_matching(m["group"], group)
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
                "midway_id": string_column(numbered_ids("MID", row.size)),
                "plan_id": string_column(m["plan_id"][row]),
                "child_id": string_column(m["child_id"][row]),
                "due_date": date_column(row_due),
                "held_date": date_column(held),
                "chair_id": string_column(self._chair_of(g["chair"][group[review_of_row]])),
            }
        )
