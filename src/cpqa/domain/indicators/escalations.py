"""Section 6: the chairs' formal escalations (the seed's CERPs) and informal challenge."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from cpqa.domain import codes
from cpqa.domain.calendar import ReportingYear
from cpqa.domain.counting import families_expr
from cpqa.domain.indicators.common import count_where, in_year_expr, label_expr
from cpqa.domain.tables import Record

STAGES: tuple[int, ...] = tuple(sorted(codes.ESCALATION_STAGE))


def escalation_measures() -> dict[str, str]:
    """Every measure of the escalations table with its label, in the order shown."""
    measures = {
        "formal_escalations": "Formal escalations raised",
        "families": "Families",
        "children": "Children",
    }
    for stage in STAGES:
        measures[f"raised_stage_{stage}"] = f"Raised at stage {stage}"
    for stage in STAGES:
        measures[f"resolved_stage_{stage}"] = f"Resolved at stage {stage}"
    measures["unresolved"] = "Not yet resolved"
    for stage in STAGES[:-1]:
        measures[f"escalated_from_stage_{stage}"] = f"Escalated from stage {stage} to stage {stage + 1}"
    measures["informal_concerns"] = "Chair case of concern notes (informal)"
    measures["qa_case_notes"] = "QA case notes"
    return measures


def escalations(record: Record, year: ReportingYear, *, families_known: bool = True) -> pl.DataFrame:
    """measure, label, count: escalations raised in the year, by stage raised and stage resolved,
    the families and children involved, and the informal notes recorded in the year."""
    raised = record.escalations.filter(in_year_expr("raised_date", year))
    stage_raised, stage_reached, resolved = pl.col("stage_raised"), pl.col("stage_reached"), pl.col("resolved_stage")
    counts: list[pl.Expr] = [pl.len().cast(pl.Int64).alias("formal_escalations")]
    counts += [count_where(stage_raised == s).alias(f"raised_stage_{s}") for s in STAGES]
    counts += [count_where(resolved == s).alias(f"resolved_stage_{s}") for s in STAGES]
    counts.append(count_where(resolved.is_null()).alias("unresolved"))
    # An escalation went on from stage s when it was raised at or below s and reached beyond it.
    counts += [
        count_where((stage_raised <= s) & (pl.coalesce(stage_reached, stage_raised) > s)).alias(
            f"escalated_from_stage_{s}"
        )
        for s in STAGES[:-1]
    ]
    values = raised.select(counts).row(0, named=True)
    values["families"] = (
        raised.select(families_expr()).item() if families_known else None
    )
    values["children"] = (
        record.escalation_children.join(raised.select("escalation_id"), on="escalation_id", how="semi")
        .select(pl.col("child_id").n_unique())
        .item()
    )
    notes = record.concern_notes.filter(in_year_expr("recorded_date", year))
    values["informal_concerns"] = notes.select(count_where(pl.col("kind") == "chair_case_of_concern")).item()
    values["qa_case_notes"] = notes.select(count_where(pl.col("kind") == "qa_case_note")).item()
    measures = escalation_measures()
    return pl.DataFrame(
        {
            "measure": list(measures),
            "label": list(measures.values()),
            "count": [values[m] for m in measures],
        },
        schema={"measure": pl.String, "label": pl.String, "count": pl.Int64},
    )


def _reasons(raised: pl.DataFrame, column: str, code_list: Mapping[str, str]) -> pl.DataFrame:
    counted = (
        raised.select(pl.col(column).alias("reason"))
        .explode("reason")
        .drop_nulls()
        .group_by("reason")
        .agg(pl.len().cast(pl.Int64).alias("count"))
    )
    listed = list(code_list)
    others = sorted(r for r in counted["reason"].to_list() if r not in code_list)
    return (
        pl.DataFrame({"reason": listed + others, "position": list(range(len(listed) + len(others)))})
        .join(counted, on="reason", how="left")
        .with_columns(pl.col("count").fill_null(0), label_expr("reason", code_list))
        .sort(["count", "position"], descending=[True, False])
        .select("reason", "label", "count")
    )


def escalation_reasons(record: Record, year: ReportingYear) -> pl.DataFrame:
    """reason, label, count: the reasons given for the escalations raised in the year, most first
    (an escalation with several reasons counts under each)."""
    return _reasons(record.escalations.filter(in_year_expr("raised_date", year)), "reasons", codes.ESCALATION_REASON)


def escalation_onward_reasons(record: Record, year: ReportingYear) -> pl.DataFrame:
    """reason, label, count: why escalations raised in the year went on to a higher stage."""
    return _reasons(
        record.escalations.filter(in_year_expr("raised_date", year)),
        "onward_reasons",
        codes.ESCALATION_ONWARD_REASON,
    )
