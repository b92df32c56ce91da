"""docs/definitions.md stays true to the code: every anchor the source cites is a heading there,
every function path it names exists, and no comment cites a specification outside the repository.

The slug rule is GitHub's (lowercase; letters, digits, spaces, hyphens and underscores kept,
other punctuation dropped; spaces to hyphens), so a citation opens the right heading there too.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEFINITIONS = ROOT / "docs" / "definitions.md"
SOURCE = ROOT / "src" / "cpqa"

CITATION = re.compile(r"docs/definitions\.md#([A-Za-z0-9_-]+)")
DOTTED_PATH = re.compile(r"\bcpqa(?:\.[A-Za-z_][A-Za-z0-9_]*)+")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$")
# The specification's files, which live outside the repository: a comment citing one points
# a reader at something they cannot open.
OUTSIDE_SPECIFICATION = re.compile(
    r"\b(indicators|report-json|rules-and-benchmarks|data-standards|conference-model|stack-notes)\.md\b|\bDESIGN\.md\b"
)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading's text."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(markdown: str) -> list[str]:
    in_fence = False
    found = []
    for line in markdown.splitlines():
        if line.startswith("```"):
            in_fence = not in_fence
            continue
        match = HEADING.match(line)
        if match and not in_fence:
            found.append(slug(match.group(1)))
    return found


def source_files() -> list[Path]:
    return sorted(p for p in SOURCE.rglob("*") if p.suffix in {".py", ".html", ".txt"} and p.is_file())


def cited_anchors() -> dict[str, list[str]]:
    """anchor -> the files (relative to src) that cite it."""
    cited: dict[str, list[str]] = {}
    for path in source_files():
        for anchor in CITATION.findall(path.read_text(encoding="utf-8")):
            cited.setdefault(anchor, []).append(str(path.relative_to(SOURCE.parent)))
    return cited


def resolve(dotted: str) -> object:
    """The object a dotted path names: the longest importable module, then attributes (a
    dataclass field with a default factory, which is no class attribute, counts as present)."""
    parts = dotted.split(".")
    module: ModuleType | None = None
    index = len(parts)
    while index > 0:
        try:
            module = importlib.import_module(".".join(parts[:index]))
            break
        except ModuleNotFoundError as error:
            if error.name is None or not ".".join(parts[:index]).startswith(error.name):
                raise
            index -= 1
    if module is None:
        raise AssertionError(f"{dotted}: no module of it can be imported")
    obj: object = module
    for name in parts[index:]:
        fields = getattr(obj, "__dataclass_fields__", {})
        if hasattr(obj, name):
            obj = getattr(obj, name)
        elif name in fields:
            obj = fields[name]
        else:
            raise AssertionError(f"{dotted}: {type(obj).__name__} {getattr(obj, '__name__', obj)!r} has no {name!r}")
    return obj


def test_slugs_follow_githubs_rule() -> None:
    # Worked by hand from GitHub's rule: apostrophes and dots go, hyphens and underscores stay.
    assert slug("ICPC due") == "icpc-due"
    assert slug("The authority's configuration") == "the-authoritys-configuration"
    assert slug("children_on_plan_by_month") == "children_on_plan_by_month"
    assert slug("Pre-birth due") == "pre-birth-due"


def test_resolve_finds_what_exists_and_refuses_what_does_not() -> None:
    from cpqa.domain import timescales
    from cpqa.domain.config import AuthorityConfig

    assert resolve("cpqa.domain.timescales.initial_conference_due") is timescales.initial_conference_due
    assert resolve("cpqa.domain.config.AuthorityConfig.calendar") is AuthorityConfig.calendar
    assert resolve("cpqa.domain.config.AuthorityConfig.closure_days").name == "closure_days"
    with pytest.raises(AssertionError, match="no 'initial_conference_due_by'"):
        resolve("cpqa.domain.timescales.initial_conference_due_by")


def test_headings_make_distinct_anchors() -> None:
    found = anchors(DEFINITIONS.read_text(encoding="utf-8"))
    repeated = sorted({a for a in found if found.count(a) > 1})
    # A repeated heading gets a "-1" anchor on GitHub, which nobody would think to cite.
    assert not repeated, f"headings repeated in docs/definitions.md: {repeated}"


def test_every_anchor_cited_in_the_source_is_a_heading() -> None:
    cited = cited_anchors()
    assert cited, "no source file cites docs/definitions.md: the citation pattern is wrong"
    headings = set(anchors(DEFINITIONS.read_text(encoding="utf-8")))
    missing = {anchor: files for anchor, files in cited.items() if anchor not in headings}
    assert not missing, f"cited but not a heading of docs/definitions.md: {missing}"


def test_every_link_inside_the_definitions_opens_a_heading() -> None:
    text = DEFINITIONS.read_text(encoding="utf-8")
    links = set(re.findall(r"\]\(#([^)]+)\)", text))
    assert links, "the definitions link nothing to nothing: the link pattern is wrong"
    missing = sorted(links - set(anchors(text)))
    assert not missing, f"links in docs/definitions.md to no heading: {missing}"


def test_every_function_path_named_in_the_definitions_exists() -> None:
    paths = sorted(set(DOTTED_PATH.findall(DEFINITIONS.read_text(encoding="utf-8"))))
    assert len(paths) > 100, "the definitions name far fewer functions than they should"
    broken = []
    for dotted in paths:
        try:
            resolve(dotted)
        except (AssertionError, ImportError) as error:
            broken.append(str(error))
    assert not broken, "docs/definitions.md names what the code does not have:\n" + "\n".join(broken)


def test_no_source_cites_a_specification_outside_the_repository() -> None:
    citing = [
        f"{path.relative_to(SOURCE.parent)}:{number}"
        for path in source_files()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if OUTSIDE_SPECIFICATION.search(line)
    ]
    assert not citing, f"cite docs/definitions.md or docs/report-schema.md instead: {citing}"
