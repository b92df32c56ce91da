"""The rules about the child's characteristics (ChildCharacteristics) and disabilities (Disabilities)."""

from __future__ import annotations

import polars as pl

from cpqa.domain.codes import DISABILITY, ETHNICITY
from cpqa.interop.cin_check.helpers import found, no_findings, shown
from cpqa.interop.cin_check.registry import ERROR, QUERY, CensusModuleRules, CheckContext
from cpqa.interop.cin_check.rules.header import return_level

CHARACTERISTICS = CensusModuleRules("ChildCharacteristics")
DISABILITIES = CensusModuleRules("Disabilities")


def _codes(column: str) -> pl.Expr:
    return pl.col(column).list.join(" ").fill_null("blank")


@CHARACTERISTICS.rule("4220", ERROR, "Ethnicity", "Ethnicity is missing or invalid (see Ethnicity table)")
def _4220(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.children.filter(~pl.col("ethnicity").is_in(list(ETHNICITY)).fill_null(False))
    return found(bad, "child_id", shown("ethnicity", "Ethnicity"))


@CHARACTERISTICS.rule(
    "8540", ERROR, "Disability", "Child's disability is missing or invalid (see Disability table)"
)
def _8540(c: CheckContext) -> pl.DataFrame:
    # DfE: with a date of birth and at least one referral going on to further action, at least
    # one Disability must be present, and every one valid.
    further = c.tables.episodes.filter(pl.col("referral_nfa").eq(False)).select("child_id")
    children = c.tables.children.filter(pl.col("date_of_birth").is_not_null()).join(
        further, on="child_id", how="semi"
    )
    bad = children.filter(
        pl.col("disabilities").is_null()
        | (pl.col("disabilities").list.len() == 0)
        | ~pl.col("disabilities").list.eval(pl.element().is_in(list(DISABILITY))).list.all()
    )
    return found(bad, "child_id", pl.concat_str([pl.lit("Disability "), _codes("disabilities")]))


@DISABILITIES.rule("8790", ERROR, "Disability", "Disability information includes both None and other values")
def _8790(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.children.filter(
        pl.col("disabilities").list.contains("NONE").fill_null(False)
        & (pl.col("disabilities").list.len() > 1)
    )
    return found(bad, "child_id", pl.concat_str([pl.lit("Disability "), _codes("disabilities")]))


@DISABILITIES.rule("8794", ERROR, "Disability", "Child has two or more disabilities with the same code")
def _8794(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.children.filter(pl.col("disabilities").list.len() > pl.col("disabilities").list.n_unique())
    return found(bad, "child_id", pl.concat_str([pl.lit("Disability "), _codes("disabilities")]))


def _used(c: CheckContext) -> pl.Series:
    return c.tables.children["disabilities"].explode().drop_nulls()


@DISABILITIES.rule(
    "2887Q",
    QUERY,
    "Disability",
    "Please check and either amend or provide a reason: Less than 8 disability codes have been used in your "
    "return",
)
def _2887q(c: CheckContext) -> pl.DataFrame:
    # The DfE's words: fewer than 8 different disability codes (other than NONE) in the return.
    used = _used(c)
    distinct = used.filter(used.is_in(list(DISABILITY)) & (used != "NONE")).n_unique()
    if distinct >= 8:
        return no_findings()
    return return_level(f"{distinct} different disability codes used")


@DISABILITIES.rule(
    "2888Q",
    QUERY,
    "Disability",
    "Please check and either amend or provide a reason: Only one disability code is recorded per child and "
    "multiple disabilities should be recorded where possible.",
)
def _2888q(c: CheckContext) -> pl.DataFrame:
    per_child = c.tables.children.select(
        pl.col("disabilities").list.eval(pl.element().filter(pl.element() != "NONE")).list.len().alias("n")
    )["n"].drop_nulls()
    if per_child.len() == 0 or per_child.max() == 0 or per_child.max() > 1:
        return no_findings()
    return return_level("no child has more than one disability code")
