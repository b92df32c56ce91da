"""The rules about assessments (Assessments): superseded assessment factors."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from cpqa.interop.cin_check.helpers import found
from cpqa.interop.cin_check.registry import QUERY, CensusModuleRules, CheckContext

RULES = CensusModuleRules("Assessments")


def _superseded_factor(code: str) -> Callable[[CheckContext], pl.DataFrame]:
    def find(c: CheckContext) -> pl.DataFrame:
        bad = c.tables.assessments.filter(pl.col("factors").list.contains(code).fill_null(False))
        return found(bad, "assessment_id", pl.lit(f"AssessmentFactors {code}"))

    return find


RULES.rule(
    "8945Q",
    QUERY,
    "AssessmentFactors",
    "Factor 18A (physical abuse) is superseded: 18B or 18C should be used instead",
)(_superseded_factor("18A"))


RULES.rule(
    "8950Q",
    QUERY,
    "AssessmentFactors",
    "Factor 19A (sexual abuse) is superseded: 19B or 19C should be used instead",
)(_superseded_factor("19A"))
