"""The Assessments of an episode, with their factors."""

from __future__ import annotations

import polars as pl
from lxml import etree

from cpqa.domain import codes
from cpqa.interop.cin_read.items import ItemReader, joined

SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "assessments": {
        "child_id": pl.String,
        "e_no": pl.Int64,
        "n": pl.Int64,
        "start_date": pl.Date,
        "authorised_date": pl.Date,
        "factors": pl.List(pl.String),
    },
}


def read_assessments(reader: ItemReader, child_id: str, e_no: int, elements: list[etree._Element]) -> None:
    for n, assessment in enumerate(elements, start=1):
        fields, _ = reader.groups(assessment)
        reader.place(f"{child_id}/e{e_no}/a{n}", assessment, fields)
        factors: list[str] = []
        if "FactorsIdentifiedAtAssessment" in fields:
            factors = reader.code_list(
                fields["FactorsIdentifiedAtAssessment"], "AssessmentFactors", codes.ASSESSMENT_FACTOR
            )
        reader.rows["assessments"].append(
            (
                child_id,
                e_no,
                n,
                reader.date(
                    reader.required(fields, "AssessmentActualStartDate", assessment),
                    "AssessmentActualStartDate",
                ),
                reader.date(fields.get("AssessmentAuthorisationDate"), "AssessmentAuthorisationDate"),
                joined(factors),
            )
        )
