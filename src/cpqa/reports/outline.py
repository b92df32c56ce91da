"""The report as a document: its title block and its blocks in reading order.

Word and HTML lay out the same sequence of headings, tables, figures, facts and commentary
places, so both read alike; each renderer only decides how a block looks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from cpqa.reports.facts import facts
from cpqa.reports.presentation import CHARTS, SECTIONS, Chart, Section, ordered_table_ids, placed_tables


@dataclass(frozen=True)
class Heading:
    level: int  # 1 for a numbered section
    number: str
    title: str
    anchor: str


@dataclass(frozen=True)
class TableBlock:
    table_id: str
    number: int


@dataclass(frozen=True)
class FigureBlock:
    chart: Chart
    number: int


@dataclass(frozen=True)
class Sentences:
    """Generated statements of fact."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Commentary:
    """A marked place for the author's own narrative."""

    hint: str

    @property
    def text(self) -> str:
        return f"[Author's commentary: {self.hint}]"


@dataclass(frozen=True)
class Note:
    text: str


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


Block = Heading | TableBlock | FigureBlock | Sentences | Commentary | Note | Bullets

SOURCE_WORDS = {
    "database": "the service's case record",
    "cin-census": "a CIN census return",
    "synthetic": "a synthetic (made-up) authority",
}


def report_title(report: Mapping[str, Any]) -> str:
    return (f"Annual report: child protection conferencing and the role of safeguarding and quality "
            f"assurance {report.get('year', '')}").strip()


def title_lines(report: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The board paper's title block as (label, value); an empty label is a line on its own."""
    period = report.get("period") or {}
    return [
        ("", str(report.get("authority", ""))),
        ("Author", "[Author's name and role]"),
        ("For presentation to", "[Board or committee, and date]"),
        ("Purpose", "For discussion"),
        ("Period", f"{period.get('start', '')} to {period.get('end', '')}"),
        ("Source", SOURCE_WORDS.get(str(report.get("source")), str(report.get("source")))),
    ]


def benchmarks_line(report: Mapping[str, Any]) -> str:
    """Where the national comparator figures come from (the report's `benchmarks` key)."""
    benchmarks = report.get("benchmarks")
    if not isinstance(benchmarks, Mapping):
        return "No national comparator figures were supplied for this year."
    source = f" ({benchmarks['source']})" if benchmarks.get("source") else ""
    return f"National comparator figures: {benchmarks.get('area', '')}, {benchmarks.get('year', '')}{source}."


def _anchor(numbers: list[str]) -> str:
    return "section-" + "-".join(numbers)


def outline(report: Mapping[str, Any]) -> list[Block]:
    """Every heading, table, chart, fact and commentary place of the report, in reading order."""
    tables = report.get("tables") or {}
    blocks: list[Block] = []
    counters = {"table": 0, "figure": 0}

    def add_table(table_id: str) -> None:
        counters["table"] += 1
        blocks.append(TableBlock(table_id, counters["table"]))
        if tables[table_id].get("available"):
            for chart in CHARTS.values():
                if chart.table_id == table_id and tables[table_id].get("rows"):
                    counters["figure"] += 1
                    blocks.append(FigureBlock(chart, counters["figure"]))
        sentences = facts(report, table_id)
        if sentences:
            blocks.append(Sentences(tuple(sentences)))

    def add_section(section: Section, depth: int, numbers: list[str]) -> None:
        numbers = [*numbers, section.number]
        blocks.append(Heading(depth, section.number, section.title, _anchor(numbers)))
        for table_id in section.tables:
            if table_id in tables:
                add_table(table_id)
        if section.commentary:
            blocks.append(Commentary(section.commentary))
        if section.number == "7" and depth == 1:
            _data_section(report, blocks, add_table, numbers)
        for sub in section.subsections:
            add_section(sub, depth + 1, numbers)

    for section in SECTIONS:
        add_section(section, 1, [])
    return blocks


def _data_section(
    report: Mapping[str, Any], blocks: list[Block], add_table: Callable[[str], None], numbers: list[str]
) -> None:
    tables = report.get("tables") or {}
    period = report.get("period") or {}
    blocks.append(Note(
        f"This report was produced by cpqa from {SOURCE_WORDS.get(str(report.get('source')), 'its source')} "
        f"for {period.get('start', '')} to {period.get('end', '')}. Every figure follows the definitions in "
        f"the product's documentation of the annual report; conferences are counted once per child."
    ))
    blocks.append(Note(benchmarks_line(report)))
    suppression = report.get("suppression")
    if isinstance(suppression, Mapping) and suppression.get("applied"):
        blocks.append(Note(f"Publication version: {suppression.get('rule', '')}"))
    unavailable = [
        f"{tables[t].get('title', t)}: {tables[t].get('reason', 'no reason given')}"
        for t in ordered_table_ids(tables) if not tables[t].get("available")
    ]
    blocks.append(Heading(2, "a", "Figures the source could not provide", _anchor([*numbers, "a"])))
    if unavailable:
        blocks.append(Bullets(tuple(unavailable)))
    else:
        blocks.append(Note("Every table of the report was available from this source."))
    placed = set(placed_tables())
    extra = [t for t in ordered_table_ids(tables) if t not in placed]
    if extra:
        blocks.append(Heading(2, "b", "Other tables", _anchor([*numbers, "b"])))
        for table_id in extra:
            add_table(table_id)
