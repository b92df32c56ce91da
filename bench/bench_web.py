"""Benchmark (not a test): the web app's pages under a team's load, beside the sign-in page.

    PYTHONPATH=src .venv/bin/python bench/bench_web.py                 # 50 users, 30 s, 1 s think time
    PYTHONPATH=src .venv/bin/python bench/bench_web.py --users 20 --duration 10
    PYTHONPATH=src .venv/bin/python bench/bench_web.py \\
        --database-url postgres://postgres@127.0.0.1:5432/cpqa_bench_web       # on PostgreSQL
    ... --page search=/search/?q=Smith --page diary=/conferences/diary/        # more pages

It builds the demo (`cpqa demo --no-serve`: the synthetic authority and one account per role)
in a temporary CPQA_HOME (or --home), serves it with `cpqa demo` (gunicorn) on --port, signs in
--users sessions (the QA manager's, a chair's, business support's and a social work manager's
accounts in turn), and each session loops for --duration seconds: it asks for the next of its
pages, waits for the answer, then pauses --think seconds. The sign-in page is asked for by a
visitor not signed in: it touches no record, so it is the floor the other pages are measured
against in the same run (the target of issue 10 point 7: every page's p95 within 3x its p95,
with no errors). A page a role may not open (a conference, for a social work manager) is left
out of that role's loop. The placeholders {child} and {conference} in a page's path are a child
in the social work manager's teams who has a conference, and that conference.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import requests

PASSWORD = "cpqa-demo-password"
# The demo's accounts (cpqa.web.commands.DEMO_USERS) that work with children, in turn.
ACCOUNTS = ("demo-qa", "demo-chair", "demo-support", "demo-manager")
FLOOR = "sign-in"
TARGET_RATIO = 3.0


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    # Accounts that may open it; empty: every account.
    accounts: frozenset[str] = frozenset()

    def for_account(self, account: str) -> bool:
        return not self.accounts or account in self.accounts


DEFAULT_PAGES = (
    Page(FLOOR, "/sign-in/"),
    Page("today", "/"),
    Page("child", "/children/{child}/"),
    Page("conference", "/conferences/{conference}/", frozenset({"demo-qa", "demo-chair", "demo-support"})),
)


def parse_page(text: str) -> Page:
    """`name=/path/` or `name=/path/@account+account` -> a Page (the bench's --page option)."""
    match = re.fullmatch(r"([a-z][a-z0-9-]*)=(/[^@\s]*)(?:@([a-z0-9+-]+))?", text)
    if match is None:
        raise argparse.ArgumentTypeError(
            f"--page {text!r}: write it as name=/path/ or name=/path/@demo-qa+demo-chair"
        )
    name, path, accounts = match.groups()
    return Page(name, path, frozenset(accounts.split("+")) if accounts else frozenset())


def pages_to_run(extra: Sequence[Page], only: Sequence[str]) -> list[Page]:
    """The default pages, those given with --page added (or replacing one of the same name),
    kept to --only's names when given; the sign-in page is always kept, as the floor."""
    pages = {page.name: page for page in DEFAULT_PAGES}
    pages.update({page.name: page for page in extra})
    if only:
        unknown = set(only) - set(pages)
        if unknown:
            raise SystemExit(f"bench: --only names no page called {', '.join(sorted(unknown))}")
        pages = {name: page for name, page in pages.items() if name in only or name == FLOOR}
    return list(pages.values())


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), interpolating linearly between the two nearest ranks.

    The rank of the percentile is (n - 1) * q / 100 counted from 0, so p50 of an even count is
    the mean of the middle two, and p100 the largest.
    """
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    below = math.floor(rank)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (rank - below)


@dataclass
class PageTimes:
    seconds: list[float] = field(default_factory=list)
    errors: int = 0
    # What each error was: an HTTP status, or the exception's name.
    what_went_wrong: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Row:
    page: str
    requests: int
    errors: int
    p50: float
    p95: float
    ratio: float  # p95 over the sign-in page's p95


def summarise(times: dict[str, PageTimes]) -> list[Row]:
    floor = percentile(times[FLOOR].seconds, 95) if FLOOR in times else math.nan
    rows = []
    for name, page in times.items():
        p95 = percentile(page.seconds, 95)
        rows.append(Row(name, len(page.seconds) + page.errors, page.errors, percentile(page.seconds, 50), p95,
                        p95 / floor if floor else math.nan))
    return rows


def table(rows: Sequence[Row]) -> str:
    lines = [f"{'page':<20} {'requests':>8} {'errors':>6} {'p50 s':>7} {'p95 s':>7} {'p95 / sign-in':>13}"]
    for row in rows:
        lines.append(f"{row.page:<20} {row.requests:>8} {row.errors:>6} {row.p50:>7.3f} {row.p95:>7.3f} "
                     f"{row.ratio:>12.1f}x")
    return "\n".join(lines)


def meets_target(rows: Sequence[Row]) -> bool:
    return all(row.errors == 0 and row.ratio <= TARGET_RATIO for row in rows)


# --- running it -------------------------------------------------------------------------------


def _environment(home: Path, database_url: str | None) -> dict[str, str]:
    env = dict(os.environ, CPQA_HOME=str(home), DJANGO_SETTINGS_MODULE="cpqa.settings")
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _samples(env: dict[str, str]) -> dict[str, str]:
    """A child of the social work manager's teams with a conference, and that conference."""
    os.environ.update(env)
    import django

    django.setup()
    from cpqa.accounts.models import User
    from cpqa.record.models import ConferenceSubject
    from cpqa.web.commands import pin_today_to_the_record

    # The day the served pages are on (`cpqa serve` pins it the same way), for --cost.
    pin_today_to_the_record()
    manager = User.objects.get(username="demo-manager")
    subject = (
        ConferenceSubject.objects.filter(child__team__in=manager.teams.all(), conference__cancelled=False)
        .order_by("-conference__held_date", "pk").first()
    )
    if subject is None:
        raise SystemExit("bench: the demo has no conference for a child in the social work manager's teams")
    return {"child": str(subject.child_id), "conference": str(subject.conference_id)}


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of the server process and its workers (Linux /proc): what the
    pages cost the machine, whatever else shares it."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pids = [pid]
    while pids:
        current = pids.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
        pids.extend(int(child) for child in children)
    return total


