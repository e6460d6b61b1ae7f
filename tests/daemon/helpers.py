"""Starting `compoundwatch run` as a real process in tests, and reading its log;
other commands run in process (`cli`) unless the process is the point."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from tests.clirun import cli_in_process
from tests.support import REPO


def cli(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A command that returns (init, status, sources ...), run in this process."""
    return cli_in_process(config, *args)


def cli_process(config: Path, *args: str,
                timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """A command as a real process: `run`, `worker` and `crawl` (a reactor per process),
    or where the exit status of a process is what the test is about."""
    return subprocess.run([sys.executable, "-m", "crawler", "--config", str(config), *args],
                          capture_output=True, text=True, timeout=timeout, cwd=REPO)


class DaemonProcess:
    """`compoundwatch run` in a child process, its stderr log in a file."""

    def __init__(self, config: Path, log: Path) -> None:
        self.log_path = log
        self._log = log.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "crawler", "--config", str(config), "run"],
            stdout=subprocess.DEVNULL, stderr=self._log, cwd=REPO,
        )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_for(self, text: str, timeout: float = 30, count: int = 1) -> str:
        """Wait until `text` appears `count` times in the log (fails on exit or timeout)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            log = self.log()
            if log.count(text) >= count:
                return log
            if self.proc.poll() is not None:
                raise AssertionError(f"the daemon exited ({self.proc.returncode}):\n{log[-3000:]}")
            time.sleep(0.1)
        raise AssertionError(f"{text!r} not seen within {timeout} s:\n{self.log()[-3000:]}")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout=timeout)
        finally:
            self._log.close()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self._log.close()


def status_rows(config: Path) -> list[dict[str, Any]]:
    done = cli(config, "status", "--json")
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def daemon_status(config: Path) -> dict[str, Any]:
    return next(r for r in status_rows(config) if r["record"] == "daemon")


# The [daemon] lines of a fast daemon on loopback. fetch_spacing: entries a
# poll finds wait for the next crawl child at most this long (20 s by
# default, which made every phase of the daemon tests wait up to 20 s).
FAST_DAEMON = {"jitter_seconds": "0.0", "outbox_every": '"1s"', "reconcile_every": '"1s"',
               "lease_seconds": "15.0", "fetch_spacing": '"1s"'}


def write_config(path: Path, db_url: str, body: str = "", crawl: str = "",
                 daemon: str = "") -> Path:
    """A config for a fast daemon on loopback.

    `crawl` and `daemon` add lines to those tables (a key in `daemon` replaces
    its FAST_DAEMON line); `body` adds tables or sources.
    """
    given = {line.split("=", 1)[0].strip() for line in daemon.splitlines() if "=" in line}
    fast = "".join(f"{k} = {v}\n" for k, v in FAST_DAEMON.items() if k not in given)
    path.write_text(
        f'[store]\nurl = "{db_url}"\n'
        "[crawl]\nallow_private_addresses = true\n" + crawl + "\n"
        "[daemon]\n" + fast + daemon + "\n" + body
    )
    return path


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
