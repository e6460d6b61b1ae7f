"""The poller's HTTP side: conditional GETs through one gate per host, with
robots.txt obeyed and its Crawl-delay, the config's per-host delay and the
server's Retry-After honoured."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlsplit

from alerts.safe_fetch import FetchRefused
from crawler.poll.client import Answer, PollLimits, conditional_get
from crawler.poll.manners import Gate, HostGate, retry_after_seconds
from crawler.poll.robots import RobotsCache
from crawler.validators import Validators
from store.config import CrawlConfig

# A poll waits this long at most for its host's turn; then it is tried later.
MAX_TURN_WAIT_SECONDS = 20.0
# A host a crawl child still holds after that is asked again this much later.
HELD_RETRY_SECONDS = 5.0


class HostBusy(Exception):
    """The host may not be asked yet (politeness); `wait` says for how long."""

    def __init__(self, host: str, wait: float) -> None:
        super().__init__(f"{host} may not be asked for another {wait:.0f} s")
        self.wait = wait


def limits_of(cfg: CrawlConfig) -> PollLimits:
    return PollLimits(allow_private=cfg.allow_private_addresses, timeout=cfg.timeout_seconds,
                      max_bytes=cfg.max_response_bytes, max_redirects=cfg.max_redirects,
                      user_agent=cfg.user_agent.replace("{contact}", cfg.contact_url))


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


class Fetcher:
    """Polite conditional GETs for the poller, shared by all its threads."""

    def __init__(self, cfg: CrawlConfig, gate: Gate | None = None,
                 get: Callable[..., Answer] = conditional_get,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.cfg = cfg
        self.limits = limits_of(cfg)
        self.gate: Gate = gate or HostGate()
        self._get = get
        self._sleep = sleep
        self.robots = RobotsCache(self._gated)
        # Retry-After answers: host -> monotonic time before which it is not asked.
        self._not_before: dict[str, float] = {}
        self.requests = 0

    def host_delay(self, url: str) -> float:
        """Seconds between two requests to this URL's host (config, robots.txt)."""
        delay = self.cfg.download_delay
        if self.cfg.obey_robots_txt:
            delay = max(delay, self.robots.rules(url).crawl_delay(self.limits.user_agent))
        return delay

    def allowed(self, url: str) -> bool:
        if not self.cfg.obey_robots_txt:
            return True
        return self.robots.rules(url).allows(url, self.limits.user_agent)

    def get(self, url: str, known: Validators | None = None) -> Answer:
        """A conditional GET of a discovery document, once the host's turn came."""
        return self._gated(url, known, self.host_delay(url))

    def _gated(self, url: str, known: Validators | None = None, delay: float | None = None
               ) -> Answer:
        host = host_of(url)
        delay = self.cfg.download_delay if delay is None else delay
        waited = 0.0
        while True:
            blocked = self._not_before.get(host, 0.0) - time.monotonic()
            wait = max(blocked, self.gate.wait_time(host, delay))
            if wait <= 0 and self.gate.take(host, delay):
                break
            if waited >= MAX_TURN_WAIT_SECONDS:  # held by a long crawl child
                raise HostBusy(host, HELD_RETRY_SECONDS)
            if wait != float("inf") and waited + wait > MAX_TURN_WAIT_SECONDS:
                raise HostBusy(host, wait)
            step = min(max(wait, 0.05), 0.5)
            self._sleep(step)
            waited += step
        self.requests += 1
        try:
            answer = self._get(url, self.limits, known.etag if known else None,
                               known.last_modified if known else None)
        finally:
            self.gate.done(host)
        if answer.status in (429, 503):
            pause = retry_after_seconds(answer.headers.get("retry-after"))
            if pause:
                self._not_before[host] = time.monotonic() + pause
        return answer


__all__ = ["Fetcher", "FetchRefused", "HostBusy", "host_of", "limits_of"]
