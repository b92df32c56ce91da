"""A report straight from a census file equals the report from the same file imported into the
database, table by table (issue 4: one implementation, whatever the source)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cpqa.domain.calendar import ReportingYear
from cpqa.domain.config import AuthorityConfig
from cpqa.interop.cin_read import read_cin
from cpqa.interop.cin_write import write_cin
from cpqa.record.load import load_record
from cpqa.record.selectors import record_tables
from cpqa.reports.assemble import assemble_report
from cpqa.synthetic import generate_authority

YEAR = ReportingYear.parse("2017-18")


def _drop_nulls(part: Any) -> Any:
    """A report part without the keys it leaves null (what the source cannot tell)."""
    if isinstance(part, dict):
        return {key: _drop_nulls(value) for key, value in part.items() if value is not None}
    if isinstance(part, list):
        return [_drop_nulls(value) for value in part]
    return part


def _as_known_by(database_part: Any, file_part: Any) -> Any:
    """The database's part, keeping only the keys the census report states (non-null)."""
    if isinstance(file_part, dict) and isinstance(database_part, dict):
        return {key: _as_known_by(database_part.get(key), value) for key, value in file_part.items()
                if value is not None}
    if isinstance(file_part, list) and isinstance(database_part, list) and len(file_part) == len(database_part):
        return [_as_known_by(d, f) for d, f in zip(database_part, file_part)]
    return database_part


@pytest.mark.django_db(transaction=True)
def test_census_file_report_equals_database_report(tmp_path: Path) -> None:
    authority = generate_authority(seed=5, children_on_plan=80)
    census = tmp_path / "cin-2017-18.xml"
    write_cin(authority.record, YEAR, census, la_code="886")

    from_file = read_cin(census)
    load_record(from_file)
    from_database = record_tables()

    file_report = assemble_report(from_file, YEAR, authority=AuthorityConfig())
    database_report = assemble_report(from_database, YEAR, authority=AuthorityConfig())
    assert file_report["source"] == "cin-census" and database_report["source"] == "database"

    compared = 0
    for table_id, file_table in file_report["tables"].items():
        if not file_table["available"]:
            continue
        database_table = database_report["tables"][table_id]
        assert database_table["available"], table_id
        for part in ("rows", "totals", "previous_year"):
            if part in file_table:
                assert _as_known_by(database_table.get(part), file_table[part]) == _drop_nulls(file_table[part]), (
                    table_id, part)
        compared += 1
    # The tables a census file can support: months, profile, categories, factors, indicators.
    assert compared >= 15
    # And they are not all empty: the synthetic authority has children on plans at year end.
    assert file_report["tables"]["children_on_plan_by_month"]["rows"][-1]["children"] > 0
