"""Conferences: meetings and each child's row at them, transfer notifications, attendance, rearrangements."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import polars as pl
from django.db import models

from cpqa.record import models as m
from cpqa.record.errors import RecordError
from cpqa.record.load.rows import (
    CHUNK_ROWS,
    FROM_AUTHORITY_NOT_RECORDED,
    LOOKUP_IDS,
    Row,
    blank,
    chunks,
    distinct_rows,
    is_supplied,
    without,
)


class Conferences:
    """Meetings, their subjects, agencies and rearrangements (a part of `Loader`)."""

    def _conferences(self) -> None:
        frame = self.record.conferences
        if frame.height == 0:
            return
        frame = frame.with_columns(
            pl.coalesce("meeting_id", "conference_id").alias("meeting_id"),
            pl.coalesce("held_date", "scheduled_date").alias("_date"),
        )
        undated = frame.filter(pl.col("_date").is_null())
        if undated.height:
            raise RecordError(
                f"child {undated.item(0, 'child_id')}: conferences: held_date: a conference needs a held or "
                "scheduled date"
            )
        disagree = (
            frame.group_by("meeting_id")
            .agg(
                pl.col("child_id").first(),
                pl.col("conference_type").n_unique().alias("types"),
                pl.col("_date").n_unique().alias("dates"),
            )
            .filter((pl.col("types") > 1) | (pl.col("dates") > 1))
        )
        if disagree.height:
            raise RecordError(
                f"child {disagree.item(0, 'child_id')}: conferences: meeting_id: the rows of one meeting disagree "
                "on its type or date"
            )
        supplied = {c: is_supplied(frame, c) for c in frame.columns}
        extras = self._meeting_extras()
        existing_subjects = self.existing_rows(
            m.ConferenceSubject,
            "child_id",
            self.child_pk.values(),
            lambda r: (
                r["child_id"],
                r["conference__conference_type"],
                r["conference__held_date"] or r["conference__scheduled_date"],
            ),
            [
                "conference_id",
                "child_id",
                "conference__conference_type",
                "conference__held_date",
                "conference__scheduled_date",
                "section47_id",
                "plan_id",
                "outcome",
                "participation_code",
                "booklet_completed",
                "advocate_used",
                "report_grade",
                "report_shared_in_time",
            ],
        )
        frame = frame.sort("meeting_id", "child_id")
        meetings = frame.get_column("meeting_id").unique(maintain_order=True).to_list()
        total = frame.height
        done = 0
        for part in chunks(meetings, max(1, CHUNK_ROWS // 2)):
            rows = frame.filter(pl.col("meeting_id").is_in(part))
            self._conference_chunk(rows, supplied, extras, existing_subjects)
            done += rows.height
            self.progress("conferences", done, total)

    def _meeting_extras(self) -> dict[str, dict[str, Any]]:
        if self.authority is None:
            return {}
        return {row["meeting_id"]: row for row in self.authority.meetings.iter_rows(named=True)}

    def _conference_chunk(
        self,
        rows: pl.DataFrame,
        supplied: dict[str, bool],
        extras: dict[str, dict[str, Any]],
        existing_subjects: dict[tuple, dict[str, Any]],
    ) -> None:
        records = rows.to_dicts()
        # Transfer-in notifications first: the conference points at one.
        notification_pks = self._transfer_notifications(records, extras)
        # One Conference per meeting, matched through any of its children's (type, date).
        by_meeting: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in records:
            by_meeting[r["meeting_id"]].append(r)
        current = self._current_conferences(records, existing_subjects)
        meeting_rows = [
            self._meeting_row(meeting, subjects, supplied, extras, notification_pks, existing_subjects)
            for meeting, subjects in by_meeting.items()
        ]
        existing_conferences = {(pk,): row for pk, row in current.items()}
        conference_pks = self.upsert("meetings", m.Conference, meeting_rows, existing_conferences).pks
        conference_of_meeting = {
            meeting: conference_pks[row.key] for meeting, row in zip(by_meeting, meeting_rows, strict=True)
        }
        self.meeting_pk.update(conference_of_meeting)
        conference_objects = {
            meeting: m.Conference(pk=conference_of_meeting[meeting], **row.values)
            for meeting, row in zip(by_meeting, meeting_rows, strict=True)
        }
        self._conference_subjects(
            records, supplied, conference_of_meeting, conference_objects, existing_subjects
        )

    def _transfer_notifications(
        self, records: list[dict[str, Any]], extras: dict[str, dict[str, Any]]
    ) -> dict[tuple, int]:
        """The transfer-in notification behind each transfer-in conference, by (child, received date)."""
        notification_rows = []
        for r in records:
            if r["conference_type"] == "transfer_in" and r["notification_date"] is not None:
                child = self.child_pk[r["child_id"]]
                from_authority = (extras.get(r["meeting_id"]) or {}).get("from_authority")
                notification_rows.append(
                    Row(
                        key=(child, r["notification_date"]),
                        child=r["child_id"],
                        values={"child_id": child, "received_date": r["notification_date"]},
                        create_only={"from_authority": from_authority or FROM_AUTHORITY_NOT_RECORDED},
                    )
                )
        notification_pks: dict[tuple, int] = {}
        if notification_rows:
            notification_pks = self.upsert(
                "transfer notifications",
                m.TransferInNotification,
                distinct_rows(notification_rows),
                self.existing_rows(
                    m.TransferInNotification,
                    "child_id",
                    {row.key[0] for row in notification_rows},
                    lambda r: (r["child_id"], r["received_date"]),
                    ["child_id", "received_date"],
                ),
            ).pks
        return notification_pks

    def _current_conferences(
        self, records: list[dict[str, Any]], existing_subjects: dict[tuple, dict[str, Any]]
    ) -> dict[int, dict[str, Any]]:
        """The database's values of the conferences these rows' children already have, by key."""
        conference_ids = sorted(
            {
                existing_subjects[(self.child_pk[r["child_id"]], r["conference_type"], r["_date"])][
                    "conference_id"
                ]
                for r in records
                if (self.child_pk[r["child_id"]], r["conference_type"], r["_date"]) in existing_subjects
            }
        )
        conference_fields = [
            "conference_type",
            "due_date",
            "scheduled_date",
            "held_date",
            "chair_id",
            "minute_taker_id",
            "venue",
            "late_reason",
            "quorate",
            "transfer_notification_id",
        ]
        return (
            {
                c["pk"]: c
                for c in m.Conference.objects.filter(pk__in=conference_ids).values("pk", *conference_fields)
            }
            if conference_ids
            else {}
        )

    def _meeting_row(
        self,
        meeting: str,
        subjects: list[dict[str, Any]],
        supplied: dict[str, bool],
        extras: dict[str, dict[str, Any]],
        notification_pks: dict[tuple, int],
        existing_subjects: dict[tuple, dict[str, Any]],
    ) -> Row:
        """The Conference row of one meeting, keyed by the conference it matches, else the meeting."""
        first = subjects[0]
        values: dict[str, Any] = {
            "conference_type": first["conference_type"],
            "due_date": first["due_date"],
            "scheduled_date": first["scheduled_date"],
            "held_date": first["held_date"],
            "late_reason": blank(first["late_reason"]),
        }
        if supplied["chair_id"]:
            values["chair_id"] = self.staff_pk.get(first["chair_id"]) if first["chair_id"] else None
        if supplied["quorate"]:
            values["quorate"] = first["quorate"]
        extra = extras.get(meeting)
        if extra is not None:
            values["minute_taker_id"] = self.staff_pk.get(extra["minute_taker_id"])
            values["venue"] = blank(extra["venue"])
        notified = [
            notification_pks[(self.child_pk[s["child_id"]], s["notification_date"])]
            for s in subjects
            if (self.child_pk[s["child_id"]], s["notification_date"]) in notification_pks
        ]
        if notified:
            values["transfer_notification_id"] = notified[0]
        matched = sorted(
            existing_subjects[key]["conference_id"]
            for s in subjects
            if (key := (self.child_pk[s["child_id"]], s["conference_type"], s["_date"])) in existing_subjects
        )
        key = (matched[0],) if matched else (meeting,)
        return Row(key=key, child=first["child_id"], values=values)

    def _conference_subjects(
        self,
        records: list[dict[str, Any]],
        supplied: dict[str, bool],
        conference_of_meeting: dict[str, int],
        conference_objects: dict[str, models.Model],
        existing_subjects: dict[tuple, dict[str, Any]],
    ) -> None:
        # Each child's row at the meeting.
        subject_rows = []
        for r in records:
            child = self.child_pk[r["child_id"]]
            plan = self.plan.get(r["plan_id"]) if r["plan_id"] else None
            values = {
                "conference_id": conference_of_meeting[r["meeting_id"]],
                "child_id": child,
                "section47_id": self.s47_pk.get(r["s47_id"]) if r["s47_id"] else None,
                "plan_id": plan[0] if plan else None,
                "outcome": blank(r["outcome"]),
            }
            for column in ("participation_code", "report_grade"):
                if supplied[column]:
                    values[column] = blank(r[column])
            for column in ("booklet_completed", "advocate_used", "report_shared_in_time"):
                if supplied[column]:
                    values[column] = r[column]
            subject_rows.append(
                Row(key=(child, r["conference_type"], r["_date"]), child=r["child_id"], values=values)
            )
        plan_start = {pk: start for pk, start in self.plan.values()}

        meeting_of_conference = {pk: mt for mt, pk in conference_of_meeting.items()}

        def attach(subject: models.Model, row: Row) -> None:
            # The model's own check (a review after its plan's start) reads these two objects.
            subject.conference = conference_objects[meeting_of_conference[row.values["conference_id"]]]
            if row.values["plan_id"] is not None:
                subject.plan = m.Plan(pk=row.values["plan_id"], start_date=plan_start[row.values["plan_id"]])

        existing = {
            key: without(
                value, "conference__conference_type", "conference__held_date", "conference__scheduled_date"
            )
            for key, value in existing_subjects.items()
        }
        self.upsert(
            "conferences",
            m.ConferenceSubject,
            subject_rows,
            existing,
            prepare=attach,
            keys_needed=False,
            count_as=lambda row: "reviews" if row.key[1] == "review" else "other conferences",
        )

    def _fold_conference_counts(self) -> None:
        """Conferences per child (the report's rule), all types, beside the review conferences."""
        s = self.summary
        for direction in (s.added, s.updated):
            direction["conferences"] = direction.get("reviews", 0) + direction.pop("other conferences", 0)
            direction.setdefault("reviews", 0)

    # -- attendance and rearrangements -----------------------------------------------------------

    def _attendance(self) -> None:
        frame = self.record.attendance
        if frame.height == 0:
            return
        unknown = frame.filter(~pl.col("meeting_id").is_in(list(self.meeting_pk)))
        if unknown.height:
            raise RecordError(
                f"row {unknown.item(0, 'meeting_id')}: attendance: meeting_id is not a conference in the record"
            )
        # Agencies in record order within each meeting, numbered so a second row for one agency stays apart.
        frame = frame.with_row_index("_order").with_columns(
            pl.col("_order").rank("ordinal").over("meeting_id", "agency").cast(pl.Int64).alias("_nth")
        )
        total = frame.height
        done = 0
        meetings = frame.get_column("meeting_id").unique(maintain_order=True).to_list()
        for part in chunks(meetings, max(1, CHUNK_ROWS // 4)):
            rows = frame.filter(pl.col("meeting_id").is_in(part))
            conferences = [self.meeting_pk[mt] for mt in part]
            existing: dict[tuple, dict[str, Any]] = {}
            if not self.fresh:
                counter: dict[tuple, int] = defaultdict(int)
                for part_ids in chunks(conferences, LOOKUP_IDS):
                    for inv in (
                        m.Invitee.objects.filter(conference_id__in=part_ids)
                        .exclude(agency="")
                        .order_by("pk")
                        .values("pk", "conference_id", "agency", "invited", "attendance", "report_submitted")
                    ):
                        counter[(inv["conference_id"], inv["agency"])] += 1
                        existing[
                            (
                                inv["conference_id"],
                                inv["agency"],
                                counter[(inv["conference_id"], inv["agency"])],
                            )
                        ] = inv
            invitee_rows = []
            for r in rows.iter_rows(named=True):
                conference = self.meeting_pk[r["meeting_id"]]
                invited = True if r["invited"] is None else bool(r["invited"])
                attended = bool(r["attended"])
                values = {
                    "conference_id": conference,
                    "agency": r["agency"],
                    "invited": invited,
                    "attendance": "attended" if attended else ("did_not_attend" if invited else ""),
                    "report_submitted": bool(r["report_submitted"]),
                }
                invitee_rows.append(Row(key=(conference, r["agency"], r["_nth"]), child=None, values=values))
            self.upsert("attendance", m.Invitee, invitee_rows, existing, keys_needed=False)
            done += rows.height
            self.progress("attendance", done, total)

    def _rearrangements(self) -> None:
        if self.authority is None:
            if self.record.conferences.filter(pl.col("rearrangements") > 0).height:
                self.summary.skipped["rearrangements"] = (
                    "the record counts them but gives no dates, and a rearrangement is recorded with its dates"
                )
            return
        frame = self.authority.rearrangements.filter(pl.col("meeting_id").is_in(list(self.meeting_pk)))
        conferences = [self.meeting_pk[mt] for mt in frame.get_column("meeting_id").unique().to_list()]
        existing = self.existing_rows(
            m.Rearrangement,
            "conference_id",
            conferences,
            lambda r: (r["conference_id"], r["from_date"], r["to_date"]),
            ["conference_id", "from_date", "to_date", "reason"],
        )
        rows = [
            Row(
                key=(self.meeting_pk[r["meeting_id"]], r["from_date"], r["to_date"]),
                child=None,
                values={
                    "conference_id": self.meeting_pk[r["meeting_id"]],
                    "from_date": r["from_date"],
                    "to_date": r["to_date"],
                    "reason": r["reason"] or "other",
                },
            )
            for r in frame.iter_rows(named=True)
        ]
        self.upsert("rearrangements", m.Rearrangement, rows, existing, keys_needed=False)
