"""The file's Header: the collection details (reference date, year) and the source LA."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lxml import etree

from cpqa.interop.cin_read.items import ItemReader


@dataclass(frozen=True)
class CinHeader:
    """What the file's Header says about the return."""

    reference_date: dt.date | None = None
    year: int | None = None
    la_code: str | None = None


def read_header(reader: ItemReader, element: etree._Element) -> CinHeader:
    reader.child_id = None
    single, many = reader.groups(element, frozenset({"Source"}))
    reference_date = year = la_code = None
    details = single.get("CollectionDetails")
    if details is not None:
        fields, _ = reader.groups(details)
        reader.place("Header", details, fields)
        reference_date = reader.date(fields.get("ReferenceDate"), "ReferenceDate")
        year = reader.integer(fields.get("Year"), "Year")
    for source in many.get("Source", []):
        fields, _ = reader.groups(source)
        la_code = la_code or reader.text(fields.get("LEA"))
    return CinHeader(reference_date=reference_date, year=year, la_code=la_code)
