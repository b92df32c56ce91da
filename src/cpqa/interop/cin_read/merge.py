"""Merging several years' files (oldest first) into one set of raw tables, on natural keys."""

from __future__ import annotations

import polars as pl

from cpqa.interop.cin_read.raw import RAW_SCHEMAS, RawTables


def merge_files(raws: list[RawTables]) -> RawTables:
    """Merge files' raw tables (oldest first) on natural keys; positions by first appearance."""
    stacked = {
        name: pl.concat(
            [raw[name].with_columns(pl.lit(i, dtype=pl.Int64).alias("file_no")) for i, raw in enumerate(raws)]
        )
        for name in RAW_SCHEMAS
    }
    children = stacked["children"].with_columns(
        pl.lit(0, dtype=pl.Int64).alias("_return"), pl.int_range(pl.len()).over("file_no").alias("_row")
    )
    merged: RawTables = {"children": _merge_level(children, ["_return"], ["child_id"], "_row")[0]}
    merged["episodes"], episode_map = _merge_level(
        stacked["episodes"], ["child_id"], ["referral_date"], "e_no"
    )
    for name in ("assessments", "cin_plans", "s47", "plans", "reviews"):
        stacked[name] = _renumber(stacked[name], episode_map, ["child_id"], "e_no", "e_no")
    for name in ("assessments", "cin_plans", "s47"):
        merged[name], _ = _merge_level(stacked[name], ["child_id", "e_no"], ["start_date"], "n")
    merged["plans"], plan_map = _merge_level(stacked["plans"], ["child_id", "e_no"], ["start_date"], "n")
    reviews = _renumber(stacked["reviews"], plan_map, ["child_id", "e_no"], "p_no", "n")
    merged["reviews"], _ = _merge_level(reviews, ["child_id", "e_no", "p_no"], ["review_date"], "n")
    return {name: merged[name].select(list(schema)) for name, schema in RAW_SCHEMAS.items()}


def _renumber(
    frame: pl.DataFrame, mapping: pl.DataFrame, parents: list[str], column: str, mapped_position: str
) -> pl.DataFrame:
    """Point a nested table's parent position (`column`) at the parent's merged position."""
    lookup = mapping.rename({mapped_position: column}) if mapped_position != column else mapping
    return (
        frame.join(lookup, on=[*parents, column, "file_no"], how="left")
        .drop(column)
        .rename({"new_position": column})
    )


def _merge_level(
    frame: pl.DataFrame, parents: list[str], key: list[str], position: str
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One row per natural key, each fact from the latest file that states it.

    A census holds only its own year, so a later file's silence (no episode-level ICPC from
    two years ago) does not undo an earlier file's fact; a later file's value replaces it.
    Positions go by first appearance. Returns the merged rows and a map from (parents, old
    position, file_no) to the new position, for the tables nested below.
    """
    # Two rows with the same key in one file stay two facts: number the repeats.
    frame = frame.sort(["file_no", *parents, position]).with_columns(
        pl.int_range(pl.len()).over([*parents, *key, "file_no"]).alias("_repeat")
    )
    full_key = [*parents, *key, "_repeat"]
    facts = [c for c in frame.columns if c not in {*full_key, position, "file_no"}]
    merged = (
        frame.group_by(full_key, maintain_order=True)
        .agg(
            pl.col("file_no").first().alias("_first_file"),
            pl.col(position).first().alias("_first_position"),
            *[pl.col(c).drop_nulls().last() for c in facts],
        )
        .sort(["_first_file", "_first_position"])
        .with_columns(pl.int_range(1, pl.len() + 1, dtype=pl.Int64).over(parents).alias("new_position"))
    )
    mapping = frame.join(
        merged.select(*full_key, "new_position"), on=full_key, how="left", nulls_equal=True
    ).select([*parents, position, "file_no", "new_position"])
    merged = (
        merged.drop("_first_file", "_first_position", "_repeat")
        .rename({"new_position": position})
        .sort([*parents, position])
    )
    return merged, mapping
