"""The Word report, opened with python-docx: the board paper's sections, every table, charts
with alt text, fact sentences, the author's commentary places, unavailable tables' reasons."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn

from cpqa.reports.render_docx import render_docx
from cpqa.reports.suppression import suppress_report
from tests.reports.sample_report import sample_report


@pytest.fixture(scope="module")
def document() -> DocumentObject:
    return Document(io.BytesIO(render_docx(sample_report(), generated_on=dt.date(2018, 11, 1))))


def _headings(document: DocumentObject, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def _table_after_caption(document: DocumentObject, caption_start: str) -> list[list[str]]:
    """The rows of the table that follows the caption paragraph beginning `caption_start`."""
    body = document.element.body
    found = False
    for child in body.iterchildren():
        if child.tag == qn("w:p") and "".join(t.text or "" for t in child.iter(qn("w:t"))).startswith(caption_start):
            found = True
        elif found and child.tag == qn("w:tbl"):
            return [["".join(t.text or "" for t in cell.iter(qn("w:t"))) for cell in row.iter(qn("w:tc"))]
                    for row in child.iter(qn("w:tr"))]
        elif found and child.tag == qn("w:p") and "".join(t.text or "" for t in child.iter(qn("w:t"))):
            return []
    raise AssertionError(f"no caption starting {caption_start!r}")


def test_numbered_sections_in_the_board_papers_order(document: DocumentObject) -> None:
    assert _headings(document, 1) == [
        "1. Introduction", "2. Child protection conferences", "3. CP performance indicators",
        "4. Child participation", "5. Multi-agency working", "6. Escalations and the chairs' footprint", "7. Data",
    ]
    level_3 = _headings(document, 3)
    assert level_3 == [
        "i. Initial child protection conferences (ICPCs)", "ii. Review child protection conferences (RCPCs)",
        "iii. Pre-birth child protection conferences", "iv. Transfer in and transfer out conferences",
    ]
    second = _headings(document, 2)
    assert second.index("c. Profile of age, gender and ethnicity") < second.index("d. Categories")
    assert "a. Quoracy" in second and "b. Attendance and reports" in second


def test_title_block(document: DocumentObject) -> None:
    title = next(p.text for p in document.paragraphs if p.style.name == "Title")
    assert "2017-18" in title and "child protection conferencing" in title
    texts = [p.text for p in document.paragraphs]
    assert "Example Borough (synthetic)" in texts
    assert "Purpose: For discussion" in texts
    assert "Produced by cpqa on 1 November 2018." in texts


def test_every_table_is_present_with_its_caption(document: DocumentObject) -> None:
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption" and p.text.startswith("Table ")]
    report = sample_report()
    assert len(captions) == len(report["tables"])
    for table in report["tables"].values():
        assert any(c.endswith(": " + table["title"]) for c in captions), table["title"]
    # 25 available tables are Word tables; the unavailable one is a sentence.
    assert len(document.tables) == 25


def test_month_table_contents_and_year_totals(document: DocumentObject) -> None:
    rows = _table_after_caption(document, "Table 3: Initial child protection conferences")
    assert rows[0] == ["Month", "CP plan", "Other outcome", "Total"]
    assert rows[1] == ["April 2017", "80", "11", "91"]
    assert rows[12] == ["March 2018", "93", "7", "100"]
    assert rows[13] == ["Total 2017-18", "737", "133", "870"]
    assert rows[14] == ["Total 2016-17", "417", "56", "473"]


def test_benchmarks_and_previous_year_shown_in_the_category_table(document: DocumentObject) -> None:
    rows = _table_after_caption(document, "Table 10: ")
    assert rows[0] == ["Category", "Description", "Children", "%", "% previous year", "National %"]
    assert rows[1] == ["NEG", "Neglect", "130", "23.3%", "11.5%", "48.0%"]
    assert rows[-1] == ["Total 2017-18", "", "559", "", "", ""]


def test_unavailable_table_states_its_reason(document: DocumentObject) -> None:
    texts = [p.text for p in document.paragraphs]
    assert "Not available: Quoracy was not recorded for the conferences held in the year." in texts
    # And section 7 lists it again with the others the source could not give.
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert bullets == ["Quorate conferences: Quoracy was not recorded for the conferences held in the year."]


def test_four_trend_charts_each_with_alt_text(document: DocumentObject) -> None:
    shapes = list(document.inline_shapes)
    assert len(shapes) == 4
    descriptions = [s._inline.docPr.get("descr") for s in shapes]
    assert descriptions[0].startswith("Line chart of children subject of a child protection plan")
    assert "April 391" in descriptions[0] and "March 559" in descriptions[0]
    assert "Bar chart" in descriptions[1] and "CP plan: April 80" in descriptions[1]
    assert "national figure 76.9" in descriptions[3]
    figure_captions = [p.text for p in document.paragraphs if p.text.startswith("Figure ")]
    assert figure_captions[0] == "Figure 1: Children subject of a child protection plan at each month end"


def test_fact_sentences_and_commentary_places(document: DocumentObject) -> None:
    text = "\n".join(p.text for p in document.paragraphs)
    assert "The number of children subject of a plan rose from 391 in April to 559 in March." in text
    assert "There were 870 initial child protection conferences in 2017-18, compared with 473 in 2016-17." in text
    assert ("54.4% of initial conferences were held within 15 working days of the strategy discussion "
            "(473 of 870; national 76.9%).") in text
    commentary = [p for p in document.paragraphs if p.text.startswith("[Author's commentary: ")]
    # One per section that carries narrative: 1a, 1b; 2a, 2b i-iv, 2c, 2d, 2e; 3a-d; 4; 5a, 5b; 6; 7.
    assert len(commentary) == 19
    assert all(p.runs[0].font.highlight_color is not None for p in commentary)


def test_suppressed_report_shows_c(document: DocumentObject) -> None:
    suppressed = Document(io.BytesIO(render_docx(suppress_report(sample_report()))))
    rows = _table_after_caption(suppressed, "Table 9: ")
    aban = next(r for r in rows if r[0] == "ABAN")
    assert aban[2:4] == ["c", "c"]
    assert any(p.text.startswith("Publication version: Counts from 1 to 5") for p in suppressed.paragraphs)
