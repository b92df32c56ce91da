"""Read DfE Children in Need (CIN) census XML files into the record's tables.

One file becomes one `Record` (source "cin-census"); several years' files merge into one record
by LAchildID, a later file's facts updating the same child. The file is streamed (one `Child`
at a time, cleared as soon as it is read), so a whole country's return fits in memory.

What the reader refuses, and what it leaves to the checks
----------------------------------------------------------
It refuses (CinFileError naming file, line, child and element, and nothing is loaded) what it
cannot turn into the record faithfully: malformed or hostile XML (a DOCTYPE or ENTITY is
refused before parsing), a file over the size limit, an impossible date or number, an unknown
code in a coded item, and a missing element that identifies a record (LAchildID, the referral
and start dates that key episodes, enquiries and plans). The facts the DfE's child protection
rules judge (categories of abuse, NumberOfPreviousCPP, blank review dates, the order of dates)
are read as they stand, so `cin_check` can report them with their DfE rule numbers.

Ids
---
child_id is the LAchildID. Every other id is the LAchildID plus positions, e.g.
`SYN00000001/e1/p2` (the child's first episode, its second plan): deterministic for a file,
and for a list of files (positions count in order of first appearance).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import polars as pl
from lxml import etree

from cpqa.domain import codes
from cpqa.domain.tables import Record
from cpqa.interop.errors import CinFileError, quote_value

SOURCE = "cin-census"
DEFAULT_MAX_BYTES = 500_000_000
MAX_BYTES_ENV = "CPQA_CIN_MAX_BYTES"

# What a census file cannot tell, table by table and fact by fact (report-json.md: an
# unavailable table is shown as such, never as zeros).
UNAVAILABLE: dict[str, str] = {
    "attendance": "a CIN census file does not record who was invited to or attended conferences",
    "quoracy": "a CIN census file does not record whether conferences were quorate",
    "participation": "a CIN census file does not record the child's participation in conferences",
    "escalations": "a CIN census file does not record escalations",
    "escalation_children": "a CIN census file does not record escalations",
    "concern_notes": "a CIN census file does not record chairs' concerns or QA case notes",
    "repeat_plan_reviews": "a CIN census file does not record repeat-plan reviews",
    "midway_reviews": "a CIN census file does not record midway reviews",
    "families": "a CIN census file does not link children into families",
    "transfer_out": "a CIN census file does not record transfer-out conferences",
    "conference_due_dates": "a CIN census file records when conferences were held, not when they were due",
    "names": "a CIN census file carries no names",
    "teams": "a CIN census file does not record the allocated team",
    "plan_end_reasons": "a CIN census file does not record why a plan ended",
    "late_reason": "a CIN census file does not record why a conference was held late",
    "visits": "a CIN census file does not record statutory visits",
    "category_combinations": (
        "a CIN census file records one DfE category per plan (MUL for several), not which categories"
    ),
}

_DATE_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}")
_INT_SHAPE = re.compile(r"[+-]?\d+")
_TRUE = frozenset({"true", "1"})
_FALSE = frozenset({"false", "0"})
# Scanning for these before parsing keeps entity tricks (XXE, "billion laughs") out entirely,
# whatever the parser's own settings.
_HOSTILE_MARKERS = (b"<!doctype", b"<!entity")
_SCAN_CHUNK = 1 << 20

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class CinHeader:
    """What the file's Header says about the return."""

    reference_date: dt.date | None = None
    year: int | None = None
    la_code: str | None = None


@dataclass(frozen=True)
class CinFile:
    record: Record
    header: CinHeader


def max_bytes_from_environment() -> int:
    text = os.environ.get(MAX_BYTES_ENV)
    if text is None or not text.strip():
        return DEFAULT_MAX_BYTES
    if not text.strip().isdigit() or int(text) <= 0:
        raise CinFileError(
            f"{MAX_BYTES_ENV} must be a positive whole number of bytes, not {quote_value(text)}"
        )
    return int(text)


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
    return CinFile(record=_build_record(raw), header=header)


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
    sizes = [_file_size(Path(p)) for p in paths]
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
    return _build_record(_merge(raws))


# --- reading one file -------------------------------------------------------------------

