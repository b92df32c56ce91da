"""The Excel workbook, read back with openpyxl: one sheet per table, real tables, numbers as numbers."""

from __future__ import annotations

import io

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook

from cpqa.reports.presentation import SHEET_NAMES, TABLE_ORDER
from cpqa.reports.render_xlsx import render_xlsx, sheet_names
from cpqa.reports.suppression import suppress_report
from tests.reports.sample_report import sample_report


@pytest.fixture(scope="module")
def workbook() -> Workbook:
    return openpyxl.load_workbook(io.BytesIO(render_xlsx(sample_report())))


def _values(sheet, cell_range: str) -> list[list[object]]:  # type: ignore[no-untyped-def]
    return [[c.value for c in row] for row in sheet[cell_range]]


def test_about_sheet_first_then_one_sheet_per_table_in_contract_order(workbook: Workbook) -> None:
    assert workbook.sheetnames == ["About"] + [SHEET_NAMES[t] for t in TABLE_ORDER]


def test_about_sheet_names_authority_year_source_and_unavailable_reasons(workbook: Workbook) -> None:
    about = workbook["About"]
    cells = {row[0]: row[1] for row in about.iter_rows(values_only=True) if row[0]}
    assert cells["Authority"] == "Example Borough (synthetic)"
    assert cells["Year"] == "2017-18"
    assert cells["Period"] == "2017-04-01 to 2018-03-31"
    assert cells["Source"] == "the service's case record"
    contents = about.tables["t_contents"]
    rows = _values(about, contents.ref)
    assert rows[0] == ["Sheet", "Table", "Available", "Reason not available"]
    quoracy = next(r for r in rows if r[0] == "Quoracy")
    assert quoracy[2] == "No"
    assert quoracy[3] == "Quoracy was not recorded for the conferences held in the year."
    assert len(rows) == 1 + len(TABLE_ORDER)


def test_month_table_is_an_excel_table_with_header_and_integer_counts(workbook: Workbook) -> None:
    sheet = workbook["Initial conferences"]
    assert sheet["A1"].value == "Initial child protection conferences"
    table = sheet.tables["t_initial_conferences_by_month"]
    assert table.ref == "A3:D15"  # header on row 3, then 12 months
    rows = _values(sheet, table.ref)
    assert rows[0] == ["Month", "CP plan", "Other outcome", "Total"]
    assert rows[1] == ["2017-04", 80, 11, 91]
    assert rows[12] == ["2018-03", 93, 7, 100]
    assert all(isinstance(v, int) for r in rows[1:] for v in r[1:])
    assert sheet["B4"].number_format == "#,##0"
    # The totals sit in their own table below, so a pivot of the rows never counts them twice.
    totals = _values(sheet, sheet.tables["t_initial_conferences_by_month_totals"].ref)
    assert totals == [
        ["Totals", "CP plan", "Other outcome", "Total"],
        ["Total 2017-18", 737, 133, 870],
        ["Total 2016-17", 417, 56, 473],
    ]


def test_percentages_are_numbers_with_one_decimal_place(workbook: Workbook) -> None:
    sheet = workbook["ICPC timeliness"]
    rows = _values(sheet, sheet.tables["t_initial_conference_timeliness_by_month"].ref)
    assert rows[0] == ["Month", "Held", "In time", "%"]
    assert rows[1] == ["2017-04", 91, 64, 70.3]
    assert sheet["D4"].number_format == "0.0"
    # The table-level national figure is written beneath, as a number.
    labels = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row[0]}
    assert labels["National %"] == 76.9


def test_codes_and_labels_both_kept_and_nulls_left_blank(workbook: Workbook) -> None:
    sheet = workbook["Ethnicity"]
    rows = _values(sheet, sheet.tables["t_ethnicity_at_year_end"].ref)
    assert rows[0] == ["Code", "Description", "Children", "%", "% of child population"]
    assert rows[1] == ["WBRI", "White British", 175, 31.3, 47.3]
    nobt = next(r for r in rows if r[0] == "NOBT")
    assert nobt == ["NOBT", "Information not yet obtained", 8, 1.4, None]


def test_unavailable_table_sheet_gives_the_reason_and_no_table(workbook: Workbook) -> None:
    sheet = workbook["Quoracy"]
    assert sheet["A1"].value == "Quorate conferences"
    assert sheet["A2"].value == "Not available: Quoracy was not recorded for the conferences held in the year."
    assert not sheet.tables


def test_suppressed_cells_are_c_text_beside_numbers() -> None:
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(suppress_report(sample_report()))))
    sheet = book["Ethnicity"]
    rows = _values(sheet, sheet.tables["t_ethnicity_at_year_end"].ref)
    aban = next(r for r in rows if r[0] == "ABAN")
    assert aban[2:4] == ["c", "c"]
    about = {row[0]: row[1] for row in book["About"].iter_rows(values_only=True) if row[0]}
    assert "1 to 5" in about["Suppression"]


def test_sheet_names_are_unique_and_within_excel_limits() -> None:
    names = sheet_names(["a_table_with_a_very_long_identifier_beyond_limits", "a_table_with_a_very_long_identifier_beyond_limits_2", "about"])
    assert all(len(n) <= 31 for n in names.values())
    assert len({n.lower() for n in names.values()}) == 3
    assert "about" not in {n.lower() for n in names.values()}
