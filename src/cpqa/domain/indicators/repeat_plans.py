"""Section 3a: the QA manager's reviews of children subject of a plan for a second or later time.

The counting by finding is the repeat-plan workflow's own (`oversight.repeat_plan_findings`);
the report adds the year, the list's order and the percentages.
"""

from __future__ import annotations

import polars as pl

from cpqa.domain import codes
from cpqa.domain.calendar import ReportingYear
from cpqa.domain.indicators.common import in_year_expr, label_expr, percent_expr
from cpqa.domain.oversight import repeat_plan_findings
from cpqa.domain.tables import Record


def repeat_plan_reviews(record: Record, year: ReportingYear, *, families_known: bool = True) -> pl.DataFrame:
    """finding, label, families, children, percent (of the children reviewed in the year).

    Every finding on the list has a row, in the list's order, then any other finding recorded.
    """
    counted = repeat_plan_findings(record.repeat_plan_reviews.filter(in_year_expr("reviewed_date", year)))
    listed = list(codes.REPEAT_PLAN_FINDING)
    others = sorted(f for f in counted["finding"].to_list() if f not in codes.REPEAT_PLAN_FINDING)
    rows = (
        pl.DataFrame({"finding": listed + others}, schema={"finding": pl.String})
        .join(counted, on="finding", how="left")
        .with_columns(pl.col("families", "children").fill_null(0))
    )
    total = rows["children"].sum()
    rows = rows.with_columns(
        label_expr("finding", codes.REPEAT_PLAN_FINDING),
        percent_expr(pl.col("children"), pl.lit(total)).alias("percent"),
    )
    if not families_known:
        rows = rows.with_columns(pl.lit(None, dtype=pl.Int64).alias("families"))
    return rows.select("finding", "label", "families", "children", "percent")