# Raw tables: the file's facts keyed by (child_id, positions) before ids are made, so files
# can be merged on their natural keys first.
_RAW_SCHEMAS: dict[str, dict[str, pl.DataType]] = {
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
    },
    "episodes": {
        "child_id": pl.String,
        "e_no": pl.Int64,
        "referral_date": pl.Date,
        "referral_source": pl.String,
        "primary_need": pl.String,
        "closure_date": pl.Date,
        "closure_reason": pl.String,
        "referral_nfa": pl.Boolean,
        "icpc_date": pl.Date,
    },
    "assessments": {
        "child_id": pl.String,
        "e_no": pl.Int64,
        "n": pl.Int64,
        "start_date": pl.Date,
        "authorised_date": pl.Date,
        "factors": pl.List(pl.String),
    },
    "cin_plans": {
        "child_id": pl.String,
        "e_no": pl.Int64,
        "n": pl.Int64,
        "start_date": pl.Date,
        "end_date": pl.Date,
    },
    "s47": {
        "child_id": pl.String,
        "e_no": pl.Int64,
        "n": pl.Int64,
        "start_date": pl.Date,
        "icpc_target_date": pl.Date,
        "icpc_date": pl.Date,
        "icpc_not_required": pl.Boolean,
    },
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

RawTables = dict[str, pl.DataFrame]


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        raise CinFileError("no such file", path=path) from None
    except OSError as exc:
        raise CinFileError(f"cannot read the file ({exc.strerror})", path=path) from None


def _refuse_hostile_or_oversized(path: Path, max_bytes: int | None) -> int:
    limit = max_bytes if max_bytes is not None else max_bytes_from_environment()
    size = _file_size(path)
    if path.is_dir():
        raise CinFileError("is a folder, not a census file", path=path)
    if size > limit:
        raise CinFileError(
            f"the file is {size:,} bytes, over the limit of {limit:,} bytes "
            f"(set {MAX_BYTES_ENV} to allow larger files)",
            path=path,
        )
    with path.open("rb") as handle:
        head = handle.read(4)
        # A UTF-16/32 file would hide a DOCTYPE from the byte scan below; census files are UTF-8.
        if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head:
            raise CinFileError("the file is not UTF-8 encoded; save it as UTF-8 and try again", path=path)
        handle.seek(0)
        tail = b""
        lines_before_chunk = 1
        while chunk := handle.read(_SCAN_CHUNK):
            # The tail of the previous chunk catches a marker split across two reads.
            window = (tail + chunk).lower()
            for marker in _HOSTILE_MARKERS:
                at = window.find(marker)
                if at != -1:
                    line = lines_before_chunk - tail.count(b"\n") + window.count(b"\n", 0, at)
                    kind = "DOCTYPE" if marker == b"<!doctype" else "ENTITY"
                    raise CinFileError(
                        f"the file contains a {kind} declaration; census files never need one and "
                        "cpqa refuses them (they can be used to read other files or exhaust memory)",
                        path=path,
                        line=line,
                    )
            lines_before_chunk += chunk.count(b"\n")
            tail = chunk[-16:]
    return size


def _read_raw(path: Path, max_bytes: int | None, progress: Progress | None) -> tuple[RawTables, CinHeader]:
    size = _refuse_hostile_or_oversized(path, max_bytes)
    reader = _ChildReader(path)
    header = CinHeader()
    with path.open("rb") as handle:
        try:
            for count, (_event, element) in enumerate(_events(handle), start=1):
                name = _local(element.tag)
                if name == "Header":
                    header = reader.header(element)
                else:
                    reader.child(element)
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
    return reader.tables(), header


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


def _local(tag: object) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2] if tag.startswith("{") else tag


