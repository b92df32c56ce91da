"""Benchmark (not a test): how long `cpqa report --format json` takes, and its peak memory.

For each size it generates a synthetic authority (`cpqa.record.synthetic`), writes its 2017-18
CIN census file (`cpqa.interop.cin_write`) and loads it into a fresh SQLite database (`cpqa
generate`, which builds the same authority from the same seed), then runs the real command as
a separate process, exactly as a user would: once from the database, once from the CIN file
(each after one untimed warm-up run). Wall-clock seconds include starting Python and importing
everything; CPU seconds are user + system; peak memory is the process's maximum resident set.

    .venv/bin/python bench/bench_report.py                 # both sizes
    .venv/bin/python bench/bench_report.py --size authority
    .venv/bin/python bench/bench_report.py --size england --keep var/bench
    .venv/bin/python bench/bench_report.py --size england --keep var/bench --reuse   # time again

Sizes: "authority" is the seed report's (about 550 children on plans at year end); "england"
is all of England (about 50,000 children on plans at year end). Targets (DESIGN.md, issue 4):
authority under 1 s, England under 20 s and 4 GB, on a 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

YEAR = "2017-18"
YEARS = ("2016-17", "2017-18")
SIZES: dict[str, int] = {"authority": 550, "england": 50_000}
TARGETS: dict[str, tuple[float, float]] = {"authority": (1.0, 4096.0), "england": (20.0, 4096.0)}
SEED = 1


@dataclass(frozen=True)
class Run:
    source: str
    seconds: float
    cpu_seconds: float
    peak_mb: float
    output_bytes: int


def cpqa_command() -> str:
    """The `cpqa` command of the interpreter running this script (the project's venv)."""
    beside = Path(sys.executable).with_name("cpqa")
    found = str(beside) if beside.exists() else shutil.which("cpqa")
    if not found:
        raise SystemExit("bench: cannot find the cpqa command; install the project (pip install -e .)")
    return found


def timed_command(argv: Sequence[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak resident memory (MB) of one child process.

    On a shared machine the wall time includes waiting for a core; the CPU time does not.
    """
    started = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # wait4 gives this child's own resource usage (RUSAGE_CHILDREN would mix in earlier ones).
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    errors = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
    if process.returncode != 0:
        raise SystemExit(f"bench: {' '.join(argv)} failed ({process.returncode}):\n{errors}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024  # Linux reports kilobytes


def _step(label: str, action: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    result = action()
    print(f"  {label}: {time.perf_counter() - started:.1f} s", flush=True)
    return result


# Generating and writing the census file run in a child process too: a process started by
# fork begins as a copy of its parent, so a parent holding England's record would inflate every
# measured child's peak memory.
_MAKE_CENSUS_FILE = """
import sys
import polars as pl
from cpqa.domain.calendar import ReportingYear
from cpqa.interop.cin_write import write_cin
from cpqa.synthetic import generate_authority

seed, children_on_plan, years, year, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
authority = generate_authority(seed=seed, children_on_plan=children_on_plan, years=tuple(years.split(",")))
reporting_year = ReportingYear.parse(year)
end = reporting_year.end
held = authority.record.conferences.filter(pl.col("held_date").is_between(reporting_year.start, end))
plans = authority.record.plans
on_plan = plans.filter(
    (pl.col("start_date") <= end) & (pl.col("end_date").is_null() | (pl.col("end_date") > end))
)["child_id"].n_unique()
by_type = ", ".join(f"{t} {n:,}" for t, n in sorted(held.group_by("conference_type").len().iter_rows()))
print(f"  {authority.record.children.height:,} children in the record, {on_plan:,} on a plan at year end; "
      f"{year} conferences: {by_type}")
write_cin(authority.record, reporting_year, path, la_code=authority.config.la_code)
"""


def bench_size(name: str, children_on_plan: int, work: Path, *, reuse: bool = False) -> list[Run]:
    print(f"{name}: {children_on_plan:,} children on plans at year end (seed {SEED})")
    cin_file = work / f"cin-{name}.xml"
    home = work / f"home-{name}"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["CPQA_HOME"] = str(home)
    command = cpqa_command()
    if reuse and cin_file.exists() and (home / "cpqa.sqlite3").exists():
        print(f"  reusing {cin_file.name} and the database in {home.name} from an earlier run")
    else:
        make = [sys.executable, "-c", _MAKE_CENSUS_FILE, str(SEED), str(children_on_plan), ",".join(YEARS), YEAR,
                str(cin_file)]
        _step("generating and writing the CIN census file", lambda: subprocess.run(make, check=True))
        home.mkdir(exist_ok=True)
        (home / "cpqa.sqlite3").unlink(missing_ok=True)
        # Loading is the real `cpqa generate` command (same seed, so the same record), in its own
        # process, so this one never binds Django to a database.
        load = [command, "generate", "--children-on-plan", str(children_on_plan), "--seed", str(SEED),
                "--years", ",".join(YEARS)]
        _step("loading into a fresh SQLite database (cpqa generate)", lambda: timed_command(load, env))
    print(f"  CIN file: {cin_file.stat().st_size / 1e6:,.1f} MB")

    runs = []
    for source, extra in (("database", []), ("CIN file", ["--from-cin", str(cin_file)])):
        out = work / f"report-{name}-{source.split()[0].lower()}.json"
        # One untimed run first: the first start of a fresh venv compiles bytecode and warms the
        # page cache, which no user sees twice.
        argv = [command, "report", "--year", YEAR, "--format", "json", "--out", str(out), *extra]
        timed_command(argv, env)
        seconds, cpu_seconds, peak = timed_command(argv, env)
        runs.append(Run(source, seconds, cpu_seconds, peak, out.stat().st_size))
    return runs


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=sorted(SIZES), action="append", help="size(s) to run (default: both)")
    parser.add_argument("--keep", type=Path, help="keep the generated files in this directory")
    parser.add_argument("--reuse", action="store_true",
                        help="with --keep: time again on the CIN file and database an earlier run left there")
    args = parser.parse_args(argv)
    sizes = args.size or list(SIZES)
    work = args.keep or Path(tempfile.mkdtemp(prefix="cpqa-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results: dict[str, list[Run]] = {}
    try:
        for name in sizes:
            results[name] = bench_size(name, SIZES[name], work, reuse=args.reuse)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    # Other work on the machine slows every figure; say how busy it was.
    load_1, load_5, _ = os.getloadavg()
    print(f"\ncpqa report --year {YEAR} --format json ({os.cpu_count()} cores; "
          f"load average {load_1:.1f} over 1 min, {load_5:.1f} over 5 min)")
    print(f"{'size':<10} {'source':<9} {'wall s':>7} {'CPU s':>7} {'peak MB':>8} {'JSON KB':>8}  target")
    for name, runs in results.items():
        limit_s, limit_mb = TARGETS[name]
        for run in runs:
            verdict = "met" if run.seconds < limit_s and run.peak_mb < limit_mb else "MISSED"
            print(f"{name:<10} {run.source:<9} {run.seconds:>7.2f} {run.cpu_seconds:>7.2f} {run.peak_mb:>8.0f} "
                  f"{run.output_bytes / 1024:>8.0f}  < {limit_s:g} s, < {limit_mb:g} MB: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
