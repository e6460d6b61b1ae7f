"""Imported once by the crawl forkserver, so forked crawl children start warm.

Importing Scrapy, Twisted, trafilatura and the store costs seconds of CPU;
the forkserver pays it once and every child is a fork of it. Nothing here
may install a Twisted reactor or open a connection: each child installs its
own reactor (the one Scrapy asks for) and opens its own engine.
"""

from __future__ import annotations

import crawler.daemon.child
import crawler.entries  # noqa: F401  (passes over the entries polls found)
import crawler.runner  # noqa: F401  (Scrapy, the spiders, extraction)
import store.config  # noqa: F401

try:  # extraction's heavy part, when the crawler imports it lazily
    import trafilatura  # noqa: F401
except ImportError:  # pragma: no cover - a dependency of the crawler
    pass

import sys

if "twisted.internet.reactor" in sys.modules:  # children could not install Scrapy's reactor
    raise ImportError("crawl preload installed a Twisted reactor; children would fail")
