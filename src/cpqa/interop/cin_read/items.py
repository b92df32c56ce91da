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
        # Where each record starts in the file, and the names of the items it has, so a finding
        # can name its line: an item's own line is looked up in the file only for the few
        # findings that need it (`CinFile.lines_of`), which keeps reading fast.
        self.lines: dict[str, int] = {}
        self.present: dict[str, tuple[str, ...]] = {}
        # Values that cannot be read at all (not a date, not a number, an element twice): every
        # one is kept, with its line and child, and the value is read as blank so reading goes on
        # and the file's other problems are found too.
        self.problems: list[CinFileError] = []
        # Census items the record has no column for, by child: the raw Sex and GenderCurrent
        # elements (which the year's rule 4180 judges) and FormerUPN.
        self.child_items: list[tuple] = []

    def note(self, problem: str, element: etree._Element | None, name: str | None = None) -> None:
        """Keep an unreadable value's problem and carry on (the value reads as blank)."""
        self.problems.append(self.fail(problem, element, name))

    def place(self, record_id: str, element: etree._Element, fields: Elements) -> None:
        """Remember the line a record starts on, and which items it has."""
        self.lines[record_id] = element.sourceline or 0
        self.present[record_id] = tuple(fields)

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
                self.note(f"{name} appears more than once in {local_name(element.tag)}; the first is read", part, name)
            else:
                single[name] = part
        return single, many

    @staticmethod
    def text(element: etree._Element | None) -> str | None:
        if element is None or element.text is None:
            return None
        value = element.text.strip()
        return value or None

    def required(self, single: Elements, name: str, within: etree._Element) -> etree._Element | None:
        """A required item: missing or blank is a finding of the DfE rule that requires it
        (8500, 8600, 8608, ...), so it reads as blank here rather than refusing the file."""
        return single.get(name)

    def date(self, element: etree._Element | None, name: str) -> dt.date | None:
        value = self.text(element)
        if value is None:
            return None
        known = self.dates.get(value)
        if known is not None:
            return known
        if not _DATE_SHAPE.fullmatch(value):
            self.note(f"{quote_value(value)} is not a date in the form YYYY-MM-DD", element, name)
            return None
        try:
            day = self.dates[value] = dt.date.fromisoformat(value)
        except ValueError:
            self.note(f"{quote_value(value)} is not a real date", element, name)
            return None
        return day

    def code(self, element: etree._Element | None, name: str, code_list: dict[str, str]) -> str | None:
        """A coded item as the file has it: a code outside the list is a finding of the DfE rule
        that covers the item (4180, 4220, 8540, 8866, ...), never a refusal."""
        return self.text(element)

    def boolean(self, element: etree._Element | None, name: str, *, rule_covers: bool = False) -> bool | None:
        """A yes/no item (true, false, 1 or 0, any case); `rule_covers` where a DfE rule (8568 for
        ReferralNFA) already reports a value that is none of those, so it reads as blank unnoted."""
        value = self.text(element)
        if value is None:
            return None
        lowered = value.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        if rule_covers:
            return None
        self.note(f"{quote_value(value)} is not a yes/no value (true, false, 1 or 0)", element, name)
        return None

    def integer(self, element: etree._Element | None, name: str) -> int | None:
        value = self.text(element)
        if value is None:
            return None
        if not _INT_SHAPE.fullmatch(value):
            self.note(f"{quote_value(value)} is not a whole number", element, name)
            return None
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