def page_costs(pages: Sequence[Page], samples: dict[str, str], runs: int) -> list[tuple[str, str, float, float]]:
    """CPU milliseconds of one request to each page for each account, in this process (Django's
    test client, no server, no network): the median of `runs` after one untimed request, with
    the record in memory and without it (read afresh per request, as before issue 10)."""
    from django.conf import settings
    from django.test import Client

    from cpqa.accounts.models import User
    from cpqa.record import cache

    costs = []
    for page in pages:
        for account in (("",) if page.name == FLOOR else [a for a in ACCOUNTS if page.for_account(a)]):
            client = Client()
            if account:
                client.force_login(User.objects.get(username=account))
            medians = []
            for in_memory in (True, False):
                settings.CPQA_RECORD_CACHE = in_memory
                cache._PROCESS_CACHE.clear()
                url = page.path.format(**samples)
                # As over HTTPS (the redirect to it is on outside debug; the test client has no TLS).
                client.get(url, secure=True)
                spent = []
                for _ in range(runs):
                    started = time.process_time()
                    status = client.get(url, secure=True).status_code
                    spent.append(1000 * (time.process_time() - started))
                    if status != 200:
                        raise SystemExit(f"bench: {page.name} as {account} answered {status}")
                medians.append(percentile(spent, 50))
            costs.append((page.name, account.removeprefix("demo-") or "not signed in", *medians))
    return costs


def _wait_for(url: str, server: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"bench: the server stopped (exit {server.returncode}) before answering")
        try:
            if requests.get(url, timeout=5).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"bench: no answer from {url} in {seconds:.0f} s")


def _signed_in(base: str, account: str) -> requests.Session:
    session = requests.Session()
    form = session.get(base + "/sign-in/", timeout=60)
    token = session.cookies.get("csrftoken") or re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)[1]
    answer = session.post(base + "/sign-in/", data={"username": account, "password": PASSWORD,
                                                    "csrfmiddlewaretoken": token}, timeout=60)
    if "sessionid" not in session.cookies:
        raise SystemExit(f"bench: could not sign in as {account} (status {answer.status_code})")
    return session


def _user_loop(base: str, session: requests.Session, pages: list[tuple[str, str]], until: float, think: float,
               start_at: int, times: dict[str, PageTimes], lock: threading.Lock) -> None:
    visitor = requests.Session()  # the sign-in page, asked for as someone not signed in
    turn = start_at
    while time.monotonic() < until:
        name, path = pages[turn % len(pages)]
        turn += 1
        client = visitor if name == FLOOR else session
        started = time.perf_counter()
        try:
            status = client.get(base + path, timeout=120, allow_redirects=False).status_code
            wrong = "" if status == 200 else f"HTTP {status}"
        except requests.RequestException as error:
            wrong = type(error).__name__
        seconds = time.perf_counter() - started
        with lock:
            if not wrong:
                times[name].seconds.append(seconds)
            else:
                times[name].errors += 1
                times[name].what_went_wrong.append(wrong)
        time.sleep(think)


