"""Writing a record's tables (`cpqa.domain.tables.Record`) into the database, all or nothing.

Used by `cpqa generate` and the demo (a synthetic authority), the CIN census import and the
benchmarks. One transaction: either every row is written or, on the first bad row, nothing is.

Matching, so that loading the same record twice changes nothing and a later year's record
updates the same children: children by their local id (the CIN LAchildID); within a child,
referrals by referral date, section 47 enquiries by start date, plans by start date,
conferences by (type, date, child) where the date is the held date, else the scheduled date.
Assessments and CIN plans match by their referral and start date, agencies at a conference by
agency (and order), families by reference, teams by name, staff by name and role.

Every row goes through its model's own rules (`full_clean`, with the one-row checks in each
model's `clean`), and the rules across rows are checked here before anything is written: a
child's plans may not overlap (so never two open at once) and a review must follow the start
of the plan it reviews (`ConferenceSubject.clean`). A refusal is a `RecordError` naming the
child's local id, the table and the field, never a name.

A column the source cannot supply at all (every value null, e.g. names from a CIN census
file) is left as it is in the database, so an import never blanks what the service recorded
by hand. The QA tables (escalations, concern notes, repeat-plan and midway reviews) are loaded
into `cpqa.oversight`'s models when that app defines them, and otherwise skipped (the summary
says so).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import polars as pl
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, reset_queries, transaction

from cpqa.domain import codes
from cpqa.domain.tables import Record
from cpqa.record import models as m
from cpqa.record.errors import RecordError

if TYPE_CHECKING:
    from cpqa.synthetic import SyntheticAuthority

Progress = Callable[[str, int, int], None]

# Rows handled per round trip: small enough to keep memory flat at England's volume.
CHUNK_ROWS = 20_000
# Ids per `IN (...)` query (SQLite's historic limit is 999 parameters).
LOOKUP_IDS = 900
IMPORT_USERNAME = "cpqa-import"
NOTE_TEXT_NOT_IN_SOURCE = "Loaded from a {source} record, which holds no text for this note."
FROM_AUTHORITY_NOT_RECORDED = "Not recorded"


class _Tally:
    """One table's count in one direction, read from a summary's `added` or `updated`."""

    def __init__(self, table: str, direction: str) -> None:
        self.table = table
        self.direction = direction

    def __get__(self, summary: LoadSummary, owner: type | None = None) -> int:
        return getattr(summary, self.direction).get(self.table, 0)


@dataclass
class LoadSummary:
    """What a load added and changed, table by table, and which tables it left out and why."""

    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)

    def count(self, table: str, added: int, updated: int) -> None:
        self.added[table] = self.added.get(table, 0) + added
        self.updated[table] = self.updated.get(table, 0) + updated

    # Headline counts. Conferences are counted per child (the report's rule), all types.
    children_added = _Tally("children", "added")
    children_updated = _Tally("children", "updated")
    plans_added = _Tally("plans", "added")
    plans_updated = _Tally("plans", "updated")
    conferences_added = _Tally("conferences", "added")
    conferences_updated = _Tally("conferences", "updated")
    reviews_added = _Tally("reviews", "added")
    reviews_updated = _Tally("reviews", "updated")

    @property
    def changed_anything(self) -> bool:
        return any(self.added.values()) or any(self.updated.values())

    def lines(self) -> list[str]:
        """One line per table that was touched or skipped, for the command line."""
        out = []
        for table in self.added:
            out.append(f"{table}: {self.added[table]:,} added, {self.updated.get(table, 0):,} updated")
        for table, reason in self.skipped.items():
            out.append(f"{table}: not loaded ({reason})")
        return out


def load_record(
    record: Record,
    *,
    authority: SyntheticAuthority | None = None,
    progress: Progress | None = None,
) -> LoadSummary:
    """Write `record` into the database in one transaction; refuse it whole if any row is bad.

    `authority` (a synthetic authority) adds what the tables do not carry: teams, staff,
    families' adults, minute takers, rearrangements. Without it, `chair_id` values are the
    primary keys of staff already in the database (as the database's own record gives them).
    """
    loader = _Loader(record, authority, progress or (lambda stage, done, total: None))
    try:
        with transaction.atomic():
            loader.run()
    except IntegrityError as exc:
        # The database's constraints are the last line; the checks above should catch all first.
        raise RecordError(f"the database refused the record: {exc}") from None
    return loader.summary


def load_synthetic_authority(
    authority: SyntheticAuthority, *, progress: Progress | None = None
) -> LoadSummary:
    return load_record(authority.record, authority=authority, progress=progress)


def ensure_demo_data(seed: int = 1) -> LoadSummary | None:
    """Load the default synthetic authority when the database has no children yet."""
    if m.Child.objects.exists():
        return None
    from cpqa.synthetic import generate_authority

    return load_synthetic_authority(generate_authority(seed=seed))


# ---------------------------------------------------------------------------------------------


@dataclass
class _Outcome:
    """Primary key of every row by its match key, and which keys were created or changed."""

    pks: dict[tuple, int]
    created: set[tuple]
    changed: set[tuple]


@dataclass
class _Row:
    """One row to write: its match key, the child it concerns (for messages) and its values.

    `values` are written on create and compared (and written) on update; `create_only` only
    on create (e.g. a placeholder the service may later correct by hand).
    """

    key: tuple
    child: str | None
    values: dict[str, Any]
    create_only: dict[str, Any] = field(default_factory=dict)


def _blank(value: object) -> object:
    return "" if value is None else value


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _supplied(frame: pl.DataFrame, column: str) -> bool:
    """Whether the source supplies a column at all (a column all null is one it cannot supply)."""
    return frame.height > 0 and frame.get_column(column).null_count() < frame.height


class _Loader:
    def __init__(self, record: Record, authority: SyntheticAuthority | None, progress: Progress) -> None:
        self.record = record
        self.authority = authority
        self.progress = progress
        self.summary = LoadSummary()
        self.fresh = False
        self.child_pk: dict[str, int] = {}
        self.episode_pk: dict[str, int] = {}
        self.s47_pk: dict[str, int] = {}
        self.plan: dict[str, tuple[int, dt.date]] = {}
        self.staff_pk: dict[str, int] = {}
        self.family_pk: dict[str, int] = {}
        self.team_pk: dict[str, int] = {}
        self.meeting_pk: dict[str, int] = {}

    # -- the order of writing ------------------------------------------------------------------

    def run(self) -> None:
        # A database with no children has nothing to match, so the look-ups can be skipped.
        self.fresh = not m.Child.objects.exists()
        self._check_references()
        self._staff_and_teams()
        self._families()
        self._children()
        self._episodes()
        self._assessments()
        self._cin_plans()
        self._section47s()
        self._plans()
        self._conferences()
        self._attendance()
        self._rearrangements()
        self._oversight()
        self._fold_conference_counts()

    # -- generic upsert ---------------------------------------------------------------------------

    def _existing(
        self,
        model: type[models.Model],
        by: str,
        ids: Iterable[int],
        key: Callable[[dict], tuple],
        fields: list[str],
    ) -> dict[tuple, dict[str, Any]]:
        """Current values of `model` rows whose `by` is in `ids`, keyed as the incoming rows are."""
        if self.fresh:
            return {}
        found: dict[tuple, dict[str, Any]] = {}
        wanted = sorted(set(ids))
        for part in _chunks(wanted, LOOKUP_IDS):
            for row in model.objects.filter(**{f"{by}__in": part}).order_by("pk").values("pk", *fields):
                found.setdefault(key(row), row)
        return found

    def _upsert(
        self,
        table: str,
        model: type[models.Model],
        rows: Sequence[_Row],
        existing: dict[tuple, dict[str, Any]],
        *,
        prepare: Callable[[models.Model, _Row], None] | None = None,
        count_as: Callable[[_Row], str] | None = None,
        count: bool = True,
        keys_needed: bool = True,
    ) -> _Outcome:
        """Create the rows not in `existing` and update those whose values differ.

        With `keys_needed` false (a table nothing else points at) new rows are inserted without
        reading their keys back, and only existing rows' keys are in the outcome.
        """
        seen: set[tuple] = set()
        new: list[tuple[models.Model, _Row]] = []
        changed: list[tuple[models.Model, _Row]] = []
        pks: dict[tuple, int] = {}
        for row in rows:
            if row.key in seen:
                raise RecordError(
                    f"{self._who(row)}: {table}: two rows for the same {self._describe_key(row)}"
                )
            seen.add(row.key)
            current = existing.get(row.key)
            if current is None:
                obj = model(**row.values, **row.create_only)
                new.append((obj, row))
            else:
                pks[row.key] = current["pk"]
                if all(_same(current.get(name), value) for name, value in row.values.items()):
                    continue
                obj = model(**{**current, **row.values})
                changed.append((obj, row))
            if prepare is not None:
                prepare(obj, row)
            self._validate(obj, table, row)
        if new and keys_needed:
            model.objects.bulk_create([obj for obj, _ in new], batch_size=2000)
            for obj, row in new:
                pks[row.key] = obj.pk
        elif new:
            _insert_without_keys(model, [obj for obj, _ in new])
        if changed:
            update_fields = sorted({name for _, row in changed for name in row.values})
            model.objects.bulk_update([obj for obj, _ in changed], update_fields, batch_size=500)
        # With DEBUG on, Django keeps the text of recent queries; at England's volume that is
        # hundreds of megabytes of INSERTs nobody reads.
        reset_queries()
        outcome = _Outcome(pks, {row.key for _, row in new}, {row.key for _, row in changed})
        if not count:
            return outcome
        if count_as is None:
            self.summary.count(table, len(new), len(changed))
        else:
            for group, label in ((new, "added"), (changed, "updated")):
                tally: dict[str, int] = defaultdict(int)
                for _, row in group:
                    tally[count_as(row)] += 1
                for name, number in tally.items():
                    self.summary.count(
                        name, number if label == "added" else 0, number if label == "updated" else 0
                    )
        return outcome

    def _validate(self, obj: models.Model, table: str, row: _Row) -> None:
        relations = [f.name for f in obj._meta.fields if f.is_relation]
        try:
            obj.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            raise RecordError(f"{self._who(row)}: {table}: {_messages(exc)}") from None

    @staticmethod
    def _who(row: _Row) -> str:
        return f"child {row.child}" if row.child else f"row {row.key[0]}"

    @staticmethod
    def _describe_key(row: _Row) -> str:
        dates = [k.isoformat() for k in row.key if isinstance(k, dt.date)]
        return "date " + ", ".join(dates) if dates else "key"

    # -- references across tables ---------------------------------------------------------------

    def _check_references(self) -> None:
        """Every child a table names is in the children table; every id a row names exists."""
        r = self.record
        children = set(r.children.get_column("child_id").drop_nulls().to_list())
        missing = r.children.filter(pl.col("child_id").is_null())
        if missing.height:
            raise RecordError("children: a row has no child_id")
        duplicated = r.children.filter(pl.col("child_id").is_duplicated())
        if duplicated.height:
            raise RecordError(f"child {duplicated.item(0, 'child_id')}: children: the child id appears twice")
        for table in ("episodes", "assessments", "cin_plans", "s47", "plans", "conferences", "concern_notes"):
            frame = getattr(r, table)
            unknown = frame.filter(
                pl.col("child_id").is_not_null() & ~pl.col("child_id").is_in(list(children))
            )
            if unknown.height:
                raise RecordError(
                    f"child {unknown.item(0, 'child_id')}: {table}: child_id is not in the children table"
                )
        self._check_ids(r.plans, "episode_id", r.episodes, "episode_id", "plans")
        self._check_ids(r.s47, "episode_id", r.episodes, "episode_id", "s47")
        self._check_ids(r.assessments, "episode_id", r.episodes, "episode_id", "assessments")
        self._check_ids(r.cin_plans, "episode_id", r.episodes, "episode_id", "cin_plans")
        self._check_ids(r.conferences, "plan_id", r.plans, "plan_id", "conferences")
        self._check_ids(r.conferences, "s47_id", r.s47, "s47_id", "conferences")
        for table in ("s47", "assessments", "cin_plans"):
            frame = getattr(r, table)
            orphan = frame.filter(pl.col("episode_id").is_null())
            if orphan.height:
                raise RecordError(f"child {orphan.item(0, 'child_id')}: {table}: episode_id is missing")

    @staticmethod
    def _check_ids(
        frame: pl.DataFrame, column: str, target: pl.DataFrame, target_column: str, table: str
    ) -> None:
        known = target.get_column(target_column).drop_nulls()
        unknown = frame.filter(pl.col(column).is_not_null() & ~pl.col(column).is_in(known.to_list()))
        if unknown.height:
            raise RecordError(
                f"child {unknown.item(0, 'child_id')}: {table}: {column} {unknown.item(0, column)!r} is not in the record"
            )

    # -- the service, families and children -----------------------------------------------------

    def _staff_and_teams(self) -> None:
        a = self.authority
        team_names = set(self.record.children.get_column("team").drop_nulls().unique().to_list())
        services: dict[str, str] = {}
        if a is not None:
            services = dict(a.teams.select("name", "service").iter_rows())
            team_names.update(services)
        existing_teams = self._teams_now()
        team_rows = [
            _Row(
                key=(name,),
                child=None,
                values={"name": name, **({"service": services[name]} if name in services else {})},
            )
            for name in sorted(team_names)
        ]
        first = self._upsert("teams", m.Team, team_rows, existing_teams, count=False)
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
            _Row(
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
        staff = self._upsert("staff", m.StaffMember, staff_rows, existing_staff)
        self.staff_pk = {
            staff_id: staff.pks[row.key]
            for staff_id, row in zip(a.staff.get_column("staff_id"), staff_rows, strict=True)
        }
        # Each team's linked chair, now the chairs exist (a team and its chair point at each other).
        linked_rows = [
            _Row(
                key=(name,),
                child=None,
                values={"name": name, "service": service, "linked_chair_id": self.staff_pk[chair]},
            )
            for name, service, chair in a.teams.select("name", "service", "linked_chair_id").iter_rows()
        ]
        second = self._upsert("teams", m.Team, linked_rows, self._teams_now(), count=False)
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
        for part in _chunks(sorted(set(numeric.values())), LOOKUP_IDS):
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
                rows.append(_Row(key=(ref,), child=None, values={"reference": ref, "name": names[ref]}))
            else:
                # The record has no name for the household: a placeholder the service can change.
                rows.append(
                    _Row(
                        key=(ref,),
                        child=None,
                        values={"reference": ref},
                        create_only={"name": f"Family {ref}"},
                    )
                )
        families = self._upsert("families", m.Family, rows, existing)
        self.family_pk = {key[0]: pk for key, pk in families.pks.items()}
        if self.authority is None:
            return
        members = self.authority.family_members
        existing_members = self._existing(
            m.FamilyMember,
            "family_id",
            self.family_pk.values(),
            lambda r: (r["family_id"], r["name"], r["relationship"]),
            ["family_id", "name", "relationship"],
        )
        member_rows = [
            _Row(
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
        self._upsert("family members", m.FamilyMember, member_rows, existing_members, keys_needed=False)

    def _existing_by_reference(self, references: list[str]) -> dict[tuple, dict[str, Any]]:
        found: dict[tuple, dict[str, Any]] = {}
        for part in _chunks(references, LOOKUP_IDS):
            for row in m.Family.objects.filter(reference__in=part).values("pk", "reference", "name"):
                found[(row["reference"],)] = row
        return found

    def _children(self) -> None:
        frame = self.record.children
        supplied = {c: _supplied(frame, c) for c in frame.columns}
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
            for part in _chunks(local_ids, LOOKUP_IDS):
                for row in m.Child.objects.filter(local_id__in=part).values("pk", *fields):
                    existing[(row["local_id"],)] = row
        rows = []
        for c in frame.iter_rows(named=True):
            values: dict[str, Any] = {"local_id": c["child_id"]}
            if supplied["family_id"]:
                values["family_id"] = self.family_pk.get(c["family_id"]) if c["family_id"] else None
            for column in ("first_name", "last_name", "upn", "upn_unknown"):
                if supplied[column]:
                    values[column] = _blank(c[column])
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
            rows.append(_Row(key=(c["child_id"],), child=c["child_id"], values=values))
        self.progress("children", 0, len(rows))
        pks = self._upsert("children", m.Child, rows, existing).pks
        self.child_pk = {key[0]: pk for key, pk in pks.items()}
        self.progress("children", len(rows), len(rows))

    # -- referrals and what hangs from them -------------------------------------------------------

    def _episodes(self) -> None:
        frame = self.record.episodes
        supplied = {c: _supplied(frame, c) for c in frame.columns}
        existing = self._existing(
            m.Referral,
            "child_id",
            self.child_pk.values(),
            lambda r: (r["child_id"], r["referral_date"]),
            [
                "child_id",
                "referral_date",
                "source",
                "primary_need",
                "closure_date",
                "closure_reason",
                "no_further_action",
            ],
        )
        rows, ids = [], []
        for e in frame.iter_rows(named=True):
            child = self.child_pk[e["child_id"]]
            values: dict[str, Any] = {"child_id": child, "referral_date": e["referral_date"]}
            if supplied["referral_source"]:
                values["source"] = e["referral_source"] or "10"
            if supplied["primary_need"]:
                values["primary_need"] = _blank(e["primary_need"])
            if supplied["closure_date"] or supplied["closure_reason"]:
                values["closure_date"] = e["closure_date"]
                values["closure_reason"] = _blank(e["closure_reason"])
            if supplied["referral_nfa"]:
                values["no_further_action"] = bool(e["referral_nfa"])
            rows.append(_Row(key=(child, e["referral_date"]), child=e["child_id"], values=values))
            ids.append(e["episode_id"])
        pks = self._upsert("episodes", m.Referral, rows, existing).pks
        self.episode_pk = {episode: pks[row.key] for episode, row in zip(ids, rows, strict=True)}

    def _assessments(self) -> None:
        frame = self.record.assessments
        existing = self._existing(
            m.Assessment,
            "referral__child_id",
            self.child_pk.values(),
            lambda r: (r["referral_id"], r["start_date"]),
            ["referral_id", "start_date", "authorised_date", "factors"],
        )
        rows = []
        for a in frame.iter_rows(named=True):
            referral = self.episode_pk[a["episode_id"]]
            values = {
                "referral_id": referral,
                "start_date": a["start_date"],
                "authorised_date": a["authorised_date"],
                "factors": " ".join(a["factors"] or []),
            }
            rows.append(_Row(key=(referral, a["start_date"]), child=a["child_id"], values=values))
        self._upsert("assessments", m.Assessment, rows, existing, keys_needed=False)

    def _cin_plans(self) -> None:
        frame = self.record.cin_plans
        existing = self._existing(
            m.CINPlan,
            "referral__child_id",
            self.child_pk.values(),
            lambda r: (r["referral_id"], r["start_date"]),
            ["referral_id", "start_date", "end_date"],
        )
        rows = []
        for c in frame.iter_rows(named=True):
            referral = self.episode_pk[c["episode_id"]]
            values = {"referral_id": referral, "start_date": c["start_date"], "end_date": c["end_date"]}
            rows.append(_Row(key=(referral, c["start_date"]), child=c["child_id"], values=values))
        self._check_order(rows, "start_date", "end_date", "cin_plans", strictly=False)
        self._upsert("cin_plans", m.CINPlan, rows, existing, keys_needed=False)

    def _section47s(self) -> None:
        frame = self.record.s47
        discussions = self._existing(
            m.StrategyDiscussion,
            "referral__child_id",
            self.child_pk.values(),
            lambda r: (r["referral_id"], r["held_date"]),
            ["referral_id", "held_date"],
        )
        discussion_rows = []
        for s in frame.iter_rows(named=True):
            referral = self.episode_pk[s["episode_id"]]
            discussion_rows.append(
                _Row(
                    key=(referral, s["start_date"]),
                    child=s["child_id"],
                    values={"referral_id": referral, "held_date": s["start_date"]},
                )
            )
        discussion_pks = self._upsert(
            "strategy discussions", m.StrategyDiscussion, _distinct(discussion_rows), discussions
        ).pks
        existing = self._existing(
            m.Section47,
            "referral__child_id",
            self.child_pk.values(),
            lambda r: (r["referral__child_id"], r["start_date"]),
            [
                "referral__child_id",
                "referral_id",
                "strategy_discussion_id",
                "start_date",
                "icpc_target_date",
                "conference_not_required",
                "completed_date",
            ],
        )
        rows, ids = [], []
        for s in frame.iter_rows(named=True):
            referral = self.episode_pk[s["episode_id"]]
            child = self.child_pk[s["child_id"]]
            values = {
                "referral_id": referral,
                "strategy_discussion_id": discussion_pks[(referral, s["start_date"])],
                "start_date": s["start_date"],
                "icpc_target_date": s["icpc_target_date"],
                "conference_not_required": bool(s["icpc_not_required"]),
                "completed_date": s["completed_date"],
            }
            rows.append(_Row(key=(child, s["start_date"]), child=s["child_id"], values=values))
            ids.append(s["s47_id"])
        self._check_order(rows, "start_date", "completed_date", "s47", strictly=False)
        existing = {k: _without(v, "referral__child_id") for k, v in existing.items()}
        pks = self._upsert("s47", m.Section47, rows, existing).pks
        self.s47_pk = {s47: pks[row.key] for s47, row in zip(ids, rows, strict=True)}

    # -- plans -----------------------------------------------------------------------------------

    def _plans(self) -> None:
        frame = self.record.plans
        supplied = {c: _supplied(frame, c) for c in frame.columns}
        from_transfer = set(
            self.record.conferences.filter(pl.col("conference_type") == "transfer_in")
            .get_column("plan_id")
            .drop_nulls()
            .to_list()
        )
        fields = [
            "child_id",
            "referral_id",
            "start_date",
            "end_date",
            "end_reason",
            "initial_categories",
            "latest_categories",
            "initial_category",
            "latest_category",
            "previous_plans",
            "from_other_authority",
        ]
        existing = self._existing(
            m.Plan, "child_id", self.child_pk.values(), lambda r: (r["child_id"], r["start_date"]), fields
        )
        rows, ids = [], []
        for p in frame.iter_rows(named=True):
            child = self.child_pk[p["child_id"]]
            initial = _categories(p["initial_categories"], p["initial_category"])
            latest = _categories(p["latest_categories"], p["latest_category"]) or initial
            values: dict[str, Any] = {
                "child_id": child,
                "referral_id": self.episode_pk.get(p["episode_id"]) if p["episode_id"] else None,
                "start_date": p["start_date"],
                "end_date": p["end_date"],
                "end_reason": _blank(p["end_reason"]),
                "initial_categories": m.Plan.join_categories(initial),
                "latest_categories": m.Plan.join_categories(latest),
                "initial_category": _dfe_category(initial, p["child_id"], "initial_categories"),
                "latest_category": _dfe_category(latest, p["child_id"], "latest_categories"),
                "from_other_authority": p["plan_id"] in from_transfer,
            }
            if supplied["previous_plans"]:
                values["previous_plans"] = p["previous_plans"]
            rows.append(_Row(key=(child, p["start_date"]), child=p["child_id"], values=values))
            ids.append(p["plan_id"])
        self._check_plans_do_not_overlap(rows, existing)
        pks = self._upsert("plans", m.Plan, rows, existing).pks
        self.plan = {
            plan: (pks[row.key], row.values["start_date"]) for plan, row in zip(ids, rows, strict=True)
        }

    def _check_plans_do_not_overlap(self, rows: list[_Row], existing: dict[tuple, dict[str, Any]]) -> None:
        """A child has one plan at a time: each plan ends on or before the next one starts."""
        by_child: dict[int, dict[dt.date, tuple[dt.date | None, str]]] = defaultdict(dict)
        local_id = {pk: local for local, pk in self.child_pk.items()}
        for (child, start), current in existing.items():
            by_child[child][start] = (current["end_date"], local_id.get(child, str(child)))
        for row in rows:
            child, start = row.key
            if start is None:
                continue
            by_child[child][start] = (row.values["end_date"], row.child or "")
        for plans in by_child.values():
            starts = sorted(plans)
            for earlier, later in itertools.pairwise(starts):
                end, who = plans[earlier]
                if end is None:
                    raise RecordError(
                        f"child {who}: plans: start_date: a plan starts on {later.isoformat()} while the plan "
                        f"from {earlier.isoformat()} is still open (a second open plan)"
                    )
                if end > later:
                    raise RecordError(
                        f"child {who}: plans: start_date: a plan starts on {later.isoformat()} before the plan "
                        f"from {earlier.isoformat()} ends on {end.isoformat()}"
                    )

    def _check_order(self, rows: list[_Row], first: str, second: str, table: str, *, strictly: bool) -> None:
        # Checked here, not left to the database's constraint, so the message can name the child.
        for row in rows:
            start, end = row.values.get(first), row.values.get(second)
            if start and end and (end < start or (strictly and end == start)):
                raise RecordError(
                    f"child {row.child}: {table}: {second}: {end.isoformat()} is before {first} {start.isoformat()}"
                )

    # -- conferences -----------------------------------------------------------------------------

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
        supplied = {c: _supplied(frame, c) for c in frame.columns}
        extras = self._meeting_extras()
        existing_subjects = self._existing(
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
        for part in _chunks(meetings, max(1, CHUNK_ROWS // 2)):
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
        notification_rows = []
        for r in records:
            if r["conference_type"] == "transfer_in" and r["notification_date"] is not None:
                child = self.child_pk[r["child_id"]]
                from_authority = (extras.get(r["meeting_id"]) or {}).get("from_authority")
                notification_rows.append(
                    _Row(
                        key=(child, r["notification_date"]),
                        child=r["child_id"],
                        values={"child_id": child, "received_date": r["notification_date"]},
                        create_only={"from_authority": from_authority or FROM_AUTHORITY_NOT_RECORDED},
                    )
                )
        notification_pks: dict[tuple, int] = {}
        if notification_rows:
            notification_pks = self._upsert(
                "transfer notifications",
                m.TransferInNotification,
                _distinct(notification_rows),
                self._existing(
                    m.TransferInNotification,
                    "child_id",
                    {row.key[0] for row in notification_rows},
                    lambda r: (r["child_id"], r["received_date"]),
                    ["child_id", "received_date"],
                ),
            ).pks
        # One Conference per meeting, matched through any of its children's (type, date).
        by_meeting: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in records:
            by_meeting[r["meeting_id"]].append(r)
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
        current = (
            {
                c["pk"]: c
                for c in m.Conference.objects.filter(pk__in=conference_ids).values("pk", *conference_fields)
            }
            if conference_ids
            else {}
        )
        meeting_rows = []
        for meeting, subjects in by_meeting.items():
            first = subjects[0]
            values: dict[str, Any] = {
                "conference_type": first["conference_type"],
                "due_date": first["due_date"],
                "scheduled_date": first["scheduled_date"],
                "held_date": first["held_date"],
                "late_reason": _blank(first["late_reason"]),
            }
            if supplied["chair_id"]:
                values["chair_id"] = self.staff_pk.get(first["chair_id"]) if first["chair_id"] else None
            if supplied["quorate"]:
                values["quorate"] = first["quorate"]
            extra = extras.get(meeting)
            if extra is not None:
                values["minute_taker_id"] = self.staff_pk.get(extra["minute_taker_id"])
                values["venue"] = _blank(extra["venue"])
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
                if (key := (self.child_pk[s["child_id"]], s["conference_type"], s["_date"]))
                in existing_subjects
            )
            key = (matched[0],) if matched else (meeting,)
            meeting_rows.append(_Row(key=key, child=first["child_id"], values=values))
        existing_conferences = {(pk,): row for pk, row in current.items()}
        conference_pks = self._upsert("meetings", m.Conference, meeting_rows, existing_conferences).pks
        conference_of_meeting = {
            meeting: conference_pks[row.key] for meeting, row in zip(by_meeting, meeting_rows, strict=True)
        }
        self.meeting_pk.update(conference_of_meeting)
        conference_objects = {
            meeting: m.Conference(pk=conference_of_meeting[meeting], **row.values)
            for meeting, row in zip(by_meeting, meeting_rows, strict=True)
        }
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
                "outcome": _blank(r["outcome"]),
            }
            for column in ("participation_code", "report_grade"):
                if supplied[column]:
                    values[column] = _blank(r[column])
            for column in ("booklet_completed", "advocate_used", "report_shared_in_time"):
                if supplied[column]:
                    values[column] = r[column]
            subject_rows.append(
                _Row(key=(child, r["conference_type"], r["_date"]), child=r["child_id"], values=values)
            )
        plan_start = {pk: start for pk, start in self.plan.values()}

        meeting_of_conference = {pk: mt for mt, pk in conference_of_meeting.items()}

        def attach(subject: models.Model, row: _Row) -> None:
            # The model's own check (a review after its plan's start) reads these two objects.
            subject.conference = conference_objects[meeting_of_conference[row.values["conference_id"]]]
            if row.values["plan_id"] is not None:
                subject.plan = m.Plan(pk=row.values["plan_id"], start_date=plan_start[row.values["plan_id"]])

        existing = {
            key: _without(
                value, "conference__conference_type", "conference__held_date", "conference__scheduled_date"
            )
            for key, value in existing_subjects.items()
        }
        self._upsert(
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
        for part in _chunks(meetings, max(1, CHUNK_ROWS // 4)):
            rows = frame.filter(pl.col("meeting_id").is_in(part))
            conferences = [self.meeting_pk[mt] for mt in part]
            existing: dict[tuple, dict[str, Any]] = {}
            if not self.fresh:
                counter: dict[tuple, int] = defaultdict(int)
                for part_ids in _chunks(conferences, LOOKUP_IDS):
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
                invitee_rows.append(_Row(key=(conference, r["agency"], r["_nth"]), child=None, values=values))
            self._upsert("attendance", m.Invitee, invitee_rows, existing, keys_needed=False)
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
        existing = self._existing(
            m.Rearrangement,
            "conference_id",
            conferences,
            lambda r: (r["conference_id"], r["from_date"], r["to_date"]),
            ["conference_id", "from_date", "to_date", "reason"],
        )
        rows = [
            _Row(
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
        self._upsert("rearrangements", m.Rearrangement, rows, existing, keys_needed=False)

    # -- the QA workflows (cpqa.oversight) -------------------------------------------------------

    def _oversight_model(self, name: str) -> type[models.Model] | None:
        if not apps.is_installed("cpqa.oversight"):
            return None
        try:
            return apps.get_model("oversight", name)
        except LookupError:
            return None

    def _oversight(self) -> None:
        r = self.record
        wanted = {
            "escalations": ("Escalation", r.escalations, self._escalations),
            "concern_notes": ("ConcernNote", r.concern_notes, self._concern_notes),
            "repeat_plan_reviews": ("RepeatPlanReview", r.repeat_plan_reviews, self._repeat_plan_reviews),
            "midway_reviews": ("MidwayReview", r.midway_reviews, self._midway_reviews),
        }
        for table, (model_name, frame, load) in wanted.items():
            if frame.height == 0:
                continue
            model = self._oversight_model(model_name)
            if model is None:
                self.summary.skipped[table] = f"cpqa.oversight has no {model_name} model yet"
                continue
            load(model, frame)

    def _escalations(self, model: type[models.Model], frame: pl.DataFrame) -> None:
        # The oversight app's own import turns a row into the escalation and its stages.
        from cpqa.oversight.services import do_import_escalation

        by = self._import_user()
        children_of: dict[str, list[str]] = defaultdict(list)
        for escalation, child in self.record.escalation_children.iter_rows():
            children_of[escalation].append(child)
        raised_days = frame.get_column("raised_date").drop_nulls().unique().to_list()
        existing = set()
        for part in _chunks(raised_days, LOOKUP_IDS):
            for e in model.objects.filter(raised_date__in=part).values(
                "family_id", "raised_date", "stage_raised", "raised_by_id", "reasons"
            ):
                existing.add(
                    (e["family_id"], e["raised_date"], e["stage_raised"], e["raised_by_id"], e["reasons"])
                )
        added = 0
        for e in frame.iter_rows(named=True):
            family = self.family_pk.get(e["family_id"]) if e["family_id"] else None
            raised_by = self.staff_pk.get(e["raised_by"]) if e["raised_by"] else None
            reasons = list(dict.fromkeys(e["reasons"] or []))
            key = (family, e["raised_date"], e["stage_raised"], raised_by, " ".join(reasons))
            if key in existing:
                continue
            child_ids = children_of.get(e["escalation_id"], [])
            who = child_ids[0] if child_ids else None
            try:
                do_import_escalation(
                    raised_date=e["raised_date"],
                    raised_by=m.StaffMember.objects.get(pk=raised_by) if raised_by else None,
                    stage_raised=e["stage_raised"],
                    stage_reached=e["stage_reached"] or e["stage_raised"],
                    reasons=reasons,
                    onward_reasons=list(e["onward_reasons"] or []),
                    children=list(m.Child.objects.filter(pk__in=[self.child_pk[c] for c in child_ids])),
                    by=by,
                    family=m.Family.objects.get(pk=family) if family else None,
                    resolved_stage=e["resolved_stage"],
                    resolved_date=e["resolved_date"],
                )
            except (ValidationError, RecordError) as exc:
                place = f"child {who}" if who else f"escalation {e['escalation_id']}"
                detail = _messages(exc) if isinstance(exc, ValidationError) else str(exc)
                raise RecordError(f"{place}: escalations: {detail}") from None
            existing.add(key)
            added += 1
        self.summary.count("escalations", added, 0)

    def _import_user(self) -> Any:
        """The account the oversight services record as the writer: the import, never a person.

        It cannot sign in (no usable password, inactive), so it is a name in the audit trail only.
        """
        from django.contrib.auth import get_user_model

        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(
            username=IMPORT_USERNAME, defaults={"is_active": False, "role": "administrator"}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        return user

    def _concern_notes(self, model: type[models.Model], frame: pl.DataFrame) -> None:
        text = NOTE_TEXT_NOT_IN_SOURCE.format(source=self.record.source)
        days = frame.get_column("recorded_date").drop_nulls().unique().to_list()
        found: dict[tuple, dict[str, Any]] = {}
        if not self.fresh:
            for part in _chunks(days, LOOKUP_IDS):
                for n in model.objects.filter(recorded_date__in=part).values(
                    "pk", "kind", "child_id", "family_id", "recorded_date", "author_id"
                ):
                    found[(n["kind"], n["child_id"], n["family_id"], n["recorded_date"], n["author_id"])] = n
        rows = []
        for n in frame.iter_rows(named=True):
            child = self.child_pk.get(n["child_id"]) if n["child_id"] else None
            family = self.family_pk.get(n["family_id"]) if n["family_id"] else None
            author = self.staff_pk.get(n["author_id"]) if n["author_id"] else None
            values = {
                "kind": n["kind"],
                "child_id": child,
                "family_id": family,
                "recorded_date": n["recorded_date"],
                "author_id": author,
            }
            rows.append(
                _Row(
                    key=(n["kind"], child, family, n["recorded_date"], author),
                    child=n["child_id"],
                    values=values,
                    create_only={"note": text},
                )
            )
        self._upsert("concern_notes", model, _distinct(rows), found, keys_needed=False)

    def _plan_of(self, plan_id: str | None, child: str | None, table: str) -> int:
        if plan_id is None or plan_id not in self.plan:
            raise RecordError(f"child {child}: {table}: plan_id {plan_id!r} is not a plan in the record")
        return self.plan[plan_id][0]

    def _repeat_plan_reviews(self, model: type[models.Model], frame: pl.DataFrame) -> None:
        rows = []
        for r in frame.iter_rows(named=True):
            plan = self._plan_of(r["plan_id"], r["child_id"], "repeat_plan_reviews")
            rows.append(
                _Row(
                    key=(plan,),
                    child=r["child_id"],
                    values={"plan_id": plan, "reviewed_date": r["reviewed_date"], "finding": r["finding"]},
                )
            )
        existing = self._existing(
            model,
            "plan_id",
            [row.key[0] for row in rows],
            lambda r: (r["plan_id"],),
            ["plan_id", "reviewed_date", "finding"],
        )
        self._upsert("repeat_plan_reviews", model, rows, existing, keys_needed=False)

    def _midway_reviews(self, model: type[models.Model], frame: pl.DataFrame) -> None:
        rows = []
        for r in frame.iter_rows(named=True):
            plan = self._plan_of(r["plan_id"], r["child_id"], "midway_reviews")
            values = {
                "plan_id": plan,
                "due_date": r["due_date"],
                "held_date": r["held_date"],
                "chair_id": self.staff_pk.get(r["chair_id"]) if r["chair_id"] else None,
            }
            rows.append(_Row(key=(plan, r["due_date"]), child=r["child_id"], values=values))
        existing = self._existing(
            model,
            "plan_id",
            [row.key[0] for row in rows],
            lambda r: (r["plan_id"], r["due_date"]),
            ["plan_id", "due_date", "held_date", "chair_id"],
        )
        self._upsert("midway_reviews", model, rows, existing, keys_needed=False)


# ---------------------------------------------------------------------------------------------


def _insert_without_keys(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Insert rows whose new keys nobody needs back, with one prepared statement for them all.

    `bulk_create` builds its SQL row by row, which is most of a load's time at England's
    volume; values are still prepared by each field's own `pre_save` and `get_db_prep_save`.
    """
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    with connection.cursor() as cursor:
        for part in _chunks(objs, 5000):
            cursor.executemany(
                sql, [[f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields] for obj in part]
            )


def _same(current: object, incoming: object) -> bool:
    if isinstance(current, Decimal) and incoming is not None:
        return current == Decimal(str(incoming))
    return current == incoming


def _without(values: dict[str, Any], *names: str) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k not in names}


def _distinct(rows: list[_Row]) -> list[_Row]:
    """Rows with one key kept once (siblings' notifications, one strategy discussion per enquiry)."""
    kept: dict[tuple, _Row] = {}
    for row in rows:
        kept.setdefault(row.key, row)
    return list(kept.values())


def _categories(listed: list[str] | None, single: str | None) -> list[str]:
    """The plan's categories: the list where the source has one, else its one DfE category."""
    if listed:
        return sorted(dict.fromkeys(listed))
    return [single] if single else []


def _dfe_category(categories: list[str], child: str, field_name: str) -> str:
    try:
        return codes.dfe_category(categories)
    except ValueError as exc:
        raise RecordError(f"child {child}: plans: {field_name}: {exc}") from None


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in exc.message_dict.items())
    return " ".join(exc.messages)
