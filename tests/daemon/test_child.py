"""The crawl child: a hung crawl is killed at its timeout, with its workers."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import psutil
import pytest

from crawler.daemon.crawl import ChildRegistry, run_child, warm_up
from crawler.passes.tally import SourceSummary
from tests.daemon import targets

pytestmark = pytest.mark.subprocess


@pytest.fixture(autouse=True, scope="module")
def warm_forkserver() -> None:
    """Start the forkserver first: its imports are not part of any time limit."""
    warm_up()


def _gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def _wait_gone(pid: int, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while not _gone(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    return _gone(pid)


def test_a_hung_crawl_is_killed_at_its_timeout_with_its_workers(tmp_path: Path) -> None:
    pidfile = tmp_path / "worker.pid"
    started = time.monotonic()
    result = run_child(("x",), config_path=None, timeout=3.0, registry=ChildRegistry(),
                       target=targets.hang_with_worker, args=(str(pidfile),))
    assert time.monotonic() - started < 10
    assert result.timed_out and not result.ok and not result.reported
    assert "longer than 3 s" in (result.error or "")
    assert _wait_gone(int(pidfile.read_text()))


def test_a_stopping_daemon_cancels_its_running_crawl(tmp_path: Path) -> None:
    registry = ChildRegistry()
    pidfile = tmp_path / "worker.pid"
    timer = threading.Timer(2.0, registry.kill_all)
    timer.start()
    started = time.monotonic()
    result = run_child(("x",), config_path=None, timeout=60, registry=registry,
                       target=targets.hang_with_worker, args=(str(pidfile),))
    assert time.monotonic() - started < 8
    assert result.cancelled and not result.timed_out
    assert _wait_gone(int(pidfile.read_text()))


def test_a_reported_source_error_fails_the_crawl() -> None:
    summaries = [SourceSummary("wire", new=2), SourceSummary("daily", new=3, error="HTTP 503")]
    result = run_child(("wire", "daily"), config_path=None, timeout=30,
                       registry=ChildRegistry(), target=targets.report, args=(summaries, None))
    assert [s.source for s in result.summaries] == ["wire", "daily"]
    assert result.count("new") == 5
    assert not result.ok and result.error == "HTTP 503"
    assert result.reported  # the child wrote each source's health itself


def test_a_child_that_dies_without_a_report_is_a_failure() -> None:
    result = run_child(("x",), config_path=None, timeout=30, registry=ChildRegistry(),
                       target=targets.crash, args=())
    assert not result.ok and not result.reported
    assert "status 9" in (result.error or "")


def test_a_real_crawl_child_reports_an_unknown_source_as_an_error(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[store]\nurl = "sqlite:///{tmp_path / "cw.db"}"\n')
    from store.db import make_engine, upgrade

    upgrade(make_engine(f"sqlite:///{tmp_path / 'cw.db'}"))
    result = run_child(("nowhere",), config_path=str(config), timeout=60,
                       registry=ChildRegistry())
    assert not result.ok and "nowhere" in (result.error or "")