def _key(page: str, account: str, by_account: bool) -> str:
    # The sign-in page is the same for everyone: one floor, whatever --by-account says.
    return f"{page} {account.removeprefix('demo-')}" if by_account and page != FLOOR else page


def run(args: argparse.Namespace, home: Path) -> dict[str, PageTimes]:
    env = _environment(home, args.database_url)
    cli = [sys.executable, "-m", "cpqa.cli"]
    subprocess.run([*cli, "demo", "--no-serve", "--port", str(args.port)], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    samples = _samples(env)
    pages = pages_to_run(args.page, args.only)
    if args.cost:
        print(f"{'page':<12} {'account':<14} {'CPU ms, in memory':>18} {'CPU ms, read per request':>25}")
        for name, account, in_memory, afresh in page_costs(pages, samples, args.cost):
            print(f"{name:<12} {account:<14} {in_memory:>18.1f} {afresh:>25.1f}")
    # The demo's server: its own key, plain HTTP on this machine, the record's day pinned.
    server = subprocess.Popen([*cli, "demo", "--port", str(args.port), "--workers", str(args.workers),
                               "--threads", str(args.threads)], env=env, stdout=subprocess.DEVNULL,
                              stderr=(home / "bench-web-server.log").open("w"))
    base = f"http://127.0.0.1:{args.port}"
    try:
        _wait_for(base + "/sign-in/", server)
        accounts = [ACCOUNTS[i % len(ACCOUNTS)] for i in range(args.users)]
        sessions = [_signed_in(base, account) for account in accounts]
        times = {_key(p.name, a, args.by_account): PageTimes() for p in pages for a in ACCOUNTS if p.for_account(a)}
        lock = threading.Lock()
        until = time.monotonic() + args.duration
        cpu_before = _cpu_seconds(server.pid)
        threads = []
        for i, (account, session) in enumerate(zip(accounts, sessions, strict=True)):
            own = [(_key(p.name, account, args.by_account), p.path.format(**samples))
                   for p in pages if p.for_account(account)]
            threads.append(threading.Thread(
                target=_user_loop, args=(base, session, own, until, args.think, i, times, lock), daemon=True
            ))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        cpu = _cpu_seconds(server.pid) - cpu_before
        served = sum(len(page.seconds) + page.errors for page in times.values())
        print(f"server CPU {cpu:.1f} s for {served} requests: {1000 * cpu / max(served, 1):.0f} ms a request")
    finally:
        server.terminate()
        server.wait(timeout=60)
    return times


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50, help="signed-in sessions at work at once (default 50)")
    parser.add_argument("--duration", type=float, default=30, help="seconds each session works (default 30)")
    parser.add_argument("--think", type=float, default=1.0, help="seconds a session pauses between requests")
    parser.add_argument("--port", type=int, default=8804)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn's processes (cpqa demo --workers)")
    parser.add_argument("--threads", type=int, default=4, help="threads per process (cpqa demo --threads)")
    parser.add_argument("--database-url", help="run on this database (PostgreSQL) instead of SQLite")
    parser.add_argument("--home", type=Path, help="CPQA_HOME to use (default: a new temporary folder)")
    parser.add_argument("--page", type=parse_page, action="append", default=[],
                        help="another page, name=/path/ (optionally @account+account)")
    parser.add_argument("--cost", type=int, default=0, metavar="RUNS",
                        help="first, each page's CPU time in this process (median of RUNS), record in memory or not")
    parser.add_argument("--by-account", action="store_true", help="a row per page and account")
    parser.add_argument("--only", nargs="*", default=[], help="only these pages (and the sign-in page)")
    args = parser.parse_args(argv)
    if args.home is not None:
        args.home.mkdir(parents=True, exist_ok=True)
        times = run(args, args.home)
    else:
        with tempfile.TemporaryDirectory(prefix="cpqa-bench-web-") as folder:
            times = run(args, Path(folder))
    rows = summarise(times)
    print(f"{args.users} users, {args.duration:g} s, {args.think:g} s think time, "
          f"{args.workers} workers x {args.threads} threads, {'PostgreSQL' if args.database_url else 'SQLite'}")
    print(table(rows))
    for name, page in times.items():
        if page.what_went_wrong:
            print(f"errors on {name}: {', '.join(sorted(set(page.what_went_wrong)))}")
    print("target met (every p95 within 3x the sign-in page's, no errors)" if meets_target(rows)
          else "target NOT met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