class _ChildReader:
    """Turns `Child` elements into rows of the raw tables, refusing what it cannot read."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.child_id: str | None = None
        self.children_seen = 0
        self.rows: dict[str, list[tuple]] = {name: [] for name in _RAW_SCHEMAS}
        # Episodes are numbered per LAchildID across the file, so a child listed twice (DfE
        # rule 8510) still gets distinct ids and the check can report the duplicate.
        self.episodes_per_child: dict[str, int] = {}
        # A census repeats a few thousand dates and a few dozen tag names endlessly: parse each once.
        self.dates: dict[str, dt.date] = {}
        self.names: dict[object, str] = {}

    # errors and values ---------------------------------------------------------------------

    def fail(self, problem: str, element: etree._Element | None, name: str | None = None) -> CinFileError:
        line = element.sourceline if element is not None else None
        return CinFileError(problem, path=self.path, line=line, child_id=self.child_id, element=name)

    def groups(
        self, element: etree._Element, repeated: frozenset[str] = frozenset()
    ) -> tuple[dict[str, etree._Element], dict[str, list[etree._Element]]]:
        """The element's children by name: one each, except the names that may repeat."""
        single: dict[str, etree._Element] = {}
        many: dict[str, list[etree._Element]] = {}
        names = self.names
        for part in element:
            name = names.get(part.tag)
            if name is None:
                name = names[part.tag] = _local(part.tag)
            if not name:
                continue
            if name in repeated:
                many.setdefault(name, []).append(part)
            elif name in single:
                raise self.fail(f"{name} appears more than once in {_local(element.tag)}", part, name)
            else:
                single[name] = part
        return single, many

    @staticmethod
    def text(element: etree._Element | None) -> str | None:
        if element is None or element.text is None:
            return None
        value = element.text.strip()
        return value or None

    def required(
        self, single: dict[str, etree._Element], name: str, within: etree._Element
    ) -> etree._Element:
        element = single.get(name)
        if element is None or self.text(element) is None:
            where = element if element is not None else within
            raise self.fail(
                f"required element {name} is missing or empty in {_local(within.tag)}", where, name
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

    # the header ------------------------------------------------------------------------------

    def header(self, element: etree._Element) -> CinHeader:
        self.child_id = None
        single, many = self.groups(element, frozenset({"Source"}))
        reference_date = year = la_code = None
        details = single.get("CollectionDetails")
        if details is not None:
            fields, _ = self.groups(details)
            reference_date = self.date(fields.get("ReferenceDate"), "ReferenceDate")
            year = self.integer(fields.get("Year"), "Year")
        for source in many.get("Source", []):
            fields, _ = self.groups(source)
            la_code = la_code or self.text(fields.get("LEA"))
        return CinHeader(reference_date=reference_date, year=year, la_code=la_code)

    # a child --------------------------------------------------------------------------------

    def child(self, element: etree._Element) -> None:
        self.children_seen += 1
        self.child_id = None
        single, many = self.groups(element, frozenset({"CINdetails"}))
        identifiers = single.get("ChildIdentifiers")
        if identifiers is None:
            raise self.fail("required element ChildIdentifiers is missing", element, "ChildIdentifiers")
        ids, _ = self.groups(identifiers)
        child_id = self.text(self.required(ids, "LAchildID", identifiers)) or ""
        self.child_id = child_id

        if "Sex" in ids:
            sex = self.code(ids["Sex"], "Sex", codes.SEX)
        else:
            gender = self.code(ids.get("GenderCurrent"), "GenderCurrent", codes.GENDER_CURRENT_TO_SEX)
            sex = codes.GENDER_CURRENT_TO_SEX[gender] if gender is not None else None

        ethnicity = None
        disabilities: list[str] | None = None
        characteristics = single.get("ChildCharacteristics")
        if characteristics is not None:
            chars, _ = self.groups(characteristics)
            ethnicity = self.code(chars.get("Ethnicity"), "Ethnicity", codes.ETHNICITY)
            if "Disabilities" in chars:
                _, listed = self.groups(chars["Disabilities"], frozenset({"Disability"}))
                disabilities = []
                for item in listed.get("Disability", []):
                    value = self.code(item, "Disability", codes.DISABILITY)
                    if value is not None:
                        disabilities.append(value)

        self.rows["children"].append(
            (
                child_id,
                sex,
                self.date(ids.get("PersonBirthDate"), "PersonBirthDate"),
                self.date(ids.get("ExpectedPersonBirthDate"), "ExpectedPersonBirthDate"),
                ethnicity,
                _joined(disabilities),
                self.date(ids.get("PersonDeathDate"), "PersonDeathDate"),
                self.text(ids.get("UPN")),
                self.code(ids.get("UPNunknown"), "UPNunknown", codes.UPN_UNKNOWN),
            )
        )

        episodes = many.get("CINdetails", [])
        if not episodes:
            raise self.fail(
                "required element CINdetails is missing (a child needs at least one)", element, "CINdetails"
            )
        for episode in episodes:
            self.episode(episode)

    def episode(self, element: etree._Element) -> None:
        child_id = self.child_id or ""
        e_no = self.episodes_per_child.get(child_id, 0) + 1
        self.episodes_per_child[child_id] = e_no
        single, many = self.groups(
            element,
            frozenset(
                {"Assessments", "CINPlanDates", "Section47", "ChildProtectionPlans", "PreProceedingsandFGDM"}
            ),
        )
        referral = self.date(self.required(single, "CINreferralDate", element), "CINreferralDate")
        self.rows["episodes"].append(
            (
                child_id,
                e_no,
                referral,
                self.code(single.get("ReferralSource"), "ReferralSource", codes.REFERRAL_SOURCE),
                self.code(single.get("PrimaryNeedCode"), "PrimaryNeedCode", codes.PRIMARY_NEED),
                self.date(single.get("CINclosureDate"), "CINclosureDate"),
                self.code(single.get("ReasonForClosure"), "ReasonForClosure", codes.REASON_FOR_CLOSURE),
                self.boolean(single.get("ReferralNFA"), "ReferralNFA"),
                self.date(single.get("DateOfInitialCPC"), "DateOfInitialCPC"),
            )
        )

        for n, assessment in enumerate(many.get("Assessments", []), start=1):
            fields, _ = self.groups(assessment)
            factors: list[str] = []
            if "FactorsIdentifiedAtAssessment" in fields:
                _, listed = self.groups(
                    fields["FactorsIdentifiedAtAssessment"], frozenset({"AssessmentFactors"})
                )
                for item in listed.get("AssessmentFactors", []):
                    value = self.code(item, "AssessmentFactors", codes.ASSESSMENT_FACTOR)
                    if value is not None:
                        factors.append(value)
            self.rows["assessments"].append(
                (
                    child_id,
                    e_no,
                    n,
                    self.date(
                        self.required(fields, "AssessmentActualStartDate", assessment),
                        "AssessmentActualStartDate",
                    ),
                    self.date(fields.get("AssessmentAuthorisationDate"), "AssessmentAuthorisationDate"),
                    _joined(factors),
                )
            )

        for n, plan in enumerate(many.get("CINPlanDates", []), start=1):
            fields, _ = self.groups(plan)
            self.rows["cin_plans"].append(
                (
                    child_id,
                    e_no,
                    n,
                    self.date(self.required(fields, "CINPlanStartDate", plan), "CINPlanStartDate"),
                    self.date(fields.get("CINPlanEndDate"), "CINPlanEndDate"),
                )
            )

        for n, enquiry in enumerate(many.get("Section47", []), start=1):
            fields, _ = self.groups(enquiry)
            self.rows["s47"].append(
                (
                    child_id,
                    e_no,
                    n,
                    self.date(self.required(fields, "S47ActualStartDate", enquiry), "S47ActualStartDate"),
                    self.date(fields.get("InitialCPCtarget"), "InitialCPCtarget"),
                    self.date(fields.get("DateOfInitialCPC"), "DateOfInitialCPC"),
                    self.boolean(fields.get("ICPCnotRequired"), "ICPCnotRequired"),
                )
            )

        for p_no, plan in enumerate(many.get("ChildProtectionPlans", []), start=1):
            fields, listed = self.groups(plan, frozenset({"Reviews"}))
            self.rows["plans"].append(
                (
                    child_id,
                    e_no,
                    p_no,
                    self.date(self.required(fields, "CPPstartDate", plan), "CPPstartDate"),
                    self.date(fields.get("CPPendDate"), "CPPendDate"),
                    # Read as they stand: DfE rules 8905/8910/8730 judge them in cin_check.
                    self.text(fields.get("InitialCategoryOfAbuse")),
                    self.text(fields.get("LatestCategoryOfAbuse")),
                    self.integer(fields.get("NumberOfPreviousCPP"), "NumberOfPreviousCPP"),
                )
            )
            # Real files hold the dates either all in one Reviews or one Reviews per date.
            n = 0
            for reviews in listed.get("Reviews", []):
                _, dates = self.groups(reviews, frozenset({"CPPreviewDate"}))
                review_dates = dates.get("CPPreviewDate", [])
                if not review_dates:
                    # A Reviews group with no date: kept so rule 8842Q can query it.
                    n += 1
                    self.rows["reviews"].append((child_id, e_no, p_no, n, None))
                for review in review_dates:
                    n += 1
                    self.rows["reviews"].append((child_id, e_no, p_no, n, self.date(review, "CPPreviewDate")))

    def tables(self) -> RawTables:
        tables = {}
        for name, schema in _RAW_SCHEMAS.items():
            # Code lists travel as one space-joined string each (building a Polars list per row
            # from Python lists costs more than reading the file); split here in one go.
            flat = {
                column: (pl.String if dtype == pl.List(pl.String) else dtype)
                for column, dtype in schema.items()
            }
            frame = pl.DataFrame(self.rows[name], schema=flat, orient="row")
            tables[name] = frame.with_columns(
                pl.when(pl.col(column) == "")
                .then(pl.lit([], dtype=pl.List(pl.String)))
                .otherwise(pl.col(column).str.split(_CODE_SEPARATOR))
                .alias(column)
                for column, dtype in schema.items()
                if dtype == pl.List(pl.String)
            )
        return tables


_CODE_SEPARATOR = " "


def _joined(codes_: list[str] | None) -> str | None:
    return None if codes_ is None else _CODE_SEPARATOR.join(codes_)


# --- merging several files -------------------------------------------------------------------


def _merge(raws: list[RawTables]) -> RawTables:
    """Merge files' raw tables (oldest first) on natural keys; positions by first appearance."""
    stacked = {
        name: pl.concat(
            [raw[name].with_columns(pl.lit(i, dtype=pl.Int64).alias("file_no")) for i, raw in enumerate(raws)]
        )
        for name in _RAW_SCHEMAS
    }
    children = stacked["children"].with_columns(
        pl.lit(0, dtype=pl.Int64).alias("_return"), pl.int_range(pl.len()).over("file_no").alias("_row")
    )
    merged: RawTables = {"children": _merge_level(children, ["_return"], ["child_id"], "_row")[0]}
    merged["episodes"], episode_map = _merge_level(
        stacked["episodes"], ["child_id"], ["referral_date"], "e_no"
    )
    for name in ("assessments", "cin_plans", "s47", "plans", "reviews"):
        stacked[name] = _renumber(stacked[name], episode_map, ["child_id"], "e_no", "e_no")
    for name in ("assessments", "cin_plans", "s47"):
        merged[name], _ = _merge_level(stacked[name], ["child_id", "e_no"], ["start_date"], "n")
    merged["plans"], plan_map = _merge_level(stacked["plans"], ["child_id", "e_no"], ["start_date"], "n")
    reviews = _renumber(stacked["reviews"], plan_map, ["child_id", "e_no"], "p_no", "n")
    merged["reviews"], _ = _merge_level(reviews, ["child_id", "e_no", "p_no"], ["review_date"], "n")
    return {name: merged[name].select(list(schema)) for name, schema in _RAW_SCHEMAS.items()}


def _renumber(
    frame: pl.DataFrame, mapping: pl.DataFrame, parents: list[str], column: str, mapped_position: str
) -> pl.DataFrame:
    """Point a nested table's parent position (`column`) at the parent's merged position."""
    lookup = mapping.rename({mapped_position: column}) if mapped_position != column else mapping
    return (
        frame.join(lookup, on=[*parents, column, "file_no"], how="left")
        .drop(column)
        .rename({"new_position": column})
    )


def _merge_level(
    frame: pl.DataFrame, parents: list[str], key: list[str], position: str
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One row per natural key, each fact from the latest file that states it.

    A census holds only its own year, so a later file's silence (no episode-level ICPC from
    two years ago) does not undo an earlier file's fact; a later file's value replaces it.
    Positions go by first appearance. Returns the merged rows and a map from (parents, old
    position, file_no) to the new position, for the tables nested below.
    """
    # Two rows with the same key in one file stay two facts: number the repeats.
    frame = frame.sort(["file_no", *parents, position]).with_columns(
        pl.int_range(pl.len()).over([*parents, *key, "file_no"]).alias("_repeat")
    )
    full_key = [*parents, *key, "_repeat"]
    facts = [c for c in frame.columns if c not in {*full_key, position, "file_no"}]
    merged = (
        frame.group_by(full_key, maintain_order=True)
        .agg(
            pl.col("file_no").first().alias("_first_file"),
            pl.col(position).first().alias("_first_position"),
            *[pl.col(c).drop_nulls().last() for c in facts],
        )
        .sort(["_first_file", "_first_position"])
        .with_columns(pl.int_range(1, pl.len() + 1, dtype=pl.Int64).over(parents).alias("new_position"))
    )
    mapping = frame.join(
        merged.select(*full_key, "new_position"), on=full_key, how="left", nulls_equal=True
    ).select([*parents, position, "file_no", "new_position"])
    merged = (
        merged.drop("_first_file", "_first_position", "_repeat")
        .rename({"new_position": position})
        .sort([*parents, position])
    )
    return merged, mapping


# --- building the record ---------------------------------------------------------------------


def _id(*parts: pl.Expr | str) -> pl.Expr:
    return pl.concat_str([p if isinstance(p, pl.Expr) else pl.lit(p) for p in parts])


def _build_record(raw: RawTables) -> Record:
    episode_id = _id(pl.col("child_id"), "/e", pl.col("e_no").cast(pl.String))
    children = raw["children"]
    episodes = raw["episodes"].with_columns(episode_id.alias("episode_id"))

    assessments = raw["assessments"].with_columns(
        episode_id.alias("episode_id"),
        _id(episode_id, "/a", pl.col("n").cast(pl.String)).alias("assessment_id"),
    )
    cin_plans = raw["cin_plans"].with_columns(
        episode_id.alias("episode_id"),
        _id(episode_id, "/c", pl.col("n").cast(pl.String)).alias("cin_plan_id"),
    )
    s47 = raw["s47"].with_columns(
        episode_id.alias("episode_id"),
        _id(episode_id, "/s", pl.col("n").cast(pl.String)).alias("s47_id"),
    )
    plans = raw["plans"].with_columns(
        episode_id.alias("episode_id"),
        _id(episode_id, "/p", pl.col("n").cast(pl.String)).alias("plan_id"),
        pl.when(pl.col("initial_category").is_not_null())
        .then(pl.concat_list(pl.col("initial_category")))
        .alias("initial_categories"),
        pl.when(pl.col("latest_category").is_not_null())
        .then(pl.concat_list(pl.col("latest_category")))
        .alias("latest_categories"),
    )
    conferences = _conferences(children, episodes, s47, plans, raw["reviews"])
    return Record.of(
        source=SOURCE,
        unavailable=UNAVAILABLE,
        children=children,
        episodes=episodes.drop("e_no", "icpc_date"),
        assessments=assessments.drop("e_no", "n"),
        cin_plans=cin_plans.drop("e_no", "n"),
        s47=s47.drop("e_no", "n", "icpc_date"),
        plans=plans.drop("e_no", "n"),
        conferences=conferences,
    )


def _conferences(
    children: pl.DataFrame,
    episodes: pl.DataFrame,
    s47: pl.DataFrame,
    plans: pl.DataFrame,
    reviews: pl.DataFrame,
) -> pl.DataFrame:
    # The plan a conference started: a plan of the same child starting on the conference date.
    started = (
        plans.select("child_id", pl.col("start_date").alias("held_date"), "plan_id")
        .group_by("child_id", "held_date", maintain_order=True)
        .first()
    )
    births = children.group_by("child_id", maintain_order=True).agg(pl.col("date_of_birth").last())

    def decided(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.join(started, on=["child_id", "held_date"], how="left").with_columns(
            pl.when(pl.col("plan_id").is_not_null())
            .then(pl.lit("plan"))
            .otherwise(pl.lit("no_plan"))
            .alias("outcome")
        )

    initial = (
        decided(
            s47.filter(pl.col("icpc_date").is_not_null()).select(
                (pl.col("s47_id") + "/icpc").alias("conference_id"),
                "child_id",
                "s47_id",
                pl.col("icpc_date").alias("held_date"),
            )
        )
        .join(births, on="child_id", how="left")
        .with_columns(
            # indicators.md: held before the child's birth (or with no birth yet) is pre-birth.
            pl.when(pl.col("date_of_birth").is_null() | (pl.col("held_date") < pl.col("date_of_birth")))
            .then(pl.lit("prebirth"))
            .otherwise(pl.lit("initial"))
            .alias("conference_type")
        )
        .drop("date_of_birth")
    )

    # indicators.md: an ICPC date on the episode, with no section 47, is a transfer-in.
    transfer_in = decided(
        episodes.filter(pl.col("icpc_date").is_not_null()).select(
            (pl.col("episode_id") + "/ti").alias("conference_id"),
            "child_id",
            pl.col("icpc_date").alias("held_date"),
        )
    ).with_columns(pl.lit("transfer_in").alias("conference_type"))

    plan_of_review = plans.select("child_id", "e_no", pl.col("n").alias("p_no"), "plan_id", "end_date")
    review = reviews.join(plan_of_review, on=["child_id", "e_no", "p_no"], how="left").select(
        _id(pl.col("plan_id"), "/r", pl.col("n").cast(pl.String)).alias("conference_id"),
        "child_id",
        pl.lit("review").alias("conference_type"),
        pl.col("review_date").alias("held_date"),
        "plan_id",
        # indicators.md: the review that ends a plan carries the plan's end date.
        pl.when(pl.col("review_date").is_null())
        .then(None)
        .when(pl.col("review_date") == pl.col("end_date"))
        .then(pl.lit("plan_ended"))
        .otherwise(pl.lit("plan_continued"))
        .alias("outcome"),
    )
    return pl.concat([initial, transfer_in, review], how="diagonal_relaxed")
