"""The demo's own setup: its config, its seed file, and what it refuses."""

from __future__ import annotations

import io
import os
import signal
import smtplib
import socket
import subprocess
import sys
import threading
import tomllib
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from rich.console import Console

from crawler.cli import main
from crawler.demo.mailsink import MailSink
from crawler.demo.run import (
    error_line,
    prepare_out_dir,
    wait_for_interrupt,
    write_config,
    write_seed,
)
from crawler.demo.server import DemoWeb
from crawler.extract import Extracted, extract_article
from store.config import load_config


def test_the_demo_refuses_an_output_folder_that_already_holds_files(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(main, ["demo", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "not an empty folder" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_without_out_the_demo_works_in_a_new_temporary_folder() -> None:
    first, second = prepare_out_dir(None), prepare_out_dir(None)
    try:
        assert first != second and first.is_dir() and not any(first.iterdir())
    finally:
        first.rmdir()
        second.rmdir()


def test_the_demo_config_allows_loopback_and_sends_email_to_the_sink(tmp_path: Path) -> None:
    with DemoWeb() as web, MailSink(tmp_path / "mailbox") as sink:
        seed = write_seed(web, tmp_path)
        path = write_config(tmp_path, web, sink, seed, None)
        config = load_config(str(path))
        assert config.crawl.allow_private_addresses is True
        assert (config.email.host, config.email.port) == ("127.0.0.1", sink.port)
        assert config.email.recipients and config.email.alert_mode == "immediate"
        assert config.database_url == f"sqlite:///{(tmp_path / 'demo.db').resolve()}"
        assert {(s.name, s.kind, s.url) for s in config.sources} == {
            (name, kind, url) for name, (kind, url) in web.source_urls().items()}
        (seed_path,) = config.seed.articles
        assert config.resolve_path(seed_path) == seed


def test_another_database_url_replaces_the_temporary_sqlite_file(tmp_path: Path) -> None:
    with DemoWeb() as web, MailSink(tmp_path / "mailbox") as sink:
        url = f"sqlite:///{tmp_path / 'elsewhere' / 'x.db'}"
        path = write_config(tmp_path, web, sink, write_seed(web, tmp_path), url)
        assert load_config(str(path)).database_url == url


def test_the_seed_file_is_an_article_page_whose_text_extracts_cleanly(tmp_path: Path) -> None:
    with DemoWeb() as web:
        seed = write_seed(web, tmp_path)
        result = extract_article(seed.read_text("utf-8"), seed.as_uri())
    assert isinstance(result, Extracted)
    assert "368" in result.text and "361" in result.text
    assert result.published is not None and result.published.year == 2022


@pytest.fixture
def python_ctrl_c() -> Iterator[None]:
    """SIGINT raises KeyboardInterrupt, as in a fresh `compoundwatch demo --keep`.

    The test sends itself SIGINT. A worker process that ran other tests
    first (pytest-xdist) may hold another SIGINT handler; under it the
    signal never became KeyboardInterrupt and the test hung until its
    300 s timeout. Python's own handler for the test, the previous after it."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def test_keep_serves_the_sites_and_the_mail_sink_until_ctrl_c(
        tmp_path: Path, python_ctrl_c: None) -> None:
    seen: list[int] = []

    def visit_then_interrupt() -> None:
        try:
            with urllib.request.urlopen(web.source_urls()["daily"][1], timeout=5) as resp:
                seen.append(resp.status)
            with smtplib.SMTP(sink.host, sink.port, timeout=5) as smtp:
                seen.append(smtp.noop()[0])
        finally:
            os.kill(os.getpid(), signal.SIGINT)  # what Ctrl-C sends

    with DemoWeb() as web, MailSink(tmp_path / "mailbox") as sink:
        out = io.StringIO()
        threading.Timer(0.3, visit_then_interrupt).start()
        wait_for_interrupt(web, sink, Console(file=out, width=200))
    assert seen == [200, 250]
    assert web.source_urls()["daily"][1] in out.getvalue() and "Ctrl-C" in out.getvalue()


@pytest.mark.subprocess
def test_a_failing_step_stops_the_demo_with_a_message_and_its_servers_shut(
        tmp_path: Path) -> None:
    out = tmp_path / "out"
    unreachable = "postgresql+psycopg://nobody@127.0.0.1:9/nowhere"
    proc = subprocess.run(
        [sys.executable, "-m", "crawler", "demo", "--out", str(out), "--db", unreachable],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )
    assert proc.returncode == 1
    assert proc.stderr.startswith("Error: `compoundwatch init` failed")
    assert "Traceback" not in proc.stderr
    config = tomllib.loads((out / "config.toml").read_text("utf-8"))
    for port in [urlsplit(s["url"]).port for s in config["sources"]] + [config["email"]["port"]]:
        with socket.socket() as sock:
            sock.settimeout(1)
            assert sock.connect_ex(("127.0.0.1", port)) != 0


@pytest.mark.parametrize(("output", "expected"), [
    ("Working…\nError: the database is locked. Try again.\n", "the database is locked. Try again."),
    ("Traceback (most recent call last):\n  File \"x.py\", line 1\n"
     "ValueError: bad value\n(Background on this error at: https://example.org)\n",
     "ValueError: bad value"),
    ("something odd\nlast words\n", "last words"),
    ("", "no output"),
])
def test_a_failed_child_is_reported_by_the_line_that_says_what_went_wrong(
        output: str, expected: str) -> None:
    assert error_line(output) == expected
