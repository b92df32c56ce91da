"""Reading census files: one streamed file, or several merged, into the record's tables."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import polars as pl
from lxml import etree

from cpqa.domain.tables import Record
from cpqa.interop.cin_read.child import read_child
from cpqa.interop.cin_read.guard import file_size, refuse_hostile_or_oversized
from cpqa.interop.cin_read.header import CinHeader, read_header
from cpqa.interop.cin_read.items import ItemReader, local_name
from cpqa.interop.cin_read.merge import merge_files
from cpqa.interop.cin_read.raw import RAW_SCHEMAS, RawTables, raw_tables
from cpqa.interop.cin_read.record import build_record
from cpqa.interop.errors import CinFileError, CinFileProblems

Progress = Callable[[int, int], None]


CHILD_ITEMS_SCHEMA: dict[str, pl.DataType] = {
    "child_id": pl.String,
    "sex_item": pl.String,  # the Sex element as written (from the 2024-25 census)
    "gender_current": pl.String,  # the GenderCurrent element as written (up to 2023-24)
    "former_upn": pl.String,
    "has_disabilities": pl.Boolean,  # the Disabilities group is present
}


@dataclass(frozen=True)
class CinFile:
    """One file read: its record, its header, and what the checks need beyond the record."""

    record: Record
    header: CinHeader
    path: Path | None = None
    # Record id -> the line its element starts on; record id -> the items it has.
    lines: dict[str, int] = field(default_factory=dict)
    present: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Values that could not be read (each read as blank), in file order.
    problems: list[CinFileError] = field(default_factory=list)
    # CHILD_ITEMS_SCHEMA: census items the record keeps no column for.
    child_items: pl.DataFrame | None = None

    def line_of(self, record_id: str | None, element: str | None) -> int | None:
        """The line of a record's item (or of the record, where it lacks the item)."""
        return self.lines_of([(record_id, element)])[0]

    def lines_of(self, places: Sequence[tuple[str | None, str | None]]) -> list[int | None]:
        """Lines of many (record id, item) at once: one pass over the file for all of them.

        An item the record has is the first element of that name from the record's own line
        on: a record's items come before, or are not named like, those of the records nested
        in it (the census's order; CINdetails' own DateOfInitialCPC precedes its Section47s).
        """
        answers: list[int | None] = []
        wanted: dict[tuple[int, str], list[int]] = {}
        for i, (record_id, element) in enumerate(places):
            start = self.lines.get(record_id) if record_id is not None else None
            answers.append(start)
            if start and element and element in self.present.get(record_id or "", ()):
                wanted.setdefault((start, element), []).append(i)
        if wanted and self.path is not None:
            for (start, element), line in _find_items(self.path, list(wanted)).items():
                for i in wanted[(start, element)]:
                    answers[i] = line
        return answers


_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")


def _find_items(path: Path, wanted: list[tuple[int, str]]) -> dict[tuple[int, str], int]:
    """For each (start line, element name), the first line from `start` holding that element."""
    pending = sorted(wanted)
    found: dict[tuple[int, str], int] = {}
    active: dict[bytes, list[tuple[int, str]]] = {}
    next_at = 0
    with path.open("rb") as handle:
        for number, text in enumerate(handle, start=1):
            while next_at < len(pending) and pending[next_at][0] <= number:
                start, element = pending[next_at]
                active.setdefault(element.encode(), []).append((start, element))
                next_at += 1
            if active and b"<" in text:
                for name in _TAG.findall(text):
                    waiting = active.pop(name, None)
                    if waiting:
                        for key in waiting:
                            found[key] = number
            if next_at == len(pending) and not active:
                break
    return found


def read_cin(
    path: str | os.PathLike[str], *, max_bytes: int | None = None, progress: Progress | None = None
) -> Record:
    """One census file as the record's tables; every value that cannot be read is named at once."""
    cin = read_cin_file(path, max_bytes=max_bytes, progress=progress)
    if cin.problems:
        raise CinFileProblems(cin.problems)
    return cin.record


def read_cin_file(
    path: str | os.PathLike[str], *, max_bytes: int | None = None, progress: Progress | None = None
) -> CinFile:
    """One census file: its record and its header (the checks need the reference date)."""
    raw, header, reader = _read_raw(Path(path), max_bytes, progress)
    items = pl.DataFrame(reader.child_items, schema=CHILD_ITEMS_SCHEMA, orient="row")
    return CinFile(
        record=build_record(raw),
        header=header,
        path=Path(path),
        lines=reader.lines,
        present=reader.present,
        problems=reader.problems,
        child_items=items,
    )


def read_cin_files(
    paths: Sequence[str | os.PathLike[str]], *, max_bytes: int | None = None, progress: Progress | None = None
) -> Record:
    """Several census files (oldest first) merged by LAchildID into one record.

    A later file's facts update the same child. The same episode (same referral date),
    assessment, CIN plan, section 47 enquiry or plan (same start date) in two files is one
    fact, each item taken from the latest file that states it; anything only in an earlier
    file is kept (a census holds only its year, so last year's closed plan is absent from
    this year's file without having been undone); review dates are the union of both.
    """
    if not paths:
        raise CinFileError("no census files given")
    if len(paths) == 1:
        one = read_cin_file(paths[0], max_bytes=max_bytes, progress=progress)
        if one.problems:
            raise CinFileProblems(one.problems)
        return one.record
    sizes = [file_size(Path(p)) for p in paths]
    total = sum(sizes)
    done_before = 0
    raws = []
    problems: list[CinFileError] = []
    for path, size in zip(paths, sizes):
        offset = done_before

        def report(done: int, _size: int, offset: int = offset) -> None:
            if progress is not None:
                progress(offset + done, total)

        raw, _header, reader = _read_raw(Path(path), max_bytes, report)
        raws.append(raw)
        problems.extend(reader.problems)
        done_before += size
    if problems:
        raise CinFileProblems(problems)
    return build_record(merge_files(raws))


def _read_raw(
    path: Path, max_bytes: int | None, progress: Progress | None
) -> tuple[RawTables, CinHeader, ItemReader]:
    size = refuse_hostile_or_oversized(path, max_bytes)
    reader = ItemReader(path, list(RAW_SCHEMAS))
    header = CinHeader()
    with path.open("rb") as handle:
        try:
            for count, (_event, element) in enumerate(_events(handle), start=1):
                name = local_name(element.tag)
                if name == "Header":
                    header = read_header(reader, element)
                else:
                    read_child(reader, element)
                    if progress is not None and count % 2000 == 0:
                        progress(handle.tell(), size)
                # Free what has been read: the element and the siblings before it.
                element.clear(keep_tail=False)
                parent = element.getparent()
                if parent is not None:
                    while element.getprevious() is not None:
                        del parent[0]
        except etree.XMLSyntaxError as exc:
            line = exc.lineno if exc.lineno else None
            raise CinFileError(f"not well-formed XML ({exc.msg})", path=path, line=line) from None
    if reader.children_seen == 0:
        raise CinFileError("the file has no Child elements (is it a CIN census file?)", path=path)
    if progress is not None:
        progress(size, size)
    return raw_tables(reader.rows), header, reader


def _events(handle: IO[bytes]) -> Iterable[tuple[str, etree._Element]]:
    return etree.iterparse(
        handle,
        events=("end",),
        tag=("{*}Child", "{*}Header"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
