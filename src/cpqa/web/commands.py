"""`cpqa demo`, `cpqa serve` and `cpqa createuser`: running the web app and its accounts.

    cpqa demo                 build the synthetic authority (first time), demo users, serve
    cpqa demo --no-serve      the same, without serving (prints the sign-in details)
    cpqa serve --port 8000    serve the database as it is
    cpqa createuser NAME --role chair --staff-id 4      (password asked for, or --password-stdin)
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys
from collections.abc import Callable
from dataclasses import dataclass

from cpqa.core.commands import CommandError, ensure_database, ensure_django
from cpqa.synthetic.commands import ensure_demo_data

DEFAULT_PORT = 8000
HOST = "127.0.0.1"
# Printed at start-up and in the README: these accounts exist only in a demo database.
DEMO_PASSWORD = "cpqa-demo-password"
DEMO_SEED = 1
# A record whose last conference is older than this is a snapshot, not a live service.
STALE_RECORD_DAYS = 28
# gunicorn's processes and threads (cpqa.web.server says why few processes, more threads).
DEFAULT_WORKERS = 2
DEFAULT_THREADS = 4


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    first_name: str
    last_name: str
    what_they_see: str


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("demo-qa", "qa_manager", "Demo", "QA Manager (fake)", "every list, every child, reports"),
    DemoUser("demo-chair", "chair", "Demo", "Chair (fake)", "their conferences this week, midway reviews"),
    DemoUser("demo-support", "business_support", "Demo", "Business Support (fake)",
             "conferences to book, invitations, letters, minutes"),
    DemoUser("demo-manager", "social_work_manager", "Demo", "Team Manager (fake)",
             "the children of two teams only"),
    DemoUser("demo-analyst", "analyst", "Demo", "Analyst (fake)", "figures and reports, no child's record"),
    DemoUser("demo-admin", "administrator", "Demo", "Administrator (fake)",
             "accounts, the access log and the authority's configuration"),
)


def register(subparsers: argparse._SubParsersAction) -> None:
    demo = subparsers.add_parser(
        "demo",
        help="load the synthetic authority and demo users, then serve the web app",
        description="Build the synthetic authority if the database has no children, create one demo "
        "user per role, print their sign-in details and serve http://127.0.0.1:PORT.",
    )
    _add_port(demo)
    demo.add_argument("--no-serve", action="store_true", help="prepare the demo and print the details, do not serve")
    demo.set_defaults(handler=_demo)

    serve = subparsers.add_parser(
        "serve",
        help="serve the web app on this machine",
        description="Serve the web app from the database as it is, with gunicorn (a few worker "
        "processes with a few threads each). Put a reverse proxy with TLS in front of it for production.",
    )
    _add_port(serve)
    serve.set_defaults(handler=_serve)

    create = subparsers.add_parser(
        "createuser",
        help="create a user account with a role",
        description="Create a sign-in account. The password is asked for twice, or read from the "
        "first line of standard input with --password-stdin.",
    )
    create.add_argument("username")
    create.add_argument("--role", required=True,
                        help="what the account may do: qa_manager, chair, business_support, "
                        "social_work_manager, analyst or administrator")
    create.add_argument("--team", action="append", default=[], metavar="NAME",
                        help="a team a social work manager manages (repeat for several)")
    create.add_argument("--staff-id", type=int, help="the staff record (id) of a chair, to link their conferences")
    create.add_argument("--first-name", default="")
    create.add_argument("--last-name", default="")
    create.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    create.set_defaults(handler=_createuser)


def _add_port(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=_port, default=DEFAULT_PORT, help=f"port to serve on (default {DEFAULT_PORT})")
    parser.add_argument("--workers", type=_count("--workers", 1, 16), default=DEFAULT_WORKERS,
                        help=f"server processes, each with its own copy of the record (default {DEFAULT_WORKERS})")
    parser.add_argument("--threads", type=_count("--threads", 1, 32), default=DEFAULT_THREADS,
                        help=f"threads in each process (default {DEFAULT_THREADS})")


def _count(option: str, least: int, most: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            number = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{option}: {text!r} is not a whole number") from None
        if not least <= number <= most:
            raise argparse.ArgumentTypeError(f"{option}: {number} is not between {least} and {most}")
        return number

    return parse


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port {port} is not between 1 and 65535")
    return port


def ensure_demo_users() -> list[tuple[DemoUser, str]]:
    """Create (or reset) one demo account per role; returns each with a note of what it is linked to."""
    from django.db import transaction

    from cpqa.accounts.models import User
    from cpqa.record.models import StaffMember, Team

    made: list[tuple[DemoUser, str]] = []
    with transaction.atomic():
        for demo in DEMO_USERS:
            user, _ = User.objects.get_or_create(username=demo.username)
            user.role = demo.role
            user.first_name = demo.first_name
            user.last_name = demo.last_name
            user.is_active = True
            user.set_password(DEMO_PASSWORD)
            user.save()
            note = ""
            if demo.role == "social_work_manager":
                teams = list(Team.objects.order_by("name")[:2])
                user.teams.set(teams)
                note = "teams: " + ", ".join(t.name for t in teams) if teams else "no teams in the record"
            elif demo.role == "chair":
                chair = (
                    StaffMember.objects.filter(role="chair", active=True).filter(user__isnull=True).order_by("name").first()
                    or StaffMember.objects.filter(user=user).first()
                )
                if chair is not None:
                    StaffMember.objects.filter(user=user).exclude(pk=chair.pk).update(user=None)
                    chair.user = user
                    chair.save(update_fields=["user"])
                    note = f"chair staff record {chair.pk}"
                else:
                    note = "no chair in the staff list"
            made.append((demo, note))
    return made


def pin_today_to_the_record() -> dt.date | None:
    """Treat the record's last held conference day as today, when that is over 4 weeks ago.

    A live service holds conferences every week, so this only ever applies to a snapshot.

    The synthetic record is taken on a fixed day (by default the end of its last reporting
    year); served years later, every list would be empty or years overdue. An explicit
    CPQA_TODAY wins; a record that is up to date is left on the real date.
    """
    from django.conf import settings
    from django.db.models import Max

    from cpqa.core.clock import service_today
    from cpqa.record.models import Conference

    if getattr(settings, "CPQA_TODAY", ""):
        return None
    last_held = Conference.objects.aggregate(last=Max("held_date"))["last"]
    if last_held is None or (service_today() - last_held).days <= STALE_RECORD_DAYS:
        return None
    settings.CPQA_TODAY = last_held.isoformat()
    return last_held


def _print_sign_in_details(made: list[tuple[DemoUser, str]], url: str) -> None:
    print(f"\ncpqa demo: sign in at {url}sign-in/ with any of these (password for all: {DEMO_PASSWORD})\n")
    print(f"  {'username':<14} {'role':<22} what they see")
    for demo, note in made:
        extra = f" ({note})" if note else ""
        print(f"  {demo.username:<14} {demo.role:<22} {demo.what_they_see}{extra}")
    print()


def use_demo_secret_key() -> str:
    """The demo's own secret key, made once and kept in CPQA_HOME (readable by its owner only), so
    a demo restarted keeps its sign-ins; CPQA_SECRET_KEY, when set, wins."""
    import os
    import secrets

    from django.conf import settings

    if settings.SECRET_KEY_FROM_ENVIRONMENT:
        return settings.SECRET_KEY
    path = settings.CPQA_HOME / "demo-secret-key"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text(encoding="ascii").strip()
    else:
        key = secrets.token_urlsafe(50)
        with os.fdopen(descriptor, "w", encoding="ascii") as out:
            out.write(key + "\n")
    settings.SECRET_KEY = key
    # The demo's server (runserver loads cpqa.wsgi) accepts a key kept like this one.
    settings.SECRET_KEY_KEPT = True
    return key


def require_secret_key() -> None:
    """`cpqa serve` serves real accounts: it needs the service's own key, never a made-up one."""
    from django.conf import settings

    if not settings.SECRET_KEY_FROM_ENVIRONMENT:
        raise CommandError(
            "CPQA_SECRET_KEY is not set. Set it to a long random key kept in the service's "
            "environment file (docs/deployment.md), for example the output of: "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'. "
            "(`cpqa demo` makes a key of its own.)"
        )


