"""Benchmark (not a test): how long `cpqa report --year 2017-18 --format json` takes as a whole
process on the synthetic authority's database, beside the floors no change to cpqa can go under.

    .venv/bin/python bench/bench_startup.py            # 10 runs of each command
    .venv/bin/python bench/bench_startup.py -n 20 --home var/bench-startup

The first run builds the synthetic authority (`cpqa generate --children 550 --seed 1`, the
seed report's size) into --home, by default a folder under the system's temporary directory
that later runs reuse. Then each command runs once untimed and N times timed, the commands in
turn (A B C D A B C D ...), so a change in the machine's speed touches them all alike:

    python -c pass                                   starting Python
    python -c "import polars"                        + Polars (every report needs it)
    python -c "import django; django.setup()"        + Django and cpqa's apps (the database needs it)
    cpqa report --year 2017-18 --format json         the command itself, from the database

Wall seconds include waiting for a core on a shared machine; CPU seconds (user + system) do not.
The target (issue "One house", point 7) is the report under 1 s of wall-clock time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bench_report import cpqa_command, timed_command

YEAR = "2017-18"
CHILDREN_ON_PLAN = 550
SEED = 1
TARGET_SECONDS = 1.0


def build_authority(home: Path, env: dict[str, str]) -> None:
    """The synthetic authority's database in `home`, unless an earlier run left it there."""
    if (home / "cpqa.sqlite3").exists():
        print(f"reusing the database in {home}")
        return
    home.mkdir(parents=True, exist_ok=True)
    print(f"building the synthetic authority ({CHILDREN_ON_PLAN} children on plans, seed {SEED}) in {home}")
    timed_command([cpqa_command(), "generate", "--children", str(CHILDREN_ON_PLAN), "--seed", str(SEED)], env)


def commands(home: Path) -> dict[str, list[str]]:
    python = sys.executable
    return {
        "python -c pass": [python, "-c", "pass"],
        "import polars": [python, "-c", "import polars"],
        "django.setup()": [python, "-c", "import django; django.setup()"],
        f"cpqa report --year {YEAR}": [
            cpqa_command(), "report", "--year", YEAR, "--format", "json", "--out", str(home / "report.json"),
        ],
    }


def _spread(values: list[float]) -> str:
    return f"{min(values):6.3f} {statistics.median(values):6.3f} {max(values):6.3f}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--runs", type=int, default=10, help="timed runs of each command (default 10)")
    parser.add_argument("--home", type=Path, default=Path(tempfile.gettempdir()) / "cpqa-bench-startup",
                        help="CPQA_HOME holding the synthetic authority's database (built when missing)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    home = args.home.resolve()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["CPQA_HOME"] = str(home)
    env.setdefault("DJANGO_SETTINGS_MODULE", "cpqa.settings")
    build_authority(home, env)

    timed = commands(home)
    wall: dict[str, list[float]] = {name: [] for name in timed}
    cpu: dict[str, list[float]] = {name: [] for name in timed}
    for argv_ in timed.values():
        # Untimed: the first start after a change reads files the page cache does not hold yet.
        timed_command(argv_, env)
    for _ in range(args.runs):
        for name, argv_ in timed.items():
            seconds, cpu_seconds, _peak = timed_command(argv_, env)
            wall[name].append(seconds)
            cpu[name].append(cpu_seconds)

    load_1, load_5, _ = os.getloadavg()
    print(f"\n{args.runs} runs each, in turn ({os.cpu_count()} cores; load average {load_1:.1f} over 1 min, "
          f"{load_5:.1f} over 5 min)")
    print(f"{'command':<28} {'wall s: min median max':>22}   {'CPU s: min median max':>21}")
    for name in timed:
        print(f"{name:<28} {_spread(wall[name]):>22}   {_spread(cpu[name]):>21}")
    report = wall[f"cpqa report --year {YEAR}"]
    verdict = "met" if statistics.median(report) < TARGET_SECONDS else "MISSED"
    print(f"target: the report's median under {TARGET_SECONDS:g} s wall: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
