"""Running the census rules over a census view, a file, or any record, and summing up the findings."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping

import polars as pl

from cpqa.domain.calendar import ENGLAND, ReportingYear, WorkingCalendar
from cpqa.domain.tables import Record
from cpqa.interop.census import CensusTables, census_tables
from cpqa.interop.cin_check.registry import ERROR, QUERY, CheckContext, Rule
from cpqa.interop.cin_check.rule_sets import RULES
from cpqa.interop.cin_read import CinHeader, read_cin_file
from cpqa.interop.errors import CinFileError

FINDING_SCHEMA: dict[str, pl.DataType] = {
    "rule": pl.String,
    "kind": pl.String,  # error or query
    "child_id": pl.String,  # null for a rule about the whole return
    "table": pl.String,  # the census module, e.g. ChildProtectionPlans
    "field": pl.String,  # the census item, e.g. CPPstartDate
    "value": pl.String,  # the values that broke the rule, named
    "record_id": pl.String,  # the record's id of the row (plan, enquiry, episode, ...)
    "message": pl.String,
}


def check_census(
    tables: CensusTables,
    reference_date: dt.date,
    *,
    calendar: WorkingCalendar = ENGLAND,
    rules: Mapping[str, Rule] = RULES,
) -> pl.DataFrame:
    """Every rule of `rules` over a census view: one row per breach (FINDING_SCHEMA), errors first."""
    context = CheckContext(tables=tables, reference_date=reference_date, calendar=calendar)
    frames = []
    for r in rules.values():
        hits = r.find(context)
        if hits.height:
            frames.append(
                hits.select(
                    pl.lit(r.code).alias("rule"),
                    pl.lit(r.kind).alias("kind"),
                    "child_id",
                    pl.lit(r.table).alias("table"),
                    pl.lit(r.field).alias("field"),
                    "value",
                    "record_id",
                    pl.lit(r.message).alias("message"),
                )
            )
    if not frames:
        return pl.DataFrame(schema=FINDING_SCHEMA)
    findings = pl.concat(frames).cast(FINDING_SCHEMA)  # type: ignore[arg-type]
    return findings.sort(
        [pl.col("kind") != ERROR, "rule", "child_id", "record_id"], nulls_last=False, maintain_order=True
    )


def check_cin_record(
    record: Record, reference_date: dt.date, *, calendar: WorkingCalendar = ENGLAND
) -> pl.DataFrame:
    """The checks on a record read from a census file, judged exactly as the file says."""
    return check_census(census_tables(record, calendar=calendar), reference_date, calendar=calendar)


def check_cin_file(
    path: str | os.PathLike[str], *, year: ReportingYear | None = None, calendar: WorkingCalendar = ENGLAND
) -> pl.DataFrame:
    """Read a census file and check it against its own reference date (or `year`'s end)."""
    cin = read_cin_file(path)
    return check_cin_record(cin.record, reference_date_of(cin.header, year, path), calendar=calendar)


def reference_date_of(header: CinHeader, year: ReportingYear | None, path: str | os.PathLike[str]) -> dt.date:
    """The date the checks judge against: the year asked for, else the file's own."""
    if year is not None:
        return year.end
    if header.reference_date is None:
        raise CinFileError(
            "the file's Header has no CollectionDetails/ReferenceDate; say which census year it is", path=path
        )
    return header.reference_date


def check_record(record: Record, year: ReportingYear, *, calendar: WorkingCalendar = ENGLAND) -> pl.DataFrame:
    """The checks on any record (e.g. the database's) as the census return for `year` would be.

    The record is first narrowed to what that year's census holds and completed where the
    record can tell (`census_tables(fill_derivable=True)`), exactly as `export-cin` writes it,
    so a clean check here means a clean return.
    """
    tables = census_tables(record, fill_derivable=True, calendar=calendar).for_year(year)
    return check_census(tables, year.end, calendar=calendar)


def summary(findings: pl.DataFrame) -> dict[str, int]:
    errors = findings.filter(pl.col("kind") == ERROR)
    queries = findings.filter(pl.col("kind") == QUERY)
    return {
        "errors": errors.height,
        "queries": queries.height,
        "children_with_errors": errors["child_id"].drop_nulls().n_unique(),
        "rules_broken": findings["rule"].n_unique(),
    }
