"""The crawl child: a hung crawl is killed at its timeout, with its workers."""

from __future__ import annotations

import stat
import sys
import threading
import time
from pathlib import Path

import psutil

from crawler.daemon.crawl import ChildRegistry, run_child

# A crawl that hangs, after starting a worker of its own (as Scrapy's
# extraction pool does): both must die with the timeout.
HANGING = """#!{python}
import subprocess, sys, time
worker = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
open({pidfile!r}, "w").write(str(worker.pid))
print("CW-SUMMARY {{\\"source\\": \\"x\\", \\"new\\": 1}}", flush=True)
time.sleep(600)
"""

QUICK = """#!{python}
print("noise from a library")
print('CW-SUMMARY {{"source": "wire", "new": 2}}')
print('CW-SUMMARY {{"source": "daily", "new": 3, "error": "HTTP 503"}}')
"""


def _script(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "fake_python"
    path.write_text(text.format(python=sys.executable, pidfile=str(tmp_path / "worker.pid")))
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def _gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_a_hung_crawl_is_killed_at_its_timeout_with_its_workers(tmp_path: Path) -> None:
    script = _script(tmp_path, HANGING)
    started = time.monotonic()
    result = run_child(("x",), config_path=None, timeout=2.0, registry=ChildRegistry(),
                       python=str(script))
    assert time.monotonic() - started < 6
    assert result.timed_out and not result.ok
    assert "longer than 2 s" in (result.error or "")
    assert result.summaries == [{"source": "x", "new": 1}]
    worker = int((tmp_path / "worker.pid").read_text())
    deadline = time.monotonic() + 5
    while not _gone(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _gone(worker)


def test_a_stopping_daemon_cancels_its_running_crawl(tmp_path: Path) -> None:
    script = _script(tmp_path, HANGING)
    registry = ChildRegistry()
    timer = threading.Timer(1.0, registry.kill_all)
    timer.start()
    started = time.monotonic()
    result = run_child(("x",), config_path=None, timeout=60, registry=registry,
                       python=str(script))
    assert time.monotonic() - started < 5
    assert result.cancelled and not result.timed_out


def test_summaries_are_read_and_a_source_error_fails_the_crawl(tmp_path: Path) -> None:
    script = _script(tmp_path, QUICK)
    result = run_child(("wire", "daily"), config_path=None, timeout=30,
                       registry=ChildRegistry(), python=str(script))
    assert [s["source"] for s in result.summaries] == ["wire", "daily"]
    assert result.count("new") == 5
    assert not result.ok and result.error == "HTTP 503"
