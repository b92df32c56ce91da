"""The rules about the return's Header (CollectionDetails)."""

from __future__ import annotations

import datetime as dt

import polars as pl

from cpqa.interop.cin_check.helpers import no_findings
from cpqa.interop.cin_check.registry import ERROR, CensusModuleRules, CheckContext

RULES = CensusModuleRules("Header")


def return_level(value: str, record_id: str | None = None) -> pl.DataFrame:
    """One finding about the whole return (no child)."""
    return pl.DataFrame(
        {"child_id": [None], "record_id": [record_id], "value": [value]},
        schema={"child_id": pl.String, "record_id": pl.String, "value": pl.String},
    )


@RULES.rule("100", ERROR, "ReferenceDate", "Reference Date is incorrect")
def _100(c: CheckContext) -> pl.DataFrame:
    # DfE: ReferenceDate must be present and be 31 March of the collection's Year. A record
    # checked without a file has no Header to judge.
    if not c.has_header:
        return no_findings()
    year, reference = c.header_year, c.header_reference_date
    expected = dt.date(year, 3, 31) if year is not None and 1 <= year <= 9999 else None
    if reference is not None and reference == expected:
        return no_findings()
    return return_level(
        f"Year {year if year is not None else 'blank'}, ReferenceDate "
        f"{reference.isoformat() if reference else 'blank'}",
        "Header",
    )
