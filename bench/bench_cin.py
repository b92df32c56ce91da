"""Benchmark: cpqa reading and checking CIN census files against the peer validator.

    .venv/bin/python bench/bench_cin.py                 # 1,000 / 10,000 / 100,000 children
    .venv/bin/python bench/bench_cin.py --sizes 1000 --peer-sizes 1000

Files come from the shared generator (../shared/peers/make_cin_xml.py, seed 1, census year
2024-25). Each run is `cpqa check-cin FILE --format csv` (read + all rules + output, as a user
runs it) or the peer's own CLI (`python -m cin_validator run FILE -r cin2024_25`, through
../shared/peers/run_cin_validator.sh, which also sets up the peer's venv on first use). Every
run is a fresh process measured by a small parent process, so the peak memory printed is that
run's alone (getrusage RUSAGE_CHILDREN maxrss). Targets: at least 100 times faster than the
peer at 10,000 children; 100,000 children in under 30 s and under 2 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PEERS = REPO.parent / "shared" / "peers"
TARGET_RATIO = 100
TARGET_LARGE_SECONDS = 30
TARGET_LARGE_BYTES = 2 * 1024**3


def measure(command: list[str], env: dict[str, str] | None = None) -> dict[str, float]:
    """Run `command` in a fresh measuring process: wall and CPU seconds, and the run's peak RSS.

    CPU seconds (user + system) are printed beside wall time because the machine may be shared:
    wall time then includes waiting for a core, CPU time does not.
    """
    runner = (
        "import json, resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
        "seconds = time.perf_counter() - start\n"
        "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(json.dumps({'seconds': seconds, 'cpu_seconds': usage.ru_utime + usage.ru_stime,"
        " 'peak_kib': usage.ru_maxrss, 'status': done.returncode,"
        " 'stderr': done.stderr.decode(errors='replace')[-500:]}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", runner, *command], capture_output=True, text=True, env=env, check=True
    )
    return json.loads(result.stdout)


def generate(children: int, folder: Path, generator: Path) -> Path:
    path = folder / f"cin_{children}.xml"
    if not path.exists():
        subprocess.run([sys.executable, str(generator), str(children), str(path), "--seed", "1"], check=True)
    return path


def cpqa_command(path: Path, folder: Path) -> list[str]:
    cpqa = Path(sys.executable).parent / "cpqa"
    return [str(cpqa), "check-cin", str(path), "--format", "csv", "--out", str(folder / f"{path.stem}.csv")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--peer-sizes", type=int, nargs="*", default=[1_000, 10_000])
    parser.add_argument("--peers", type=Path, default=PEERS, help="folder with make_cin_xml.py and the peer")
    parser.add_argument("--keep", type=Path, help="keep the generated files in this folder")
    args = parser.parse_args(argv)

    generator = args.peers / "make_cin_xml.py"
    peer_script = args.peers / "run_cin_validator.sh"
    if not generator.exists():
        print(f"no generator at {generator}", file=sys.stderr)
        return 2
    folder = args.keep or Path(tempfile.mkdtemp(prefix="cpqa-bench-cin-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; files in {folder}")

    results: dict[int, dict[str, dict[str, float]]] = {}
    for size in sorted(set(args.sizes) | set(args.peer_sizes)):
        path = generate(size, folder, generator)
        row: dict[str, dict[str, float]] = {}
        if size in args.sizes:
            row["cpqa"] = measure(cpqa_command(path, folder))
        if size in args.peer_sizes and peer_script.exists():
            env = {**os.environ, "CIN_CLI": "1"}
            row["peer"] = measure(["bash", str(peer_script), str(path), "cin2024_25"], env=env)
        results[size] = row
        mib = path.stat().st_size / 1024**2
        parts = [f"{size:>7,} children ({mib:6.1f} MB)"]
        for name, run in row.items():
            note = (
                "" if run["status"] in (0, 1) else f" [exit {run['status']}: {run['stderr'].strip()[-200:]}]"
            )
            parts.append(
                f"{name} {run['seconds']:7.2f} s (cpu {run['cpu_seconds']:7.2f} s), "
                f"peak {run['peak_kib'] / 1024:6.0f} MiB{note}"
            )
        if "cpqa" in row and "peer" in row:
            parts.append(
                f"peer/cpqa {row['peer']['seconds'] / row['cpqa']['seconds']:6.1f}x "
                f"(cpu {row['peer']['cpu_seconds'] / row['cpqa']['cpu_seconds']:6.1f}x)"
            )
        print(" | ".join(parts), flush=True)

    verdicts = []
    if 10_000 in results and {"cpqa", "peer"} <= set(results[10_000]):
        ratio = results[10_000]["peer"]["seconds"] / results[10_000]["cpqa"]["seconds"]
        verdicts.append(
            f"10,000 children: {ratio:.0f}x faster than the peer, wall clock (target {TARGET_RATIO}x): "
            + ("met" if ratio >= TARGET_RATIO else "NOT met")
        )
    if 100_000 in results and "cpqa" in results[100_000]:
        run = results[100_000]["cpqa"]
        ok = run["seconds"] < TARGET_LARGE_SECONDS and run["peak_kib"] * 1024 < TARGET_LARGE_BYTES
        verdicts.append(
            f"100,000 children: {run['seconds']:.1f} s, {run['peak_kib'] / 1024:.0f} MiB "
            f"(target < {TARGET_LARGE_SECONDS} s, < 2 GiB): " + ("met" if ok else "NOT met")
        )
    for line in verdicts:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
