"""`cpqa check-cin`, `import-cin`, `export-cin` and `check --db`: the CIN census on the command line.

    cpqa check-cin return-2025.xml                      # errors and queries, on screen
    cpqa check-cin return-2025.xml --format csv > findings.csv
    cpqa import-cin return-2024.xml return-2025.xml     # oldest first
    cpqa export-cin --year 2024-25 --out return.xml --la-code 886
    cpqa check --db --year 2024-25                      # the database as its census would be

check-cin and check exit 1 when there are errors (queries alone are not failures). Every
refusal (a bad file, a bad option) exits 2 with `cpqa: error: ...` and changes nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from cpqa.core.commands import CommandError
from cpqa.interop.errors import CinExportError, CinFileError

# Polars, rich and the calendar are imported where a command uses them: `cpqa` builds every
# command's arguments on each run, and a short command should not pay for another's imports.
if TYPE_CHECKING:
    import polars as pl

    from cpqa.domain.calendar import ReportingYear

FORMATS = ("table", "csv", "json")
# On screen, each of the two tables stops here; csv and json always carry every finding.
SCREEN_ROWS = 200


def register(subparsers: argparse._SubParsersAction) -> None:
    check_cin = subparsers.add_parser(
        "check-cin",
        help="check a CIN census file against the DfE rules on S47s, conferences, plans and reviews",
        description=(
            "Check a CIN census XML file against the DfE validation rules about section 47 enquiries, "
            "initial conferences, child protection plans and reviews (and the identity rules they need). "
            "Exits 1 if there are errors; queries alone do not fail."
        ),
    )
    check_cin.add_argument("file", metavar="FILE", help="the CIN census XML file")
    _add_output_options(check_cin)
    check_cin.add_argument(
        "--year", type=_year, help="judge against this census year instead of the file's own ReferenceDate"
    )
    check_cin.set_defaults(handler=_check_cin)

    import_cin = subparsers.add_parser(
        "import-cin",
        help="load CIN census files into the database (idempotent; all or nothing)",
        description=(
            "Load one or more CIN census XML files into the database, oldest first: a later year's file "
            "updates the same children (by LAchildID). Importing the same file twice changes nothing; "
            "any error and nothing is written."
        ),
    )
    import_cin.add_argument("files", nargs="+", metavar="FILE", help="CIN census XML files, oldest first")
    import_cin.add_argument(
        "--dry-run", action="store_true", help="show what the import would add and update, and write nothing"
    )
    import_cin.set_defaults(handler=_import_cin)

    export_cin = subparsers.add_parser(
        "export-cin",
        help="write the CP part of a year's CIN census return from the database",
        description=(
            "Write the child protection part of the CIN census return for one year (with the child and "
            "episode context the DfE's rules need) from the database."
        ),
    )
    export_cin.add_argument("--year", type=_year, required=True, help="census year, e.g. 2024-25")
    export_cin.add_argument("--out", required=True, metavar="FILE", help="the XML file to write")
    export_cin.add_argument(
        "--la-code", metavar="NNN",
        help="the authority's 3-digit DfE code (default: the code in the authority's configuration)",
    )
    export_cin.set_defaults(handler=_export_cin)

    check = subparsers.add_parser(
        "check",
        help="data-quality report: the CIN census rules run on the database",
        description=(
            "Run the CIN census rules on the record in the database, as the census return for the year "
            "would be. Exits 1 if there are errors."
        ),
    )
    check.add_argument("--db", action="store_true", required=True, help="check the database's record")
    check.add_argument("--year", type=_year, help="census year, e.g. 2024-25 (default: the current year)")
    _add_output_options(check)
    check.set_defaults(handler=_check_db)

    annex_a = subparsers.add_parser(
        "annex-a",
        help="write Ofsted's Annex A lists 5 (s47 and ICPCs) and 7 (child protection)",
        description=(
            "Write Ofsted's Annex A child-level lists 5 (section 47 enquiries and initial conferences in the "
            "six months before the inspection date) and 7 (children on a plan at that date, and plans ended "
            "in the six months before), from the database or from CIN census files. .xlsx gives one sheet "
            "per list; .csv writes FILE-list5.csv and FILE-list7.csv. The export is logged nowhere but "
            "the file: handle it as the child-level data it is."
        ),
    )
    annex_a.add_argument("--as-of", type=_iso_date, required=True, metavar="YYYY-MM-DD",
                         help="the inspection date the lists are drawn up to")
    annex_a.add_argument("--out", required=True, metavar="FILE", help="an .xlsx or .csv path")
    annex_a.add_argument("--from-cin", nargs="+", metavar="FILE", help="read CIN census files instead of the database")
    annex_a.set_defaults(handler=_annex_a)


def _iso_date(text: str) -> dt.date:
    from cpqa.core.commands import parse_date

    return parse_date(text)


def _annex_a(args: argparse.Namespace) -> int:
    from rich.console import Console

    from cpqa.interop import annex_a

    out = Path(args.out)
    if out.suffix.lower() not in (".xlsx", ".csv"):
        raise CommandError(f"{args.out}: Annex A is written as .xlsx or .csv")
    if args.from_cin:
        from cpqa.interop.cin_read import read_cin_files

        paths = [_existing_file(p) for p in args.from_cin]
        try:
            record = read_cin_files(paths)
        except CinFileError as exc:
            raise CommandError(str(exc)) from None
    else:
        record = _database_record()
    lists = {"List 5": annex_a.list_5(record, args.as_of), "List 7": annex_a.list_7(record, args.as_of)}
    if out.suffix.lower() == ".xlsx":
        annex_a.write_xlsx(lists, out)
        written = [out]
    else:
        written = [out.with_name(f"{out.stem}-list5.csv"), out.with_name(f"{out.stem}-list7.csv")]
        annex_a.write_csv(lists["List 5"], written[0])
        annex_a.write_csv(lists["List 7"], written[1])
    Console().print(
        f"Annex A as at {args.as_of:%d/%m/%Y}: list 5 {lists['List 5'].height} enquiries, "
        f"list 7 {lists['List 7'].height} plans -> " + ", ".join(str(p) for p in written)
    )
    return 0


def _add_output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS, default="table", help="how to show the findings")
    parser.add_argument("--out", metavar="FILE", help="write csv or json here instead of to the screen")


def _year(text: str) -> ReportingYear:
    from cpqa.domain.calendar import ReportingYear

    try:
        return ReportingYear.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _existing_file(text: str) -> Path:
    path = Path(text)
    if not path.exists():
        raise CommandError(f"{text}: no such file")
    if path.is_dir():
        raise CommandError(f"{text}: is a folder, not a census file")
    return path


# --- progress ----------------------------------------------------------------------------------


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[..., None]]:
    """A rich bar on the terminal (nothing when output is redirected).

    Yields update(done, total, label=None); a new label names the step now running.
    """
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

    console = Console(stderr=True)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int, step: str | None = None) -> None:
            if step is not None:
                bar.update(task, description=step)
            bar.update(task, completed=done, total=total)

        yield update


# --- findings on screen and in files -----------------------------------------------------------------


def _show_findings(findings: pl.DataFrame, args: argparse.Namespace, heading: dict[str, Any]) -> int:
    from cpqa.interop.cin_check import summary

    counts = summary(findings)
    if args.format == "table":
        if args.out:
            raise CommandError("--out goes with --format csv or json (the table is for the screen)")
        _print_tables(findings, heading, counts)
    else:
        _write_output(args.out, lambda stream: _dump(findings, args.format, heading, counts, stream))
    return 1 if counts["errors"] else 0


def _print_tables(findings: pl.DataFrame, heading: dict[str, Any], counts: dict[str, int]) -> None:
    import polars as pl
    from rich.console import Console
    from rich.table import Table

    from cpqa.interop.cin_check import ERROR, QUERY

    console = Console()
    console.print(", ".join(f"{key.replace('_', ' ')}: {value}" for key, value in heading.items()))
    for kind, title, style in ((ERROR, "Errors", "bold red"), (QUERY, "Queries", "bold yellow")):
        rows = findings.filter(pl.col("kind") == kind)
        if not rows.height:
            console.print(f"[{style}]{title}: none[/]")
            continue
        table = Table(title=f"{title}: {rows.height}", title_style=style, title_justify="left")
        for column in ("Rule", "Child", "Where", "Value", "Message"):
            table.add_column(column, overflow="fold")
        for rule, child, table_name, field, value, message in (
            rows.head(SCREEN_ROWS)
            .select("rule", "child_id", "table", "field", "value", "message")
            .iter_rows()
        ):
            table.add_row(rule, child or "(whole return)", f"{table_name}/{field}", value, message)
        console.print(table)
        if rows.height > SCREEN_ROWS:
            console.print(
                f"... and {rows.height - SCREEN_ROWS} more {title.lower()} (--format csv lists them all)"
            )
    console.print(
        f"{counts['errors']} error(s) for {counts['children_with_errors']} child(ren), {counts['queries']} query(ies)"
    )


def _dump(
    findings: pl.DataFrame, fmt: str, heading: dict[str, Any], counts: dict[str, int], stream: TextIO
) -> None:
    if fmt == "csv":
        stream.write(findings.write_csv())
        return
    import polars as pl

    from cpqa.interop.cin_check import ERROR, QUERY

    document = {
        **heading,
        "summary": counts,
        "errors": findings.filter(pl.col("kind") == ERROR).drop("kind").to_dicts(),
        "queries": findings.filter(pl.col("kind") == QUERY).drop("kind").to_dicts(),
    }
    json.dump(document, stream, indent=2)
    stream.write("\n")


def _write_output(out: str | None, write: Callable[[TextIO], None]) -> None:
    """To standard output, or to a file that appears whole or not at all."""
    if out is None:
        write(sys.stdout)
        return
    target = Path(out)
    if not target.parent.is_dir():
        raise CommandError(f"--out {out}: the folder {target.parent} does not exist")
    partial = target.with_name(f".{target.name}.part")
    try:
        with partial.open("w", encoding="utf-8", newline="") as stream:
            write(stream)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


# --- the commands --------------------------------------------------------------------------------------


def _check_cin(args: argparse.Namespace) -> int:
    from cpqa.interop.cin_check import check_cin_record, reference_date_of
    from cpqa.interop.cin_read import read_cin_file

    path = _existing_file(args.file)
    try:
        with progress_bar(f"Reading {path.name}") as update:
            cin = read_cin_file(path, progress=update)
        reference_date = reference_date_of(cin.header, args.year, path)
    except CinFileError as exc:
        raise CommandError(str(exc)) from None
    findings = check_cin_record(cin.record, reference_date, cin=cin)
    heading = {
        "file": path.name,
        "reference_date": reference_date.isoformat(),
        "children": cin.record.children.height,
    }
    return _show_findings(findings, args, heading)


def _import_cin(args: argparse.Namespace) -> int:
    from cpqa.interop.cin_import import import_problems
    from cpqa.interop.cin_read import read_cin_file, read_cin_files

    paths = [_existing_file(p) for p in args.files]
    try:
        problems: list[str] = []
        with progress_bar("Reading " + ", ".join(p.name for p in paths)) as update:
            for path in paths:
                found = import_problems(read_cin_file(path, progress=update))
                problems.extend(f"{path.name}, {p}" for p in found)
            if problems:
                count = len(problems)
                raise CommandError(
                    f"{count} problem{'s' if count != 1 else ''} found, so nothing was imported "
                    "(fix them in the case-management system and export the file again):\n" + "\n".join(problems)
                )
            record = read_cin_files(paths, progress=update)
    except CinFileError as exc:
        raise CommandError(str(exc)) from None
    return _load(record, dry_run=args.dry_run)


class _DryRun(Exception):
    """Raised inside the load's transaction to undo it: a dry run writes nothing."""


