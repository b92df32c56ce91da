"""The QA workflows' tables as the record's tables: `escalations`, `escalation_children`,
`concern_notes`, `repeat_plan_reviews` and `midway_reviews`.

Registered with the record (`cpqa.oversight.apps`), so `cpqa.record.selectors.record_tables()`
returns them with the rest, narrowed to the same children.
"""

from __future__ import annotations

import polars as pl
from django.db.models import Q, QuerySet

from cpqa.domain.tables import conform
from cpqa.oversight import models as qa
from cpqa.record import models as m
from cpqa.record.selectors import split_codes, table_from_rows

ESCALATION_COLUMNS = [
    "escalation_id", "family_id", "raised_date", "raised_by", "stage_raised", "stage_reached",
    "resolved_stage", "resolved_date", "reasons",
]


def _stages_reached(escalations: QuerySet[qa.Escalation]) -> tuple[dict[int, int], dict[int, list[str]]]:
    """Per escalation: the highest stage it reached, and why it went on from each stage."""
    stage_rows = qa.EscalationStage.objects.filter(escalation__in=escalations.values("pk")).order_by(
        "escalation_id", "stage"
    )
    reached: dict[int, int] = {}
    onward: dict[int, list[str]] = {}
    for escalation_id, stage, onward_reason in stage_rows.values_list("escalation_id", "stage", "onward_reason"):
        reached[escalation_id] = max(stage, reached.get(escalation_id, 0))
        if onward_reason:
            onward.setdefault(escalation_id, []).append(onward_reason)
    return reached, onward


def _escalations(escalations: QuerySet[qa.Escalation]) -> pl.DataFrame:
    reached, onward = _stages_reached(escalations)
    rows = escalations.values_list(
        "pk", "family__reference", "raised_date", "raised_by_id", "stage_raised", "resolved_stage",
        "resolved_date", "reasons",
    )
    escalation_rows = [
        (pk, family, raised, by, raised_stage, reached.get(pk, raised_stage), resolved_stage, resolved, reasons)
        for pk, family, raised, by, raised_stage, resolved_stage, resolved, reasons in rows
    ]
    frame = table_from_rows("escalations", escalation_rows, ESCALATION_COLUMNS, keys=["escalation_id", "raised_by"])
    onward_reasons = [onward.get(row[0], []) for row in escalation_rows]
    return split_codes(frame, "reasons", " ").with_columns(
        pl.Series("onward_reasons", onward_reasons, dtype=pl.List(pl.String))
    )


def _escalation_children(escalations: QuerySet[qa.Escalation]) -> pl.DataFrame:
    return table_from_rows(
        "escalation_children",
        qa.EscalationChild.objects.filter(escalation__in=escalations.values("pk")).values_list(
            "escalation_id", "child__local_id"
        ),
        ["escalation_id", "child_id"],
        keys=["escalation_id"],
    )


def _escalation_stages(escalations: QuerySet[qa.Escalation]) -> pl.DataFrame:
    rows = qa.EscalationStage.objects.filter(escalation__in=escalations.values("pk")).values_list(
        "escalation_id", "stage", "started_date", "response_due_date", "response_date", "outcome", "owner"
    )
    # An open stage's outcome is stored as "" in the model; the record's tables say null.
    cleaned = [(*row[:5], row[5] or None, row[6]) for row in rows]
    return table_from_rows(
        "escalation_stages", cleaned,
        ["escalation_id", "stage", "started_date", "response_due_date", "response_date", "outcome", "owner"],
        keys=["escalation_id"],
    )


def _concern_notes(notes: QuerySet[qa.ConcernNote]) -> pl.DataFrame:
    return table_from_rows(
        "concern_notes",
        notes.values_list("pk", "child__local_id", "family__reference", "kind", "recorded_date", "author_id"),
        ["note_id", "child_id", "family_id", "kind", "recorded_date", "author_id"],
        keys=["note_id", "author_id"],
    )


def _repeat_plan_reviews(reviews: QuerySet[qa.RepeatPlanReview]) -> pl.DataFrame:
    return table_from_rows(
        "repeat_plan_reviews",
        reviews.values_list(
            "pk", "plan_id", "plan__child__local_id", "plan__child__family__reference", "reviewed_date", "finding"
        ),
        ["review_id", "plan_id", "child_id", "family_id", "reviewed_date", "finding"],
        keys=["review_id", "plan_id"],
    )


def _midway_reviews(midways: QuerySet[qa.MidwayReview]) -> pl.DataFrame:
    return table_from_rows(
        "midway_reviews",
        midways.values_list("pk", "plan_id", "plan__child__local_id", "due_date", "held_date", "chair_id"),
        ["midway_id", "plan_id", "child_id", "due_date", "held_date", "chair_id"],
        keys=["midway_id", "plan_id", "chair_id"],
    )


def oversight_tables(*, children: QuerySet[m.Child] | None = None) -> dict[str, pl.DataFrame]:
    """The six QA tables of the record, for all children or only those in `children`.

    A note about a family with no child named belongs to the children of that family; an
    escalation to the children it names.
    """
    notes = qa.ConcernNote.objects.all()
    escalations = qa.Escalation.objects.all()
    repeat = qa.RepeatPlanReview.objects.all()
    midways = qa.MidwayReview.objects.all()
    if children is not None:
        ids = children.values("pk")
        families = children.exclude(family__isnull=True).values("family_id")
        notes = notes.filter(Q(child__in=ids) | Q(child__isnull=True, family__in=families))
        escalations = escalations.filter(child_links__child__in=ids).distinct()
        repeat = repeat.filter(plan__child__in=ids)
        midways = midways.filter(plan__child__in=ids)
    return {
        "escalations": conform("escalations", _escalations(escalations)),
        "escalation_children": conform("escalation_children", _escalation_children(escalations)),
        "escalation_stages": conform("escalation_stages", _escalation_stages(escalations)),
        "concern_notes": conform("concern_notes", _concern_notes(notes)),
        "repeat_plan_reviews": conform("repeat_plan_reviews", _repeat_plan_reviews(repeat)),
        "midway_reviews": conform("midway_reviews", _midway_reviews(midways)),
    }
