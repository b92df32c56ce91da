"""Safe by default (issue 11, point 1): debug off, no made-up key for a server, Django's deploy
check clean with production settings, the proxy and session settings from the environment, our
error pages with no data in either mode, the security headers on pages and downloads, no inline
script or style in any template, the absolute end of a session, and owner-only files."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import cpqa
from cpqa.accounts.models import Role, User
from cpqa.web import commands as web_commands
from cpqa.web.middleware import SIGNED_IN_AT
from tests.web.samples import ROLE_USERNAMES

SRC = Path(cpqa.__file__).resolve().parent.parent
PRODUCTION = {
    "CPQA_SECRET_KEY": "a-test-key-" + "x" * 60,
    "CPQA_ALLOWED_HOSTS": "cpqa.council.example",
}


def _python(code: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run `code` in a fresh process with only the environment given (so no setting leaks in)."""
    base = {
        "PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(SRC), "CPQA_HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "cpqa.settings",
    }
    return subprocess.run(
        [sys.executable, "-c", code], env={**base, **env}, capture_output=True, text=True, timeout=120, check=False
    )


SHOW_SETTINGS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER, "
    "s.CSRF_TRUSTED_ORIGINS, s.SESSION_COOKIE_AGE, s.SECRET_KEY_FROM_ENVIRONMENT)"
)


def test_debug_is_off_and_https_is_required_unless_asked(tmp_path: Path) -> None:
    done = _python(SHOW_SETTINGS, {}, tmp_path)
    assert done.returncode == 0, done.stderr
    # No CPQA_DEBUG, no key: debug off, HTTPS redirect and Secure cookies on, no proxy header
    # trusted, no extra origins, 8 hours = 28,800 seconds, the key not the service's own.
    assert done.stdout.split() == ["False", "True", "True", "None", "[]", "28800", "False"]


def test_debug_only_with_cpqa_debug_1(tmp_path: Path) -> None:
    assert _python(SHOW_SETTINGS, {"CPQA_DEBUG": "1"}, tmp_path).stdout.split()[0] == "True"
    assert _python(SHOW_SETTINGS, {"CPQA_DEBUG": "0"}, tmp_path).stdout.split()[0] == "False"


def test_proxy_origins_and_session_hours_come_from_the_environment(tmp_path: Path) -> None:
    done = _python(SHOW_SETTINGS, {
        **PRODUCTION, "CPQA_PROXY_SSL_HEADER": "X-Forwarded-Proto", "CPQA_SSL_REDIRECT": "0",
        "CPQA_CSRF_TRUSTED_ORIGINS": "https://cpqa.council.example, https://cpqa2.council.example",
        "CPQA_SESSION_HOURS": "4",
    }, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (
        "False False True ('HTTP_X_FORWARDED_PROTO', 'https') "
        "['https://cpqa.council.example', 'https://cpqa2.council.example'] 14400 True"
    )


def test_the_deploy_check_is_clean_with_production_settings(tmp_path: Path) -> None:
    done = _python(
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['cpqa', 'check', '--deploy', '--fail-level', 'WARNING'])",
        PRODUCTION, tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_the_wsgi_application_refuses_to_start_without_a_key(tmp_path: Path) -> None:
    done = _python("import cpqa.wsgi", {"CPQA_ALLOWED_HOSTS": "cpqa.council.example"}, tmp_path)
    assert done.returncode != 0
    assert "CPQA_SECRET_KEY is not set" in done.stderr
    assert _python("import cpqa.wsgi", PRODUCTION, tmp_path).returncode == 0


def test_cpqa_serve_refuses_to_start_without_a_key(tmp_path: Path) -> None:
    done = _python("import sys; from cpqa.cli import main; sys.exit(main(['serve', '--port', '8805']))", {}, tmp_path)
    assert done.returncode == 2
    assert "cpqa: error: CPQA_SECRET_KEY is not set" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_demo_makes_its_own_key_once_and_keeps_it_owner_only(settings: Any, tmp_path: Path) -> None:
    settings.CPQA_HOME = tmp_path
    settings.SECRET_KEY_FROM_ENVIRONMENT = False
    settings.SECRET_KEY_KEPT = False
    first = web_commands.use_demo_secret_key()
    path = tmp_path / "demo-secret-key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert settings.SECRET_KEY == first and len(first) >= 50
    assert settings.SECRET_KEY_KEPT  # so the demo's server (cpqa.wsgi) starts on it
    # Restarted, the demo uses the same key, so its sign-ins survive.
    assert web_commands.use_demo_secret_key() == first


# --- Error pages ------------------------------------------------------------------------------


def _broken_reports(monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure deep in a page whose message names a child, as a bug's might."""

    def fail() -> None:
        raise RuntimeError("Alex Testchild TEST0001 broke this")

    monkeypatch.setattr("cpqa.web.reports.reporting_years", fail)


@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])
def test_error_pages_show_no_data_in_either_mode(
    debug: bool, settings: Any, monkeypatch: pytest.MonkeyPatch, world: dict[str, int],
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings.DEBUG = debug
    # As a browser sees it: the test client would otherwise raise the view's exception itself.
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username=ROLE_USERNAMES[Role.QA_MANAGER]))
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    # Django's debug 404 lists every URL pattern; ours says the page is not found.
    assert "Page not found" in missing.content.decode() and "children/&lt;int:pk&gt;" not in missing.content.decode()
    assert "children/<int:pk>" not in missing.content.decode()
    _broken_reports(monkeypatch)
    broken = client.get(reverse("reports"))
    page = broken.content.decode()
    assert broken.status_code == 500
    assert "Sorry, there is a problem with the service" in page
    assert "Alex" not in page and "TEST0001" not in page and "Traceback" not in page
    # The log names the kind of failure and where, never its message.
    logged = " ".join(record.getMessage() for record in caplog.records if record.name == "cpqa.errors")
    assert "RuntimeError in reports" in logged and "Alex" not in logged and "TEST0001" not in logged
    # Django's own line about it keeps the address (ids only) and loses the traceback.
    django_lines = [r for r in caplog.records if r.name == "django.request" and r.levelname == "ERROR"]
    assert django_lines and all(r.exc_info is None for r in django_lines)
    assert not any("Alex" in r.getMessage() for r in caplog.records)


