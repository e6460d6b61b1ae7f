"""The daemon process: an APScheduler BackgroundScheduler driving the jobs,
a database lease with a heartbeat, and a clean stop on SIGTERM or SIGINT.

Why BackgroundScheduler (threads) and not TwistedScheduler: importing the
latter installs Twisted's default reactor, and the crawls run in child
processes anyway (see docs/architecture.md). The job store is in memory: the
database is the truth, and `reconcile` rebuilds the source jobs from it.
"""

from __future__ import annotations

import datetime as dt
import signal
import threading
import time
from collections.abc import Callable
from typing import Any

from apscheduler.events import EVENT_JOB_ERROR, JobExecutionEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine, inspect

from crawler.daemon import lease
from crawler.daemon.crawl import backoff_delay, bounded_jitter, warm_up
from crawler.daemon.heartbeat import beat_until_stopped
from crawler.daemon.jobs import (
    ANALYSE_JOB,
    DIGEST_JOB,
    OUTBOX_JOB,
    RECONCILE_JOB,
    SOURCE_JOB_PREFIX,
    DaemonContext,
    active_plans,
    analyse_and_enqueue,
    crawl_source,
    first_run_time,
    send_digest,
    send_outbox,
    source_job_id,
)
from crawler.daemon.log import emit
from store.config import Config, parse_interval
from store.types import utcnow

SHUTDOWN_GRACE_SECONDS = 5.0


class DaemonError(Exception):
    """The daemon cannot start or must stop; the message says what to do."""


