"""The spider every source kind builds on: conditional requests, article
requests for entries that are new or marked updated, failure accounting.

A spider never touches the database: it yields items (`FetchItem`,
`PageItem`) that `crawler.pipelines.StorePipeline` writes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import scrapy
from scrapy import Request
from scrapy.http import Response
from scrapy.settings import BaseSettings
from sqlalchemy import Engine
from twisted.python.failure import Failure

from crawler.dedup import DuplicateIndex
from crawler.discovery.documents import DocumentError, Entry, strip_fragment
from crawler.discovery.links import BAD_LINK, Skipped, link_problem
from crawler.extract import Fallback
from crawler.extractpool import ExtractionPool
from crawler.fetching.errors import describe_failure
from crawler.fetching.evidence import capture_of
from crawler.page.decoding import decode_page
from crawler.passes.tally import SourceTally
from crawler.validators import KnownState, Validators, changed_since
from store.archive import Capture


@dataclass(frozen=True)
class SourceInfo:
    id: int
    name: str
    url: str
    kind: str


@dataclass(frozen=True)
class SpiderLimits:
    max_pages: int = 500
    listing_depth: int = 5


@dataclass(frozen=True)
class FetchItem:
    """A discovery document fetched: its validators, written once the pass ends well."""

    url: str
    status: int
    validators: Validators
    # The document as fetched, when evidence.archive_discovery asks for it.
    capture: Capture | None = None


@dataclass(frozen=True)
class PageItem:
    """An article page to extract and store (or a 304 for one)."""

    url: str
    status: int
    html: str
    fallback: Fallback
    validators: Validators
    # The exchange as fetched, for the archive (crawler.fetching.evidence).
    capture: Capture | None = None


# The longest validator values stored (fetch_states' columns): a longer one is
# not a value a real server sends, and is dropped rather than truncated.
MAX_ETAG = 512
MAX_LAST_MODIFIED = 128
MAX_MARKER = 64


def _bounded(value: str | None, limit: int) -> str | None:
    return value if value is not None and len(value) <= limit else None


def validators_of(response: Response, entry_updated: str | None = None) -> Validators:
    def header(name: str, limit: int) -> str | None:
        value = response.headers.get(name)
        return _bounded(value.decode("latin-1"), limit) if value else None

    return Validators(header("ETag", MAX_ETAG), header("Last-Modified", MAX_LAST_MODIFIED),
                      _bounded(entry_updated, MAX_MARKER))


class SourceSpider(scrapy.Spider):
    """One source, one pass. Subclasses implement `parse_start` for their kind."""

    name = "source"
    kind = "page"

    def __init__(self, source: SourceInfo, known: KnownState, tally: SourceTally,
                 limits: SpiderLimits, engine: Engine, extractor: ExtractionPool,
                 requested: set[str] | None = None, dedup: DuplicateIndex | None = None,
                 **kwargs: Any) -> None:
        super().__init__(name=f"{self.kind}:{source.name}", **kwargs)
        self.engine = engine
        self.extractor = extractor
        # One index for every spider of the pass (run_crawl passes it).
        self.dedup = dedup if dedup is not None else DuplicateIndex()
        self.source = source
        self.known = known
        self.tally = tally
        self.limits = limits
        self.pending_docs: list[FetchItem] = []
        # Article URLs already requested this pass, by any source's spider
        # (run_crawl passes one set to all): two feeds listing one new story
        # fetch it once. Article requests bypass Scrapy's duplicate filter so
        # that a redirect loop fails loudly at the redirect limit instead of
        # being dropped in silence.
        self.requested: set[str] = requested if requested is not None else set()
        self.tally.kind = self.kind if self.kind != "auto" else None

    async def start(self) -> Any:
        yield self.discovery_request(self.source.url, self.parse_start)

    def crawl_settings(self) -> BaseSettings | None:
        """The crawl's settings, or None: a cluster coordinator's delegates are
        bound to no crawler, and a worker's get its settings by assignment."""
        return getattr(self, "settings", None)

    def parse_start(self, response: Response) -> Iterable[Any]:  # pragma: no cover - abstract
        raise NotImplementedError

    # ------------------------------------------------------------ requests

    def _budget(self) -> bool:
        if self.tally.scheduled >= self.limits.max_pages:
            self.logger.warning("page limit (%d) reached for %s", self.limits.max_pages,
                                self.source.name)
            return False
        self.tally.scheduled += 1
        return True

    def conditional_headers(self, url: str) -> dict[str, str]:
        known = self.known.fetch.get(url)
        headers: dict[str, str] = {}
        if known and known.etag:
            headers["If-None-Match"] = known.etag
        if known and known.last_modified:
            headers["If-Modified-Since"] = known.last_modified
        return headers

    def discovery_request(self, url: str, handler: Callable[[Response], Iterable[Any]],
                          *, conditional: bool = True, **meta: Any) -> Request | None:
        """A feed, sitemap, robots.txt or listing page, sent with our validators
        (None past the page budget, or when the URL cannot be requested: noted)."""
        problem = link_problem(url)
        if problem is None and self._budget():
            try:
                return Request(
                    url, callback=self._discovery, errback=self.on_error, dont_filter=True,
                    headers=self.conditional_headers(url) if conditional else {},
                    meta={"handle_httpstatus_list": [304], "cw_handler": handler, **meta},
                )
            except (ValueError, TypeError):
                problem = BAD_LINK
        if problem is not None:
            skipped = Skipped()
            skipped.add(problem, url)
            self.tally.skip(1, skipped.message(self.source.url))
        return None

    def article_requests(self, entries: Iterable[Entry], document: str | None = None
                         ) -> Iterator[Request]:
        """Requests for entries not stored yet, or stored but marked updated since.

        Built entry by entry: a link that cannot be requested is skipped and
        counted (one note for the document), never the whole document lost."""
        skipped = Skipped()
        try:
            for entry in entries:
                request = self._article_request(entry, skipped)
                if request is False:
                    return
                if request is not None:
                    yield request
        finally:
            if skipped.total:
                self.tally.skip(skipped.total, skipped.message(document or self.source.url))

    def _article_request(self, entry: Entry, skipped: Skipped) -> Request | None | bool:
        """The request for one entry; None when not needed or skipped; False
        when the page budget is spent."""
        problem = link_problem(entry.url)
        # As stored: without its fragment, "/" for an empty path.
        url = strip_fragment(entry.url) if problem is None else ""
        problem = problem or link_problem(url)
        if problem is not None:
            skipped.add(problem, entry.url)
            return None
        if url in self.requested:
            return None
        known = self.known.fetch.get(url)
        if url in self.known.article_urls:
            if entry.updated is None or not changed_since(entry.updated, known):
                self.tally.bump("unchanged")
                return None
        try:
            request = Request(
                url, callback=self.on_article, errback=self.on_error, dont_filter=True,
                headers=self.conditional_headers(url) if url in self.known.article_urls else {},
                meta={"handle_httpstatus_list": [304], "cw_entry": entry},
            )
        except (ValueError, TypeError):
            skipped.add(BAD_LINK, entry.url)
            return None
        if not self._budget():
            return False
        # Only a request that exists is "requested" (another source may still
        # fetch a URL this one could not).
        self.requested.add(url)
        return request

    # ------------------------------------------------------------ responses

    def page_text(self, response: Response) -> str:
        """A discovery page's text by `decode_page` (never `response.text`,
        which raises on a charset such as base64); a recovery is noted."""
        text, problem = decode_page(response)
        if text is None:
            raise DocumentError(problem or "not a text page")
        if problem:
            self.tally.note(f"{response.url}: {problem}")
        return text

    def _discovery(self, response: Response) -> Iterator[Any]:
        self.tally.bump("fetched")
        if response.status == 304:
            self.tally.bump("unchanged")
            return
        handler = response.meta["cw_handler"]
        try:
            results = list(handler(response))
        except DocumentError as exc:
            self.tally.fail(f"{response.url}: {exc}")
            return
        except (UnicodeError, ValueError, AttributeError, LookupError) as exc:
            self.tally.fail(f"{response.url}: unreadable document ({exc})")
            return
        settings = self.crawl_settings()
        capture = (capture_of(response) if settings is not None
                   and settings.getbool("EVIDENCE_ARCHIVE_DISCOVERY") else None)
        self.pending_docs.append(FetchItem(response.request.url, response.status,
                                           validators_of(response), capture))
        yield from results

    def on_article(self, response: Response) -> Iterator[PageItem]:
        self.tally.bump("fetched")
        entry: Entry = response.meta["cw_entry"]
        url = strip_fragment(entry.url)
        fallback = Fallback(entry.title, entry.published, entry.author, entry.summary,
                            entry.language)
        validators = validators_of(response, entry.updated)
        if response.status == 304:
            yield PageItem(url, 304, "", fallback, validators)
            return
        html, problem = decode_page(response)
        if html is None:
            self.tally.fail(f"{url}: {problem}")
            return
        if problem:
            self.tally.note(f"{url}: {problem}")
        yield PageItem(url, response.status, html, fallback, validators, capture_of(response))

    def on_error(self, failure: Failure) -> None:
        request = getattr(failure, "request", None)
        url = request.url if request is not None else self.source.url
        message = describe_failure(failure)
        if message is None:  # e.g. forbidden by robots.txt: not a failure
            self.tally.bump("unchanged")
            return
        self.tally.fail(f"{url}: {message}")