def test_a_form_sent_without_its_token_gets_our_page(world: dict[str, int]) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "what you typed was not saved" in response.content.decode()


# --- Headers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "/", "/reports/", "/children/{child}/", "/today/awaiting-icpc.csv", "/reports/lateness.csv",
        "/reports/annex-a.xlsx", "/reports/annual/2023-24.xlsx", "/reports/annual/2023-24.docx",
        "/reports/annual/2023-24.json", "/no-such-page/",
    ],
)
def test_every_answer_is_no_store_with_the_policies(
    address: str, client_for: Callable[[str | None], Client], world: dict[str, int]
) -> None:
    response = client_for(Role.QA_MANAGER).get(address.format(child=world["child"]))
    assert response.status_code in (200, 404)
    assert "no-store" in response["Cache-Control"]
    policy = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert "script-src 'self'" in policy and "style-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def test_the_sign_in_page_is_no_store_too(world: dict[str, int]) -> None:
    assert "no-store" in Client().get(reverse("login"))["Cache-Control"]


INLINE = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+\s*=|javascript:", re.IGNORECASE)


def test_no_template_has_an_inline_script_style_or_handler() -> None:
    """The policy allows no inline code, so none may be written: every template is checked."""
    found = []
    for template in sorted(Path(cpqa.__file__).parent.rglob("templates/**/*.html")):
        for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), 1):
            if INLINE.search(line):
                found.append(f"{template.name}:{number}: {line.strip()[:80]}")
    assert not found, "inline script or style: " + "; ".join(found)


# --- The absolute end of a session ------------------------------------------------------------


def test_a_session_ends_its_hours_after_signing_in_however_busy(
    settings: Any, client_for: Callable[[str | None], Client]
) -> None:
    settings.CPQA_SESSION_ABSOLUTE_SECONDS = 8 * 60 * 60
    client = client_for(Role.QA_MANAGER)
    assert client.get(reverse("today")).status_code == 200
    started = client.session[SIGNED_IN_AT]
    # Signed in 7 h 59 min ago: still in.
    session = client.session
    session[SIGNED_IN_AT] = timezone.now().timestamp() - (8 * 60 * 60 - 60)
    session.save()
    assert client.get(reverse("today")).status_code == 200
    # 8 h 1 min ago: signed out and sent to sign in, though the session was used a moment ago.
    session = client.session
    session[SIGNED_IN_AT] = timezone.now().timestamp() - (8 * 60 * 60 + 60)
    session.save()
    response = client.get(reverse("today"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    assert isinstance(started, float) and started <= timezone.now().timestamp()


# --- Owner-only files -------------------------------------------------------------------------


def test_the_database_and_an_export_are_created_owner_only(tmp_path: Path) -> None:
    """A fresh CPQA_HOME: `cpqa annex-a --out lists.csv` creates the SQLite database and writes
    lists.csv-list5/-list7 (two CSVs); every one of them is mode 0600 (the process's umask was
    the usual 022, which would have given 0644)."""
    out = tmp_path / "exports"
    out.mkdir()
    done = _python(
        "import os, sys; os.umask(0o022); from cpqa.cli import main; "
        f"sys.exit(main(['annex-a', '--as-of', '2024-03-31', '--out', {str(out / 'lists.csv')!r}]))",
        {}, tmp_path,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    exports = sorted(p.name for p in out.iterdir())
    assert len(exports) == 2, exports
    for path in [*out.iterdir(), tmp_path / "cpqa.sqlite3"]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_an_old_world_readable_database_is_made_owner_only(tmp_path: Path) -> None:
    database = tmp_path / "cpqa.sqlite3"
    assert _python("from cpqa.core.commands import ensure_database; ensure_database()", {}, tmp_path).returncode == 0
    database.chmod(0o644)
    assert _python("from cpqa.core.commands import ensure_database; ensure_database()", {}, tmp_path).returncode == 0
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
