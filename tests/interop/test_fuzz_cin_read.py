"""Fuzzing the census reader (issue 11, point 8): random bytes and mutations of the hand-written
census files either read (and then check, giving findings) or are refused with a CinFileError
naming the file; no other exception ever escapes. A short, deterministic run here
(10 times CPQA_FUZZ_EXAMPLES examples per strategy, 30 by default); bench/fuzz_forms.py runs it long.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpqa.interop.cin_check.runner import FINDING_SCHEMA, check_cin_record
from cpqa.interop.cin_read import read_cin_file
from cpqa.interop.errors import CinFileError

from .conftest import DATA

EXAMPLES = int(os.environ.get("CPQA_FUZZ_EXAMPLES", "3"))
# The suite's run is the same every time; the benchmark may ask for fresh random draws.
DERANDOMIZE = os.environ.get("CPQA_FUZZ_RANDOM") != "1" * 10
SEEDS = [path.read_bytes() for path in sorted(DATA.glob("*.xml"))]
# The values a census element holds: where a reader must turn text into dates, numbers, codes.
ELEMENT_TEXT = re.compile(rb">([^<>]+)</")
HOSTILE_TEXT = [
    b"", b" ", b"0000-00-00", b"2024-02-30", b"9999-12-31", b"0001-01-01", b"-1", b"99999999999999999999",
    b"NaN", b"1e309", b"\xff\xfe", b"&amp;", b"&unknown;", b"]]>", b"\x00", "٣".encode(), b"x" * 10_000,
]
FUZZ = settings(
    max_examples=EXAMPLES, derandomize=DERANDOMIZE, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)


def _read_or_refuse(content: bytes) -> str:
    """Read `content` as a census file: 'refused' or 'read' (then checked); anything else raises."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzzed.xml"
        path.write_bytes(content)
        try:
            cin = read_cin_file(path)
        except CinFileError as refusal:
            assert "fuzzed.xml" in str(refusal), f"the refusal does not name the file: {refusal}"
            return "refused"
        if cin.header.reference_date is not None:
            findings = check_cin_record(cin.record, cin.header.reference_date)
            assert isinstance(findings, pl.DataFrame) and findings.schema == pl.Schema(FINDING_SCHEMA)
        return "read"


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A census fixture with a few changes: an element's text replaced, a slice cut, copied or
    overwritten, or the file cut short."""
    content = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["text", "cut", "copy", "bytes", "truncate"]))
        spans = [m.span(1) for m in ELEMENT_TEXT.finditer(content)]
        if kind == "text" and spans:  # (an earlier cut may have left no element text)
            start, end = draw(st.sampled_from(spans))
            content[start:end] = draw(st.one_of(st.sampled_from(HOSTILE_TEXT), st.binary(max_size=20)))
            continue
        start = draw(st.integers(0, len(content)))
        end = draw(st.integers(start, min(len(content), start + 200)))
        if kind == "cut":
            del content[start:end]
        elif kind == "copy":
            content[start:start] = content[start:end]
        elif kind == "bytes":
            content[start:end] = draw(st.binary(max_size=30))
        else:
            del content[start:]
    return bytes(content)


def test_the_seeds_read_cleanly() -> None:
    """The untouched fixtures read (so a mutation's refusal is the mutation's doing)."""
    assert [_read_or_refuse(seed) for seed in SEEDS] == ["read"] * len(SEEDS)


@FUZZ
@given(content=mutated())
def test_mutated_census_files_are_read_or_refused_clearly(content: bytes) -> None:
    assert _read_or_refuse(content) in ("read", "refused")


@FUZZ
@given(content=st.binary(max_size=2000))
def test_random_bytes_are_refused_clearly(content: bytes) -> None:
    assert _read_or_refuse(content) in ("read", "refused")


def test_hostile_xml_is_refused() -> None:
    """An entity expansion ('billion laughs') and an external entity: refused before parsing."""
    laughs = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><Message>&b;</Message>'
    external = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><Message>&e;</Message>'
    assert _read_or_refuse(laughs) == "refused"
    assert _read_or_refuse(external) == "refused"
