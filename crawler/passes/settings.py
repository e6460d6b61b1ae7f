"""Scrapy settings for a crawl pass, from the typed crawl config."""

from __future__ import annotations

from typing import Any

from scrapy.settings.default_settings import RETRY_EXCEPTIONS

from store.config import CrawlConfig

# Response header limits (bytes of the status line and headers, header lines).
MAX_HEADER_BYTES = 256 * 1024
MAX_HEADER_LINES = 500


def scrapy_settings(cfg: CrawlConfig, deadline: float | None = None) -> dict[str, Any]:
    """Polite, bounded, safe defaults; every limit comes from the config.

    `deadline` (epoch seconds) caps every download so the pass ends on time.
    """
    return {
        "PASS_DEADLINE": deadline or 0.0,
        "BOT_NAME": "compoundwatch",
        "USER_AGENT": cfg.user_agent.replace("{contact}", cfg.contact_url),
        "ROBOTSTXT_OBEY": cfg.obey_robots_txt,
        "CONCURRENT_REQUESTS": 16,
        "CONCURRENT_REQUESTS_PER_DOMAIN": cfg.concurrency_per_host,
        "DOWNLOAD_DELAY": cfg.download_delay,
        "DOWNLOAD_DELAY_JITTER": 0.5 if cfg.download_delay > 0 else 0.0,
        "AUTOTHROTTLE_ENABLED": cfg.autothrottle,
        "AUTOTHROTTLE_START_DELAY": max(cfg.download_delay, 0.1),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(cfg.concurrency_per_host),
        # DOWNLOAD_TIMEOUT bounds the whole response (a server dripping bytes
        # is cut off); DOWNLOAD_MAXSIZE also bounds decompressed bodies.
        "DOWNLOAD_TIMEOUT": cfg.timeout_seconds,
        "DOWNLOAD_MAXSIZE": cfg.max_response_bytes,
        "DOWNLOAD_WARNSIZE": min(cfg.max_response_bytes, 33_554_432),
        "REDIRECT_MAX_TIMES": cfg.max_redirects,
        "METAREFRESH_ENABLED": False,
        "RETRY_TIMES": cfg.retries,
        "RETRY_HTTP_CODES": [500, 502, 503, 504, 522, 524, 408, 429],
        # A name that does not resolve will not resolve a second later (the
        # system resolver has retried already): fail it once, not three times.
        "RETRY_EXCEPTIONS": [e for e in RETRY_EXCEPTIONS
                             if e != "scrapy.exceptions.CannotResolveHostError"],
        # The spider's errback reports the failure in one line on the source.
        "RETRY_GIVE_UP_LOG_LEVEL": "DEBUG",
        # Only http and https: no file://, data:, s3:// or ftp:// handlers at all;
        # http(s) through Scrapy's HTTP/1.1 handler with bounded response headers
        # (DOWNLOAD_MAXSIZE bounds only the body; headers count toward it too).
        "DOWNLOAD_HANDLERS": {"file": None, "data": None, "s3": None, "ftp": None,
                              "http": "crawler.fetching.download.BoundedHTTPDownloadHandler",
                              "https": "crawler.fetching.download.BoundedHTTPDownloadHandler"},
        "DOWNLOAD_MAX_HEADER_BYTES": min(MAX_HEADER_BYTES, cfg.max_response_bytes),
        "DOWNLOAD_MAX_HEADER_LINES": MAX_HEADER_LINES,
        # Every address the downloader connects to is checked where it is
        # resolved (DNS rebinding cannot swap it after the safety check).
        "TWISTED_DNS_RESOLVER": "crawler.fetching.resolver.SafeResolver",
        "DOWNLOADER_MIDDLEWARES": {
            "crawler.fetching.safety.SafetyMiddleware": 950,
            # Before DownloadTimeoutMiddleware (350), which only fills in a default.
            "crawler.fetching.safety.DeadlineMiddleware": 340,
            # robots.txt with Crawl-delay obeyed, in place of Scrapy's own.
            "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
            "crawler.fetching.robots.CrawlDelayRobotsTxtMiddleware": 100,
            # Per-request work nothing here uses: no allowed_domains (the
            # safety middleware decides where we go), no HTTP auth, no
            # Scrapy stats read (SourceTally counts).
            "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
            "scrapy.downloadermiddlewares.httpauth.HttpAuthMiddleware": None,
            "scrapy.downloadermiddlewares.stats.DownloaderStats": None,
        },
        "SAFETY_ALLOW_PRIVATE_ADDRESSES": cfg.allow_private_addresses,
        "ITEM_PIPELINES": {"crawler.pipelines.StorePipeline": 300},
        # A callback yields one page item (or requests): Scrapy's default of 100
        # concurrent items starts 100 asyncio tasks for every response, which
        # cost more CPU than storing the page.
        "CONCURRENT_ITEMS": 4,
        # Responses a spider may hold while they wait for extraction. Scrapy's
        # 5 MB per spider let each source park ~250 pages (and their decoded
        # text) ahead of a pool that takes them ~100 a second: ~150 MB of the
        # crawling process's memory at 5,000 articles, for no speed.
        "SCRAPER_SLOT_MAX_ACTIVE_SIZE": 1_000_000,
        # Depth stats and meta-copy warnings are not used (listing and sitemap
        # depth are the spiders' own, `cw_depth`).
        "SPIDER_MIDDLEWARES": {
            "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
            "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware": None,
        },
        "CLOSESPIDER_TIMEOUT": cfg.crawl_timeout_seconds,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        # Scrapy 2.19's remote-control extension listens on a port and runs code
        # sent to it; a crawler of untrusted pages has no use for either.
        "REMOTE_CONTROL_ENABLED": False,
        "LOG_LEVEL": "WARNING",
        "LOG_ENABLED": True,
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
    }
