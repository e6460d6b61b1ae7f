"""`compoundwatch run` as a process: signals, the lease, status, live source changes."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from tests.daemon.helpers import (
    DaemonProcess,
    cli,
    cli_process,
    daemon_status,
    status_rows,
    write_config,
)

pytestmark = pytest.mark.subprocess

# Nothing listens on port 9 (discard) on loopback: crawls fail fast and the
# source shows it, which is what these lifecycle tests need.
DEAD_SOURCE = '\n[[sources]]\nname = "dead"\nurl = "http://127.0.0.1:9/feed"\nevery = "5s"\n'


def _init(tmp_path: Path, db_url: str, body: str = DEAD_SOURCE) -> Path:
    config = write_config(tmp_path / "config.toml", db_url, body)
    done = cli(config, "init")
    assert done.returncode == 0, done.stderr
    return config


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_the_daemon_within_seconds_with_status_0(
    tmp_path: Path, sqlite_url: str, sig: int
) -> None:
    config = _init(tmp_path, sqlite_url)
    daemon = DaemonProcess(config, tmp_path / "run.log")
    daemon.wait_for("event=crawl.start source=dead")
    started = time.monotonic()
    assert daemon.stop(sig) == 0
    assert time.monotonic() - started < 10
    log = daemon.log()
    assert "event=daemon.stopped" in log and "clean=true" in log
    assert daemon_status(config)["running"] is False  # the lease was released


def test_a_second_run_on_the_same_database_refuses(tmp_path: Path, db_url: str) -> None:
    config = _init(tmp_path, db_url)
    daemon = DaemonProcess(config, tmp_path / "run.log")
    try:
        daemon.wait_for("event=daemon.started")
        second = cli_process(config, "run", timeout=30)
        assert second.returncode == 1
        assert "another compoundwatch daemon" in second.stderr
        assert f":{daemon.proc.pid}" in second.stderr
        assert daemon.proc.poll() is None  # the first one runs on
    finally:
        assert daemon.stop() == 0


def test_status_shows_health_next_run_and_the_running_daemon(
    tmp_path: Path, sqlite_url: str
) -> None:
    config = _init(tmp_path, sqlite_url)
    daemon = DaemonProcess(config, tmp_path / "run.log")
    try:
        daemon.wait_for("event=crawl.failed")
        rows = status_rows(config)
        source = next(r for r in rows if r["record"] == "source")
        assert source["name"] == "dead" and source["health"] == "failing"
        assert source["consecutive_failures"] >= 1 and source["last_error"]
        assert source["next_run_at"] is not None
        assert next(r for r in rows if r["record"] == "deliveries")["pending"] == 0
        running = next(r for r in rows if r["record"] == "daemon")
        assert running["running"] is True and running["holder"].endswith(f":{daemon.proc.pid}")
        table = cli(config, "status")
        assert table.returncode == 0 and "Daemon: running" in table.stdout
    finally:
        daemon.stop()


def test_sources_changed_with_the_cli_are_picked_up_without_a_restart(
    tmp_path: Path, sqlite_url: str
) -> None:
    config = _init(tmp_path, sqlite_url, body="")
    daemon = DaemonProcess(config, tmp_path / "run.log")
    try:
        daemon.wait_for("event=daemon.started")
        added = cli(config, "sources", "add", "http://127.0.0.1:9/late.xml", "--name", "late",
                    "--every", "3s")
        assert added.returncode == 0, added.stderr
        daemon.wait_for("event=source.scheduled source=late", timeout=10)
        daemon.wait_for("event=crawl.start source=late", timeout=10)
        assert cli(config, "sources", "pause", "late").returncode == 0
        daemon.wait_for("event=source.unscheduled source=late", timeout=10)
        crawls = daemon.log().count("event=crawl.start source=late")
        time.sleep(4)
        assert daemon.log().count("event=crawl.start source=late") <= crawls + 1
    finally:
        assert daemon.stop() == 0


def test_a_restart_after_kill_9_does_not_wait_for_the_stale_lease(
    tmp_path: Path, sqlite_url: str
) -> None:
    # A lease that would outlive the test: only the dead-holder check frees it.
    config = write_config(tmp_path / "config.toml", sqlite_url, DEAD_SOURCE)
    config.write_text(config.read_text().replace("lease_seconds = 15.0", "lease_seconds = 600.0"))
    assert cli(config, "init").returncode == 0
    first = DaemonProcess(config, tmp_path / "run1.log")
    first.wait_for("event=daemon.started")
    first.kill()
    assert daemon_status(config)["running"] is False  # a dead holder is not "running"
    second = DaemonProcess(config, tmp_path / "run2.log")
    try:
        second.wait_for("event=daemon.started", timeout=15)
    finally:
        assert second.stop() == 0


def test_run_before_init_says_to_run_init(tmp_path: Path, sqlite_url: str) -> None:
    config = write_config(tmp_path / "config.toml", sqlite_url)
    done = cli_process(config, "run", timeout=30)
    assert done.returncode == 1
    assert "compoundwatch init" in done.stderr


def test_run_against_a_database_that_is_down_says_so(tmp_path: Path) -> None:
    config = write_config(tmp_path / "config.toml",
                          "postgresql+psycopg://postgres@127.0.0.1:1/nowhere")
    done = cli_process(config, "run", timeout=60)
    assert done.returncode == 1
    assert "cannot use the database" in done.stderr and "Traceback" not in done.stderr


def test_a_signal_stops_at_once_even_with_a_long_heartbeat(tmp_path: Path, sqlite_url: str) -> None:
    # A signal may land on a worker thread; the main thread must not sleep a
    # whole heartbeat (here 200 s) before it runs the handler.
    config = write_config(tmp_path / "config.toml", sqlite_url, DEAD_SOURCE)
    config.write_text(config.read_text().replace("lease_seconds = 15.0", "lease_seconds = 600.0"))
    assert cli(config, "init").returncode == 0
    daemon = DaemonProcess(config, tmp_path / "run.log")
    daemon.wait_for("event=crawl.start source=dead")
    started = time.monotonic()
    assert daemon.stop(signal.SIGTERM) == 0
    assert time.monotonic() - started < 10
