"""Reading one file's census items: the values of its elements, refused when they cannot be read.

An `ItemReader` holds what the reading of one file shares: where an error points (file, line,
child, element), the raw rows read so far (see `raw`), and caches of parsed dates and tag names.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from lxml import etree

from cpqa.interop.errors import CinFileError, quote_value

_DATE_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}")
_INT_SHAPE = re.compile(r"[+-]?\d+")
_TRUE = frozenset({"true", "1"})
_FALSE = frozenset({"false", "0"})

# Code lists travel as one space-joined string each (building a Polars list per row from
# Python lists costs more than reading the file); `raw.raw_tables` splits them in one go.
CODE_SEPARATOR = " "

Elements = dict[str, etree._Element]
RepeatedElements = dict[str, list[etree._Element]]


def local_name(tag: object) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2] if tag.startswith("{") else tag


def joined(codes_: list[str] | None) -> str | None:
    return None if codes_ is None else CODE_SEPARATOR.join(codes_)


class ItemReader:
    """Turns one file's elements into rows of the raw tables, refusing what it cannot read."""

    def __init__(self, path: Path, tables: list[str]) -> None:
        self.path = path
        self.child_id: str | None = None
        self.children_seen = 0
        self.rows: dict[str, list[tuple]] = {name: [] for name in tables}
        # Episodes are numbered per LAchildID across the file, so a child listed twice (DfE
        # rule 8510) still gets distinct ids and the check can report the duplicate.
        self.episodes_per_child: dict[str, int] = {}
        # A census repeats a few thousand dates and a few dozen tag names endlessly: parse each once.
        self.dates: dict[str, dt.date] = {}
        self.names: dict[object, str] = {}

    def fail(self, problem: str, element: etree._Element | None, name: str | None = None) -> CinFileError:
        line = element.sourceline if element is not None else None
        return CinFileError(problem, path=self.path, line=line, child_id=self.child_id, element=name)

    def groups(
        self, element: etree._Element, repeated: frozenset[str] = frozenset()
    ) -> tuple[Elements, RepeatedElements]:
        """The element's children by name: one each, except the names that may repeat."""
        single: Elements = {}
        many: RepeatedElements = {}
        names = self.names
        for part in element:
            name = names.get(part.tag)
            if name is None:
                name = names[part.tag] = local_name(part.tag)
            if not name:
                continue
            if name in repeated:
                many.setdefault(name, []).append(part)
            elif name in single:
                raise self.fail(f"{name} appears more than once in {local_name(element.tag)}", part, name)
            else:
                single[name] = part
        return single, many

    @staticmethod
    def text(element: etree._Element | None) -> str | None:
        if element is None or element.text is None:
            return None
        value = element.text.strip()
        return value or None

    def required(self, single: Elements, name: str, within: etree._Element) -> etree._Element:
        element = single.get(name)
        if element is None or self.text(element) is None:
            where = element if element is not None else within
            raise self.fail(
                f"required element {name} is missing or empty in {local_name(within.tag)}", where, name
            )
        return element

    def date(self, element: etree._Element | None, name: str) -> dt.date | None:
        value = self.text(element)
        if value is None:
            return None
        known = self.dates.get(value)
        if known is not None:
            return known
        if not _DATE_SHAPE.fullmatch(value):
            raise self.fail(f"{quote_value(value)} is not a date in the form YYYY-MM-DD", element, name)
        try:
            day = self.dates[value] = dt.date.fromisoformat(value)
        except ValueError:
            raise self.fail(f"{quote_value(value)} is not a real date", element, name) from None
        return day

    def code(self, element: etree._Element | None, name: str, code_list: dict[str, str]) -> str | None:
        value = self.text(element)
        if value is None:
            return None
        if value not in code_list:
            raise self.fail(f"unknown code {quote_value(value)}", element, name)
        return value

    def boolean(self, element: etree._Element | None, name: str) -> bool | None:
        value = self.text(element)
        if value is None:
            return None
        lowered = value.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise self.fail(f"{quote_value(value)} is not a yes/no value (true, false, 1 or 0)", element, name)

    def integer(self, element: etree._Element | None, name: str) -> int | None:
        value = self.text(element)
        if value is None:
            return None
        if not _INT_SHAPE.fullmatch(value):
            raise self.fail(f"{quote_value(value)} is not a whole number", element, name)
        return int(value)

    def code_list(self, element: etree._Element, item: str, code_list: dict[str, str]) -> list[str]:
        """The codes of a group of repeated `item` elements (Disabilities, FactorsIdentifiedAtAssessment)."""
        _, listed = self.groups(element, frozenset({item}))
        values: list[str] = []
        for part in listed.get(item, []):
            value = self.code(part, item, code_list)
            if value is not None:
                values.append(value)
        return values
