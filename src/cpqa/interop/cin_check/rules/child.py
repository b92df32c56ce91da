"""The rules about the child's identifiers (ChildIdentifiers): the LA child id, sex and birth dates."""

from __future__ import annotations

import datetime as dt

import polars as pl

from cpqa.domain.calendar import add_months
from cpqa.domain.codes import SEX
from cpqa.interop.cin_check.helpers import found, shown
from cpqa.interop.cin_check.registry import ERROR, QUERY, CensusModuleRules, CheckContext

RULES = CensusModuleRules("ChildIdentifiers")

# The years (first years) of the census's Sex item, and of GenderCurrent before it.
SEX_YEARS = range(2024, 2027)
GENDER_YEARS = range(2022, 2024)
GENDER_CURRENT_CODES = ("1", "2", "0", "9")


@RULES.rule("8500", ERROR, "LAchildID", "LA Child ID missing")
def _8500(c: CheckContext) -> pl.DataFrame:
    missing = c.tables.children.filter(
        pl.col("child_id").is_null() | (pl.col("child_id").str.strip_chars() == "")
    )
    return found(missing, "child_id", pl.lit("LAchildID blank"))


@RULES.rule("8510", ERROR, "LAchildID", "More than one child record with the same LA Child ID")
def _8510(c: CheckContext) -> pl.DataFrame:
    twice = c.tables.children.filter(pl.len().over("child_id") > 1).unique("child_id", maintain_order=True)
    return found(twice, "child_id", shown("child_id", "LAchildID"))


@RULES.rule("1570", ERROR, years=SEX_YEARS, field="LAchildID", message="LA Child ID must not be longer than 20 characters")
def _1570(c: CheckContext) -> pl.DataFrame:
    long = c.tables.children.filter(pl.col("child_id").str.len_chars() > 20)
    return found(long, "child_id", shown("child_id", "LAchildID"))


@RULES.rule("1580", ERROR, years=SEX_YEARS, field="LAchildID", message="LA Child ID must not contain any non-alphanumeric characters")
def _1580(c: CheckContext) -> pl.DataFrame:
    odd = c.tables.children.filter(~pl.col("child_id").str.contains(r"^[A-Za-z0-9]*$"))
    return found(odd, "child_id", shown("child_id", "LAchildID"))


@RULES.rule("4180", ERROR, "Sex", "Sex must be provided and equal M, F, or U", years=SEX_YEARS)
def _4180(c: CheckContext) -> pl.DataFrame:
    # The Sex element itself: a file that still carries GenderCurrent breaks it for every child.
    bad = c.child_items.filter(~pl.col("sex_item").is_in(list(SEX)).fill_null(False))
    return found(bad, "child_id", shown("sex_item", "Sex"))


@RULES.rule(
    "4180", ERROR, "GenderCurrent", "Gender must be provided and equal 0, 1, 2 or 9", years=GENDER_YEARS
)
def _4180_gender(c: CheckContext) -> pl.DataFrame:
    # Up to 2023-24 the item is GenderCurrent: a file carrying Sex instead breaks it for every child.
    bad = c.child_items.filter(~pl.col("gender_current").is_in(GENDER_CURRENT_CODES).fill_null(False))
    return found(bad, "child_id", shown("gender_current", "GenderCurrent"))


@RULES.rule(
    "8525Q",
    QUERY,
    "PersonBirthDate",
    "Either Date of Birth or Expected Date of Birth must be provided (but not both)",
)
def _8525q(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.children.filter(
        pl.col("date_of_birth").is_null() == pl.col("expected_date_of_birth").is_null()
    )
    return found(
        bad,
        "child_id",
        shown("date_of_birth", "PersonBirthDate"),
        shown("expected_date_of_birth", "ExpectedPersonBirthDate"),
    )


@RULES.rule(
    "8530Q",
    QUERY,
    "ExpectedPersonBirthDate",
    "Expected Date of Birth is outside the expected range for this census "
    "(from 30 days before to 9 months after the reference date)",
)
def _8530q(c: CheckContext) -> pl.DataFrame:
    earliest = c.reference_date - dt.timedelta(days=30)
    latest = add_months(c.reference_date, 9)
    bad = c.tables.children.filter(
        (pl.col("expected_date_of_birth") <= earliest) | (pl.col("expected_date_of_birth") >= latest)
    )
    return found(bad, "child_id", shown("expected_date_of_birth", "ExpectedPersonBirthDate"))


def _unborn_not(c: CheckContext, item: str, code: str) -> pl.DataFrame:
    unborn = c.tables.children.filter(
        pl.col("date_of_birth").is_null() & pl.col("expected_date_of_birth").is_not_null()
    ).select("child_id")
    return c.child_items.join(unborn, on="child_id", how="semi").filter((pl.col(item) != code).fill_null(True))


@RULES.rule("8750", ERROR, "Sex", "Sex must equal U for an unborn child", years=SEX_YEARS)
def _8750(c: CheckContext) -> pl.DataFrame:
    return found(_unborn_not(c, "sex_item", "U"), "child_id", shown("sex_item", "Sex"))


@RULES.rule("8750", ERROR, "GenderCurrent", "Gender must equal 0 for an unborn child", years=GENDER_YEARS)
def _8750_gender(c: CheckContext) -> pl.DataFrame:
    return found(_unborn_not(c, "gender_current", "0"), "child_id", shown("gender_current", "GenderCurrent"))
