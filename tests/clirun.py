"""`compoundwatch` run in the test's own process, its outcome shaped like a process's.

Most CLI tests are about what a command prints and its exit status, not
about a process: click's CliRunner gives both without starting Python and
importing the crawler again (a second or more per call). The result is a
`subprocess.CompletedProcess`, so a test reads `returncode`, `stdout` and
`stderr` exactly as it did from `subprocess.run`. An exception a command
let escape is written to stderr as the traceback a process would have
printed, so "Traceback" not in stderr still catches it.

Commands that run Twisted's reactor (`crawl`) or block (`run`, `worker`,
`serve`, `demo`) stay real processes: a reactor cannot restart in one
process, and there the process is the point.
"""

from __future__ import annotations

import subprocess
import traceback
from pathlib import Path

from click.testing import CliRunner

from crawler.cli import main


def cli_in_process(config: Path | None, *args: str,
                   stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """`compoundwatch [--config CONFIG] ARGS...` in process: (returncode, stdout, stderr)."""
    argv = [*(("--config", str(config)) if config is not None else ()), *args]
    result = CliRunner().invoke(main, argv, input=stdin, prog_name="compoundwatch")
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "Traceback (most recent call last):\n" + "".join(
            traceback.format_exception(result.exception))
    return subprocess.CompletedProcess(["compoundwatch", *argv], result.exit_code,
                                       result.stdout, stderr)
