"""Reading census files: one streamed file, or several merged, into the record's tables."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from lxml import etree

from cpqa.domain.tables import Record
from cpqa.interop.cin_read.child import read_child
from cpqa.interop.cin_read.guard import file_size, refuse_hostile_or_oversized
from cpqa.interop.cin_read.header import CinHeader, read_header
from cpqa.interop.cin_read.items import ItemReader, local_name
from cpqa.interop.cin_read.merge import merge_files
from cpqa.interop.cin_read.raw import RAW_SCHEMAS, RawTables, raw_tables
from cpqa.interop.cin_read.record import build_record
from cpqa.interop.errors import CinFileError

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class CinFile:
    record: Record
    header: CinHeader


def read_cin(
    path: str | os.PathLike[str], *, max_bytes: int | None = None, progress: Progress | None = None
) -> Record:
    """One census file as the record's tables."""
    return read_cin_file(path, max_bytes=max_bytes, progress=progress).record


def read_cin_file(
    path: str | os.PathLike[str], *, max_bytes: int | None = None, progress: Progress | None = None
) -> CinFile:
    """One census file: its record and its header (the checks need the reference date)."""
    raw, header = _read_raw(Path(path), max_bytes, progress)
    return CinFile(record=build_record(raw), header=header)


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
        return read_cin(paths[0], max_bytes=max_bytes, progress=progress)
    sizes = [file_size(Path(p)) for p in paths]
    total = sum(sizes)
    done_before = 0
    raws = []
    for path, size in zip(paths, sizes):
        offset = done_before

        def report(done: int, _size: int, offset: int = offset) -> None:
            if progress is not None:
                progress(offset + done, total)

        raw, _header = _read_raw(Path(path), max_bytes, report)
        raws.append(raw)
        done_before += size
    return build_record(merge_files(raws))


def _read_raw(path: Path, max_bytes: int | None, progress: Progress | None) -> tuple[RawTables, CinHeader]:
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
    return raw_tables(reader.rows), header


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
