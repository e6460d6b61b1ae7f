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

from crawler.fetching.download import HeadersTooLarge
from crawler.fetching.resolver import refusal_for
from crawler.fetching.robots import HostUnreachable
from crawler.fetching.safety import UnsafeRequest


def _host(failure: Failure) -> str:
    request = getattr(failure, "request", None)
    return (urlsplit(request.url).hostname or "the host") if request is not None else "the host"


def host_unreachable_reason(exc: BaseException, host: str) -> str | None:
    """Plain words for a failure that concerns the whole host (DNS, refused)."""
    if isinstance(exc, (DNSLookupError, CannotResolveHostError)):
        return f"cannot find {host}: the name does not resolve (DNS)"
    if isinstance(exc, (ConnectionRefusedError, DownloadConnectionRefusedError)):
        return f"{host}: connection refused (nothing listens on that port)"
    return None


def _tls_problem(exc: BaseException) -> str | None:
    """The OpenSSL reason inside a Twisted response failure, if that was the cause."""
    reasons = getattr(exc, "reasons", None) or []
    for reason in reasons:
        value = getattr(reason, "value", reason)
        if type(value).__module__.startswith("OpenSSL"):
            args = getattr(value, "args", ())
            detail = args[0][0][-1] if args and args[0] and isinstance(args[0], list) \
                and isinstance(args[0][0], tuple) else str(value)
            return str(detail) or "certificate or protocol error"
    return None


def describe_failure(failure: Failure) -> str | None:
    """A short reason, or None when the request was skipped on purpose (robots.txt)."""
    exc = failure.value
    if isinstance(exc, HostUnreachable):
        # The resolver refused the host's addresses (rebinding, metadata): say so.
        refused = refusal_for(exc.host)
        if refused is not None:
            return f"refused {exc.host}: {refused}"
        reason = host_unreachable_reason(exc.cause, exc.host)
        return reason or f"{exc.host} could not be reached"
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
    reason = host_unreachable_reason(exc, _host(failure))
    if reason is not None:
        return reason
    tls = _tls_problem(exc)
    if tls is not None:
        return f"TLS handshake with {_host(failure)} failed ({tls})"
    if isinstance(exc, (ResponseFailed, ResponseNeverReceived, ConnectionLost,
                        ResponseDataLossError)):
        return "connection lost before the response was complete (reset by the server)"
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