def serve_demo_over_plain_http() -> None:
    """The demo is served on this machine only (127.0.0.1), over plain HTTP: no redirect to HTTPS,
    no Secure-only cookies, no HSTS (which would stick to 127.0.0.1 in the browser)."""
    from django.conf import settings

    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.SECURE_HSTS_SECONDS = 0


def demo_sign_in() -> None:
    """The demo's fake accounts sign in with the password alone (the banner says so), and a
    password-reset mail is printed on the console rather than sent."""
    from django.conf import settings

    settings.CPQA_REQUIRE_2FA = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    print("The demo's accounts sign in with the password alone (a live service also asks for a code "
          "from an authenticator app); password-reset mail is printed here.")


def _demo(args: argparse.Namespace) -> int:
    ensure_database()
    from cpqa.record.models import Child

    if not Child.objects.exists():
        print("cpqa demo: building the synthetic authority (first run only)...", flush=True)
        build_demo_data_apart()
    made = ensure_demo_users()
    demo_sign_in()
    _print_sign_in_details(made, f"http://{HOST}:{args.port}/")
    _pin_and_say()
    if args.no_serve:
        return 0
    use_demo_secret_key()
    serve_demo_over_plain_http()
    return _run_server(args)


def _build_demo_data() -> None:
    ensure_django()
    ensure_demo_data(seed=DEMO_SEED)


