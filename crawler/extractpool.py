"""Extraction in worker processes, each page under a time limit.

trafilatura has no timeout of its own and can run for minutes on
pathological pages; a worker that overruns is killed (with its pool, the only
way to stop a running task) and the page becomes a Rejection, so one page
never stalls a pass. Workers are recycled after a number of pages, which also
bounds the growth of trafilatura's caches. A worker whose crawling process
is gone (killed outright) ends itself, and with the last one the forkserver.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import multiprocessing
import multiprocessing.forkserver
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

import psutil

from crawler.extract import Extracted, Fallback, Rejection, extract_article
from crawler.fingerprint import identify
from crawler.page.published import disagreement

log = logging.getLogger(__name__)

PAGES_PER_WORKER = 1000
# How often a worker checks that the process that owns its pool still runs.
PARENT_CHECK_SECONDS = 1.0


def extract_identified(html: str, url: str, fallback: Fallback) -> Extracted | Rejection:
    """extract_article, plus the text's content hash, simhash and shingle ids:
    pure CPU work on the text, done in the worker so that the crawling process
    (one core, which also fetches, parses feeds and writes) does not."""
    result = extract_article(html, url, fallback)
    if isinstance(result, Rejection):
        return result
    ident = identify(result.text)
    # The paragraphs are the text again, and the store keeps only the text:
    # not sent back, half the result to pickle.
    return dataclasses.replace(result, paragraphs=(), content_hash=ident.content_hash,
                               fingerprint=ident.simhash, shingles=ident.shingle_bytes,
                               sketch=ident.sketch)


class ExtractionPool:
    """`await pool.extract(html, url, fallback)`: extract_article, bounded in time."""

    def __init__(self, workers: int = 0, timeout_seconds: float = 20.0,
                 start_method: str = "forkserver") -> None:
        self.workers = workers if workers > 0 else (os.cpu_count() or 1)
        self.timeout = timeout_seconds
        # "fork" only with `prestart()` called while the process has no other
        # thread doing work (before the reactor): workers then start with the
        # crawler already imported, instead of a fresh forkserver importing it.
        self.start_method = start_method
        self._pool: ProcessPoolExecutor | None = None
        self._semaphore: asyncio.Semaphore | None = None
        self._gate_loop: asyncio.AbstractEventLoop | None = None
        self._owns_forkserver = False

    def _ensure(self) -> ProcessPoolExecutor:
        if self._pool is None:
            owner = (os.getpid(), _start_time(os.getpid()))
            if self.start_method == "fork":
                # Short passes only (a fork pool cannot recycle its workers).
                self._pool = ProcessPoolExecutor(
                    self.workers, mp_context=multiprocessing.get_context("fork"),
                    initializer=watch_owner, initargs=owner)
                return self._pool
            self._owns_forkserver = self._owns_forkserver or not _forkserver_running()
            # forkserver: no fork of the crawling process (threads, sockets, reactor).
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(["crawler.extract"])
            self._pool = ProcessPoolExecutor(
                self.workers, mp_context=ctx, max_tasks_per_child=PAGES_PER_WORKER,
                initializer=watch_owner, initargs=owner)
        return self._pool

    def prestart(self) -> None:
        """Start the workers now and wait until they run (see `start_method`)."""
        self._ensure().submit(_nothing).result(timeout=max(self.timeout, 30.0))

    async def extract(self, html: str, url: str, fallback: Fallback) -> Extracted | Rejection:
        result = await self.run(extract_identified, html, url, fallback)
        if isinstance(result, Extracted):
            log_date_disagreement(url, result, fallback)
        return result

    async def run(self, func: Callable[..., Extracted | Rejection], *args: Any
                  ) -> Extracted | Rejection:
        """`func(*args)` in a worker (func must be importable by name)."""
        # Pages wait here, not in the executor's queue: the time limit is for
        # running a page (with at most one page ahead of it per worker), not
        # for queueing behind hundreds on a busy machine, which had pages
        # "time out" by the dozen and the pool killed for nothing.
        async with self._gate():
            pool = self._ensure()
            future = pool.submit(func, *args)
            try:
                return await asyncio.wait_for(asyncio.wrap_future(future), self.timeout)
            except TimeoutError:
                self._kill(pool)
                return Rejection(f"extraction took longer than {self.timeout:g} s (stopped)")
            except BrokenProcessPool:
                self._kill(pool)
                return Rejection("the extraction worker stopped (another page overran or crashed)")

    def _gate(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        if self._gate_loop is not loop or self._semaphore is None:
            self._gate_loop, self._semaphore = loop, asyncio.Semaphore(2 * self.workers)
        return self._semaphore

    def _kill(self, pool: ProcessPoolExecutor) -> None:
        # Only the pool that failed: the other pages it held fail with
        # BrokenProcessPool and must not kill its replacement too.
        if self._pool is not pool:
            return
        self._pool = None
        # Its replacement starts while the reactor runs: never forked from it.
        self.start_method = "forkserver"
        # ProcessPoolExecutor cannot cancel a running task: end its workers.
        for proc in list((getattr(pool, "_processes", None) or {}).values()):
            proc.kill()
        pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        """Stop the workers, and the forkserver if this pool started it."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        if self._owns_forkserver:
            self._owns_forkserver = False
            _stop_forkserver()


def _nothing() -> None:
    """What `prestart` submits: the workers' start was the point."""
def log_date_disagreement(url: str, art: Extracted, fallback: Fallback) -> None:
    """A page whose own date is more than a day from its feed entry's is worth a
    look (a republished story, a wrong zone, a feed that dates its fetch)."""
    gap = disagreement(art.published, art.published_from, fallback.published)
    if gap is not None:
        log.warning("%s: the page's date %s (from %s) is %s from its feed entry's %s",
                    url, art.published.isoformat() if art.published else None,
                    art.published_from, gap,
                    fallback.published.isoformat() if fallback.published else None)


def watch_owner(pid: int, started: float | None) -> None:
    """Worker initializer: leave when the pool's owner is gone.

    A worker's parent is the forkserver, not the crawling process, and it
    waits on a queue whose write end it holds itself: after a kill -9 of the
    crawl it would wait forever, and keep the forkserver alive with it.
    """
    def watch() -> None:
        while True:
            time.sleep(PARENT_CHECK_SECONDS)
            if _start_time(pid) != started:
                os._exit(0)

    threading.Thread(target=watch, name="watch-owner", daemon=True).start()


def _start_time(pid: int) -> float | None:
    """The process's start time (None when there is none, or only its zombie):
    a pid reused by another process does not pass for the owner."""
    try:
        process = psutil.Process(pid)
        if process.status() == psutil.STATUS_ZOMBIE:
            return None
        return process.create_time()
    except psutil.Error:
        return None


def _forkserver_running() -> bool:
    server = getattr(multiprocessing.forkserver, "_forkserver", None)
    return getattr(server, "_forkserver_pid", None) is not None


def _stop_forkserver() -> None:
    """Stop this process's forkserver and reap it once its workers are gone.

    Left running, it outlives the pass (idle, ~40 MB, through the analysis
    that follows) and its workers' CPU time is never reaped into this
    process's RUSAGE_CHILDREN, so a pass would look cheaper than it was.
    `_stop` is CPython's own (used by its tests); without it, nothing is done.
    """
    server = getattr(multiprocessing.forkserver, "_forkserver", None)
    stop = getattr(server, "_stop", None)
    if callable(stop):
        stop()
