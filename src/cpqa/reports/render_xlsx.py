"""The report as an Excel workbook for analysts: an "About" sheet, then one sheet per table.

Each table is a real Excel table (header row, filter buttons, ready to pivot) holding the rows
only; the totals and the previous year's totals are a second small table beneath it, so that a
pivot over the rows never counts a total twice. Counts are whole numbers, percentages and
rates are numbers to one decimal place (84.7, not "84.7%" text), codes stay codes with their
labels beside them. Following the Analysis Function's spreadsheet checklist: the title in A1,
no merged cells, no blank rows inside a table.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from cpqa.reports.outline import (
    SOURCE_WORDS,
    benchmarks_line,
    report_title,
)
from cpqa.reports.presentation import (
    SHEET_NAMES,
    SUPPRESSED,
    columns_of,
    heading,
    is_percent,
    is_rate,
    ordered_table_ids,
    summary_rows,
    table_scalars,
)

SHEET_NAME_LIMIT = 31
FIRST_TABLE_ROW = 2  # row 0: title, row 1: note, row 2: the table's header
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


class _Formats:
    def __init__(self, workbook: Workbook) -> None:
        self.title = workbook.add_format({"bold": True, "font_size": 14})
        self.bold = workbook.add_format({"bold": True})
        self.count = workbook.add_format({"num_format": "#,##0"})
        self.decimal = workbook.add_format({"num_format": "0.0"})
        self.text = workbook.add_format({"align": "left"})
        self.right = workbook.add_format({"align": "right"})
        self.wrap = workbook.add_format({"text_wrap": True, "valign": "top"})


def sheet_names(table_ids: list[str]) -> dict[str, str]:
    """A unique, valid sheet name per table ("About" is taken by the cover sheet)."""
    used = {"about"}
    names: dict[str, str] = {}
    for table_id in table_ids:
        base = _SHEET_FORBIDDEN.sub(" ", SHEET_NAMES.get(table_id, table_id.replace("_", " ").capitalize()))
        base = base[:SHEET_NAME_LIMIT].strip()
        name, n = base, 2
        while name.lower() in used:
            suffix = f" ({n})"
            name = base[: SHEET_NAME_LIMIT - len(suffix)] + suffix
            n += 1
        used.add(name.lower())
        names[table_id] = name
    return names


def _cell_value(value: object) -> object:
    if isinstance(value, list):
        return " + ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return value


def _write_cell(sheet: Worksheet, row: int, col: int, column: str, value: object, formats: _Formats) -> None:
    value = _cell_value(value)
    if value is None:
        sheet.write_blank(row, col, None)
    elif isinstance(value, (int, float)):
        fmt = formats.decimal if (is_percent(column) or is_rate(column) or isinstance(value, float)) else formats.count
        sheet.write_number(row, col, value, fmt)
    elif value == SUPPRESSED:
        sheet.write_string(row, col, value, formats.right)
    else:
        sheet.write_string(row, col, str(value), formats.text)


def _table_name(table_id: str, suffix: str = "") -> str:
    # Excel table names: letters, digits, underscores; must not look like a cell reference.
    return re.sub(r"\W", "_", "t_" + table_id + suffix)[:255]


def _headers(columns: list[str]) -> list[dict[str, str]]:
    """Excel refuses a table whose header cells repeat; fall back to the key where two headings match."""
    seen: set[str] = set()
    out = []
    for column in columns:
        text = heading(column)
        if text.lower() in seen:
            text = f"{text} ({column})"
        seen.add(text.lower())
        out.append({"header": text})
    return out


def _write_table_sheet(
    workbook: Workbook, formats: _Formats, report: Mapping[str, Any], table_id: str, sheet_name: str
) -> None:
    table = report["tables"][table_id]
    sheet = workbook.add_worksheet(sheet_name)
    sheet.write_string(0, 0, str(table.get("title", table_id)), formats.title)
    if not table.get("available"):
        sheet.write_string(1, 0, f"Not available: {table.get('reason', 'no reason given')}")
        sheet.set_column(0, 0, 60)
        return
    columns = columns_of(table_id, table)
    rows = table.get("rows") or []
    sheet.write_string(1, 0, f"{report.get('authority', '')}, {report.get('year', '')}. "
                              "Percentages are numbers from 0 to 100; c = suppressed; blank = not known.")
    if not rows:
        sheet.write_string(FIRST_TABLE_ROW, 0, "No rows for this year.")
        return
    for r, row in enumerate(rows, start=FIRST_TABLE_ROW + 1):
        for c, column in enumerate(columns):
            _write_cell(sheet, r, c, column, row.get(column), formats)
    last_row = FIRST_TABLE_ROW + len(rows)
    sheet.add_table(FIRST_TABLE_ROW, 0, last_row, len(columns) - 1, {
        "name": _table_name(table_id),
        "columns": _headers(columns),
        "style": "Table Style Light 9",
    })
    next_row = last_row + 2
    totals = summary_rows(report, table)
    if totals:
        total_columns = [c for c in columns if any(c in values for _, values in totals)]
        for r, (label, values) in enumerate(totals, start=next_row + 1):
            sheet.write_string(r, 0, label, formats.bold)
            for c, column in enumerate(total_columns, start=1):
                _write_cell(sheet, r, c, column, values.get(column), formats)
        sheet.add_table(next_row, 0, next_row + len(totals), len(total_columns), {
            "name": _table_name(table_id, "_totals"),
            "columns": [{"header": "Totals"}, *_headers(total_columns)],
            "style": "Table Style Light 1",
            "autofilter": False,
        })
        next_row += len(totals) + 2
    for key, value in table_scalars(table):
        sheet.write_string(next_row, 0, heading(key), formats.bold)
        _write_cell(sheet, next_row, 1, key, value, formats)
        next_row += 1
    widths = [max(len(heading(c)), 10) for c in columns]
    for row in rows:
        for i, column in enumerate(columns):
            widths[i] = max(widths[i], len(str(_cell_value(row.get(column)))))
    for i, width in enumerate(widths):
        sheet.set_column(i, i, min(width + 2, 60))


def _write_about(workbook: Workbook, formats: _Formats, report: Mapping[str, Any],
                 names: dict[str, str]) -> None:
    sheet = workbook.add_worksheet("About")
    sheet.write_string(0, 0, report_title(report), formats.title)
    period = report.get("period") or {}
    facts = [
        ("Authority", report.get("authority", "")),
        ("Year", report.get("year", "")),
        ("Period", f"{period.get('start', '')} to {period.get('end', '')}"),
        ("Source", SOURCE_WORDS.get(str(report.get("source")), str(report.get("source")))),
        ("Schema", report.get("schema", "")),
        ("Benchmarks", benchmarks_line(report)),
    ]
    suppression = report.get("suppression")
    if isinstance(suppression, Mapping) and suppression.get("applied"):
        facts.append(("Suppression", str(suppression.get("rule", ""))))
    row = 2
    for label, value in facts:
        sheet.write_string(row, 0, label, formats.bold)
        sheet.write_string(row, 1, str(value), formats.wrap)
        row += 1
    row += 1
    tables = report.get("tables") or {}
    sheet.write_string(row, 0, "Tables", formats.bold)
    row += 1
    header_row = row
    for table_id, sheet_name in names.items():
        row += 1
        table = tables[table_id]
        sheet.write_string(row, 0, sheet_name)
        sheet.write_string(row, 1, str(table.get("title", table_id)))
        sheet.write_string(row, 2, "Yes" if table.get("available") else "No")
        sheet.write_string(row, 3, "" if table.get("available") else str(table.get("reason", "")), formats.wrap)
    sheet.add_table(header_row, 0, row, 3, {
        "name": "t_contents",
        "columns": [{"header": "Sheet"}, {"header": "Table"}, {"header": "Available"},
                    {"header": "Reason not available"}],
        "style": "Table Style Light 9",
    })
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 1, 70)
    sheet.set_column(2, 2, 10)
    sheet.set_column(3, 3, 70)


def render_xlsx(report: Mapping[str, Any]) -> bytes:
    buffer = io.BytesIO()
    # in_memory: nothing written to a temporary directory; the whole report is small.
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.set_properties({"title": report_title(report), "subject": str(report.get("authority", ""))})
    formats = _Formats(workbook)
    table_ids = ordered_table_ids(report.get("tables") or {})
    names = sheet_names(table_ids)
    _write_about(workbook, formats, report, names)
    for table_id in table_ids:
        _write_table_sheet(workbook, formats, report, table_id, names[table_id])
    workbook.close()
    return buffer.getvalue()


def write_xlsx(report: Mapping[str, Any], path: Path) -> None:
    path.write_bytes(render_xlsx(report))
