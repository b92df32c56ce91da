"""Pieces the rules of several census modules share: how a finding names its values, and joins."""

from __future__ import annotations

import polars as pl

from cpqa.interop.cin_check.registry import CheckContext


def shown(column: str, label: str | None = None) -> pl.Expr:
    """`CPPstartDate 2024-06-01` (or `... blank`), for the finding's value."""
    # Dates cast to ISO text, booleans to true/false.
    return pl.concat_str([pl.lit(f"{label or column} "), pl.col(column).cast(pl.String).fill_null("blank")])


def values(*parts: pl.Expr) -> pl.Expr:
    return pl.concat_str(list(parts), separator=", ").alias("value")


def found(frame: pl.DataFrame, record_id: str, *parts: pl.Expr) -> pl.DataFrame:
    return frame.select(pl.col("child_id"), pl.col(record_id).alias("record_id"), values(*parts))


def is_true(column: str) -> pl.Expr:
    return pl.col(column).fill_null(False)


def is_weekend(column: str) -> pl.Expr:
    return pl.col(column).dt.weekday() >= 6


def with_episode(frame: pl.DataFrame, c: CheckContext, *columns: str) -> pl.DataFrame:
    return frame.join(c.tables.episodes.select("episode_id", *columns), on="episode_id", how="inner")


def episode_has(frame: pl.DataFrame, name: str) -> pl.DataFrame:
    """One row per episode that has at least one row in `frame`, flagged `name`."""
    return frame.select("episode_id").unique().with_columns(pl.lit(True).alias(name))


def pairs_within_child(frame: pl.DataFrame, id_column: str, by: str = "child_id") -> pl.DataFrame:
    """Every pair of different rows of the same child (or episode): columns suffixed `_other`."""
    return frame.join(frame, on=by, how="inner", suffix="_other").filter(
        pl.col(id_column) != pl.col(f"{id_column}_other")
    )


def cin_and_cp_plans(c: CheckContext, by: str) -> pl.DataFrame:
    cin = c.tables.cin_plans.select(
        by,
        "cin_plan_id",
        pl.col("start_date").alias("cin_start"),
        pl.col("end_date").alias("cin_end"),
    )
    return c.tables.plans.join(cin, on=by, how="inner")


def no_findings() -> pl.DataFrame:
    return pl.DataFrame(schema={"child_id": pl.String, "record_id": pl.String, "value": pl.String})
