"""The record as tables: the one shape every source produces and every domain function reads.

Sources (the database, a CIN census file, the synthetic authority) each turn into a `Record`;
indicators, trackers and exports take a `Record` and never know where it came from. Columns
are plain Polars columns; one row per fact.

Conventions:
- ids are strings (the database's primary keys are written as strings; a CIN file's ids are
  made from `LAchildID` and positions), so the same code handles both;
- a missing fact is null, never a made-up value; a table a source cannot supply at all is
  listed in `Record.unavailable` with the reason, so a report can say so instead of showing 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import polars as pl

Date = pl.Date
Str = pl.String
Bool = pl.Boolean
Int = pl.Int64
StrList = pl.List(pl.String)

SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    # One row per child (or unborn child).
    "children": {
        "child_id": Str,  # the authority's child id (CIN LAchildID)
        "family_id": Str,  # null where the source has no families (a CIN file)
        "first_name": Str,  # null from a CIN file, which carries no names
        "last_name": Str,
        "sex": Str,  # F, M, U
        "date_of_birth": Date,
        "expected_date_of_birth": Date,
        "ethnicity": Str,  # DfE code
        "disabilities": StrList,  # DfE codes; ["NONE"] for none; empty/null where unknown
        "date_of_death": Date,
        "upn": Str,
        "upn_unknown": Str,  # UN1-UN7
        "team": Str,  # allocated social work team's name
        # Census items kept so a census file goes back out as it came in (issue 13):
        "former_upn": Str,  # CIN FormerUPN
        "gender_current": Str,  # CIN GenderCurrent as written (1, 2, 0, 9; up to the 2023-24 census)
    },
    # A CIN episode (referral to closure).
    "episodes": {
        "episode_id": Str,
        "child_id": Str,
        "referral_date": Date,
        "referral_source": Str,
        "primary_need": Str,
        "closure_date": Date,
        "closure_reason": Str,
        "referral_nfa": Bool,
    },
    "assessments": {
        "assessment_id": Str,
        "episode_id": Str,
        "child_id": Str,
        "start_date": Date,
        "authorised_date": Date,
        "factors": StrList,  # DfE assessment factor codes
    },
    "cin_plans": {
        "cin_plan_id": Str,
        "episode_id": Str,
        "child_id": Str,
        "start_date": Date,
        "end_date": Date,
    },
    # A section 47 enquiry; start_date is the strategy discussion that initiated it.
    "s47": {
        "s47_id": Str,
        "episode_id": Str,
        "child_id": Str,
        "start_date": Date,
        "icpc_target_date": Date,
        "icpc_not_required": Bool,
        "completed_date": Date,
        # When the conference service heard of the strategy discussion (null where unknown,
        # always from a CIN file): Today's "late notifications to QA".
        "qa_notified_date": Date,
    },
    "plans": {
        "plan_id": Str,
        "episode_id": Str,
        "child_id": Str,
        "start_date": Date,
        "end_date": Date,
        "end_reason": Str,
        "initial_category": Str,  # DfE code: the one category, or MUL for several
        "latest_category": Str,
        "initial_categories": StrList,  # every category chosen at the start (one for a CIN file)
        "latest_categories": StrList,
        "previous_plans": Int,  # CIN NumberOfPreviousCPP where known
    },
    # One row per child per conference: a conference about three siblings is three rows with
    # one meeting_id.
    "conferences": {
        "conference_id": Str,
        "meeting_id": Str,
        "child_id": Str,
        "conference_type": Str,  # initial, prebirth, review, transfer_in, transfer_out
        "due_date": Date,
        "scheduled_date": Date,
        "held_date": Date,  # null until held
        "s47_id": Str,  # initial and pre-birth conferences
        "plan_id": Str,  # the plan reviewed, or the plan an initial conference started
        "notification_date": Date,  # transfer-in: written notification received
        "notification_id": Str,  # transfer-in: the notification it answers
        "outcome": Str,  # plan, no_plan, plan_continued, plan_ended
        "late_reason": Str,
        "rearrangements": Int,
        "chair_id": Str,
        "quorate": Bool,  # null where not recorded
        "participation_code": Str,  # PN0-PN7
        "booklet_completed": Bool,
        "advocate_used": Bool,
        "report_grade": Str,  # chair's grade of the social work report
        "report_shared_in_time": Bool,
    },
    # Who was invited to a meeting and what they did.
    "attendance": {
        "meeting_id": Str,
        "agency": Str,  # codes.AGENCY
        "invited": Bool,
        "attended": Bool,
        "report_submitted": Bool,
    },
    # Formal escalations (the seed's CERPs).
    "escalations": {
        "escalation_id": Str,
        "family_id": Str,
        "raised_date": Date,
        "raised_by": Str,
        "stage_raised": Int,
        "stage_reached": Int,
        "resolved_stage": Int,  # null while unresolved
        "resolved_date": Date,
        "reasons": StrList,
        "onward_reasons": StrList,  # why it went from each stage to the next
    },
    "escalation_children": {
        "escalation_id": Str,
        "child_id": Str,
    },
    # One row per stage of a formal escalation: who must answer by when (Today's
    # "escalation responses" lists are one row per stage, not per child).
    "escalation_stages": {
        "escalation_id": Str,
        "stage": Int,
        "started_date": Date,
        "response_due_date": Date,
        "response_date": Date,  # null until the stage's owner responds
        "outcome": Str,  # resolved, escalated; null while the stage is open
        "owner": Str,  # who must respond (a post, not a child's name)
    },
    # Informal concerns and QA case notes recorded by chairs and the QA manager.
    "concern_notes": {
        "note_id": Str,
        "child_id": Str,
        "family_id": Str,
        "kind": Str,
        "recorded_date": Date,
        "author_id": Str,
    },
    "repeat_plan_reviews": {
        "review_id": Str,
        "plan_id": Str,
        "child_id": Str,
        "family_id": Str,
        "reviewed_date": Date,
        "finding": Str,
    },
    # Another authority's written notice that a child on its plan has moved here.
    "transfer_notifications": {
        "notification_id": Str,
        "child_id": Str,
        "received_date": Date,
    },
    # Statutory visits to a child on a plan (Annex A list 7).
    "visits": {
        "visit_id": Str,
        "plan_id": Str,
        "child_id": Str,
        "visit_date": Date,
        "seen_alone": Bool,
    },
    "midway_reviews": {
        "midway_id": Str,
        "plan_id": Str,
        "child_id": Str,
        "due_date": Date,
        "held_date": Date,
        "chair_id": Str,
    },
    # Core group meetings held (the conferences app registers this table).
    "core_groups": {
        "core_group_id": Str,
        "plan_id": Str,
        "child_id": Str,
        "held_date": Date,
    },
}


def empty(name: str) -> pl.DataFrame:
    return pl.DataFrame(schema=SCHEMAS[name])


def conform(name: str, frame: pl.DataFrame) -> pl.DataFrame:
    """Give `frame` exactly the table's columns, in order, with the table's types.

    A column the source lacks becomes all null; an extra column is an error (a misspelt
    column name would otherwise vanish silently).
    """
    schema = SCHEMAS[name]
    extra = set(frame.columns) - set(schema)
    if extra:
        raise ValueError(f"table {name!r} has unknown column(s): {', '.join(sorted(extra))}")
    if not frame.columns:
        # Selecting only literals from a frame with no columns would make one row of nulls.
        return empty(name)
    columns = []
    for column, dtype in schema.items():
        if column in frame.columns:
            columns.append(pl.col(column).cast(dtype))
        else:
            columns.append(pl.lit(None, dtype=dtype).alias(column))
    return frame.select(columns)


@dataclass
class Record:
    """Every table of the record. Build one with `Record.of(...)`, which conforms each table."""

    children: pl.DataFrame = field(default_factory=lambda: empty("children"))
    episodes: pl.DataFrame = field(default_factory=lambda: empty("episodes"))
    assessments: pl.DataFrame = field(default_factory=lambda: empty("assessments"))
    cin_plans: pl.DataFrame = field(default_factory=lambda: empty("cin_plans"))
    s47: pl.DataFrame = field(default_factory=lambda: empty("s47"))
    plans: pl.DataFrame = field(default_factory=lambda: empty("plans"))
    conferences: pl.DataFrame = field(default_factory=lambda: empty("conferences"))
    attendance: pl.DataFrame = field(default_factory=lambda: empty("attendance"))
    escalations: pl.DataFrame = field(default_factory=lambda: empty("escalations"))
    escalation_children: pl.DataFrame = field(default_factory=lambda: empty("escalation_children"))
    escalation_stages: pl.DataFrame = field(default_factory=lambda: empty("escalation_stages"))
    concern_notes: pl.DataFrame = field(default_factory=lambda: empty("concern_notes"))
    repeat_plan_reviews: pl.DataFrame = field(default_factory=lambda: empty("repeat_plan_reviews"))
    midway_reviews: pl.DataFrame = field(default_factory=lambda: empty("midway_reviews"))
    core_groups: pl.DataFrame = field(default_factory=lambda: empty("core_groups"))
    visits: pl.DataFrame = field(default_factory=lambda: empty("visits"))
    transfer_notifications: pl.DataFrame = field(default_factory=lambda: empty("transfer_notifications"))
    # Which source made it: "database", "cin-census" or "synthetic".
    source: str = "database"
    # Table name -> reason, for tables (or facts) the source cannot supply at all.
    unavailable: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(
        cls, *, source: str = "database", unavailable: dict[str, str] | None = None, **tables: pl.DataFrame
    ) -> Record:
        unknown = set(tables) - set(SCHEMAS)
        if unknown:
            raise ValueError(f"unknown table(s): {', '.join(sorted(unknown))}")
        conformed = {name: conform(name, frame) for name, frame in tables.items()}
        return cls(source=source, unavailable=dict(unavailable or {}), **conformed)

    def table_names(self) -> list[str]:
        return [f.name for f in fields(self) if f.name in SCHEMAS]

    def is_available(self, name: str) -> bool:
        return name not in self.unavailable


# How each table belongs to a child, for narrowing a whole record to some children in memory.
# Most tables carry the child's id; the rest belong through another table, as the database's
# narrowed read (`cpqa.record.selectors.record_tables(children=...)`) has them:
#   attendance          - the meetings any of the children is a subject of;
#   escalations         - those naming any of the children;
#   escalation_children - every child link of those escalations (other children's links too);
#   escalation_stages   - every stage of those escalations;
#   concern_notes       - notes about one of the children, or about one of their families with
#                         no child named.
_BY_CHILD_ID = (
    "children", "episodes", "assessments", "cin_plans", "s47", "plans", "conferences", "visits",
    "transfer_notifications", "repeat_plan_reviews", "midway_reviews", "core_groups",
)


def narrow_to_children(record: Record, child_ids: frozenset[str] | set[str]) -> Record:
    """The part of `record` about the children `child_ids`: every row a reader narrowed to them
    would have read (a social work manager's teams from the whole record held in memory)."""
    ids = sorted(child_ids)
    narrowed = {name: getattr(record, name).filter(pl.col("child_id").is_in(ids)) for name in _BY_CHILD_ID}
    meetings = narrowed["conferences"].get_column("meeting_id").unique().to_list()
    narrowed["attendance"] = record.attendance.filter(pl.col("meeting_id").is_in(meetings))
    named = record.escalation_children.filter(pl.col("child_id").is_in(ids)).get_column("escalation_id").unique().to_list()
    narrowed["escalations"] = record.escalations.filter(pl.col("escalation_id").is_in(named))
    narrowed["escalation_children"] = record.escalation_children.filter(pl.col("escalation_id").is_in(named))
    narrowed["escalation_stages"] = record.escalation_stages.filter(pl.col("escalation_id").is_in(named))
    families = narrowed["children"].get_column("family_id").drop_nulls().unique().to_list()
    narrowed["concern_notes"] = record.concern_notes.filter(
        pl.col("child_id").is_in(ids) | (pl.col("child_id").is_null() & pl.col("family_id").is_in(families))
    )
    missing = set(record.table_names()) - set(narrowed)
    if missing:
        # A table added to the record must say how it belongs to a child before it can be narrowed.
        raise ValueError(f"no rule to narrow table(s): {', '.join(sorted(missing))}")
    return Record(source=record.source, unavailable=dict(record.unavailable), **narrowed)
