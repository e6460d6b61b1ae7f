"""How often a host may be asked: pure rules, and a thread-safe gate per host.

A server tells us through `Cache-Control: max-age` (no need to ask again
before), `Retry-After` (on 429/503: not before), and robots.txt
`Crawl-delay` (seconds between two requests); the config adds its own
per-host delay. The gate keeps the time of each host's last request.
"""

from __future__ import annotations

import email.utils
import re
import threading
import time
from collections.abc import Mapping
from typing import Protocol

# A server asking for more than this is honoured at this (a day).
MAX_SERVER_DELAY_SECONDS = 86_400.0

_MAX_AGE = re.compile(r"(?:^|[,\s])(s-maxage|max-age)\s*=\s*\"?(\d+)", re.IGNORECASE)


def cache_seconds(cache_control: str | None) -> float:
    """Seconds during which the response may be reused (0: none).

    `no-cache`, `no-store` and `must-revalidate` with no age allow an
    immediate revalidation; a conditional GET is then what they ask for.
    """
    if not cache_control:
        return 0.0
    ages = [int(m.group(2)) for m in _MAX_AGE.finditer(cache_control)]
    if not ages or "no-cache" in cache_control.lower() or "no-store" in cache_control.lower():
        return 0.0
    return float(min(max(ages), MAX_SERVER_DELAY_SECONDS))


def retry_after_seconds(value: str | None, now_epoch: float | None = None) -> float:
    """Seconds a `Retry-After` header asks us to wait (delta or HTTP date; 0: none)."""
    if not value:
        return 0.0
    value = value.strip()
    if value.isdigit():
        return float(min(int(value), MAX_SERVER_DELAY_SECONDS))
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return 0.0
    if when is None or when.tzinfo is None:
        return 0.0
    now_epoch = time.time() if now_epoch is None else now_epoch
    return max(0.0, min(when.timestamp() - now_epoch, MAX_SERVER_DELAY_SECONDS))


def server_wait(status: int, headers: Mapping[str, str], now_epoch: float | None = None) -> float:
    """Seconds before this document may be asked for again, as the server said."""
    wait = cache_seconds(headers.get("cache-control"))
    if status in (429, 503):
        wait = max(wait, retry_after_seconds(headers.get("retry-after"), now_epoch))
    return wait


class Gate(Protocol):
    """What the poller's fetcher needs of a per-host gate: `HostGate` in one
    process, `crawler.cluster.hostgate.RedisHostGate` across a cluster."""

    def wait_time(self, host: str, delay: float, now: float | None = None) -> float: ...

    def take(self, host: str, delay: float, now: float | None = None) -> bool: ...

    def done(self, host: str, now: float | None = None) -> None: ...


class HostGate:
    """The last request time of each host, so none is asked more often than
    its delay allows; `hold` covers a crawl child's whole run."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last: dict[str, float] = {}
        self._held: dict[str, int] = {}

    def wait_time(self, host: str, delay: float, now: float | None = None) -> float:
        """Seconds until `host` may be asked again (inf while a child holds it)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            # With no delay to keep there is nothing to wait for (the child's
            # own per-host concurrency still bounds it).
            if self._held.get(host) and delay > 0:
                return float("inf")
            last = self._last.get(host)
        return 0.0 if last is None else max(0.0, last + delay - now)

    def take(self, host: str, delay: float, now: float | None = None) -> bool:
        """Record a request to `host` now if its delay has passed; False if not yet."""
        now = time.monotonic() if now is None else now
        with self._lock:
            if self._held.get(host) and delay > 0:
                return False
            last = self._last.get(host)
            if last is not None and now < last + delay:
                return False
            self._last[host] = now
            return True

    def done(self, host: str, now: float | None = None) -> None:
        """A request to `host` just ended: the delay runs from now (the server
        saw the request a little after it was sent, and a slow answer counts)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            self._last[host] = max(self._last.get(host, now), now)

    def hold(self, hosts: set[str]) -> None:
        """Hosts a crawl child is fetching from: no poll until `release`."""
        with self._lock:
            for host in hosts:
                self._held[host] = self._held.get(host, 0) + 1

    def release(self, hosts: set[str], now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            for host in hosts:
                left = self._held.get(host, 0) - 1
                if left <= 0:
                    self._held.pop(host, None)
                else:
                    self._held[host] = left
                self._last[host] = now
