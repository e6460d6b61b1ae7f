"""Turn Scrapy/Twisted failures into one plain sentence for a source's last error."""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import (
    ConnectionLost,
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from crawler.download import HeadersTooLarge
from crawler.resolver import refusal_for
from crawler.safety import UnsafeRequest


def describe_failure(failure: Failure) -> str | None:
    """A short reason, or None when the request was skipped on purpose (robots.txt)."""
    exc = failure.value
    if isinstance(exc, (UnsafeRequest, HeadersTooLarge)):
        return str(exc)
    if isinstance(exc, HttpError):
        status = exc.response.status
        location = exc.response.headers.get("Location")
        if 300 <= status < 400 and location:
            target = location.decode("latin-1")[:200]
            return (f"refused redirect to {target!r}: only http and https redirects are "
                    "followed")
        hint = " (rate limited)" if status == 429 else " (server error)" if status >= 500 else ""
        return f"HTTP {status}{hint}"
    if isinstance(exc, IgnoreRequest):
        text = str(exc)
        if "robots.txt" in text:
            return None
        if "redirect" in text:
            return "too many redirects (redirect loop or chain over the limit)"
        if "max size" in text or "larger than" in text:
            return f"response too large: {text}"
        return text or "request ignored"
    if isinstance(exc, (TimeoutError, TCPTimedOutError, DownloadTimeoutError)):
        return f"timed out: {exc}"
    if isinstance(exc, DownloadCancelledError):
        return f"download cancelled (size or time limit): {exc}"
    if isinstance(exc, (DNSLookupError, CannotResolveHostError)):
        request = getattr(failure, "request", None)
        refused = refusal_for(urlsplit(request.url).hostname if request is not None else None)
        if refused is not None:
            return f"refused {request.url[:200]}: {refused}"
        return f"cannot resolve the host: {exc}"
    if isinstance(exc, (ConnectionRefusedError, DownloadConnectionRefusedError)):
        return "connection refused"
    if isinstance(exc, (ResponseFailed, ResponseNeverReceived, ConnectionLost,
                        ResponseDataLossError)):
        return "connection lost before the response was complete (reset by the server)"
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
