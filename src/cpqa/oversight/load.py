"""The QA tables of a record (escalations, concern notes, repeat-plan and midway reviews) into this
app's models: the loader the oversight app registers with the record (`cpqa.record.extensions`),
so a CIN import or the synthetic authority loads them without the record knowing this app.

Each function takes the load in progress (`cpqa.record.load.loader.Loader`): the record being
loaded, the database keys of what it has written so far, and its bulk machinery.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import polars as pl
from django.core.exceptions import ValidationError
from django.db import models

from cpqa.oversight import models as qa
from cpqa.oversight.services import do_import_escalation
from cpqa.record import models as m
from cpqa.record.errors import RecordError
from cpqa.record.load.loader import Loader
from cpqa.record.load.rows import (
    IMPORT_USERNAME,
    LOOKUP_IDS,
    NOTE_TEXT_NOT_IN_SOURCE,
    Row,
    chunks,
    distinct_rows,
    messages_of,
)


def load_qa_tables(loader: Loader) -> None:
    """Write the record's QA tables that have rows, each through its own function."""
    record = loader.record
    tables = (
        (qa.Escalation, record.escalations, _escalations),
        (qa.ConcernNote, record.concern_notes, _concern_notes),
        (qa.RepeatPlanReview, record.repeat_plan_reviews, _repeat_plan_reviews),
        (qa.MidwayReview, record.midway_reviews, _midway_reviews),
    )
    for model, frame, load in tables:
        if frame.height:
            load(loader, model, frame)


def _escalations(loader: Loader, model: type[models.Model], frame: pl.DataFrame) -> None:
    # The oversight app's own import turns a row into the escalation and its stages.
    by = _import_user(loader)
    children_of: dict[str, list[str]] = defaultdict(list)
    for escalation, child in loader.record.escalation_children.iter_rows():
        children_of[escalation].append(child)
    raised_days = frame.get_column("raised_date").drop_nulls().unique().to_list()
    existing = set()
    for part in chunks(raised_days, LOOKUP_IDS):
        for e in model.objects.filter(raised_date__in=part).values(
            "family_id", "raised_date", "stage_raised", "raised_by_id", "reasons"
        ):
            existing.add(
                (e["family_id"], e["raised_date"], e["stage_raised"], e["raised_by_id"], e["reasons"])
            )
    added = 0
    for e in frame.iter_rows(named=True):
        family = loader.family_pk.get(e["family_id"]) if e["family_id"] else None
        raised_by = loader.staff_pk.get(e["raised_by"]) if e["raised_by"] else None
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
                children=list(m.Child.objects.filter(pk__in=[loader.child_pk[c] for c in child_ids])),
                by=by,
                family=m.Family.objects.get(pk=family) if family else None,
                resolved_stage=e["resolved_stage"],
                resolved_date=e["resolved_date"],
            )
        except (ValidationError, RecordError) as exc:
            place = f"child {who}" if who else f"escalation {e['escalation_id']}"
            detail = messages_of(exc) if isinstance(exc, ValidationError) else str(exc)
            raise RecordError(f"{place}: escalations: {detail}") from None
        existing.add(key)
        added += 1
    loader.summary.count("escalations", added, 0)


def _import_user(loader: Loader) -> Any:
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


def _concern_notes(loader: Loader, model: type[models.Model], frame: pl.DataFrame) -> None:
    text = NOTE_TEXT_NOT_IN_SOURCE.format(source=loader.record.source)
    days = frame.get_column("recorded_date").drop_nulls().unique().to_list()
    found: dict[tuple, dict[str, Any]] = {}
    if not loader.fresh:
        for part in chunks(days, LOOKUP_IDS):
            for n in model.objects.filter(recorded_date__in=part).values(
                "pk", "kind", "child_id", "family_id", "recorded_date", "author_id"
            ):
                found[(n["kind"], n["child_id"], n["family_id"], n["recorded_date"], n["author_id"])] = n
    rows = []
    for n in frame.iter_rows(named=True):
        child = loader.child_pk.get(n["child_id"]) if n["child_id"] else None
        family = loader.family_pk.get(n["family_id"]) if n["family_id"] else None
        author = loader.staff_pk.get(n["author_id"]) if n["author_id"] else None
        values = {
            "kind": n["kind"],
            "child_id": child,
            "family_id": family,
            "recorded_date": n["recorded_date"],
            "author_id": author,
        }
        rows.append(
            Row(
                key=(n["kind"], child, family, n["recorded_date"], author),
                child=n["child_id"],
                values=values,
                create_only={"note": text},
            )
        )
    loader.upsert("concern_notes", model, distinct_rows(rows), found, keys_needed=False)


def _plan_of(loader: Loader, plan_id: str | None, child: str | None, table: str) -> int:
    if plan_id is None or plan_id not in loader.plan:
        raise RecordError(f"child {child}: {table}: plan_id {plan_id!r} is not a plan in the record")
    return loader.plan[plan_id][0]


def _repeat_plan_reviews(loader: Loader, model: type[models.Model], frame: pl.DataFrame) -> None:
    rows = []
    for r in frame.iter_rows(named=True):
        plan = _plan_of(loader, r["plan_id"], r["child_id"], "repeat_plan_reviews")
        rows.append(
            Row(
                key=(plan,),
                child=r["child_id"],
                values={"plan_id": plan, "reviewed_date": r["reviewed_date"], "finding": r["finding"]},
            )
        )
    existing = loader.existing_rows(
        model,
        "plan_id",
        [row.key[0] for row in rows],
        lambda r: (r["plan_id"],),
        ["plan_id", "reviewed_date", "finding"],
    )
    loader.upsert("repeat_plan_reviews", model, rows, existing, keys_needed=False)


def _midway_reviews(loader: Loader, model: type[models.Model], frame: pl.DataFrame) -> None:
    rows = []
    for r in frame.iter_rows(named=True):
        plan = _plan_of(loader, r["plan_id"], r["child_id"], "midway_reviews")
        values = {
            "plan_id": plan,
            "due_date": r["due_date"],
            "held_date": r["held_date"],
            "chair_id": loader.staff_pk.get(r["chair_id"]) if r["chair_id"] else None,
        }
        rows.append(Row(key=(plan, r["due_date"]), child=r["child_id"], values=values))
    existing = loader.existing_rows(
        model,
        "plan_id",
        [row.key[0] for row in rows],
        lambda r: (r["plan_id"], r["due_date"]),
        ["plan_id", "due_date", "held_date", "chair_id"],
    )
    loader.upsert("midway_reviews", model, rows, existing, keys_needed=False)
