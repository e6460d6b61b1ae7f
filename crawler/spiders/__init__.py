"""Spiders per source kind; `spider_for_kind` picks one."""

from __future__ import annotations

from crawler.spiders.auto import AutoSpider
from crawler.spiders.base import SourceSpider
from crawler.spiders.feed import FeedSpider
from crawler.spiders.listing import ListingSpider
from crawler.spiders.page import PageSpider
from crawler.spiders.sitemap import SitemapSpider

SPIDERS: dict[str, type[SourceSpider]] = {
    "auto": AutoSpider,
    "feed": FeedSpider,
    "sitemap": SitemapSpider,
    "listing": ListingSpider,
    "page": PageSpider,
}


def spider_for_kind(kind: str) -> type[SourceSpider]:
    return SPIDERS.get(kind, AutoSpider)
