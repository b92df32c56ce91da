"""The raw tables: a file's facts keyed by (child_id, positions) before ids are made.

Keeping the natural keys until the end lets several files merge on them first (`merge`). Each
census module's reader owns its tables' schemas; here they are gathered in the census's order.
"""

from __future__ import annotations

import polars as pl

from cpqa.interop.cin_read import assessments, child, cin_details, cin_plans, cp_plans, section47
from cpqa.interop.cin_read.items import CODE_SEPARATOR

RAW_SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    **child.SCHEMAS,
    **cin_details.SCHEMAS,
    **assessments.SCHEMAS,
    **cin_plans.SCHEMAS,
    **section47.SCHEMAS,
    **cp_plans.SCHEMAS,
}

RawTables = dict[str, pl.DataFrame]


def raw_tables(rows: dict[str, list[tuple]]) -> RawTables:
    """The rows read, as one frame per raw table, code lists split into lists."""
    tables = {}
    for name, schema in RAW_SCHEMAS.items():
        flat = {
            column: (pl.String if dtype == pl.List(pl.String) else dtype) for column, dtype in schema.items()
        }
        frame = pl.DataFrame(rows[name], schema=flat, orient="row")
        tables[name] = frame.with_columns(
            pl.when(pl.col(column) == "")
            .then(pl.lit([], dtype=pl.List(pl.String)))
            .otherwise(pl.col(column).str.split(CODE_SEPARATOR))
            .alias(column)
            for column, dtype in schema.items()
            if dtype == pl.List(pl.String)
        )
    return tables
