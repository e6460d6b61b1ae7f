"""Figures for the benchmarks: wall time, CPU of child processes (their own
children included), and peak resident memory of a process tree.

CPU comes from `resource.getrusage(RUSAGE_CHILDREN)` deltas around a child's
run: it counts the child and every descendant it waited for (the crawl's
extraction workers), which is exactly "user + system, children included".
Memory is sampled with psutil, since the kernel keeps a peak per process,
not per tree: the sum of RSS over the tree (a worker's pages shared with its
parent are counted twice, so the sum errs high), and the sum of PSS (shared
pages split between sharers) every few samples.
"""

from __future__ import annotations

import json
import math
import os
import resource
import shlex
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

import psutil


@dataclass
class TreeMemory:
    """Peak memory of a process tree, sampled while it runs."""

    peak_rss_mib: float = 0.0
    peak_pss_mib: float = 0.0
    peak_processes: int = 0
    samples: int = 0


class TreeSampler:
    """Samples a process and its descendants every `interval` seconds in a thread."""

    def __init__(self, pid: int, interval: float = 0.2, pss_every: int = 5) -> None:
        self.root = psutil.Process(pid)
        self.interval = interval
        self.pss_every = pss_every
        self.result = TreeMemory()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        n = 0
        while not self._stop.is_set():
            try:
                procs = [self.root, *self.root.children(recursive=True)]
            except psutil.Error:
                return
            rss = pss = 0
            with_pss = n % self.pss_every == 0
            for p in procs:
                try:
                    if with_pss:
                        full = p.memory_full_info()
                        rss += full.rss
                        pss += getattr(full, "pss", full.rss)
                    else:
                        rss += p.memory_info().rss
                except psutil.Error:
                    continue
            r = self.result
            r.peak_rss_mib = max(r.peak_rss_mib, rss / 2**20)
            if with_pss:
                r.peak_pss_mib = max(r.peak_pss_mib, pss / 2**20)
            r.peak_processes = max(r.peak_processes, len(procs))
            r.samples += 1
            n += 1
            self._stop.wait(self.interval)


@dataclass
class ChildRun:
    """One measured child process run."""

    wall: float
    cpu: float
    user: float
    system: float
    memory: TreeMemory
    stdout: str
    stderr: str
    returncode: int
    rows: list[dict[str, Any]] = field(default_factory=list)


def run_measured(cmd: Sequence[str], *, cwd: str | None = None, env: dict[str, str] | None = None,
                 sample: bool = True) -> ChildRun:
    """Run `cmd`; its wall time, CPU (with descendants) and peak tree memory."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    proc = subprocess.Popen(list(cmd), cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    sampler = TreeSampler(proc.pid) if sample else None
    if sampler is not None:
        sampler.__enter__()
    try:
        out, err = proc.communicate()
    finally:
        if sampler is not None:
            sampler.__exit__()
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    user = after.ru_utime - before.ru_utime
    system = after.ru_stime - before.ru_stime
    rows = []
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                rows.append(json.loads(line))
            except ValueError:
                pass
    return ChildRun(wall, user + system, user, system,
                    sampler.result if sampler else TreeMemory(), out, err, proc.returncode, rows)


def reproduce_command(script: str) -> str:
    """How to run the calling benchmark again, from the repository root, with
    the arguments it was given (`script`: its `__file__`)."""
    return " ".join(["python", f"bench/{Path(script).name}", shlex.join(sys.argv[1:])]).rstrip()


def machine_load() -> str:
    """The 1/5/15-minute load averages and the core count, for the report."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def print_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """A plain fixed-width table (numbers right-aligned)."""
    cells = [[_fmt(c) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h)
              for i, h in enumerate(headers)]
    print("  ".join(h.ljust(w) if i == 0 else h.rjust(w)
                    for i, (h, w) in enumerate(zip(headers, widths, strict=True))))
    for row in cells:
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                        for i, (c, w) in enumerate(zip(row, widths, strict=True))))


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        if math.isnan(value):
            return "-"
        return f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}"
    return str(value)
