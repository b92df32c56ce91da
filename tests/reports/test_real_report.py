"""The renderers on a report the real assembler made from a synthetic authority's record.

The hand-built sample fixes every figure; this checks the other way round: whatever tables and
extra keys the assembler gives, every format shows all of them, and the published version
leaves no count from 1 to 5 and no hidden cell alone in any relation it protects.
"""

from __future__ import annotations

import io
import json
from html.parser import HTMLParser
from typing import Any

import openpyxl
import pytest
from docx import Document

from cpqa.domain.calendar import ReportingYear
from cpqa.reports.assemble import assemble_report
from cpqa.reports.render_docx import render_docx
from cpqa.reports.render_html import render_html
from cpqa.reports.render_json import render_json
from cpqa.reports.render_xlsx import render_xlsx
from cpqa.reports.suppression import RULES, TableRules, _Grid, _relations, suppress_report
from cpqa.synthetic import generate_authority


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    authority = generate_authority(seed=7, children_on_plan=120)
    return assemble_report(authority.record, ReportingYear.parse("2017-18"), authority=authority.config)


def test_json_is_the_assembled_report(report: dict[str, Any]) -> None:
    assert json.loads(render_json(report)) == report


def test_every_table_reaches_word_excel_and_html(report: dict[str, Any]) -> None:
    titles = [t["title"] for t in report["tables"].values()]
    document = Document(io.BytesIO(render_docx(report)))
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption" and p.text.startswith("Table ")]
    assert sorted(c.split(": ", 1)[1] for c in captions) == sorted(titles)

    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))
    assert len(book.sheetnames) == 1 + len(titles)
    assert sorted(book[name]["A1"].value for name in book.sheetnames[1:]) == sorted(titles)

    class Captions(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.inside = False
            self.found: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "caption":
                self.inside = True
                self.found.append("")

        def handle_endtag(self, tag: str) -> None:
            self.inside = self.inside and tag != "caption"

        def handle_data(self, data: str) -> None:
            if self.inside:
                self.found[-1] += data

    parser = Captions()
    parser.feed(render_html(report))
    available = sorted(t["title"] for t in report["tables"].values() if t["available"] and t.get("rows"))
    assert sorted(c.split(": ", 1)[1] for c in parser.found) == available


def test_published_report_hides_every_small_count_and_leaves_none_alone(report: dict[str, Any]) -> None:
    published = suppress_report(report)
    for table_id, table in published["tables"].items():
        lines = [*(table.get("rows") or []), table.get("totals") or {}, table.get("previous_year") or {}]
        for line in lines:
            for key, value in line.items():
                if isinstance(value, int) and not isinstance(value, bool) and key != "population":
                    assert not 1 <= value <= 5, (table_id, key, value)
        # Every relation the original figures satisfy: its hidden terms are none or at least two.
        original = _Grid(report["tables"][table_id])
        after = _Grid(table)
        for relation in _relations(original, RULES.get(table_id, TableRules())):
            hidden = [t for t in (*relation.members, relation.total) if after.value(t) == "c"]
            assert len(hidden) != 1, (table_id, relation)
