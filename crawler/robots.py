"""robots.txt with its Crawl-delay obeyed (Scrapy's middleware ignores it).

The delay becomes the host's download-slot delay, and AutoThrottle is told
not to lower it, so a site that asks for 10 s between requests gets them.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.robotstxt import RobotParser

# A site asking for more than this is honoured at this (a pass must end).
MAX_CRAWL_DELAY_SECONDS = 60.0


class CrawlDelayRobotsTxtMiddleware(RobotsTxtMiddleware):
    """RobotsTxtMiddleware that also applies robots.txt `Crawl-delay`."""

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
