"""Imported once by the crawl forkserver, so forked crawl children start warm.

Importing Scrapy, Twisted, trafilatura and the store costs seconds of CPU;
the forkserver pays it once and every child is a fork of it. Nothing here
may install a Twisted reactor or open a connection: each child installs its
own reactor (the one Scrapy asks for) and opens its own engine.
"""

from __future__ import annotations

from crawler.fetching import import_tls_shims_first

import_tls_shims_first()

import crawler.daemon.child
import crawler.discovery.entries  # noqa: F401  (passes over the entries polls found)
import crawler.passes.runner  # noqa: F401  (Scrapy, the spiders, extraction)
import store.config  # noqa: F401

try:  # extraction's heavy part, when the crawler imports it lazily
    import trafilatura  # noqa: F401
except ImportError:  # pragma: no cover - a dependency of the crawler
    pass

import sys


def _scrapy_components() -> None:
    """Import the components Scrapy loads by name when a crawler starts.

    Scrapy imports its download handlers (http11 and its TLS context
    factory), middlewares, extensions and scheduler with `load_object` at
    crawler creation: without this every child imported them itself, about
    four seconds of CPU per pass on a loaded two-core machine. None of them
    installs a reactor (checked below).
    """
    from scrapy.settings import default_settings as defaults
    from scrapy.utils.misc import load_object

    names: list[str] = []
    for table in ("DOWNLOAD_HANDLERS_BASE", "DOWNLOADER_MIDDLEWARES_BASE",
                  "SPIDER_MIDDLEWARES_BASE", "EXTENSIONS_BASE"):
        names += [k if "." in k else v for k, v in getattr(defaults, table).items()]
    names += [getattr(defaults, key, None) for key in (
        "SCHEDULER", "DUPEFILTER_CLASS", "SCHEDULER_PRIORITY_QUEUE", "SCHEDULER_MEMORY_QUEUE",
        "SCHEDULER_DISK_QUEUE", "STATS_CLASS", "DOWNLOADER", "LOG_FORMATTER",
        "REQUEST_FINGERPRINTER_CLASS", "DOWNLOADER_HTTPCLIENTFACTORY",
        "DOWNLOADER_CLIENTCONTEXTFACTORY", "SPIDER_LOADER_CLASS")]
    for name in names:
        if isinstance(name, str) and "." in name:
            try:
                load_object(name)
            except Exception:  # noqa: BLE001 - optional parts (s3 without botocore)
                pass


_scrapy_components()

if "twisted.internet.reactor" in sys.modules:  # children could not install Scrapy's reactor
    raise ImportError("crawl preload installed a Twisted reactor; children would fail")
