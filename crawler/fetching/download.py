"""The HTTP(S) download handler: Scrapy's HTTP/1.1 handler with the response
headers bounded.

`DOWNLOAD_MAXSIZE` bounds only the body. Twisted's response parser limits
each header line (16 KB) but not their number, nor continuation lines, so a
server streaming header lines grows one crawl by gigabytes within the
request timeout. Here the parser counts the bytes and lines of the status
line and headers and gives up past `DOWNLOAD_MAX_HEADER_BYTES` or
`DOWNLOAD_MAX_HEADER_LINES`; the request fails with `HeadersTooLarge` (not
retried: the same server would send the same headers).
"""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy.core.downloader.handlers.http11 import (
    HTTP11DownloadHandler,
    _LenientHTTP11ClientFactory,
    _LenientHTTP11ClientProtocol,
    _LenientHTTPClientParser,
)
from scrapy.crawler import Crawler
from scrapy.exceptions import DownloadFailedError, IgnoreRequest
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

DEFAULT_MAX_HEADER_BYTES = 256 * 1024
DEFAULT_MAX_HEADER_LINES = 500


class HeadersTooLarge(IgnoreRequest):
    """A response whose status line and headers went past the limits."""


class _HeaderLimitExceeded(Exception):
    """Raised inside the parser; becomes HeadersTooLarge for the spider."""


class _BoundedParser(_LenientHTTPClientParser):
    """Scrapy's lenient parser, counting what arrives before the body."""

    max_bytes = DEFAULT_MAX_HEADER_BYTES
    max_lines = DEFAULT_MAX_HEADER_LINES

    def lineReceived(self, line: bytes) -> None:  # noqa: N802 - Twisted API
        # Lines only arrive before the body (the parser reads the body raw).
        seen_bytes = getattr(self, "_cw_bytes", 0) + len(line) + 2
        seen_lines = getattr(self, "_cw_lines", 0) + 1
        self._cw_bytes, self._cw_lines = seen_bytes, seen_lines
        if seen_bytes > self.max_bytes:
            raise _HeaderLimitExceeded(
                f"response headers over {self.max_bytes:,} bytes (refused)")
        if seen_lines > self.max_lines:
            raise _HeaderLimitExceeded(
                f"response headers over {self.max_lines:,} lines (refused)")
        super().lineReceived(line)


class _BoundedProtocol(_LenientHTTP11ClientProtocol):
    parser_class: type[_BoundedParser] = _BoundedParser

    def request(self, request: Any) -> Any:
        d = super().request(request)
        # As Scrapy does for its lenient parser: HTTP11ClientProtocol.request()
        # hard-codes the parser class; the subclass adds no state it needs.
        assert self._parser is not None
        self._parser.__class__ = self.parser_class
        return d


def bounded_factory(max_bytes: int, max_lines: int) -> type[_LenientHTTP11ClientFactory]:
    """A client factory class whose protocols bound headers at these limits."""
    parser = type("BoundedParser", (_BoundedParser,),
                  {"max_bytes": max_bytes, "max_lines": max_lines})
    protocol = type("BoundedProtocol", (_BoundedProtocol,), {"parser_class": parser})

    class Factory(_LenientHTTP11ClientFactory):
        def buildProtocol(self, addr: Any) -> Any:  # noqa: N802 - Twisted API
            return protocol(self._quiescentCallback)

    return Factory


def _limit_reason(exc: BaseException) -> str | None:
    """The header-limit message inside a failed download, if that was the cause."""
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        e = todo.pop()
        if id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, _HeaderLimitExceeded):
            return str(e)
        for reason in getattr(e, "reasons", None) or ():
            if isinstance(reason, Failure):
                todo.append(reason.value)
        for nxt in (e.__cause__, e.__context__):
            if nxt is not None:
                todo.append(nxt)
    return None


class BoundedHTTPDownloadHandler(HTTP11DownloadHandler):
    """HTTP11DownloadHandler whose responses have bounded headers."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        max_bytes = crawler.settings.getint("DOWNLOAD_MAX_HEADER_BYTES",
                                            DEFAULT_MAX_HEADER_BYTES)
        max_lines = crawler.settings.getint("DOWNLOAD_MAX_HEADER_LINES",
                                            DEFAULT_MAX_HEADER_LINES)
        self._pool._factory = bounded_factory(max_bytes, max_lines)

    async def close(self) -> None:
        """Close the pooled connections, giving up after `_disconnect_timeout`
        as Scrapy does, without its race: Scrapy's timer calls the deferred
        back unconditionally and cancels itself only once the awaiting
        coroutine resumes, so on a loaded machine a close that finished just
        before the timer fired raised AlreadyCalledError in the reactor
        (a CRITICAL line and a traceback at the end of the crawl)."""
        from twisted.internet import reactor

        closed: Deferred[None] = self._pool.closeCachedConnections()

        def give_up() -> None:
            if not closed.called:
                closed.callback(None)

        timer = reactor.callLater(self._disconnect_timeout, give_up)  # type: ignore[attr-defined]
        try:
            await maybe_deferred_to_future(closed)
        finally:
            if timer.active():
                timer.cancel()

    async def download_request(self, request: Request) -> Response:
        try:
            return await super().download_request(request)
        except DownloadFailedError as exc:
            reason = _limit_reason(exc)
            if reason is None:
                raise
            raise HeadersTooLarge(reason) from None
