"""The report as a Word document that reads like the service's board paper.

Title block, then the numbered sections of the seed report in its order (`presentation.SECTIONS`),
each table with its caption, a chart where the paper shows a trend (PNG with alt text), the
generated statements of fact, and a highlighted place for the author's commentary.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt
from docx.table import Table

from cpqa.core.clock import service_today
from cpqa.reports.charts import describe, render_png
from cpqa.reports.outline import (
    Bullets,
    Commentary,
    FigureBlock,
    Heading,
    Note,
    Sentences,
    TableBlock,
    outline,
    report_title,
    title_lines,
)
from cpqa.reports.presentation import (
    display_columns,
    format_cell,
    heading,
    is_numeric_column,
    summary_rows,
    table_cell,
    table_scalars,
)

FONT = "Arial"
CHART_WIDTH = Inches(6.2)


def _set_fonts(document: DocumentObject) -> None:
    for style_name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Caption"):
        style = document.styles[style_name]
        style.font.name = FONT
        # East-Asian font slot too, or Word substitutes its own for some characters.
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    document.styles["Normal"].font.size = Pt(11)


def _repeat_header(table: Table) -> None:
    """Mark the first row as a header row: repeated on each page and announced by screen readers."""
    row_properties = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row_properties.append(header)


def _add_table(document: DocumentObject, report: Mapping[str, Any], table_id: str, number: int) -> None:
    table = report["tables"][table_id]
    document.add_paragraph(f"Table {number}: {table.get('title', table_id)}", style="Caption")
    if not table.get("available"):
        document.add_paragraph(f"Not available: {table.get('reason', 'no reason given')}")
        return
    shown = display_columns(table_id, table)
    columns = [key for key, _ in shown]
    rows = table.get("rows") or []
    if not rows:
        document.add_paragraph("No rows for this year.")
        return
    lines = [[table_cell(table_id, c, row.get(c)) for c in columns] for row in rows]
    for label, values in summary_rows(report, table):
        # The label takes the first column (month, age band, ...), as the board paper does.
        lines.append([label] + [table_cell(table_id, c, values[c]) if c in values else "" for c in columns[1:]])
    grid = document.add_table(rows=len(lines) + 1, cols=len(columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    numeric = [is_numeric_column(table, c) for c in columns]
    for i, (_, text) in enumerate(shown):
        cell = grid.cell(0, i)
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for r, line in enumerate(lines, start=1):
        for i, text in enumerate(line):
            paragraph = grid.cell(r, i).paragraphs[0]
            paragraph.text = text
            if numeric[i]:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if r > len(rows):
                for run in paragraph.runs:
                    run.bold = True
    _repeat_header(grid)
    for key, value in table_scalars(table):
        document.add_paragraph(f"{heading(key)}: {format_cell(key, value)}")


def _add_figure(document: DocumentObject, report: Mapping[str, Any], block: FigureBlock) -> None:
    png = render_png(report, block.chart)
    if png is None:
        return
    document.add_picture(io.BytesIO(png), width=CHART_WIDTH)
    picture = document.inline_shapes[-1]
    # python-docx has no alt-text API; Word reads it from the drawing's docPr "descr".
    picture._inline.docPr.set("descr", describe(report, block.chart))
    picture._inline.docPr.set("title", block.chart.title)
    document.add_paragraph(f"Figure {block.number}: {block.chart.title}", style="Caption")


def _add_commentary(document: DocumentObject, block: Commentary) -> None:
    run = document.add_paragraph().add_run(block.text)
    run.italic = True
    run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def build_document(report: Mapping[str, Any], *, generated_on: dt.date | None = None) -> DocumentObject:
    document = Document()
    _set_fonts(document)
    title = report_title(report)
    document.core_properties.title = title
    document.core_properties.subject = f"{report.get('authority', '')} {report.get('year', '')}".strip()
    document.add_heading(title, level=0)
    for label, value in title_lines(report):
        paragraph = document.add_paragraph()
        if label:
            paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
    day = generated_on or service_today()
    document.add_paragraph(f"Produced by cpqa on {day.day} {day:%B %Y}.")
    for block in outline(report):
        if isinstance(block, Heading):
            document.add_heading(f"{block.number}. {block.title}", level=block.level)
        elif isinstance(block, TableBlock):
            _add_table(document, report, block.table_id, block.number)
        elif isinstance(block, FigureBlock):
            _add_figure(document, report, block)
        elif isinstance(block, Sentences):
            document.add_paragraph(" ".join(block.items))
        elif isinstance(block, Commentary):
            _add_commentary(document, block)
        elif isinstance(block, Note):
            document.add_paragraph(block.text)
        elif isinstance(block, Bullets):
            for item in block.items:
                document.add_paragraph(item, style="List Bullet")
    return document


def render_docx(report: Mapping[str, Any], *, generated_on: dt.date | None = None) -> bytes:
    buffer = io.BytesIO()
    build_document(report, generated_on=generated_on).save(buffer)
    return buffer.getvalue()


def write_docx(report: Mapping[str, Any], path: Path, *, generated_on: dt.date | None = None) -> None:
    path.write_bytes(render_docx(report, generated_on=generated_on))