def _load(record: Any, *, dry_run: bool) -> int:
    from django.db import transaction
    from rich.console import Console

    from cpqa.core.commands import ensure_database
    from cpqa.record.errors import RecordError

    ensure_database()
    from cpqa.record.load import load_record

    summary = None
    try:
        label = "Checking against the database" if dry_run else "Loading into the database"
        with progress_bar(label) as update, transaction.atomic():
            summary = load_record(record, progress=lambda stage, done, total: update(done, total, f"Loading {stage}"))
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except RecordError as exc:
        raise CommandError(f"nothing was imported: {exc}") from None
    console = Console()
    if dry_run:
        console.print("Dry run: nothing was written. Importing these files would change:")
    for line in summary.lines():
        console.print(line)
    if not summary.changed_anything:
        console.print("Nothing changed: the database already held every fact in these files.")
    return 0


def _database_record() -> Any:
    from cpqa.core.commands import ensure_database

    ensure_database()
    from cpqa.record.selectors import record_tables

    return record_tables()


def _export_cin(args: argparse.Namespace) -> int:
    from rich.console import Console

    from cpqa.interop.cin_write import write_cin

    if args.la_code is not None and not (len(args.la_code) == 3 and args.la_code.isdigit()):
        raise CommandError(f"--la-code {args.la_code!r}: the authority's DfE code is 3 digits, for example 886")
    out = Path(args.out)
    record = _database_record()
    from cpqa.core.config import authority_config

    la_code = args.la_code or authority_config().la_code
    try:
        with progress_bar(f"Writing {out.name}") as update:
            summary = write_cin(record, args.year, out, la_code=la_code, progress=update)
    except CinExportError as exc:
        raise CommandError(str(exc)) from None
    Console().print(
        f"Wrote {summary.path} ({summary.year} census): {summary.children} children, {summary.episodes} episodes, "
        f"{summary.s47} section 47 enquiries, {summary.initial_conferences} initial conferences, "
        f"{summary.plans} plans, {summary.reviews} reviews"
    )
    return 0


def _check_db(args: argparse.Namespace) -> int:
    from cpqa.interop.cin_check import check_record

    record = _database_record()
    year = args.year
    if year is None:
        from cpqa.core.clock import service_today
        from cpqa.domain.calendar import ReportingYear

        year = ReportingYear.containing(service_today())
    findings = check_record(record, year)
    heading = {"source": "database", "year": year.label}
    return _show_findings(findings, args, heading)
