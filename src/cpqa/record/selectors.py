"""Reads: the database as the record's tables (`cpqa.domain.tables.Record`).

This is the one place the database becomes tables, so the report, the trackers, the CIN
export and the data-quality checks all see the same record. Access control and the access log
are the caller's (a view asks `cpqa.accounts.access` first); this function only narrows the
rows to a set of children when asked, e.g. a social work manager's teams.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import polars as pl
from django.core.exceptions import EmptyResultSet, FieldDoesNotExist
from django.db import connections
from django.db.models import CharField, Count, DateField, DateTimeField, F, Field, Model, Q, QuerySet
from django.db.models.functions import Cast

from cpqa.domain.tables import SCHEMAS, Record
from cpqa.record import extensions
from cpqa.record import models as m


def _field_at(model: type[Model], path: str) -> Field | None:
    """The model field a `values_list` path ends at; None for an annotation."""
    *relations, last = path.split("__")
    try:
        for name in relations:
            model = model._meta.get_field(name).related_model
        return model._meta.pk if last == "pk" else model._meta.get_field(last)
    except FieldDoesNotExist:
        return None


def _dates_as_text(queryset: QuerySet) -> QuerySet:
    """The same `values_list` with each date column cast to text in SQL.

    SQLite's driver would otherwise parse every date through a Python converter, one value at a
    time (millions of calls for a national record); Polars parses the ISO text as a column.
    """
    fields = getattr(queryset, "_fields", None) or ()
    if not fields:
        return queryset
    selected: list[str | Cast] = []
    for path in fields:
        field = _field_at(queryset.model, path) if isinstance(path, str) else None
        is_date = isinstance(field, DateField) and not isinstance(field, DateTimeField)
        selected.append(Cast(F(path), output_field=CharField()) if is_date else path)
    return queryset.values_list(*selected)


def fetch_frame(queryset: QuerySet, names: Sequence[str], chunk_rows: int = 100_000) -> pl.DataFrame:
    """A `values_list` queryset's rows as a frame, straight from the database cursor.

    Django's per-value converters (text to date, integer to bool) cost most of the time on a
    large record; here the raw values go into Polars, which converts whole columns at once in
    `table_from_rows`.
    """
    queryset = _dates_as_text(queryset)
    nothing = pl.DataFrame(schema={name: pl.Null for name in names})
    try:
        sql, params = queryset.query.get_compiler(queryset.db).as_sql()
    except EmptyResultSet:
        # Django knows before asking the database that nothing matches (e.g. `__in=[]`).
        return nothing
    frames = []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(chunk_rows):
            # Column by column: Polars builds a column from a tuple of values about three times
            # faster than a frame from rows. strict=False types each column as the rows did
            # (ints and floats together give floats, anything with text gives text).
            columns = zip(names, zip(*rows, strict=True), strict=True)
            frames.append(pl.DataFrame([pl.Series(name, values, strict=False) for name, values in columns]))
    if not frames:
        return nothing
    return pl.concat(frames, how="vertical_relaxed")


def _as_type(column: str, current: pl.DataType, wanted: pl.DataType) -> pl.Expr:
    if wanted == pl.Date and current == pl.String:
        # SQLite hands dates over as ISO text.
        return pl.col(column).str.to_date("%Y-%m-%d")
    return pl.col(column).cast(wanted)


def table_from_rows(
    table: str, rows: Iterable[Sequence[object]] | QuerySet, columns: Sequence[str], *, keys: Sequence[str] = ()
) -> pl.DataFrame:
    """Rows in `columns` order -> a frame with the table's types for those columns.

    `rows` is any iterable of tuples, or a `values_list` queryset (read through `fetch_frame`).
    `keys` are columns holding database primary keys (integers), written as strings like every
    id in the record.
    """
    schema = SCHEMAS[table]
    scalar_schema = {
        c: pl.Int64 if c in keys else (pl.String if isinstance(schema[c], pl.List) else schema[c]) for c in columns
    }
    if isinstance(rows, QuerySet):
        raw = fetch_frame(rows, columns)
        frame = raw.select(_as_type(c, raw.schema[c], dtype) for c, dtype in scalar_schema.items())
    else:
        frame = pl.DataFrame(list(rows), schema=scalar_schema, orient="row")
    return frame.with_columns(pl.col(list(keys)).cast(pl.String)) if keys else frame


def split_codes(frame: pl.DataFrame, column: str, separator: str) -> pl.DataFrame:
    """'EMO+NEG' -> ['EMO', 'NEG']; '' -> [] (codes are stored joined in one text column)."""
    return frame.with_columns(
        pl.when(pl.col(column).is_null() | (pl.col(column) == ""))
        .then(pl.lit([], dtype=pl.List(pl.String)))
        .otherwise(pl.col(column).str.split(separator))
        .alias(column)
    )


def _null_if_blank(*columns: str) -> list[pl.Expr]:
    return [pl.when(pl.col(c) == "").then(None).otherwise(pl.col(c)).alias(c) for c in columns]


@dataclass(frozen=True)
class _Scope:
    """Which children a read is for: all of them (no filter at all), or a queryset of some."""

    children: QuerySet[m.Child] | None

    @property
    def child_queryset(self) -> QuerySet[m.Child]:
        return self.children if self.children is not None else m.Child.objects.all()

    def of_children(self, path: str = "child") -> Q:
        # Reading the whole record needs no filter, and a subquery per table costs seconds at scale.
        return Q() if self.children is None else Q(**{f"{path}__in": self.children.values("pk")})


def _children(scope: _Scope) -> pl.DataFrame:
    frame = table_from_rows(
        "children",
        scope.child_queryset.values_list(
            "local_id", "family__reference", "first_name", "last_name", "sex", "date_of_birth",
            "expected_date_of_birth", "ethnicity", "disabilities", "date_of_death", "upn", "upn_unknown",
            "team__name", "former_upn", "gender_current",
        ),
        list(SCHEMAS["children"]),
    )
    return split_codes(frame, "disabilities", " ").with_columns(
        _null_if_blank("first_name", "last_name", "upn", "upn_unknown", "former_upn", "gender_current")
    )


def _episodes(scope: _Scope) -> pl.DataFrame:
    return table_from_rows(
        "episodes",
        m.Referral.objects.filter(scope.of_children()).values_list(
            "pk", "child__local_id", "referral_date", "source", "primary_need", "closure_date",
            "closure_reason", "no_further_action",
        ),
        ["episode_id", "child_id", "referral_date", "referral_source", "primary_need", "closure_date",
         "closure_reason", "referral_nfa"],
        keys=["episode_id"],
    ).with_columns(_null_if_blank("primary_need", "closure_reason"))


def _assessments(scope: _Scope) -> pl.DataFrame:
    frame = table_from_rows(
        "assessments",
        m.Assessment.objects.filter(scope.of_children("referral__child")).values_list(
            "pk", "referral_id", "referral__child__local_id", "start_date", "authorised_date", "factors"
        ),
        ["assessment_id", "episode_id", "child_id", "start_date", "authorised_date", "factors"],
        keys=["assessment_id", "episode_id"],
    )
    return split_codes(frame, "factors", " ")


def _cin_plans(scope: _Scope) -> pl.DataFrame:
    return table_from_rows(
        "cin_plans",
        m.CINPlan.objects.filter(scope.of_children("referral__child")).values_list(
            "pk", "referral_id", "referral__child__local_id", "start_date", "end_date"
        ),
        ["cin_plan_id", "episode_id", "child_id", "start_date", "end_date"],
        keys=["cin_plan_id", "episode_id"],
    )


def _s47(scope: _Scope) -> pl.DataFrame:
    return table_from_rows(
        "s47",
        m.Section47.objects.filter(scope.of_children("referral__child")).values_list(
            "pk", "referral_id", "referral__child__local_id", "start_date", "icpc_target_date",
            "conference_not_required", "completed_date", "strategy_discussion__notified_to_qa_date",
        ),
        ["s47_id", "episode_id", "child_id", "start_date", "icpc_target_date", "icpc_not_required",
         "completed_date", "qa_notified_date"],
        keys=["s47_id", "episode_id"],
    )


def _plans(scope: _Scope) -> pl.DataFrame:
    frame = table_from_rows(
        "plans",
        m.Plan.objects.filter(scope.of_children()).values_list(
            "pk", "referral_id", "child__local_id", "start_date", "end_date", "end_reason", "initial_category",
            "latest_category", "initial_categories", "latest_categories", "previous_plans",
        ),
        ["plan_id", "episode_id", "child_id", "start_date", "end_date", "end_reason", "initial_category",
         "latest_category", "initial_categories", "latest_categories", "previous_plans"],
        keys=["plan_id", "episode_id"],
    )
    return split_codes(split_codes(frame, "initial_categories", "+"), "latest_categories", "+").with_columns(
        _null_if_blank("end_reason")
    )


def _conferences(scope: _Scope) -> pl.DataFrame:
    subjects = m.ConferenceSubject.objects.filter(scope.of_children(), conference__cancelled=False).values_list(
        "pk", "conference_id", "child__local_id", "conference__conference_type", "conference__due_date",
        "conference__scheduled_date", "conference__held_date", "section47_id", "plan_id",
        "conference__transfer_notification__received_date", "conference__transfer_notification_id", "outcome",
        "conference__late_reason",
        "conference__chair_id", "conference__quorate", "participation_code",
        "booklet_completed", "advocate_used", "report_grade", "report_shared_in_time",
    )
    conference_columns = [c for c in SCHEMAS["conferences"] if c != "rearrangements"]
    conferences = table_from_rows(
        "conferences", subjects, conference_columns,
        keys=["conference_id", "meeting_id", "s47_id", "plan_id", "chair_id", "notification_id"],
    ).with_columns(_null_if_blank("outcome", "late_reason", "participation_code", "report_grade"))
    # Counted apart and joined: a COUNT over the big join would make the database group every row.
    moves = fetch_frame(
        m.Rearrangement.objects.values("conference_id").annotate(n=Count("pk")).values_list("conference_id", "n"),
        ["meeting_id", "rearrangements"],
    ).select(pl.col("meeting_id").cast(pl.Int64).cast(pl.String), pl.col("rearrangements").cast(pl.Int64))
    return conferences.join(moves, on="meeting_id", how="left").with_columns(pl.col("rearrangements").fill_null(0))


def _attendance(scope: _Scope) -> pl.DataFrame:
    """Per meeting, from invitees that are agencies (family members are not an agency's
    attendance); "attended" is the invitee's recorded attendance."""
    meetings = (
        Q() if scope.children is None
        else Q(conference__in=m.Conference.objects.filter(subjects__child__in=scope.children.values("pk")))
    )
    invitees = fetch_frame(
        m.Invitee.objects.filter(meetings)
        .filter(conference__cancelled=False)
        .exclude(agency="")
        .values_list("pk", "conference_id", "agency", "invited", "attendance", "report_submitted"),
        ["invitee", "meeting_id", "agency", "invited", "attendance", "report_submitted"],
    )
    return invitees.unique("invitee").select(
        pl.col("meeting_id").cast(pl.Int64).cast(pl.String),
        pl.col("agency").cast(pl.String),
        pl.col("invited").cast(pl.Boolean),
        (pl.col("attendance").cast(pl.String) == "attended").alias("attended"),
        pl.col("report_submitted").cast(pl.Boolean),
    )


