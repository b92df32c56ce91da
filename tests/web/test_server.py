"""`cpqa serve` and `cpqa demo` run gunicorn: the options they take and what gunicorn is given."""

from __future__ import annotations

import pytest

from cpqa.cli import build_parser
from cpqa.web.server import CpqaServer, ServerOptions


def test_serve_takes_workers_and_threads_with_defaults_of_two_and_four() -> None:
    args = build_parser().parse_args(["serve", "--port", "8804", "--workers", "3"])
    assert (args.port, args.workers, args.threads) == (8804, 3, 4)
    demo = build_parser().parse_args(["demo"])
    assert (demo.workers, demo.threads) == (2, 4)


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--workers", "0", "--workers: 0 is not between 1 and 16"),
    ("--threads", "many", "--threads: 'many' is not a whole number"),
])
def test_a_bad_count_is_refused_in_words(
    option: str, value: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["serve", option, value])
    assert message in capsys.readouterr().err


def test_gunicorn_is_given_threaded_workers_on_the_port_and_no_access_log_of_its_own() -> None:
    server = CpqaServer(ServerOptions("127.0.0.1", 8804, workers=3, threads=5))
    config = server.cfg
    assert config.bind == ["127.0.0.1:8804"]
    assert (config.workers, config.threads, config.worker_class_str) == (3, 5, "gthread")
    assert config.preload_app is True
    assert config.accesslog is None
    # An idle connection outlives a person's pause between pages (not gunicorn's 2 s).
    assert config.keepalive == 75
