"""The report as JSON (docs/report-schema.md): UTF-8, keys always in the same order.

Other tools read this file and people diff one year's against the next, so the order of keys
does not depend on how the report dict happened to be built: the report's and each table's
known keys come first in the contract's order, rows keep the contract's column order, and
anything extra follows, sorted.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cpqa.reports.presentation import (
    REPORT_KEY_ORDER,
    TABLE_KEY_ORDER,
    TABLE_KEYS,
    columns_of,
    ordered_table_ids,
)


def _ordered(mapping: Mapping[str, Any], first: tuple[str, ...] | list[str]) -> dict[str, Any]:
    known = [k for k in first if k in mapping]
    return {k: mapping[k] for k in known + sorted(k for k in mapping if k not in known)}


def _ordered_table(table_id: str, table: Mapping[str, Any]) -> dict[str, Any]:
    columns = columns_of(table_id, table) if table.get("rows") else list(TABLE_KEYS.get(table_id, ()))
    out = _ordered(table, TABLE_KEY_ORDER)
    if isinstance(out.get("rows"), list):
        out["rows"] = [_ordered(row, columns) for row in out["rows"]]
    for key in ("totals", "previous_year"):
        if isinstance(out.get(key), Mapping):
            out[key] = _ordered(out[key], columns)
    return out


def canonical(report: Mapping[str, Any]) -> dict[str, Any]:
    """The report with every key in its canonical place (values untouched)."""
    out = _ordered(report, REPORT_KEY_ORDER)
    if isinstance(out.get("period"), Mapping):
        out["period"] = _ordered(out["period"], ("start", "end"))
    tables = report.get("tables") or {}
    out["tables"] = {t: _ordered_table(t, tables[t]) for t in ordered_table_ids(tables)}
    return out


def render_json(report: Mapping[str, Any]) -> str:
    # ensure_ascii=False keeps labels such as "Gypsy/Roma" or an authority's accented name
    # readable; the file is written as UTF-8.
    return json.dumps(canonical(report), ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def write_json(report: Mapping[str, Any], path: Path) -> None:
    path.write_text(render_json(report), encoding="utf-8")