def _visits(scope: _Scope) -> pl.DataFrame:
    return table_from_rows(
        "visits",
        m.Visit.objects.filter(scope.of_children("plan__child")).values_list(
            "pk", "plan_id", "plan__child__local_id", "visit_date", "seen_alone"
        ),
        ["visit_id", "plan_id", "child_id", "visit_date", "seen_alone"],
        keys=["visit_id", "plan_id"],
    )


def _transfer_notifications(scope: _Scope) -> pl.DataFrame:
    return table_from_rows(
        "transfer_notifications",
        m.TransferInNotification.objects.filter(scope.of_children()).values_list(
            "pk", "child__local_id", "received_date"
        ),
        ["notification_id", "child_id", "received_date"],
        keys=["notification_id"],
    )


_READERS = {
    "children": _children,
    "episodes": _episodes,
    "assessments": _assessments,
    "cin_plans": _cin_plans,
    "s47": _s47,
    "plans": _plans,
    "conferences": _conferences,
    "attendance": _attendance,
    "visits": _visits,
    "transfer_notifications": _transfer_notifications,
}


def record_tables(*, children: QuerySet[m.Child] | None = None) -> Record:
    """Every table of the record from the database; `children` narrows it to those children.

    The workflows' own tables come from the readers they register (`cpqa.record.extensions`),
    which are given the same children.
    """
    scope = _Scope(children)
    tables = {name: read(scope) for name, read in _READERS.items()}
    for read in extensions.table_readers():
        tables.update(read(scope.child_queryset))
    return Record.of(source="database", **tables)
