"""bench/bench_web.py's own arithmetic on fixed inputs, so the benchmark cannot rot unseen.

Percentiles interpolate between the two nearest ranks, the rank being (n - 1) * q / 100:
- [4, 1, 3, 2] sorted is [1, 2, 3, 4]; p50 rank 1.5, halfway from 2 to 3 = 2.5; p95 rank
  2.85, from 3 towards 4 by 0.85 = 3.85;
- 1..20: p95 rank 19 * 0.95 = 18.05, from 19 (rank 18) towards 20 by 0.05 = 19.05.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import bench_web


def test_percentiles_worked_by_hand() -> None:
    assert bench_web.percentile([4, 1, 3, 2], 50) == pytest.approx(2.5)
    assert bench_web.percentile([4, 1, 3, 2], 95) == pytest.approx(3.85)
    assert bench_web.percentile(list(range(1, 21)), 95) == pytest.approx(19.05)
    assert bench_web.percentile([0.7], 95) == 0.7
    assert math.isnan(bench_web.percentile([], 50))


def test_the_summary_counts_errors_and_divides_by_the_sign_in_pages_p95() -> None:
    """Sign-in [0.1 .. 0.5]: p95 rank 3.8, 0.4 + 0.8 * 0.1 = 0.48. Today [1.0, 0.2, 0.6] sorted
    [0.2, 0.6, 1.0]: p50 0.6; p95 rank 1.9, 0.6 + 0.9 * 0.4 = 0.96; 0.96 / 0.48 = 2.0, with
    one error besides its three answers: 4 requests."""
    times = {
        "sign-in": bench_web.PageTimes([0.3, 0.1, 0.5, 0.2, 0.4]),
        "today": bench_web.PageTimes([1.0, 0.2, 0.6], errors=1),
    }
    floor, today = bench_web.summarise(times)
    assert (floor.requests, floor.errors, floor.ratio) == (5, 0, pytest.approx(1.0))
    assert floor.p95 == pytest.approx(0.48)
    assert (today.requests, today.errors) == (4, 1)
    assert (today.p50, today.p95, today.ratio) == (pytest.approx(0.6), pytest.approx(0.96), pytest.approx(2.0))
    assert not bench_web.meets_target([floor, today]), "an error fails the target"
    assert "today" in bench_web.table([floor, today])


def test_pages_are_given_as_name_path_and_accounts() -> None:
    page = bench_web.parse_page("diary=/conferences/diary/@demo-qa+demo-chair")
    assert page == bench_web.Page("diary", "/conferences/diary/", frozenset({"demo-qa", "demo-chair"}))
    assert page.for_account("demo-qa") and not page.for_account("demo-manager")
    assert bench_web.parse_page("search=/search/?q=Smith").accounts == frozenset()
    with pytest.raises(argparse.ArgumentTypeError, match="name=/path/"):
        bench_web.parse_page("search")
    names = [p.name for p in bench_web.pages_to_run([page], ["diary"])]
    assert names == ["sign-in", "diary"]
