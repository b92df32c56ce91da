"""Conferences as held or booked: each child's row, participation, agencies' attendance, rearrangements."""

from __future__ import annotations

import numpy as np
import polars as pl

from cpqa.domain import codes
from cpqa.synthetic.columns import date_column, numbered_ids, rows_matching, string_column
from cpqa.synthetic.dates import NO_DATE, completed_years
from cpqa.synthetic.shape import (
    ADVOCACY_START_MONTHS_INTO_LAST_YEAR,
    ATTENDANCE,
    NOT_INVITED_WHEN_ABSENT,
    OTHER_AGENCIES,
    OTHER_AUTHORITIES,
    REPORT_GRADE_WEIGHTS,
    REPORT_GRADING_START_MONTHS_INTO_LAST_YEAR,
    T_INITIAL,
    T_PREBIRTH,
    T_REVIEW,
    T_TRANSFER_IN,
    T_TRANSFER_OUT,
    TYPE_NAMES,
    VENUES,
)


class Conferences:
    """The conference, attendance and rearrangement tables (a part of `Assembler`)."""

    def _conferences(self) -> None:
        ev = self._kept_events()
        event_of_row, member = self._subjects(ev)
        # Meetings that still have a subject, numbered in date order.
        has_subject = np.zeros(ev["group"].size, dtype=bool)
        has_subject[event_of_row] = True
        meeting_number = np.cumsum(has_subject) - 1
        meeting_ids = numbered_ids("MT", int(has_subject.sum()))
        row_meeting = meeting_number[event_of_row]
        self._conference_table(ev, event_of_row, member, meeting_ids, row_meeting)
        meeting_event = np.flatnonzero(has_subject)
        self._meetings_table(ev, meeting_event, meeting_ids)
        self._rearrangements_table(ev, meeting_event, meeting_ids)

    def _kept_events(self) -> dict[str, np.ndarray]:
        """The simulated conferences of the families the record holds, in date order."""
        ev = self.gen._events.frame()
        keep = self.kept_group[ev["group"]]
        ev = {name: values[keep] for name, values in ev.items()}
        order = np.lexsort((ev["type"], ev["group"], ev["date"]))
        return {name: values[order] for name, values in ev.items()}

    def _subjects(self, ev: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """Each child at each conference: (the event, the child's membership row)."""
        m = self.m
        # Every membership row of an event's case, then only the children still at the meeting.
        event_of_row, member = rows_matching(m["group"], ev["group"])
        date = ev["date"][event_of_row]
        ctype = ev["type"][event_of_row]
        exit_day = m["exit"][member]
        first_meeting = (ctype == T_INITIAL) | (ctype == T_PREBIRTH) | (ctype == T_TRANSFER_IN)
        present = first_meeting | (exit_day == NO_DATE) | (date < exit_day)
        return event_of_row[present], member[present]

    def _conference_table(
        self,
        ev: dict[str, np.ndarray],
        event_of_row: np.ndarray,
        member: np.ndarray,
        meeting_ids: np.ndarray,
        row_meeting: np.ndarray,
    ) -> None:
        gen, g, m, rng = self.gen, self.groups, self.m, self.rng
        date = ev["date"][event_of_row]
        ctype = ev["type"][event_of_row]
        rows = event_of_row.size
        held_mask = date <= self.today
        group = ev["group"][event_of_row]
        has_plan_group = g["plan_start"][group] != NO_DATE
        ends = ev["ends_plan"][event_of_row].astype(bool)
        outcome = _outcomes(ctype, has_plan_group, ends, held_mask)
        initial_like = (ctype == T_INITIAL) | (ctype == T_PREBIRTH)
        born = gen._children.column("born")[m["child"][member]]
        age = completed_years(born, date)
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
                "conference_id": string_column(numbered_ids("CF", rows)),
                "meeting_id": string_column(meeting_ids[row_meeting]),
                "child_id": string_column(m["child_id"][member]),
                "conference_type": string_column(np.array(TYPE_NAMES, dtype=object)[ctype]),
                "due_date": date_column(ev["due"][event_of_row]),
                "scheduled_date": date_column(date),
                "held_date": date_column(np.where(held_mask, date, NO_DATE)),
                "s47_id": string_column(np.where(initial_like, m["s47_id"][member], None)),
                "plan_id": string_column(np.where(has_plan_group, m["plan_id"][member], None)),
                "notification_date": date_column(
                    np.where(ctype == T_TRANSFER_IN, g["start"][group], NO_DATE)
                ),
                "outcome": string_column(outcome),
                "late_reason": string_column(late_reason),
                "rearrangements": pl.Series(ev["rearranged"][event_of_row], dtype=pl.Int64),
                "chair_id": string_column(chair),
                "quorate": pl.Series(list(quorate), dtype=pl.Boolean),
                "participation_code": string_column(participation),
                "booklet_completed": pl.Series(list(booklet), dtype=pl.Boolean),
                "advocate_used": pl.Series(list(advocate), dtype=pl.Boolean),
                "report_grade": string_column(grade),
                "report_shared_in_time": pl.Series(list(shared_in_time), dtype=pl.Boolean),
            }
        )

    def _meetings_table(
        self, ev: dict[str, np.ndarray], meeting_event: np.ndarray, meeting_ids: np.ndarray
    ) -> None:
        # The database's extras for each meeting: minute taker, venue, the authority a transfer came from.
        rng = self.rng
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
                "meeting_id": string_column(meeting_ids),
                "minute_taker_id": string_column(
                    self.minute_taker_ids[rng.integers(0, self.minute_taker_ids.size, size=n_meetings)]
                ),
                "venue": string_column(
                    np.array(VENUES, dtype=object)[rng.integers(0, len(VENUES), size=n_meetings)]
                ),
                "from_authority": string_column(from_authority),
            }
        )

    def _rearrangements_table(
        self, ev: dict[str, np.ndarray], meeting_event: np.ndarray, meeting_ids: np.ndarray
    ) -> None:
        # Rearrangements: first booked on or just before the due date, then moved to the held date.
        rules = self.gen.rules
        n_meetings = meeting_event.size
        count = ev["rearranged"][meeting_event]
        due = ev["due"][meeting_event]
        final = ev["date"][meeting_event]
        first_booked = rules.working_day_on_or_before(
            np.where(due != NO_DATE, due, final) - self.rng.integers(0, 4, size=n_meetings)
        )
        middle = rules.working_day_on_or_before((first_booked + final) // 2)
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
                "meeting_id": string_column(np.concatenate(rows_meeting)),
                "from_date": date_column(np.concatenate(rows_from)),
                "to_date": date_column(np.concatenate(rows_to)),
                "reason": string_column(np.concatenate(rows_reason)),
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

    def _participation(
        self, age: np.ndarray, date: np.ndarray, held: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        rng = self.rng
        ages = self.gen.config.participation
        n = age.size
        u = rng.random(n)
        code = np.full(n, None, dtype=object)
        code[age < codes.PARTICIPATION_TOO_YOUNG_UNDER_AGE] = codes.PARTICIPATION_TOO_YOUNG
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
        meeting, agency_all, invited_all, attended_all, report_all = self._agencies_at(agency_rows, kind)
        order = np.lexsort((np.arange(meeting.size), meeting))
        self.tables["attendance"] = pl.DataFrame(
            {
                "meeting_id": string_column(meeting_ids[meeting[order]]),
                "agency": string_column(agency_all[order]),
                "invited": pl.Series(invited_all[order]),
                "attended": pl.Series(attended_all[order]),
                "report_submitted": pl.Series(report_all[order]),
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

    def _agencies_at(
        self, agency_rows: list[tuple[np.ndarray, np.ndarray | str, str]], kind: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Whether each agency expected at a meeting was invited, attended and sent a report:
        (meeting, agency, invited, attended, report) rows, agency by agency."""
        rng = self.rng
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
        return (
            np.concatenate(parts_meeting),
            np.concatenate(parts_agency),
            np.concatenate(parts_invited),
            np.concatenate(parts_attended),
            np.concatenate(parts_report),
        )


def _outcomes(
    ctype: np.ndarray, has_plan_group: np.ndarray, ends: np.ndarray, held_mask: np.ndarray
) -> np.ndarray:
    """Each child's outcome at a held conference (None where not yet held)."""
    outcome = np.full(ctype.size, None, dtype=object)
    initial_like = (ctype == T_INITIAL) | (ctype == T_PREBIRTH)
    outcome[initial_like] = np.where(has_plan_group[initial_like], "plan", "no_plan")
    outcome[ctype == T_TRANSFER_IN] = "plan"
    outcome[ctype == T_REVIEW] = np.where(ends[ctype == T_REVIEW], "plan_ended", "plan_continued")
    outcome[ctype == T_TRANSFER_OUT] = "plan_ended"
    outcome[~held_mask] = None
    return outcome
