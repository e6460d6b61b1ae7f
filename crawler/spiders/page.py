"""A single page, re-checked each pass with a conditional GET."""

from __future__ import annotations

from typing import Any

from scrapy import Request

from crawler.discovery.documents import Entry
from crawler.spiders.base import SourceSpider


class PageSpider(SourceSpider):
    kind = "page"

    async def start(self) -> Any:
        if self._budget():
            yield self.page_request(self.source.url)

    def page_request(self, url: str) -> Request:
        return Request(url, callback=self.on_article, errback=self.on_error, dont_filter=True,
                       headers=self.conditional_headers(url),
                       meta={"handle_httpstatus_list": [304], "cw_entry": Entry(url=url)})
