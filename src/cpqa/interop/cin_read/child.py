"""A Child: its ChildIdentifiers and ChildCharacteristics, then its CINdetails episodes."""

from __future__ import annotations

import polars as pl
from lxml import etree

from cpqa.domain import codes
from cpqa.interop.cin_read.cin_details import read_episode
from cpqa.interop.cin_read.items import Elements, ItemReader, joined

SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "children": {
        "child_id": pl.String,
        "sex": pl.String,
        "date_of_birth": pl.Date,
        "expected_date_of_birth": pl.Date,
        "ethnicity": pl.String,
        "disabilities": pl.List(pl.String),
        "date_of_death": pl.Date,
        "upn": pl.String,
        "upn_unknown": pl.String,
        "former_upn": pl.String,
        "gender_current": pl.String,
    },
}


def read_child(reader: ItemReader, element: etree._Element) -> None:
    reader.children_seen += 1
    reader.child_id = None
    single, many = reader.groups(element, frozenset({"CINdetails"}))
    identifiers = single.get("ChildIdentifiers")
    ids: Elements = {}
    if identifiers is not None:
        ids, _ = reader.groups(identifiers)
    # A missing LAchildID is rule 8500's finding; the child is still read, as "".
    child_id = reader.text(ids.get("LAchildID")) or ""
    reader.child_id = child_id
    reader.place(child_id, element, ids)
    sex = _sex(reader, ids)
    characteristics = single.get("ChildCharacteristics")
    ethnicity, disabilities = _characteristics(reader, characteristics)
    reader.child_items.append(
        (
            child_id,
            reader.text(ids.get("Sex")),
            reader.text(ids.get("GenderCurrent")),
            reader.text(ids.get("FormerUPN")),
            disabilities is not None,
        )
    )
    reader.rows["children"].append(
        (
            child_id,
            sex,
            reader.date(ids.get("PersonBirthDate"), "PersonBirthDate"),
            reader.date(ids.get("ExpectedPersonBirthDate"), "ExpectedPersonBirthDate"),
            ethnicity,
            joined(disabilities),
            reader.date(ids.get("PersonDeathDate"), "PersonDeathDate"),
            reader.text(ids.get("UPN")),
            reader.code(ids.get("UPNunknown"), "UPNunknown", codes.UPN_UNKNOWN),
            reader.text(ids.get("FormerUPN")),
            reader.text(ids.get("GenderCurrent")),
        )
    )

    # A child with no CINdetails is rule 8590's finding.
    for episode in many.get("CINdetails", []):
        read_episode(reader, episode)


def _sex(reader: ItemReader, ids: Elements) -> str | None:
    """Sex where the file has it (the census item from 2024-25), else GenderCurrent as a sex."""
    if "Sex" in ids:
        return reader.code(ids["Sex"], "Sex", codes.SEX)
    gender = reader.code(ids.get("GenderCurrent"), "GenderCurrent", codes.GENDER_CURRENT_TO_SEX)
    # An unknown GenderCurrent code stays as it is, for rule 4180 to name.
    return codes.GENDER_CURRENT_TO_SEX.get(gender, gender) if gender is not None else None


def _characteristics(
    reader: ItemReader, characteristics: etree._Element | None
) -> tuple[str | None, list[str] | None]:
    """Ethnicity and the disability codes (None when the file has no Disabilities at all)."""
    if characteristics is None:
        return None, None
    chars, _ = reader.groups(characteristics)
    child_id = reader.child_id or ""
    reader.present[child_id] = reader.present.get(child_id, ()) + tuple(chars)
    ethnicity = reader.code(chars.get("Ethnicity"), "Ethnicity", codes.ETHNICITY)
    disabilities = None
    if "Disabilities" in chars:
        disabilities = reader.code_list(chars["Disabilities"], "Disability", codes.DISABILITY)
    return ethnicity, disabilities
