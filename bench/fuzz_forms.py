"""Benchmark: the long fuzzing run of every form and of the census reader.

    .venv/bin/python bench/fuzz_forms.py                  # 50 examples per form, 500 per census strategy
    .venv/bin/python bench/fuzz_forms.py --examples 200 --random

It runs the suite's own fuzz tests (tests/web/test_fuzz_forms.py, tests/interop/test_fuzz_cin_read.py)
in a fresh process with CPQA_FUZZ_EXAMPLES raised (the suite runs 3) and, with --random, fresh
random draws instead of the suite's fixed ones (CPQA_FUZZ_RANDOM=1). It prints the examples asked
for, the wall and CPU seconds, and the tests' outcome; the exit status is pytest's, so a failure
found here fails the run. Hypothesis prints the smallest failing example it finds.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TESTS = ["tests/web/test_fuzz_forms.py", "tests/interop/test_fuzz_cin_read.py"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=50, help="examples per form (census: 10 times this)")
    parser.add_argument("--random", action="store_true", help="fresh random draws (default: the suite's fixed ones)")
    args = parser.parse_args()
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""),
        "CPQA_FUZZ_EXAMPLES": str(args.examples),
        "CPQA_FUZZ_RANDOM": "1" if args.random else "0",
    }
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", *TESTS, "-q", "-p", "no:cacheprovider", "-W", "ignore::UserWarning"],
        cwd=REPO, env=env, capture_output=True, text=True, check=False,
    )
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    summary = [line for line in done.stdout.splitlines() if line.strip()][-1:] or ["(no output)"]
    print(f"fuzz: {args.examples} examples per form and role, {args.examples * 10} per census strategy, "
          f"{'random' if args.random else 'fixed'} draws")
    print(f"wall {seconds:.1f} s, CPU {usage.ru_utime + usage.ru_stime:.1f} s; pytest: {summary[0]}")
    if done.returncode != 0:
        print(done.stdout[-6000:])
        print(done.stderr[-2000:], file=sys.stderr)
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
