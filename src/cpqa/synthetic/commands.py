"""`cpqa generate`: build a synthetic authority and load it into the database."""

from __future__ import annotations

import argparse
import time
from typing import TYPE_CHECKING

from cpqa.core.commands import CommandError, ensure_database, parse_date

if TYPE_CHECKING:
    from cpqa.record.load import LoadSummary


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "generate",
        help="build a synthetic authority and load it into the database",
        description=(
            "Build a synthetic (clearly fake) authority over the given reporting years and load it "
            "into the database. The same seed gives the same authority; loading it again changes nothing."
        ),
    )
    parser.add_argument(
        "--children-on-plan",
        "--children",
        dest="children_on_plan",
        type=_positive,
        default=550,
        metavar="N",
        help="children on a plan at the end of the last year (default 550, the seed report's authority; "
        "England is about 50000)",
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument(
        "--years",
        type=_years,
        default=("2016-17", "2017-18"),
        metavar="YEARS",
        help="reporting years, comma separated (default 2016-17,2017-18)",
    )
    parser.add_argument(
        "--today",
        type=parse_date,
        default=None,
        help="the day the record is taken, YYYY-MM-DD (default: the last year's 31 March)",
    )
    parser.set_defaults(handler=_generate)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not at least 1")
    return value


def _years(text: str) -> tuple[str, ...]:
    from cpqa.domain.calendar import ReportingYear

    years = tuple(part.strip() for part in text.split(",") if part.strip())
    if not years:
        raise argparse.ArgumentTypeError("give at least one reporting year, e.g. 2017-18")
    for year in years:
        try:
            ReportingYear.parse(year)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
    return years


def _generate(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

    from cpqa.synthetic import generate_authority

    console = Console(stderr=True)
    ensure_database()
    from cpqa.record.errors import RecordError
    from cpqa.record.load import load_synthetic_authority

    started = time.monotonic()
    with console.status(f"Generating {args.children_on_plan:,} children on plans (seed {args.seed})..."):
        try:
            authority = generate_authority(
                seed=args.seed, children_on_plan=args.children_on_plan, years=args.years, today=args.today
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
    generated = time.monotonic()
    console.print(
        f"Generated in {generated - started:.1f} s: " + _volumes(authority.counts)
    )

    columns = (TextColumn("{task.description:<14}"), BarColumn(), TaskProgressColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False) as bar:
        tasks: dict[str, int] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=max(total, 1))
            bar.update(tasks[stage], completed=done, total=max(total, 1))

        try:
            summary = load_synthetic_authority(authority, progress=progress)
        except RecordError as exc:
            raise CommandError(str(exc)) from None
    loaded = time.monotonic()
    console.print(f"Loaded in {loaded - generated:.1f} s")
    for line in summary.lines():
        print(line)
    return 0


def _volumes(counts: dict[str, int]) -> str:
    shown = ("children", "plans", "conferences", "attendance")
    return ", ".join(f"{counts.get(name, 0):,} {name}" for name in shown)


def ensure_demo_data(seed: int = 1) -> LoadSummary | None:
    """Load the default synthetic authority when the database has no children yet; the load's
    summary, or None when there was a record already."""
    from cpqa.record import models as m
    from cpqa.record.load import load_synthetic_authority
    from cpqa.synthetic import generate_authority

    if m.Child.objects.exists():
        return None
    return load_synthetic_authority(generate_authority(seed=seed))
