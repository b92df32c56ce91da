"""The web app behind gunicorn, started from the `cpqa` command (`cpqa demo`, `cpqa serve`).

Gunicorn runs a few worker processes, each with a few threads (its "gthread" workers): a page
that computes over the record's tables uses a core, and one that waits on the database leaves
it to another thread. Each process keeps its own copy of the record in memory
(`cpqa.record.cache`), so workers are few (the machine's cores) and threads carry the rest.
Static files are served by WhiteNoise inside the app (its middleware is in the settings).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gunicorn.app.base import BaseApplication

# Long enough for the largest download (the annual report as Word) on a busy machine.
KEEPALIVE_SECONDS = 75
TIMEOUT_SECONDS = 120


@dataclass(frozen=True)
class ServerOptions:
    host: str
    port: int
    workers: int
    threads: int

    def as_gunicorn(self) -> dict[str, Any]:
        return {
            "bind": f"{self.host}:{self.port}",
            "workers": self.workers,
            "threads": self.threads,
            "worker_class": "gthread",
            "timeout": TIMEOUT_SECONDS,
            # Keep an idle connection longer than anyone pauses between pages (gunicorn's default
            # is 2 s): a browser reusing a connection the server closes at that moment gets a
            # reset instead of its page (seen under load: 1 request in 900).
            "keepalive": KEEPALIVE_SECONDS,
            # The app is loaded once, before the workers fork: they start at once and share
            # the settings the command chose (the demo's pinned day, its own key, plain HTTP).
            "preload_app": True,
            # No access log of gunicorn's own: cpqa keeps its own access log of who saw what.
            "accesslog": None,
            "errorlog": "-",
            "loglevel": "warning",
        }


class CpqaServer(BaseApplication):
    """gunicorn's application for cpqa's WSGI app, configured from `ServerOptions`, not argv."""

    def __init__(self, options: ServerOptions) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for name, value in self.options.as_gunicorn().items():
            self.cfg.set(name, value)

    def load(self) -> Any:
        from django.core.wsgi import get_wsgi_application
        from django.db import connections

        # Django is set up already, by the command (not cpqa.wsgi, whose key check is for a
        # server started on its own: `cpqa serve` checks the key itself, `cpqa demo` makes one).
        application = get_wsgi_application()
        # A connection opened before the fork would be shared by every worker: close it, each
        # worker opens its own.
        connections.close_all()
        return application


def serve(options: ServerOptions) -> int:
    """Serve until stopped (Ctrl+C or SIGTERM); gunicorn's master process returns its exit code."""
    try:
        CpqaServer(options).run()
    except SystemExit as stop:
        return int(stop.code or 0)
    return 0