class Daemon:
    """One running daemon: build it, `run()` until a signal, then it stops."""

    def __init__(self, config: Config, engine: Engine, config_path: str | None = None,
                 holder: str | None = None) -> None:
        self.config = config
        self.engine = engine
        self.holder = holder or lease.this_holder()
        self.ctx = DaemonContext(config=config, engine=engine, config_path=config_path,
                                 crawl_slots=threading.Semaphore(
                                     max(1, config.daemon.crawl_workers)))
        self.ctx.poke = self.poke
        self.stop_event = threading.Event()
        self._running = 0
        self._running_cv = threading.Condition()
        self._job_failures: dict[str, int] = {}
        d = config.daemon
        # Made in run(), once the lease is held and signals are handled: it
        # imports the parsers (lxml, feedparser, trafilatura), seconds on a
        # loaded machine.
        self.polling: Any = None
        # Polls are light and wait on their crawl child: more threads than
        # children (crawl_source itself keeps children to crawl_workers).
        source_threads = max(1, d.crawl_workers) if d.discovery != "poll" \
            else max(d.crawl_workers, d.poll_threads)
        self.scheduler = BackgroundScheduler(
            executors={
                "default": ThreadPoolExecutor(4),
                "crawl": ThreadPoolExecutor(source_threads),
            },
            job_defaults={"coalesce": True, "max_instances": 1},
            timezone=dt.UTC,
        )
        self.scheduler.add_listener(self._on_error, EVENT_JOB_ERROR)

    def _make_polling(self) -> Any:
        if self.config.daemon.discovery != "poll":
            return None
        from crawler.daemon.polling import Polling

        return Polling(self.ctx, full_pass=self.full_pass)

    def full_pass(self, source_id: int) -> bool:
        """A whole pass of one source (a crawl child). The one step of the
        source job a cluster coordinator replaces (start requests on Redis);
        the schedule around it is the same."""
        return crawl_source(self.ctx, source_id)

    def source_job(self, source_id: int) -> bool:
        """What a source's job runs: a light poll when polling, else a full pass."""
        if self.polling is not None:
            return bool(self.polling.run_source(source_id))
        return self.full_pass(source_id)

    # ------------------------------------------------------------------ jobs

    def _guard(self, job_id: str, func: Callable[[], bool]) -> Callable[[], bool]:
        """Count running jobs (for the stop), log failures, back a failing job off."""

        def run() -> bool:
            with self._running_cv:
                self._running += 1
            try:
                did = func()
                self._job_failures.pop(job_id, None)
                return did
            except Exception as exc:
                failures = self._job_failures.get(job_id, 0) + 1
                self._job_failures[job_id] = failures
                emit("job.failed", 40, job=job_id, failures=failures,
                     error=f"{type(exc).__name__}: {exc}")
                self._push_back(job_id, failures)
                return False
            finally:
                with self._running_cv:
                    self._running -= 1
                    self._running_cv.notify_all()

        return run

    def _push_back(self, job_id: str, failures: int) -> None:
        # A failing job must not crash-loop: its next run moves out with backoff.
        job = self.scheduler.get_job(job_id)
        if job is None or not isinstance(job.trigger, IntervalTrigger):
            return
        interval = job.trigger.interval.total_seconds()
        delay = backoff_delay(interval, failures, self.ctx.max_backoff)
        self.poke(job_id, utcnow() + dt.timedelta(seconds=delay))

    def _on_error(self, event: JobExecutionEvent) -> None:  # pragma: no cover - guarded
        emit("job.error", 40, job=event.job_id, error=repr(event.exception))

    def poke(self, job_id: str, when: dt.datetime | None) -> None:
        """Move a job's next run (None: now). Unknown or finished jobs are ignored."""
        if not self.scheduler.running:
            return
        try:
            self.scheduler.modify_job(job_id, next_run_time=when or utcnow())
        except JobLookupError:
            pass

    def add_source_job(self, plan: Any) -> None:
        interval = max(1, int(plan.interval_seconds))
        self.scheduler.add_job(
            self._guard(source_job_id(plan.id), lambda: self.source_job(plan.id)),
            IntervalTrigger(seconds=interval,
                            jitter=bounded_jitter(self.config.daemon.jitter_seconds, interval)),
            id=source_job_id(plan.id), name=plan.name, executor="crawl",
            # A run late by less than its interval still happens; later ones fold.
            misfire_grace_time=max(30, interval),
            next_run_time=first_run_time(self.ctx, plan),
        )

    def reconcile(self) -> bool:
        """Make the source jobs match the database: add, drop, reschedule.

        Sources added, paused, resumed or removed with the CLI while the
        daemon runs are picked up here, within `daemon.reconcile_every`.
        """
        plans = active_plans(self.engine)
        changed = False
        jobs = {j.id: j for j in self.scheduler.get_jobs() if j.id.startswith(SOURCE_JOB_PREFIX)}
        for job_id, job in jobs.items():
            source_id = int(job_id[len(SOURCE_JOB_PREFIX):])
            plan = plans.get(source_id)
            stale = plan is None or (
                isinstance(job.trigger, IntervalTrigger)
                and int(job.trigger.interval.total_seconds()) != plan.interval_seconds
            )
            if stale:
                self.scheduler.remove_job(job_id)
                emit("source.unscheduled", source=job.name, phase="schedule",
                     reason="gone or paused" if plan is None else "interval changed")
                changed = True
        for source_id, plan in plans.items():
            if self.scheduler.get_job(source_job_id(source_id)) is None:
                self.add_source_job(plan)
                emit("source.scheduled", source=plan.name, phase="schedule",
                     every=plan.interval_seconds,
                     next_run=self.scheduler.get_job(source_job_id(source_id)).next_run_time)
                changed = True
        return changed

    def schedule_all(self) -> None:
        """The fixed jobs; the source jobs come from the first reconcile."""
        d = self.config.daemon
        now = utcnow()
        every = float(parse_interval(d.reconcile_every))
        outbox = float(parse_interval(d.outbox_every))
        add = self.scheduler.add_job
        add(self._guard(RECONCILE_JOB, self.reconcile), IntervalTrigger(seconds=every),
            id=RECONCILE_JOB, misfire_grace_time=int(every) + 30, next_run_time=now)
        # A safety net: articles stored by a crawl that was killed before its
        # analysis (kill -9, timeout) are analysed here.
        add(self._guard(ANALYSE_JOB, lambda: analyse_and_enqueue(self.ctx)),
            IntervalTrigger(seconds=max(every, 60.0)), id=ANALYSE_JOB,
            misfire_grace_time=60, next_run_time=now)
        add(self._guard(OUTBOX_JOB, lambda: send_outbox(self.ctx)),
            IntervalTrigger(seconds=outbox), id=OUTBOX_JOB,
            misfire_grace_time=int(outbox) + 30, next_run_time=now)
        hour, minute = (int(x) for x in self.config.digest.at.split(":"))
        add(self._guard(DIGEST_JOB, lambda: send_digest(self.ctx)),
            CronTrigger(hour=hour, minute=minute, timezone=self.config.digest.timezone),
            id=DIGEST_JOB, misfire_grace_time=3600)
        # A digest missed while the daemon was down is caught up at start.
        add(self._guard("digest-catch-up", lambda: send_digest(self.ctx)),
            id="digest-catch-up", next_run_time=now, misfire_grace_time=3600)

    # ------------------------------------------------------------------ lifecycle

    def _warm(self) -> None:
        try:
            emit("daemon.warmed", phase="start",
                 seconds=warm_up(self.config.crawl.crawl_timeout_seconds))
        except Exception as exc:  # crawls then pay the imports themselves
            emit("daemon.warm_up_failed", 30, phase="start", error=str(exc))
        finally:
            self.ctx.warmed.set()

    def check_schema(self) -> None:
        if not inspect(self.engine).has_table("sources"):
            raise DaemonError("the database has no tables yet: run `compoundwatch init` first")

    def request_stop(self, signum: int | None = None, _frame: Any = None) -> None:
        if not self.stop_event.is_set():
            emit("daemon.stopping", phase="stop",
                 signal=signal.Signals(signum).name if signum else None)
        self.stop_event.set()

    def install_signal_handlers(self) -> None:
        signal.signal(signal.SIGTERM, self.request_stop)
        signal.signal(signal.SIGINT, self.request_stop)

    def run(self, install_signals: bool = True) -> int:
        """Take the lease, run the jobs until stopped; 0 on a clean stop.

        Raises lease.LeaseHeld when another daemon runs on this database.
        """
        self.check_schema()
        ttl = float(self.config.daemon.lease_seconds)
        lease.acquire(self.engine, self.holder, ttl)
        emit("daemon.started", phase="start", holder=self.holder,
             database=self.engine.url.render_as_string(hide_password=True))
        if install_signals:
            self.install_signal_handlers()
        status = 0
        try:
            # The heartbeat must not wait for the forkserver's imports: warm it
            # in the background, and crawls wait for it (see crawl_source).
            self.ctx.warmed.clear()
            threading.Thread(target=self._warm, name="warm-up", daemon=True).start()
            self.polling = self._make_polling()
            self.scheduler.start()
            self.schedule_all()
            if self.polling is not None:
                self.polling.start()
            status = beat_until_stopped(self.engine, self.holder, ttl, self.stop_event)
        finally:
            self.stop()
        return status

    def stop(self) -> bool:
        """Kill crawl children, stop the scheduler, release the lease.

        Returns True when every running job finished within the grace time.
        A job still running after it (an SMTP exchange, say) is abandoned:
        its transaction rolls back and its claims expire, so it is redone.
        """
        killed = self.ctx.registry.kill_all()
        self.ctx.warmed.set()  # crawls waiting for the warm-up wake, see the stop, return
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        deadline = time.monotonic() + SHUTDOWN_GRACE_SECONDS
        with self._running_cv:
            while self._running and time.monotonic() < deadline:
                self._running_cv.wait(deadline - time.monotonic())
            clean = self._running == 0
        try:
            lease.release(self.engine, self.holder)
        except Exception as exc:  # the lease expires by itself
            emit("daemon.release_failed", 30, phase="stop", error=str(exc))
        emit("daemon.stopped", phase="stop", crawls=self.ctx.crawls, children_killed=killed,
             clean=clean)
        return clean
