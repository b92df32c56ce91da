"""`cpqa report`: the annual report, from the database or straight from CIN census files.

    cpqa report --year 2017-18 --format docx --out report.docx
    cpqa report --year 2017-18 --from-cin return-2018.xml --format json --out report.json

With --from-cin the database is never touched, so an analyst can point the command at last
year's return on any machine. Every input is checked before anything is read or written, and
the output file appears whole or not at all.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cpqa.core.commands import CommandError

FORMATS: tuple[str, ...] = ("json", "xlsx", "docx", "html")
STDOUT = "-"
TEXT_FORMATS = frozenset({"json", "html"})


def render(report: Mapping[str, Any], fmt: str) -> bytes:
    """The report in one of FORMATS, as the bytes of the file."""
    # Each renderer is imported only when asked for: JSON must not pay for matplotlib or Word.
    if fmt == "json":
        from cpqa.reports.render_json import render_json

        return render_json(report).encode("utf-8")
    if fmt == "html":
        from cpqa.reports.render_html import render_html

        return render_html(report).encode("utf-8")
    if fmt == "xlsx":
        from cpqa.reports.render_xlsx import render_xlsx

        return render_xlsx(report)
    if fmt == "docx":
        from cpqa.reports.render_docx import render_docx

        return render_docx(report)
    raise CommandError(f"unknown report format {fmt!r} (choose from {', '.join(FORMATS)})")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report",
        help="write the annual report (JSON, Excel, Word or HTML)",
        description=(
            "Write the annual report for one reporting year, from the database or, with --from-cin, "
            "straight from CIN census files without touching the database."
        ),
    )
    parser.add_argument("--year", required=True, help="reporting year, e.g. 2017-18 (1 April to 31 March)")
    parser.add_argument(
        "--format", choices=FORMATS, help="output format (default: from the --out file's extension)"
    )
    parser.add_argument("--out", required=True, metavar="PATH", help=f"file to write ({STDOUT!r}: standard output, "
                        "json and html only)")
    parser.add_argument(
        "--from-cin", nargs="+", metavar="FILE", help="CIN census XML file(s), oldest first, instead of the database"
    )
    parser.add_argument("--population", metavar="FILE", help="child population CSV (ethnicity,children)")
    parser.add_argument("--benchmarks", metavar="FILE", help="national comparator figures (JSON); "
                        "England's shipped figures by default")
    parser.add_argument("--suppress", action="store_true",
                        help="publication version: counts from 1 to 5 shown as c, with secondary suppression")
    parser.add_argument("--authority", metavar="NAME", help="the authority's name as the report shows it")
    parser.set_defaults(handler=_report)


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    suffix = Path(args.out).suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    raise CommandError(
        f"cannot tell the format from --out {args.out!r}: give --format ({', '.join(FORMATS)}) "
        "or a file name ending .json, .xlsx, .docx or .html"
    )


def _existing_file(path: str, what: str) -> Path:
    found = Path(path)
    if not found.is_file():
        raise CommandError(f"{what} {path!r}: no such file")
    return found


def _out_path(out: str, fmt: str) -> Path | None:
    if out == STDOUT:
        if fmt not in TEXT_FORMATS:
            raise CommandError(f"the {fmt} format cannot go to standard output: give --out FILE")
        return None
    path = Path(out)
    if path.is_dir():
        raise CommandError(f"--out {out!r} is a directory: give a file name")
    if not path.parent.is_dir():
        raise CommandError(f"--out {out!r}: the directory {str(path.parent)!r} does not exist")
    return path


def _write_whole(path: Path, content: bytes) -> None:
    """Write beside the target, then rename: a failure never leaves half a report behind."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        partial.write_bytes(content)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def _report(args: argparse.Namespace) -> int:
    # Imported here, not at the top: `cpqa` builds every command's arguments on each run, and
    # the calendar (Polars, the bank holidays) and the configuration (Django) are this command's.
    from cpqa.core.config import authority_config
    from cpqa.domain.calendar import ReportingYear

    try:
        year = ReportingYear.parse(args.year)
    except ValueError as error:
        raise CommandError(f"--year: {error}") from None
    fmt = _format(args)
    out = _out_path(args.out, fmt)
    cin_files = [_existing_file(p, "--from-cin file") for p in args.from_cin or []]
    population_file = _existing_file(args.population, "--population file") if args.population else None
    benchmarks_file = _existing_file(args.benchmarks, "--benchmarks file") if args.benchmarks else None

    from cpqa.reports.benchmarks import Benchmarks, BenchmarksError
    from cpqa.reports.population import Population, PopulationError

    try:
        population = Population.from_csv(population_file) if population_file else None
        # None: the assembler's default, England's shipped figures.
        benchmarks = Benchmarks.from_json(benchmarks_file) if benchmarks_file else None
    except (PopulationError, BenchmarksError) as error:
        raise CommandError(str(error)) from None

    if cin_files:
        from cpqa.interop.cin_read import read_cin_files
        from cpqa.interop.errors import CinFileError

        try:
            record = read_cin_files(cin_files)
        except CinFileError as error:
            raise CommandError(str(error)) from None
    else:
        from cpqa.core.commands import ensure_database

        ensure_database()
        from cpqa.record.selectors import record_tables

        record = record_tables()
        from cpqa.accounts.audit import log_command

        # The report is counts, but it is made from every child's record.
        log_command("report", action="report", whole_record=True, detail=f"annual report {year.label} {fmt}")

    from cpqa.reports.assemble import assemble_report

    # From a census file there is no database, so no configuration but the defaults.
    authority = authority_config(database=not cin_files)
    if args.authority:
        authority = dataclasses.replace(authority, name=args.authority)
    report = assemble_report(record, year, authority=authority, population=population, benchmarks=benchmarks)
    if args.suppress:
        from cpqa.reports.suppression import suppress_report

        report = suppress_report(report)
    content = render(report, fmt)
    if out is None:
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
        return 0
    _write_whole(out, content)
    tables = report.get("tables") or {}
    unavailable = sum(1 for t in tables.values() if not t.get("available"))
    print(f"Wrote {out} ({fmt}: {len(tables)} tables, {unavailable} not available from this source)")
    return 0
