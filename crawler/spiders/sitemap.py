"""Sitemaps: robots.txt `Sitemap:` lines, sitemap indexes, plain and Google News
sitemaps. A URL is fetched when new or when its <lastmod> moved."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy.http import Response

from crawler.discovery.documents import (
    DocumentError,
    gunzip_bounded,
    parse_sitemap,
    robots_sitemaps,
    same_site,
    sniff_kind,
)
from crawler.spiders.base import SourceSpider

# Sitemap indexes followed below the source (an index of indexes of indexes).
MAX_SITEMAP_DEPTH = 3


class SitemapSpider(SourceSpider):
    kind = "sitemap"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Sitemaps requested this pass: an index that lists one again is a loop.
        self.sitemaps_seen: set[str] = set()

    async def start(self) -> Any:
        # robots.txt rarely changes while its sitemaps do: a 304 on it must not
        # end the pass, so it is always fetched in full (it is small).
        robots = urlsplit(self.source.url).path.endswith("/robots.txt")
        yield self.discovery_request(self.source.url, self.parse_start, conditional=not robots)

    def sitemap_body(self, response: Response) -> bytes:
        """The body, gunzipped when the sitemap is a .gz file (bounded by the
        response size limit)."""
        settings = self.crawl_settings()
        limit = settings.getint("DOWNLOAD_MAXSIZE") if settings is not None else 0
        return gunzip_bounded(response.body, limit or 10_000_000)

    def parse_start(self, response: Response) -> Iterable[Any]:
        kind = sniff_kind(self.sitemap_body(response), _content_type(response))
        if kind == "robots":
            return self.parse_robots(response)
        if kind == "sitemap":
            return self.parse_sitemap(response)
        if kind == "html":
            # A site's address: its robots.txt names the sitemaps.
            robots = urljoin(response.url, "/robots.txt")
            req = self.discovery_request(robots, self.parse_robots, conditional=False)
            return [req] if req is not None else []
        raise DocumentError("not a sitemap or robots.txt")

    def parse_robots(self, response: Response) -> Iterable[Any]:
        urls = robots_sitemaps(self.page_text(response), response.url)
        if not urls:
            raise DocumentError("robots.txt names no Sitemap")
        out = []
        for url in urls:
            if same_site(url, response.url):
                req = self.discovery_request(url, self.parse_sitemap)
                if req is not None:
                    out.append(req)
        return out

    def parse_sitemap(self, response: Response) -> Iterable[Any]:
        depth = response.meta.get("cw_depth", 0)
        children, pages = parse_sitemap(self.sitemap_body(response))
        # The indexes that led here: a child among them is a loop (an error);
        # a child already requested through another index is only skipped.
        chain = (*response.meta.get("cw_chain", ()), response.url)
        if response.request is not None:
            chain = (*chain, response.request.url)
        self.sitemaps_seen.update(chain)
        out: list[Any] = []
        if depth < MAX_SITEMAP_DEPTH:
            for url in dict.fromkeys(child.url for child in children):
                if url in chain:
                    self.tally.note(f"{response.url}: the sitemap index lists {url[:200]}, "
                                    "which leads back to it (a loop); not followed")
                    continue
                if url in self.sitemaps_seen:
                    continue
                self.sitemaps_seen.add(url)
                req = self.discovery_request(url, self.parse_sitemap, cw_depth=depth + 1,
                                             cw_chain=chain)
                if req is not None:
                    out.append(req)
        elif children:
            self.tally.note(f"{response.url}: sitemap indexes nested deeper than "
                            f"{MAX_SITEMAP_DEPTH} levels; {len(children)} child sitemap(s) "
                            "not followed")
        out.extend(self.article_requests(pages, response.url))
        return out


def _content_type(response: Response) -> str:
    value = response.headers.get("Content-Type")
    return value.decode("latin-1") if value else ""