def build_demo_data_apart() -> None:
    """Build the synthetic authority in a process of its own, never in the one that serves.

    Building it runs Polars' thread pool; gunicorn's workers are forked from the serving
    process, and a process forked after Polars' threads started hangs at its first Polars call
    (a thread pool does not survive fork). The first Today of a new demo waited for ever.
    """
    import multiprocessing

    builder = multiprocessing.get_context("spawn").Process(target=_build_demo_data)
    builder.start()
    builder.join()
    if builder.exitcode != 0:
        raise CommandError("building the synthetic authority failed (its error is printed above)")


def _pin_and_say() -> None:
    record_day = pin_today_to_the_record()
    if record_day is not None:
        print(f"Today's lists are shown as on {record_day.isoformat()}, the day the record was taken "
              "(set CPQA_TODAY=YYYY-MM-DD to choose another day).\n")


def _serve(args: argparse.Namespace) -> int:
    ensure_django()
    require_secret_key()
    ensure_database()
    _pin_and_say()
    return _run_server(args)


def _run_server(args: argparse.Namespace) -> int:
    from cpqa.web.server import ServerOptions, serve

    print(f"cpqa: serving http://{HOST}:{args.port}/ with {args.workers} worker processes of "
          f"{args.threads} threads (Ctrl+C to stop)", flush=True)
    return serve(ServerOptions(HOST, args.port, workers=args.workers, threads=args.threads))


def _createuser(args: argparse.Namespace) -> int:
    ensure_database()
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from cpqa.accounts.models import Role, User
    from cpqa.record.models import StaffMember, Team

    if args.role not in Role.values:
        raise CommandError(f"--role: {args.role!r} is not one of {', '.join(Role.values)}")
    if User.objects.filter(username=args.username).exists():
        raise CommandError(f"username {args.username!r} is already taken")
    if args.team and args.role != "social_work_manager":
        raise CommandError("--team is only for social work managers")
    if args.staff_id is not None and args.role != "chair":
        raise CommandError("--staff-id links a chair's account to their staff record; the role must be chair")
    teams = []
    for name in args.team:
        team = Team.objects.filter(name=name).first()
        if team is None:
            raise CommandError(f"--team: no team is called {name!r}")
        teams.append(team)
    staff = None
    if args.staff_id is not None:
        staff = StaffMember.objects.filter(pk=args.staff_id).first()
        if staff is None:
            raise CommandError(f"--staff-id: no staff record {args.staff_id}")
        if staff.user_id is not None:
            raise CommandError(f"--staff-id: staff record {args.staff_id} is already linked to an account")

    password = _read_password(args.password_stdin)
    candidate = User(username=args.username, role=args.role, first_name=args.first_name, last_name=args.last_name)
    try:
        validate_password(password, candidate)
    except ValidationError as error:
        raise CommandError("password: " + " ".join(error.messages)) from None

    with transaction.atomic():
        candidate.set_password(password)
        candidate.save()
        if teams:
            candidate.teams.set(teams)
        if staff is not None:
            staff.user = candidate
            staff.save(update_fields=["user"])
    print(f"Created {args.username} ({args.role})")
    return 0


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        if not sys.stdin.isatty():
            raise CommandError("no terminal to ask for the password: use --password-stdin")
        password = getpass.getpass("Password: ")
        if getpass.getpass("Password (again): ") != password:
            raise CommandError("the two passwords differ")
    if not password:
        raise CommandError("the password is empty")
    return password
