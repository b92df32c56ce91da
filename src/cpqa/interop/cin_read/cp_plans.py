"""The ChildProtectionPlans of an episode, with their Reviews."""

from __future__ import annotations

import polars as pl
from lxml import etree

from cpqa.interop.cin_read.items import ItemReader

SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "plans": {
        "child_id": pl.String,
        "e_no": pl.Int64,
        "n": pl.Int64,
        "start_date": pl.Date,
        "end_date": pl.Date,
        "initial_category": pl.String,
        "latest_category": pl.String,
        "previous_plans": pl.Int64,
    },
    "reviews": {
        "child_id": pl.String,
        "e_no": pl.Int64,
        "p_no": pl.Int64,
        "n": pl.Int64,
        "review_date": pl.Date,
    },
}


def read_cp_plans(reader: ItemReader, child_id: str, e_no: int, elements: list[etree._Element]) -> None:
    for p_no, plan in enumerate(elements, start=1):
        fields, listed = reader.groups(plan, frozenset({"Reviews"}))
        reader.place(f"{child_id}/e{e_no}/p{p_no}", plan, fields)
        reader.rows["plans"].append(
            (
                child_id,
                e_no,
                p_no,
                reader.date(reader.required(fields, "CPPstartDate", plan), "CPPstartDate"),
                reader.date(fields.get("CPPendDate"), "CPPendDate"),
                # Read as they stand: DfE rules 8905/8910/8730 judge them in cin_check.
                reader.text(fields.get("InitialCategoryOfAbuse")),
                reader.text(fields.get("LatestCategoryOfAbuse")),
                reader.integer(fields.get("NumberOfPreviousCPP"), "NumberOfPreviousCPP"),
            )
        )
        _read_reviews(reader, child_id, e_no, p_no, listed.get("Reviews", []))


def _read_reviews(
    reader: ItemReader, child_id: str, e_no: int, p_no: int, elements: list[etree._Element]
) -> None:
    # Real files hold the dates either all in one Reviews or one Reviews per date.
    rows = reader.rows["reviews"]
    n = 0
    for reviews in elements:
        _, dates = reader.groups(reviews, frozenset({"CPPreviewDate"}))
        review_dates = dates.get("CPPreviewDate", [])
        if not review_dates:
            # A Reviews group with no date: kept so rule 8842Q can query it.
            n += 1
            reader.lines[f"{child_id}/e{e_no}/p{p_no}/r{n}"] = reviews.sourceline or 0
            rows.append((child_id, e_no, p_no, n, None))
        for review in review_dates:
            n += 1
            reader.lines[f"{child_id}/e{e_no}/p{p_no}/r{n}"] = review.sourceline or 0
            rows.append((child_id, e_no, p_no, n, reader.date(review, "CPPreviewDate")))
