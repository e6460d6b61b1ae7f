"""Entries found by polls, fetched together by one crawl child.

Each poll that finds new or updated entries submits them and waits for its
future; one dispatcher thread starts a child for everything pending, no
sooner than `spacing` seconds after the previous one (so a busy hour costs
a child every few seconds, not one per entry) and no sooner than the hosts
involved may be asked again. While a child runs, its hosts are held: no
poll asks them until it ends.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass

from crawler.discovery.documents import Entry
from crawler.passes.tally import SourceSummary
from crawler.poll.fetcher import host_of
from crawler.poll.manners import HostGate

# A child waits this long at most for its hosts' turn.
MAX_HOST_WAIT_SECONDS = 60.0


@dataclass(frozen=True)
class BatchOutcome:
    """What the child did for one source's entries."""

    ok: bool
    summary: SourceSummary | None = None
    error: str | None = None
    cancelled: bool = False


@dataclass
class _Pending:
    source_id: int
    name: str
    entries: list[Entry]
    future: Future[BatchOutcome]


# Runs one child: [(source id, name, entries)] -> {source id: outcome}
RunBatch = Callable[[Sequence[tuple[int, str, list[Entry]]]], dict[int, BatchOutcome]]


class Batcher:
    """Pending entries and the thread that fetches them (module docstring)."""

    def __init__(self, run: RunBatch, spacing: float, gate: HostGate,
                 host_delay: Callable[[str], float], stopping: threading.Event) -> None:
        self._run = run
        self.spacing = spacing
        self.gate = gate
        self.host_delay = host_delay
        self.stopping = stopping
        self._cv = threading.Condition()
        self._pending: list[_Pending] = []
        self._in_flight: set[str] = set()
        self._last_start = float("-inf")
        self._thread: threading.Thread | None = None
        self.children = 0

    def submit(self, source_id: int, name: str, entries: list[Entry]) -> Future[BatchOutcome]:
        """Queue a source's entries; the future resolves when they are stored (or not).

        An entry already pending or being fetched for another source is
        left to that one (one story in two feeds is fetched once).
        """
        future: Future[BatchOutcome] = Future()
        with self._cv:
            queued = {e.url for p in self._pending for e in p.entries} | self._in_flight
            mine = [e for e in entries if e.url not in queued]
            if not mine:
                future.set_result(BatchOutcome(ok=True))
                return future
            self._pending.append(_Pending(source_id, name, mine, future))
            self._cv.notify_all()
        return future

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="fetch-entries", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        with self._cv:
            self._cv.notify_all()

    def _loop(self) -> None:
        while not self.stopping.is_set():
            batch = self._next_batch()
            if batch is None:
                continue
            self._dispatch(batch)
        self._cancel_all()

    def _next_batch(self) -> list[_Pending] | None:
        with self._cv:
            if not self._pending:
                self._cv.wait(1.0)
                return None
            wait = self._last_start + self.spacing - time.monotonic()
            # One URL per host: its delay comes from that site's robots.txt.
            hosts = {host_of(e.url): e.url for p in self._pending for e in p.entries}
            wait = max([wait] + [min(self.gate.wait_time(h, self.host_delay(url)),
                                     MAX_HOST_WAIT_SECONDS) for h, url in hosts.items()])
            if wait > 0:
                self._cv.wait(min(wait, 1.0))
                return None
            batch, self._pending = self._pending, []
            self._in_flight = {e.url for p in batch for e in p.entries}
            self._last_start = time.monotonic()
            return batch

    def _dispatch(self, batch: list[_Pending]) -> None:
        hosts = {host_of(e.url) for p in batch for e in p.entries}
        self.gate.hold(hosts)
        self.children += 1
        try:
            outcomes = self._run([(p.source_id, p.name, p.entries) for p in batch])
        except Exception as exc:  # a child that cannot start fails its batch, not the daemon
            outcomes = {p.source_id: BatchOutcome(ok=False, error=f"{type(exc).__name__}: {exc}")
                        for p in batch}
        finally:
            self.gate.release(hosts)
            with self._cv:
                self._in_flight = set()
        for p in batch:
            p.future.set_result(outcomes.get(p.source_id, BatchOutcome(
                ok=False, error="the crawl reported nothing for this source")))

    def _cancel_all(self) -> None:
        with self._cv:
            pending, self._pending = self._pending, []
        for p in pending:
            p.future.set_result(BatchOutcome(ok=False, cancelled=True,
                                             error="the daemon is stopping"))
