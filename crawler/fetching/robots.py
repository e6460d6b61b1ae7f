"""robots.txt with its Crawl-delay obeyed (Scrapy's middleware ignores it),
and a host that cannot be reached for robots.txt failed at once.

The delay becomes the host's download-slot delay, and AutoThrottle is told
not to lower it, so a site that asks for 10 s between requests gets them.

Why fail fast: when robots.txt cannot be fetched because the host name does
not resolve or nothing listens on the port, the feed on the same host cannot
be fetched either. Scrapy would log a traceback, allow the request and try
the host again (with retries); here the source's requests to that host fail
with one plain reason and no second attempt.
"""

from __future__ import annotations

import logging

from scrapy import Request
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    IgnoreRequest,
)
from scrapy.robotstxt import RobotParser
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.error import ConnectionRefusedError, DNSLookupError

# A site asking for more than this is honoured at this (a pass must end).
MAX_CRAWL_DELAY_SECONDS = 60.0

# Failures of robots.txt that say the whole host is out of reach.
HOST_LEVEL_FAILURES = (CannotResolveHostError, DNSLookupError, DownloadConnectionRefusedError,
                       ConnectionRefusedError)

log = logging.getLogger(__name__)


class HostUnreachable(IgnoreRequest):
    """robots.txt showed the host cannot be reached: the request is not sent."""

    def __init__(self, host: str, cause: Exception) -> None:
        super().__init__(f"{host} unreachable")
        self.host = host
        self.cause = cause


class CrawlDelayRobotsTxtMiddleware(RobotsTxtMiddleware):
    """RobotsTxtMiddleware that applies robots.txt `Crawl-delay` and fails fast
    for a host whose robots.txt could not be fetched at all."""

    def __init__(self, crawler) -> None:  # type: ignore[no-untyped-def]
        super().__init__(crawler)
        self._unreachable: dict[str, Exception] = {}

    async def robot_parser(self, request: Request) -> RobotParser | None:
        netloc = urlparse_cached(request).netloc
        if netloc in self._unreachable:
            log.debug("not fetching %s: robots.txt showed %s cannot be reached", request.url,
                      netloc)
            raise HostUnreachable(urlparse_cached(request).hostname or netloc,
                                  self._unreachable[netloc])
        return await super().robot_parser(request)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        if isinstance(exc, HOST_LEVEL_FAILURES):
            self._unreachable[netloc] = exc
        super()._robots_error(exc, netloc)

    async def process_request(self, request: Request) -> None:
        await super().process_request(request)
        # A request that waited on the robots.txt download learns the outcome here.
        netloc = urlparse_cached(request).netloc
        if not request.meta.get("dont_obey_robotstxt") and netloc in self._unreachable:
            log.debug("not fetching %s: robots.txt showed %s cannot be reached", request.url,
                      netloc)
            raise HostUnreachable(urlparse_cached(request).hostname or netloc,
                                  self._unreachable[netloc])

    def process_request_2(self, rp: RobotParser | None, request: Request) -> None:
        super().process_request_2(rp, request)  # raises IgnoreRequest when disallowed
        if rp is None:
            return
        agent = request.headers.get(b"User-Agent", self._default_useragent) or b"*"
        try:
            delay = rp.crawl_delay(agent)
        except (AttributeError, TypeError, ValueError):
            return
        if not delay or delay <= 0:
            return
        delay = min(float(delay), MAX_CRAWL_DELAY_SECONDS)
        request.meta["autothrottle_dont_adjust_delay"] = True
        engine = self.crawler.engine
        downloader = getattr(engine, "downloader", None) if engine is not None else None
        if downloader is None:
            return
        slot = downloader.slots.get(downloader.get_slot_key(request))
        if slot is None:
            return
        if slot.delay < delay:
            slot.delay = delay
        # DOWNLOAD_DELAY_JITTER spreads a delay over 0.5-1.5 times itself: half
        # the Crawl-delay the site asked for. Its delay is used exactly.
        if getattr(slot, "jitter", 0):
            slot.jitter = 0.0
