"""The CINPlanDates of an episode."""

from __future__ import annotations

import polars as pl
from lxml import etree

from cpqa.interop.cin_read.items import ItemReader

SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "cin_plans": {
        "child_id": pl.String,
        "e_no": pl.Int64,
        "n": pl.Int64,
        "start_date": pl.Date,
        "end_date": pl.Date,
    },
}


def read_cin_plans(reader: ItemReader, child_id: str, e_no: int, elements: list[etree._Element]) -> None:
    for n, plan in enumerate(elements, start=1):
        fields, _ = reader.groups(plan)
        reader.place(f"{child_id}/e{e_no}/c{n}", plan, fields)
        reader.rows["cin_plans"].append(
            (
                child_id,
                e_no,
                n,
                reader.date(reader.required(fields, "CINPlanStartDate", plan), "CINPlanStartDate"),
                reader.date(fields.get("CINPlanEndDate"), "CINPlanEndDate"),
            )
        )
