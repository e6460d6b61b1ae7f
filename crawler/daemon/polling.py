"""The daemon's light discovery (daemon.discovery = "poll"): each source job
polls its feed, sitemap or listing with one conditional GET in the daemon,
and only entries that are new or updated go to a crawl child (batched, see
`crawler.daemon.batch`). A source's next poll comes from its publication
rhythm, bounded by the config, pushed out by the server's Cache-Control or
Retry-After and by failures.

A source that never completed a pass, a `page` and an `auto` source whose
kind is not known yet get a full pass instead (`full_pass`: a crawl child).

The schedule is the same for a cluster coordinator: it builds a `Polling`
with its own full pass (start requests on Redis), its own hand-off of the
entries (article requests on Redis, see `hand_off`) and a host gate the
workers share (`crawler.cluster.hostgate`). Nothing of the bookkeeping
(learned interval, max-age, Retry-After, backoff) is written twice.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from crawler.daemon.batch import Batcher, BatchOutcome
from crawler.daemon.child import crawl_entries
from crawler.daemon.crawl import backoff_delay, run_child
from crawler.daemon.jobs import DaemonContext, analyse_and_enqueue, crawl_source, source_job_id
from crawler.daemon.log import emit
from crawler.discovery.documents import Entry
from crawler.poll.fetcher import Fetcher, HostBusy, host_of
from crawler.poll.manners import Gate, HostGate
from crawler.poll.poller import PollOutcome, poll, pollable_kind
from crawler.poll.rhythm import learn_interval
from crawler.poll.state import (
    PollRecord,
    PollTarget,
    document_validators,
    poll_target,
    recent_publications,
    record_documents,
    record_poll,
    stored_articles,
)
from store.config import parse_interval
from store.db import session_scope
from store.types import utcnow

# A source's full pass (its id): True when it ran.
FullPass = Callable[[int], bool]


class Polling:
    """Polls sources for the daemon and feeds their new entries to crawl children.

    `full_pass` crawls a source that cannot be polled (default: a crawl
    child); `gate` spaces requests per host (default: this process's own).
    A subclass overrides `hand_off` to fetch polled entries another way.
    """

    def __init__(self, ctx: DaemonContext, full_pass: FullPass | None = None,
                 gate: Gate | None = None) -> None:
        self.ctx = ctx
        self.full_pass: FullPass = full_pass or (lambda source_id: crawl_source(ctx, source_id))
        d = ctx.config.daemon
        self.floor = float(parse_interval(d.min_poll_interval))
        self.max_interval = float(parse_interval(d.max_poll_interval)) \
            if d.max_poll_interval else None
        own = HostGate() if gate is None else None
        self.fetcher = Fetcher(ctx.config.crawl, gate=gate or own)
        # Crawl children hold their hosts in this process's gate; with a
        # shared gate the entries go elsewhere (`hand_off`) and there is none.
        self.batcher = Batcher(self._run_batch, float(parse_interval(d.fetch_spacing)),
                               own, self.fetcher.host_delay, ctx.registry.stopping) \
            if own is not None else None
        self.polls = 0

    def start(self) -> None:
        if self.batcher is not None:
            self.batcher.start()

    # ------------------------------------------------------------------ one source

    def run_source(self, source_id: int) -> bool:
        """The source job: a light poll when the source allows it, else a crawl."""
        with session_scope(self.ctx.engine) as session:
            target = poll_target(session, source_id)
        if target is None:
            return False
        kind = pollable_kind(target.kind, target.detected_kind)
        if kind is None or not target.ever_succeeded:
            return self.full_pass(source_id)
        if self.ctx.registry.stopping.is_set():
            return False
        return self.poll_source(target, kind)

    def poll_source(self, target: PollTarget, kind: str) -> bool:
        started = time.monotonic()
        engine = self.ctx.engine

        def docs(url: str) -> Any:
            with session_scope(engine) as session:
                return document_validators(session, url)

        def stored(urls: list[str]) -> Any:
            with session_scope(engine) as session:
                return stored_articles(session, urls)

        try:
            outcome = poll(target.url, kind, self.fetcher, docs, stored,
                           self.ctx.config.crawl.max_pages_per_source)
        except HostBusy as busy:  # politeness: not a failure, just later
            later = utcnow() + dt.timedelta(seconds=min(busy.wait, 3600.0) + 0.5)
            emit("poll.deferred", source=target.name, phase="poll", reason=str(busy),
                 next_run=later)
            self.ctx.poke(source_job_id(target.id), later)
            return False
        self.polls += 1
        error, counts = outcome.error, {"new": 0, "updated": 0}
        wanted = self._allowed(outcome.entries) if error is None else []
        if wanted:
            result = self.hand_off(target, wanted)
            if result.cancelled:
                return False
            error = None if result.ok else result.error
            if result.summary is not None:
                counts = {"new": result.summary.new, "updated": result.summary.updated}
        next_run, learned = self._record(target, outcome, error, counts["new"] + counts["updated"])
        emit("poll.done" if error is None else "poll.failed", 20 if error is None else 30,
             source=target.name, phase="poll", seconds=time.monotonic() - started,
             requests=outcome.requests, changed=outcome.changed, entries=len(outcome.entries),
             error=error, interval=learned, next_run=next_run, **counts)
        self.ctx.poke(source_job_id(target.id), next_run)
        return bool(outcome.entries)

    def hand_off(self, target: PollTarget, entries: list[Entry]) -> BatchOutcome:
        """Fetch and store a poll's new entries; returns once they are stored.

        The poll's documents are recorded after this returns without error
        (their validators would hide entries a failed fetch left unstored).
        """
        if self.batcher is None:
            raise RuntimeError("a shared host gate needs a hand_off of its own")
        return self.batcher.submit(target.id, target.name, entries).result()

    def _record(self, target: PollTarget, outcome: PollOutcome, error: str | None,
                stored_count: int) -> tuple[dt.datetime, int]:
        now = utcnow()
        ceiling = float(target.every) if self.max_interval is None else self.max_interval
        with session_scope(self.ctx.engine) as session:
            if error is None:
                record_documents(session, target.id, outcome.documents)
            times = outcome.published + recent_publications(session, target.id)
            learned = learn_interval(times, now, self.floor, ceiling)
            failures = target.failures + 1 if error else 0
            delay = backoff_delay(learned, failures, self.ctx.max_backoff)
            delay = max(delay, outcome.server_wait) + self.ctx.jitter(learned)
            next_run = now + dt.timedelta(seconds=delay)
            record_poll(session, target.id, PollRecord(error, learned, next_run,
                                                       bool(outcome.entries), stored_count), now)
        return next_run, learned

    def _allowed(self, entries: list[Entry]) -> list[Entry]:
        """The entries robots.txt lets us fetch (the child does not read it again)."""
        if not self.ctx.config.crawl.obey_robots_txt:
            return entries
        return [e for e in entries if self.fetcher.allowed(e.url)]

    def _crawl_delays(self, urls: Iterable[str]) -> dict[str, float]:
        """Host -> robots.txt Crawl-delay (0: none) of the hosts these URLs are on."""
        agent = self.fetcher.limits.user_agent
        out: dict[str, float] = {}
        for url in urls:
            host = host_of(url)
            if host not in out:
                out[host] = self.fetcher.robots.rules(url).crawl_delay(agent)
        return out

    # ------------------------------------------------------------------ the child

    def _run_batch(self, batch: Sequence[tuple[int, str, list[Entry]]]
                   ) -> dict[int, BatchOutcome]:
        """One crawl child for the entries of several sources, then the analysis."""
        ctx = self.ctx
        ctx.warmed.wait(ctx.config.crawl.crawl_timeout_seconds)
        names = tuple(name for _, name, _ in batch)
        work = [(sid, entries) for sid, _, entries in batch]
        # The poller read each host's robots.txt: the child need not again.
        crawl_delays = self._crawl_delays(e.url for _, _, entries in batch for e in entries) \
            if ctx.config.crawl.obey_robots_txt else None
        emit("fetch.start", phase="crawl", sources=len(batch),
             entries=sum(len(e) for _, _, e in batch))
        result = run_child(names, config_path=ctx.config_path,
                           timeout=ctx.config.crawl.crawl_timeout_seconds,
                           registry=ctx.registry, target=crawl_entries,
                           args=(ctx.config_path, work, crawl_delays))
        if result.cancelled:
            return {sid: BatchOutcome(ok=False, cancelled=True, error=result.error)
                    for sid, _, _ in batch}
        ctx.crawls += 1
        by_name = {s.source: s for s in result.summaries}
        outcomes: dict[int, BatchOutcome] = {}
        for sid, name, _ in batch:
            summary = by_name.get(name)
            if summary is None:
                outcomes[sid] = BatchOutcome(ok=False, error=result.error
                                             or "the crawl reported nothing for this source")
            else:
                outcomes[sid] = BatchOutcome(ok=not summary.error, summary=summary,
                                             error=summary.error)
        emit("fetch.done" if result.ok else "fetch.failed", 20 if result.ok else 30,
             phase="crawl", seconds=result.seconds, sources=len(batch),
             new=result.count("new"), updated=result.count("updated"),
             fetched=result.count("fetched"), error=result.error)
        try:
            analyse_and_enqueue(ctx)
        except Exception as exc:  # the periodic analyse job retries
            emit("analyse.failed", 40, phase="analyse", error=f"{type(exc).__name__}: {exc}")
        return outcomes
