"""Production serving (issue 11, point 7): gunicorn with production settings — debug off, the
service's own secret key, allowed hosts — serves the sign-in page and its static files
(WhiteNoise), and a user made with `cpqa createuser` signs in.

Over plain HTTP on this machine, so this test alone sets CPQA_SSL_REDIRECT=0 (behind the
reverse proxy the redirect stays on, docs/deployment.md). The session cookie stays Secure as in
production; the test carries the cookies itself, as a browser would over HTTPS.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.client import HTTPResponse
from pathlib import Path

import pytest

import cpqa

SRC = Path(cpqa.__file__).resolve().parent.parent
PASSWORD = "a-long-test-password-for-gunicorn"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _environment(home: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(SRC), "CPQA_HOME": str(home),
        "DJANGO_SETTINGS_MODULE": "cpqa.settings",
        "CPQA_SECRET_KEY": "gunicorn-test-key-" + "k" * 50,
        "CPQA_ALLOWED_HOSTS": "127.0.0.1",
        # Plain HTTP on this machine only: see the module's docstring.
        "CPQA_SSL_REDIRECT": "0",
    }


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
    if gunicorn is None:
        pytest.skip("gunicorn is not installed in this environment (pip install the project)")
    env = _environment(tmp_path)
    made = subprocess.run(
        [sys.executable, "-m", "cpqa.cli", "createuser", "first-admin", "--role", "qa_manager", "--password-stdin"],
        input=PASSWORD + "\n", env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert made.returncode == 0, made.stderr
    port = _free_port()
    process = subprocess.Popen(
        [gunicorn, "cpqa.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "60"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail("gunicorn stopped: " + (process.stdout.read() if process.stdout else ""))
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _fetch(url: str, cookies: dict[str, str], data: dict[str, str] | None = None) -> tuple[int, HTTPResponse, str]:
    request = urllib.request.Request(url, data=urllib.parse.urlencode(data).encode() if data else None)
    if cookies:
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()))
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        response = opener.open(request, timeout=60)
    except urllib.error.HTTPError as error:
        response = error  # a 3xx or 4xx: still an answer with headers
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        cookies[name.strip()] = rest.split(";", 1)[0]
    return response.status, response, response.read().decode("utf-8", "replace")


def test_gunicorn_with_production_settings_serves_and_signs_in(server: str) -> None:
    cookies: dict[str, str] = {}
    status, response, page = _fetch(f"{server}/sign-in/", cookies)
    assert status == 200 and "Sign in" in page
    assert "no-store" in response.headers["Cache-Control"]
    assert "Secure" in " ".join(response.headers.get_all("Set-Cookie") or [])  # production cookies
    assert "Strict-Transport-Security" not in response.headers  # only sent over HTTPS
    # The stylesheet comes from WhiteNoise, cached for long, not no-store.
    css = re.search(r'href="(/static/govuk/[^"]+\.css)"', page)
    assert css is not None
    css_status, css_response, _ = _fetch(server + css.group(1), {})
    assert css_status == 200 and "no-store" not in css_response.headers.get("Cache-Control", "")

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    status, response, _ = _fetch(
        f"{server}/sign-in/", cookies,
        {"csrfmiddlewaretoken": html.unescape(token.group(1)), "username": "first-admin", "password": PASSWORD},
    )
    assert status == 302 and response.headers["Location"] == "/", status
    # Production asks every local account for its second factor: with the password alone, the
    # first administrator is sent to set up an authenticator app before any other page.
    status, response, _ = _fetch(f"{server}/", cookies)
    assert status == 302 and response.headers["Location"].startswith("/sign-in/second-factor/"), status
    status, _, set_up = _fetch(f"{server}{response.headers['Location']}", cookies)
    assert status == 200 and "Sign out" in set_up

    # Debug is off: an unknown address is our page, with no list of URL patterns.
    status, _, missing = _fetch(f"{server}/no-such-page/", cookies)
    assert status == 404 and "Page not found" in missing and "children/" not in missing
