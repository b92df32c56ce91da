"""The service (teams and staff), families and their adults, and the children."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import polars as pl

from cpqa.record import models as m
from cpqa.record.errors import RecordError
from cpqa.record.load.rows import LOOKUP_IDS, Row, blank, chunks, is_supplied


class People:
    """Teams, staff, families and children (a part of `Loader`)."""

    def _staff_and_teams(self) -> None:
        a = self.authority
        team_names = set(self.record.children.get_column("team").drop_nulls().unique().to_list())
        services: dict[str, str] = {}
        if a is not None:
            services = dict(a.teams.select("name", "service").iter_rows())
            team_names.update(services)
        existing_teams = self._teams_now()
        team_rows = [
            Row(
                key=(name,),
                child=None,
                values={"name": name, **({"service": services[name]} if name in services else {})},
            )
            for name in sorted(team_names)
        ]
        first = self.upsert("teams", m.Team, team_rows, existing_teams, count=False)
        self.team_pk = {key[0]: pk for key, pk in first.pks.items()}
        if a is None:
            self.summary.count("teams", len(first.created), len(first.changed))
            self._known_staff()
            return
        team_name_of = dict(a.teams.select("team_id", "name").iter_rows())
        existing_staff = {
            (s["name"], s["role"]): s
            for s in m.StaffMember.objects.values("pk", "name", "role", "fte", "contract_type", "team_id")
        }
        staff_rows = [
            Row(
                key=(s["name"], s["role"]),
                child=None,
                values={
                    "name": s["name"],
                    "role": s["role"],
                    "fte": Decimal(str(round(s["fte"], 2))),
                    "contract_type": s["contract_type"],
                    "team_id": self.team_pk[team_name_of[s["team_id"]]] if s["team_id"] else None,
                },
            )
            for s in a.staff.iter_rows(named=True)
        ]
        staff = self.upsert("staff", m.StaffMember, staff_rows, existing_staff)
        self.staff_pk = {
            staff_id: staff.pks[row.key]
            for staff_id, row in zip(a.staff.get_column("staff_id"), staff_rows, strict=True)
        }
        # Each team's linked chair, now the chairs exist (a team and its chair point at each other).
        linked_rows = [
            Row(
                key=(name,),
                child=None,
                values={"name": name, "service": service, "linked_chair_id": self.staff_pk[chair]},
            )
            for name, service, chair in a.teams.select("name", "service", "linked_chair_id").iter_rows()
        ]
        second = self.upsert("teams", m.Team, linked_rows, self._teams_now(), count=False)
        self.summary.count("teams", len(first.created), len((first.changed | second.changed) - first.created))

    @staticmethod
    def _teams_now() -> dict[tuple, dict[str, Any]]:
        return {(t["name"],): t for t in m.Team.objects.values("pk", "name", "service", "linked_chair_id")}

    def _known_staff(self) -> None:
        """Without a synthetic authority, staff ids in the record are staff already in the database."""
        r = self.record
        references = [
            ("conferences", r.conferences, "chair_id"),
            ("concern_notes", r.concern_notes, "author_id"),
            ("escalations", r.escalations, "raised_by"),
            ("midway_reviews", r.midway_reviews, "chair_id"),
        ]
        ids = sorted(
            {i for _, frame, column in references for i in frame.get_column(column).drop_nulls().to_list()}
        )
        numeric = {i: int(i) for i in ids if i.isdigit()}
        found: set[int] = set()
        for part in chunks(sorted(set(numeric.values())), LOOKUP_IDS):
            found.update(m.StaffMember.objects.filter(pk__in=part).values_list("pk", flat=True))
        for table, frame, column in references:
            bad = frame.filter(
                pl.col(column).is_not_null()
                & ~pl.col(column).is_in([i for i, pk in numeric.items() if pk in found])
            )
            if bad.height:
                who = bad.item(0, "child_id") if "child_id" in bad.columns else None
                place = f"child {who}" if who else f"row {bad.row(0)[0]}"
                raise RecordError(
                    f"{place}: {table}: {column} {bad.item(0, column)!r} is not a member of staff"
                )
        self.staff_pk = {i: numeric[i] for i in ids}

    def _families(self) -> None:
        references = self.record.children.get_column("family_id").drop_nulls().unique().sort().to_list()
        names: dict[str, str] = {}
        if self.authority is not None:
            names = dict(self.authority.families.select("family_id", "name").iter_rows())
        existing = self._existing_by_reference(references)
        rows = []
        for ref in references:
            if ref in names:
                rows.append(Row(key=(ref,), child=None, values={"reference": ref, "name": names[ref]}))
            else:
                # The record has no name for the household: a placeholder the service can change.
                rows.append(
                    Row(
                        key=(ref,),
                        child=None,
                        values={"reference": ref},
                        create_only={"name": f"Family {ref}"},
                    )
                )
        families = self.upsert("families", m.Family, rows, existing)
        self.family_pk = {key[0]: pk for key, pk in families.pks.items()}
        if self.authority is None:
            return
        members = self.authority.family_members
        existing_members = self.existing_rows(
            m.FamilyMember,
            "family_id",
            self.family_pk.values(),
            lambda r: (r["family_id"], r["name"], r["relationship"]),
            ["family_id", "name", "relationship"],
        )
        member_rows = [
            Row(
                key=(self.family_pk[f["family_id"]], f["name"], f["relationship"]),
                child=None,
                values={
                    "family_id": self.family_pk[f["family_id"]],
                    "name": f["name"],
                    "relationship": f["relationship"],
                },
            )
            for f in members.iter_rows(named=True)
            if f["family_id"] in self.family_pk
        ]
        self.upsert("family members", m.FamilyMember, member_rows, existing_members, keys_needed=False)

    def _existing_by_reference(self, references: list[str]) -> dict[tuple, dict[str, Any]]:
        found: dict[tuple, dict[str, Any]] = {}
        for part in chunks(references, LOOKUP_IDS):
            for row in m.Family.objects.filter(reference__in=part).values("pk", "reference", "name"):
                found[(row["reference"],)] = row
        return found

    def _children(self) -> None:
        frame = self.record.children
        supplied = {c: is_supplied(frame, c) for c in frame.columns}
        allocations: dict[str, int] = {}
        if self.authority is not None:
            allocations = {
                child: self.staff_pk[worker]
                for child, worker in self.authority.allocations.iter_rows()
                if worker in self.staff_pk
            }
        local_ids = frame.get_column("child_id").to_list()
        existing: dict[tuple, dict[str, Any]] = {}
        if not self.fresh:
            fields = [f.attname for f in m.Child._meta.concrete_fields if f.attname != "id"]
            for part in chunks(local_ids, LOOKUP_IDS):
                for row in m.Child.objects.filter(local_id__in=part).values("pk", *fields):
                    existing[(row["local_id"],)] = row
        rows = []
        for c in frame.iter_rows(named=True):
            values: dict[str, Any] = {"local_id": c["child_id"]}
            if supplied["family_id"]:
                values["family_id"] = self.family_pk.get(c["family_id"]) if c["family_id"] else None
            for column in ("first_name", "last_name", "upn", "upn_unknown", "former_upn", "gender_current"):
                if supplied[column]:
                    values[column] = blank(c[column])
            for column in ("date_of_birth", "expected_date_of_birth", "date_of_death"):
                if supplied[column]:
                    values[column] = c[column]
            if supplied["sex"]:
                values["sex"] = c["sex"] or "U"
            if supplied["ethnicity"]:
                values["ethnicity"] = c["ethnicity"] or "NOBT"
            if supplied["disabilities"]:
                values["disabilities"] = " ".join(c["disabilities"] or [])
            if supplied["team"]:
                values["team_id"] = self.team_pk.get(c["team"]) if c["team"] else None
            if allocations:
                values["social_worker_id"] = allocations.get(c["child_id"])
            rows.append(Row(key=(c["child_id"],), child=c["child_id"], values=values))
        self.progress("children", 0, len(rows))
        pks = self.upsert("children", m.Child, rows, existing).pks
        self.child_pk = {key[0]: pk for key, pk in pks.items()}
        self.progress("children", len(rows), len(rows))
