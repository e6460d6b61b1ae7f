"""SSRF protection: which addresses and schemes the crawler may reach.

The address rules are pure; `SafetyMiddleware` applies them to every request
(redirect hops included, since redirects re-enter the downloader) after DNS
resolution, and again to the address a response actually came from.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import time
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from store.urls import (
    ALWAYS_BLOCKED,
    Address,
    forbidden_reason,
    is_metadata_address,
    numeric_host,
    unwrap,
)

ALLOWED_SCHEMES = frozenset({"http", "https"})
# The pure address rules live in store.urls (the seed reader uses them too).
__all__ = ["ALWAYS_BLOCKED", "Address", "DeadlineMiddleware", "SafetyMiddleware",
           "UnsafeRequest", "forbidden_reason", "scheme_reason", "unwrap"]


class UnsafeRequest(IgnoreRequest):
    """A request refused for safety (scheme or address); the message says why."""


def scheme_reason(url: str) -> str | None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        return f"refused {url[:200]!r}: only http and https URLs are fetched"
    return None


class SafetyMiddleware:
    """Downloader middleware: http(s) only; no private addresses unless allowed."""

    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SafetyMiddleware:
        return cls(crawler.settings.getbool("SAFETY_ALLOW_PRIVATE_ADDRESSES"))

    async def process_request(self, request: Request) -> None:
        reason = scheme_reason(request.url)
        if reason:
            raise UnsafeRequest(reason)
        host = urlsplit(request.url).hostname or ""
        if self.allow_private:
            return self._check_metadata(request, host)
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(
                host, None, type=socket.SOCK_STREAM
            )
        except OSError as exc:
            raise UnsafeRequest(f"cannot resolve {host!r}: {exc}") from None
        for info in infos:
            bad = forbidden_reason(info[4][0])
            if bad:
                raise UnsafeRequest(f"refused {request.url[:200]}: {host} resolves to {bad}")
        return None

    @staticmethod
    def _check_metadata(request: Request, host: str) -> None:
        # Any spelling the resolver reads as an address (2852039166,
        # 0xa9fea9fe, ...); names are checked at connect time by
        # crawler.fetching.resolver.SafeResolver, on the address actually used.
        ip = numeric_host(host)
        if ip is not None and is_metadata_address(ip):
            what = (f"{ip} is" if host.strip("[]") == str(ip)
                    else f"{host} reads as {ip},")
            raise UnsafeRequest(f"refused {request.url[:200]}: {what} a cloud metadata address")
        return

    def process_response(self, request: Request, response: Response) -> Response:
        if response.ip_address is None:
            return response
        ip = unwrap(ipaddress.ip_address(str(response.ip_address)))
        if is_metadata_address(ip):
            raise UnsafeRequest(f"refused {request.url[:200]}: connected to {ip}")
        if not self.allow_private:
            bad = forbidden_reason(ip)
            if bad:
                raise UnsafeRequest(f"refused {request.url[:200]}: connected to {bad}")
        return response


class DeadlineMiddleware:
    """Downloader middleware: no download outlives the pass's deadline.

    CLOSESPIDER_TIMEOUT alone waits for downloads in flight; capping each
    request's `download_timeout` at the time left makes the whole pass end
    on time even when a server answers slowly.
    """

    def __init__(self, deadline: float | None, default_timeout: float) -> None:
        self.deadline = deadline
        self.default_timeout = default_timeout

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DeadlineMiddleware:
        deadline = crawler.settings.getfloat("PASS_DEADLINE", 0.0) or None
        return cls(deadline, crawler.settings.getfloat("DOWNLOAD_TIMEOUT", 180.0))

    def process_request(self, request: Request) -> None:
        if self.deadline is None:
            return
        left = self.deadline - time.time()
        if left <= 0:
            raise IgnoreRequest("the pass hit its time limit before this request")
        current = request.meta.get("download_timeout", self.default_timeout)
        request.meta["download_timeout"] = max(0.1, min(current, left))
        return
