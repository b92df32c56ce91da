"""Section 2d: categories of abuse of the children on a plan at year end.

The DfE's basis is the plan's initial category (the one category, or MUL for several); the
latest category shows the picture now. Where a record keeps every category a conference chose,
the combinations show how often several are used together.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import polars as pl

from cpqa.domain import codes
from cpqa.domain.indicators.common import children_on_plan_at, label_expr, percent_expr
from cpqa.domain.tables import Record

Basis = Literal["initial", "latest"]


def _category_expr(basis: Basis) -> pl.Expr:
    if basis == "initial":
        return pl.col("initial_category")
    # A plan whose category never changed may carry no separate latest category.
    return pl.coalesce("latest_category", "initial_category")


def categories_on(record: Record, day: dt.date, basis: Basis) -> pl.DataFrame:
    """category, label, children, percent: NEG, EMO, PHY, SAB, MUL in that order.

    Percentages are of the children whose plan has a category, so the rows add up to 100.
    """
    children = children_on_plan_at(record, day)
    counted = children.group_by(_category_expr(basis).alias("category")).agg(
        pl.len().cast(pl.Int64).alias("children")
    )
    rows = (
        pl.DataFrame({"category": list(codes.CATEGORY)})
        .join(counted, on="category", how="left")
        .with_columns(pl.col("children").fill_null(0))
    )
    total = rows["children"].sum()
    return rows.with_columns(
        label_expr("category", codes.CATEGORY),
        percent_expr(pl.col("children"), pl.lit(total)).alias("percent"),
    ).select("category", "label", "children", "percent")


def _non_empty(column: str) -> pl.Expr:
    return pl.when(pl.col(column).list.len() > 0).then(pl.col(column))


def category_combinations_on(record: Record, day: dt.date) -> pl.DataFrame:
    """categories (sorted codes), label, children, percent; most children first.

    Each child's current plan is taken by its latest categories, else those chosen at the start,
    else its one category.
    """
    chosen = pl.coalesce(
        _non_empty("latest_categories"),
        _non_empty("initial_categories"),
        pl.concat_list(_category_expr("latest")),
    )
    # The combination's key lists its codes in sorted order, each once ("EMO+NEG"). Asking the
    # list for each known code in turn is much quicker than sorting every list.
    key = pl.concat_str(
        [pl.when(chosen.list.contains(code)).then(pl.lit(code)) for code in sorted(codes.CATEGORY)],
        separator="+",
        ignore_nulls=True,
    )
    counted = (
        children_on_plan_at(record, day)
        .select(key.alias("key"))
        .filter(pl.col("key") != "")
        .group_by("key")
        .agg(pl.len().cast(pl.Int64).alias("children"))
        .sort(["children", "key"], descending=[True, False])
    )
    total = counted["children"].sum()
    combinations = [joined.split("+") for joined in counted["key"]]
    return pl.DataFrame(
        {
            "categories": combinations,
            # A handful of distinct combinations: labelled one by one, in the seed's wording.
            "label": [codes.category_combination_label(c) for c in combinations],
            "children": counted["children"],
        },
        schema={"categories": pl.List(pl.String), "label": pl.String, "children": pl.Int64},
    ).with_columns(percent_expr(pl.col("children"), pl.lit(total)).alias("percent"))
