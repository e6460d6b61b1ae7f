"""The figures of `bench/latency.py`: the SMTP sink that times each email,
the CPU of reaped descendants, latencies from the database, politeness from
the newsroom's request log."""

from __future__ import annotations

import email
import email.policy
import math
import resource
import statistics
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from aiosmtpd.controller import Controller
from sqlalchemy import create_engine, text

from bench.measure import print_table
from bench.outlets import Newsroom
from tests.delivery.smtpd import free_port

DOCUMENTS = ("/feed.xml", "/news-sitemap.xml", "/section/")


class Sink:
    """aiosmtpd on loopback; remembers when each Message-ID was accepted."""

    def __init__(self) -> None:
        self.port = free_port()
        self.accepted: dict[str, float] = {}
        self._lock = threading.Lock()
        self._controller: Controller | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.accepted.setdefault(str(msg["Message-ID"]), time.time())
        return "250 Message accepted"

    def start(self) -> Sink:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def reset(self) -> None:
        with self._lock:
            self.accepted.clear()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()


def cpu_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (inf counts: an article never seen is the slowest)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


@dataclass(frozen=True)
class Latencies:
    alerting: list[float]
    stored: list[float]
    missed: int
    published: int


def latencies(store_url: str, room: Newsroom, sink: Sink, started: float) -> Latencies:
    """Seconds from each story's appearance to its alert email (alerting) or storage."""
    appears = {room.base(o) + s.path: s.appears for o in room.outlets for s in o.stories
               if s.appears >= started}
    engine = create_engine(store_url)
    with engine.connect() as conn:
        fetched = {r.url: r.fetched_at for r in conn.execute(text(
            "SELECT url, fetched_at FROM articles"))}
        raised = conn.execute(text(
            "SELECT a.url AS url, d.message_id AS mid FROM alerts al "
            "JOIN articles a ON a.id = al.article_id "
            "JOIN deliveries d ON d.alert_id = al.id")).all()
    engine.dispose()
    emailed: dict[str, float] = {}
    for row in raised:
        at = sink.accepted.get(str(row.mid))
        if row.url in appears and at is not None:
            emailed[row.url] = min(at, emailed.get(row.url, math.inf))
    alerting, stored, missed = [], [], 0
    for url, t0 in appears.items():
        if url in emailed:
            alerting.append(emailed[url] - t0)
        elif url in fetched:
            stored.append(_epoch(fetched[url]) - t0)
        else:
            missed += 1
    return Latencies(alerting, stored, missed, len(appears))


def _epoch(value: Any) -> float:
    import datetime as dt

    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.timestamp()


@dataclass(frozen=True)
class Politeness:
    polls: list[int]
    not_modified: float
    delay_violations: int
    max_age_violations: int
    requests: int


def politeness(room: Newsroom, download_delay: float) -> Politeness:
    """Polls per outlet, and gaps shorter than Crawl-delay, max-age or the config's delay.

    Scrapy spreads DOWNLOAD_DELAY over 0.5-1.5 times itself, so half of it is
    the floor for outlets without a Crawl-delay; Crawl-delay is exact.
    """
    by_outlet: dict[int, list[Any]] = defaultdict(list)
    for hit in room.hits:
        by_outlet[hit.outlet].append(hit)
    polls, delay_bad, age_bad, docs, docs_304 = [], 0, 0, 0, 0
    for outlet in room.outlets:
        hits = sorted(by_outlet.get(outlet.index, []), key=lambda h: h.at)
        floor = outlet.crawl_delay or download_delay * 0.5
        for a, b in zip(hits, hits[1:], strict=False):
            if b.at - a.at < floor - 0.05:
                delay_bad += 1
                print(f"  outlet {outlet.index} ({outlet.kind}, delay {floor:g} s): "
                      f"{a.path} then {b.path} {b.at - a.at:.2f} s later", file=sys.stderr)
        doc_hits = [h for h in hits if h.path in DOCUMENTS]
        polls.append(len(doc_hits))
        docs += len(doc_hits)
        docs_304 += sum(1 for h in doc_hits if h.status == 304)
        if outlet.max_age:
            age_bad += sum(1 for a, b in zip(doc_hits, doc_hits[1:], strict=False)
                           if b.at - a.at < outlet.max_age - 1.0)
    return Politeness(polls, docs_304 / docs if docs else 0.0, delay_bad, age_bad,
                      len(room.hits))


def report(command: str, load: str, args: Any, store_url: str, room: Newsroom, sink: Sink,
           started: float, wall: float, cpu: float, status: int, manners: Politeness) -> None:
    lat = latencies(store_url, room, sink, started)
    every = lat.alerting + lat.stored + [math.inf] * lat.missed
    fmt = lambda v: "-" if math.isnan(v) else ("never" if math.isinf(v) else f"{v:.1f}")  # noqa: E731
    who = (f"coordinator + {args.workers} workers" if getattr(args, "workers", 0)
           else "daemon")
    print(f"\ncompoundwatch {who}, {len(room.outlets)} outlets on loopback, {wall / 60:.1f} min"
          f" wall; load before: {load}")
    print_table(("what", "articles", "p50 s", "p95 s", "max s"), [
        ("appeared -> alert email accepted", len(lat.alerting),
         fmt(percentile(lat.alerting, 50)), fmt(percentile(lat.alerting, 95)),
         fmt(max(lat.alerting, default=math.nan))),
        ("appeared -> stored (not alerting)", len(lat.stored),
         fmt(percentile(lat.stored, 50)), fmt(percentile(lat.stored, 95)),
         fmt(max(lat.stored, default=math.nan))),
        ("all (never stored counts as slowest)", len(every),
         fmt(percentile(every, 50)), fmt(percentile(every, 95)), f"missed {lat.missed}"),
    ])
    print_table(("daemon", "value"), [
        ("CPU seconds, all its processes", f"{cpu:.1f}"),
        ("share of one core", f"{cpu / wall:.1%}"),
        ("exit status after SIGTERM", status),
        ("document polls per outlet (mean / max)",
         f"{statistics.mean(manners.polls):.1f} / {max(manners.polls)}"),
        ("polls answered 304", f"{manners.not_modified:.0%}"),
        ("requests to the outlets", manners.requests),
        ("gaps shorter than Crawl-delay or the per-host delay", manners.delay_violations),
        ("polls sooner than Cache-Control max-age", manners.max_age_violations),
    ])
    print(f"\nreproduce: {command}")
    print(f"latency_p50_s={percentile(every, 50):.1f} latency_p95_s={percentile(every, 95):.1f} "
          f"cpu_share={cpu / wall:.3f} outlets={len(room.outlets)} articles={lat.published}"
          + (f" workers={args.workers}" if getattr(args, "workers", 0) else ""))
