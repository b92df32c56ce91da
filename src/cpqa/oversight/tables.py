"""The record's oversight tables: the QA workflows' own rows as tables of the record.

Apart from `cpqa.oversight.selectors` (the QA lists, which need the accounts' access rules)
because every read of the record calls this (`cpqa.record.selectors.record_tables`, through
what `cpqa.oversight.apps` registers), and a report or an export needs nothing else here.
"""

from __future__ import annotations

import polars as pl
from django.db.models import Q, QuerySet

from cpqa.domain.tables import conform
from cpqa.oversight import models as qa
from cpqa.record import models as m
from cpqa.record.selectors import split_codes, table_from_rows


def oversight_tables(*, children: QuerySet[m.Child] | None = None) -> dict[str, pl.DataFrame]:
    """The five QA tables of the record, for all children or only those in `children`."""
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

    links = table_from_rows(
        "escalation_children",
        qa.EscalationChild.objects.filter(escalation__in=escalations.values("pk")).values_list(
            "escalation_id", "child__local_id"
        ),
        ["escalation_id", "child_id"],
        keys=["escalation_id"],
    )
    note_frame = table_from_rows(
        "concern_notes",
        notes.values_list("pk", "child__local_id", "family__reference", "kind", "recorded_date", "author_id"),
        ["note_id", "child_id", "family_id", "kind", "recorded_date", "author_id"],
        keys=["note_id", "author_id"],
    )
    repeat_frame = table_from_rows(
        "repeat_plan_reviews",
        repeat.values_list(
            "pk",
            "plan_id",
            "plan__child__local_id",
            "plan__child__family__reference",
            "reviewed_date",
            "finding",
        ),
        ["review_id", "plan_id", "child_id", "family_id", "reviewed_date", "finding"],
        keys=["review_id", "plan_id"],
    )
    midway_frame = table_from_rows(
        "midway_reviews",
        midways.values_list("pk", "plan_id", "plan__child__local_id", "due_date", "held_date", "chair_id"),
        ["midway_id", "plan_id", "child_id", "due_date", "held_date", "chair_id"],
        keys=["midway_id", "plan_id", "chair_id"],
    )
    return {
        "escalations": conform("escalations", _escalation_frame(escalations)),
        "escalation_children": conform("escalation_children", links),
        "concern_notes": conform("concern_notes", note_frame),
        "repeat_plan_reviews": conform("repeat_plan_reviews", repeat_frame),
        "midway_reviews": conform("midway_reviews", midway_frame),
    }


def _escalation_frame(escalations: QuerySet[qa.Escalation]) -> pl.DataFrame:
    """The escalations table: each escalation with the highest stage it reached and the reasons
    it went on from each stage, read from its stages."""
    stage_rows = qa.EscalationStage.objects.filter(escalation__in=escalations.values("pk")).order_by(
        "escalation_id", "stage"
    )
    reached: dict[int, int] = {}
    onward: dict[int, list[str]] = {}
    for escalation_id, stage, onward_reason in stage_rows.values_list(
        "escalation_id", "stage", "onward_reason"
    ):
        reached[escalation_id] = max(stage, reached.get(escalation_id, 0))
        if onward_reason:
            onward.setdefault(escalation_id, []).append(onward_reason)
    escalation_rows = [
        (
            pk,
            family,
            raised,
            by,
            raised_stage,
            reached.get(pk, raised_stage),
            resolved_stage,
            resolved,
            reasons,
            onward.get(pk, []),
        )
        for pk, family, raised, by, raised_stage, resolved_stage, resolved, reasons in escalations.values_list(
            "pk",
            "family__reference",
            "raised_date",
            "raised_by_id",
            "stage_raised",
            "resolved_stage",
            "resolved_date",
            "reasons",
        )
    ]
    escalation_frame = table_from_rows(
        "escalations",
        [row[:-1] for row in escalation_rows],
        [
            "escalation_id",
            "family_id",
            "raised_date",
            "raised_by",
            "stage_raised",
            "stage_reached",
            "resolved_stage",
            "resolved_date",
            "reasons",
        ],
        keys=["escalation_id", "raised_by"],
    )
    return split_codes(escalation_frame, "reasons", " ").with_columns(
        pl.Series("onward_reasons", [row[-1] for row in escalation_rows], dtype=pl.List(pl.String))
    )
