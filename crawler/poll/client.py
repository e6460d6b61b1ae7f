"""A conditional GET under the crawler's rules, without Scrapy.

http and https only; every hop's host resolved and refused under the same
address rules as the crawler (`store.urls.address_refusal`), and the address
actually connected to checked again; redirects followed up to the limit,
each hop checked; the body capped in bytes and the whole exchange in time;
identity encoding only (no decompression bomb to bound). A 304 costs one
request and no body.
"""

from __future__ import annotations

import http.client
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from alerts.safe_fetch import (
    FetchRefused,
    connect_checked,
    open_connection,
    port_of,
    read_bounded,
    request_target,
    time_left,
)
from store.urls import UrlError, check_http_url

REDIRECTS = (301, 302, 303, 307, 308)


@dataclass(frozen=True)
class PollLimits:
    allow_private: bool = False
    timeout: float = 30.0
    max_bytes: int = 10_000_000
    max_redirects: int = 5
    user_agent: str = "compoundwatch/0.1"


@dataclass(frozen=True)
class Answer:
    """One document's answer: status, headers (lower-case names), body, final URL."""

    url: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    hops: int = 1

    @property
    def etag(self) -> str | None:
        return (self.headers.get("etag") or None) and self.headers["etag"][:500]

    @property
    def last_modified(self) -> str | None:
        return (self.headers.get("last-modified") or None) and self.headers["last-modified"][:500]


def conditional_get(url: str, limits: PollLimits, etag: str | None = None,
                    last_modified: str | None = None) -> Answer:
    """GET `url` with the validators given; any status is returned, errors raise FetchRefused.

    Validators go with the first hop only: after a redirect they describe
    another URL. Hosts are checked on every hop (`check_host`, then the peer).
    """
    deadline = time.monotonic() + limits.timeout
    headers = {"User-Agent": limits.user_agent, "Accept": "*/*",
               "Accept-Encoding": "identity"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    for hop in range(limits.max_redirects + 1):
        try:
            url = check_http_url(url)
        except UrlError as exc:
            raise FetchRefused(str(exc)) from None
        answer = _exchange(url, headers, limits, deadline)
        location = answer.headers.get("location")
        if answer.status not in REDIRECTS:
            return Answer(answer.url, answer.status, answer.headers, answer.body, hop + 1)
        if not location:
            raise FetchRefused(f"{url[:200]} redirects nowhere")
        url = urljoin(url, location)
        headers.pop("If-None-Match", None)
        headers.pop("If-Modified-Since", None)
    raise FetchRefused(f"more than {limits.max_redirects} redirects from {url[:200]}")


def _exchange(url: str, headers: dict[str, str], limits: PollLimits, deadline: float) -> Answer:
    parts = urlsplit(url)
    conn = open_connection(parts.scheme, parts.hostname or "",
                           port_of(parts),
                           time_left(deadline, url), limits.allow_private)
    try:
        try:
            connect_checked(conn, url, limits.allow_private)
            conn.request("GET", request_target(parts), headers=headers)
            response = conn.getresponse()
            got = {k.lower(): v for k, v in response.getheaders()}
            body = b""
            if response.status not in REDIRECTS and response.status != 304 \
                    and response.status < 400:
                body = read_bounded(response, limits.max_bytes, deadline, url)
            return Answer(url, response.status, got, body)
        except (OSError, http.client.HTTPException) as exc:
            raise FetchRefused(f"could not fetch {url[:200]}: {exc}") from None
    finally:
        conn.close()
