"""Per-host spacing shared by the coordinator and every worker, on Redis.

A single daemon spaces requests to a host in one `HostGate` (its poller and
its crawl children take turns). A cluster has a coordinator polling feeds
and workers fetching pages, each with its own Scrapy download slots, so two
of them could ask one host together. Here each host has two keys:

* `PREFIX:host:HOST:last` - when it was last asked (ms, Redis's clock, so
  machines need not agree on the time), set by a Lua script that first
  checks the delay has passed: check and set are one atomic step;
* `PREFIX:host:HOST:delay` - the longest delay anyone asking knows for it
  (the coordinator's poller reads robots.txt Crawl-delay), kept an hour and
  renewed by whoever knows that delay, so a worker that knows only the
  config's delay still waits the host's own.

`RedisHostGate` has `HostGate`'s interface for the poller's `Fetcher`;
`SharedSpacingMiddleware` makes a worker's requests wait their turn.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from redis import Redis
from redis.exceptions import RedisError
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.utils.httpobj import urlparse_cached

log = logging.getLogger(__name__)

# A host's learned delay is forgotten after this unless renewed (robots.txt changes).
DELAY_KEEP_MS = 3_600_000
# The last-request key outlives any delay (Crawl-delay is capped at 60 s).
LAST_KEEP_MS = 300_000
# A waiting request looks again at least this often (seconds).
MAX_STEP_SECONDS = 1.0
GATE_META = "cw_gate_host"
PREFIX_SETTING = "CW_HOST_GATE_PREFIX"

# KEYS: last, delay. ARGV: my delay (ms), take (1) or only look (0).
# Returns the ms still to wait (0: free; when taking, taken).
_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local mine = tonumber(ARGV[1])
local known = tonumber(redis.call('GET', KEYS[2]) or '0')
local delay = math.max(mine, known)
local last = tonumber(redis.call('GET', KEYS[1]) or '-1')
if last >= 0 and now < last + delay then return last + delay - now end
if ARGV[2] == '1' then
  redis.call('SET', KEYS[1], now, 'PX', math.max(tonumber(ARGV[3]), 2 * delay))
  if mine > 0 and mine >= known then redis.call('SET', KEYS[2], mine, 'PX', ARGV[4]) end
end
return 0
"""

# KEYS: last. The request ended now: the delay runs from here.
_DONE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local last = tonumber(redis.call('GET', KEYS[1]) or '-1')
if now > last then redis.call('SET', KEYS[1], now, 'PX', ARGV[1]) end
return 0
"""


class RedisHostGate:
    """`HostGate` across processes and machines (module docstring). The `now`
    arguments of `HostGate` are ignored: Redis's clock decides."""

    def __init__(self, server: Redis, prefix: str) -> None:
        self.server = server
        self.prefix = prefix
        self._take = server.register_script(_TAKE)
        self._done = server.register_script(_DONE)

    def _keys(self, host: str) -> list[str]:
        base = f"{self.prefix}:host:{host.lower()}"
        return [f"{base}:last", f"{base}:delay"]

    def _ask(self, host: str, delay: float, take: bool) -> float:
        wait = self._take(keys=self._keys(host),
                          args=[int(delay * 1000), 1 if take else 0, LAST_KEEP_MS,
                                DELAY_KEEP_MS])
        return int(wait) / 1000.0

    def wait_time(self, host: str, delay: float, now: float | None = None) -> float:
        """Seconds until `host` may be asked (0: now)."""
        return self._ask(host, delay, take=False)

    def take(self, host: str, delay: float, now: float | None = None) -> bool:
        """Claim the host's turn now if its delay has passed."""
        return self._ask(host, delay, take=True) == 0

    def acquire_wait(self, host: str, delay: float) -> float:
        """Take the turn if free (0), else the seconds to wait before asking again."""
        return self._ask(host, delay, take=True)

    def done(self, host: str, now: float | None = None) -> None:
        self._done(keys=self._keys(host)[:1], args=[LAST_KEEP_MS])


class SharedSpacingMiddleware:
    """A worker's downloader middleware: each request waits for its host's
    turn on the shared gate, and its answer restarts the host's delay.

    Its delay is the larger of the crawl's per-host delay and the host's
    download slot's (which `CrawlDelayRobotsTxtMiddleware` raised to the
    robots.txt Crawl-delay); the gate adds the longest delay any process
    knows. The worker's own slots run without jitter (`cluster_settings`),
    so they never hold back a request past the turn it took.
    """

    def __init__(self, crawler: Crawler, gate: RedisHostGate, download_delay: float) -> None:
        self.crawler = crawler
        self.gate = gate
        self.download_delay = download_delay

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedSpacingMiddleware:
        from scrapy_redis.connection import get_redis_from_settings

        settings = crawler.settings
        gate = RedisHostGate(get_redis_from_settings(settings), settings.get(PREFIX_SETTING))
        return cls(crawler, gate, settings.getfloat("DOWNLOAD_DELAY"))

    def _delay(self, request: Request) -> float:
        delay = self.download_delay
        engine = self.crawler.engine
        downloader = getattr(engine, "downloader", None) if engine is not None else None
        if downloader is not None:
            slot = downloader.slots.get(downloader.get_slot_key(request))
            if slot is not None:
                delay = max(delay, float(slot.delay))
        return delay

    async def process_request(self, request: Request) -> None:
        host = (urlparse_cached(request).hostname or "").lower()
        if not host:
            return
        delay = self._delay(request)
        while True:
            try:
                wait = self.gate.acquire_wait(host, delay)
            except RedisError as exc:  # Redis away: the local slot still spaces
                log.warning("host gate unavailable (%s): %s goes unspaced", exc, request.url)
                return
            if wait <= 0:
                break
            await asyncio.sleep(min(wait, MAX_STEP_SECONDS))
        request.meta[GATE_META] = host

    def _done(self, request: Request) -> None:
        host = request.meta.pop(GATE_META, None)
        if host:
            try:
                self.gate.done(host)
            except RedisError as exc:
                log.warning("host gate unavailable (%s)", exc)

    def process_response(self, request: Request, response: Response) -> Response:
        self._done(request)
        return response

    def process_exception(self, request: Request, exception: Exception) -> Any:
        self._done(request)
        return None
