"""The Section47 enquiries of an episode, with their initial conferences."""

from __future__ import annotations

import polars as pl
from lxml import etree

from cpqa.interop.cin_read.items import ItemReader

SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "s47": {
        "child_id": pl.String,
        "e_no": pl.Int64,
        "n": pl.Int64,
        "start_date": pl.Date,
        "icpc_target_date": pl.Date,
        "icpc_date": pl.Date,
        "icpc_not_required": pl.Boolean,
    },
}


def read_section47(reader: ItemReader, child_id: str, e_no: int, elements: list[etree._Element]) -> None:
    for n, enquiry in enumerate(elements, start=1):
        fields, _ = reader.groups(enquiry)
        reader.place(f"{child_id}/e{e_no}/s{n}", enquiry, fields)
        reader.rows["s47"].append(
            (
                child_id,
                e_no,
                n,
                reader.date(reader.required(fields, "S47ActualStartDate", enquiry), "S47ActualStartDate"),
                reader.date(fields.get("InitialCPCtarget"), "InitialCPCtarget"),
                reader.date(fields.get("DateOfInitialCPC"), "DateOfInitialCPC"),
                reader.boolean(fields.get("ICPCnotRequired"), "ICPCnotRequired"),
            )
        )
