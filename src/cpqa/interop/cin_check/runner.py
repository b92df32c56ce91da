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
from cpqa.interop.cin_check.rule_sets import rules_for
from cpqa.interop.cin_read import CinFile, CinHeader, read_cin_file
from cpqa.interop.errors import CinFileError

# A record's sex as the GenderCurrent item the census used up to 2023-24.
SEX_TO_GENDER_CURRENT = {"M": "1", "F": "2", "U": "0"}

FINDING_SCHEMA: dict[str, pl.DataType] = {
    "line": pl.Int64,  # the file's line of the element (null for a record, or a return-level rule)
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
    rules: Mapping[str, Rule] | None = None,
    cin: CinFile | None = None,
) -> pl.DataFrame:
    """Every rule of the year's set over a census view: one row per breach (FINDING_SCHEMA), errors first.

    The set is the collection year's that the reference date falls in (`rule_sets.rules_for`),
    unless `rules` is given. With the file read (`cin`), findings carry their line, the
    census items the record keeps no column for are judged, and so is the Header (rule 100);
    values the file could not be read at all come first, as errors of rule "XML".
    """
    if rules is None:
        rules = rules_for(ReportingYear.containing(reference_date).first_year)
    header = cin.header if cin is not None else None
    context = CheckContext(
        tables=tables,
        reference_date=reference_date,
        calendar=calendar,
        child_items=_child_items(tables, cin),
        header_year=header.year if header else None,
        header_reference_date=header.reference_date if header else None,
        has_header=cin is not None,
    )
    frames = [_unreadable(cin)] if cin is not None and cin.problems else []
    for r in rules.values():
        hits = r.find(context)
        if hits.height:
            frames.append(
                hits.select(
                    pl.lit(None, pl.Int64).alias("line"),
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
    if cin is not None:
        places = findings.select("record_id", "field").rows()
        looked_up = cin.lines_of(places)
        findings = findings.with_columns(
            pl.coalesce(pl.col("line"), pl.Series("found", looked_up, dtype=pl.Int64)).alias("line")
        )
    return findings.sort(
        [pl.col("kind") != ERROR, "rule", "child_id", "record_id"], nulls_last=False, maintain_order=True
    )


def _child_items(tables: CensusTables, cin: CinFile | None) -> pl.DataFrame:
    """The file's own Sex/GenderCurrent/FormerUPN items; for a record, what its sex implies."""
    if cin is not None and cin.child_items is not None:
        return cin.child_items
    return tables.children.select(
        "child_id",
        pl.col("sex").alias("sex_item"),
        # The GenderCurrent a return gave, else the one the record's sex implies.
        pl.coalesce(
            pl.col("gender_current"), pl.col("sex").replace_strict(SEX_TO_GENDER_CURRENT, default=None)
        ).alias("gender_current"),
        "former_upn",
        pl.col("disabilities").is_not_null().alias("has_disabilities"),
    )


def _unreadable(cin: CinFile) -> pl.DataFrame:
    """The values the file could not be read at all, as findings (each was read as blank)."""
    return pl.DataFrame(
        {
            "line": [p.line for p in cin.problems],
            "rule": ["XML"] * len(cin.problems),
            "kind": [ERROR] * len(cin.problems),
            "child_id": [p.child_id for p in cin.problems],
            "table": [None] * len(cin.problems),
            "field": [p.element for p in cin.problems],
            "value": [None] * len(cin.problems),
            "record_id": [None] * len(cin.problems),
            "message": [p.problem for p in cin.problems],
        },
        schema=FINDING_SCHEMA,
    )


def check_cin_record(
    record: Record, reference_date: dt.date, *, calendar: WorkingCalendar = ENGLAND, cin: CinFile | None = None
) -> pl.DataFrame:
    """The checks on a record read from a census file, judged exactly as the file says."""
    return check_census(census_tables(record, calendar=calendar), reference_date, calendar=calendar, cin=cin)


def check_cin_file(
    path: str | os.PathLike[str], *, year: ReportingYear | None = None, calendar: WorkingCalendar = ENGLAND
) -> pl.DataFrame:
    """Read a census file and check it against its own reference date (or `year`'s end)."""
    cin = read_cin_file(path)
    return check_cin_record(cin.record, reference_date_of(cin.header, year, path), calendar=calendar, cin=cin)


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
    return check_census(tables, year.end, calendar=calendar, rules=rules_for(year.first_year))


def summary(findings: pl.DataFrame) -> dict[str, int]:
    errors = findings.filter(pl.col("kind") == ERROR)
    queries = findings.filter(pl.col("kind") == QUERY)
    return {
        "errors": errors.height,
        "queries": queries.height,
        "children_with_errors": errors["child_id"].drop_nulls().n_unique(),
        "rules_broken": findings["rule"].n_unique(),
    }
