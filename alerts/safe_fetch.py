"""Fetching one URL outside the crawler (a seed article) under the crawler's rules.

http and https only; every hop's host resolved and refused if any of its
addresses is private, loopback, link-local... (`store.urls.address_refusal`,
unless private addresses are allowed); the address actually connected to is
checked again; redirects followed up to a limit, each hop checked; the body
capped in bytes and the whole fetch in time.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import SplitResult, urljoin, urlsplit

from store.urls import UrlError, address_refusal, check_http_url


class FetchRefused(Exception):
    """A URL that may not or could not be fetched; the message says why."""


@dataclass(frozen=True)
class FetchLimits:
    allow_private: bool = False
    timeout: float = 30.0  # the whole fetch, redirects included
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    user_agent: str = "compoundwatch/0.1"


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    body: bytes
    content_type: str


def check_host(host: str, port: int, allow_private: bool) -> None:
    """Refuse a host if any address it resolves to is refused."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise FetchRefused(f"cannot resolve {host!r}: {exc}") from None
    for info in infos:
        reason = address_refusal(str(info[4][0]), allow_private)
        if reason:
            raise FetchRefused(f"refused {host}: it resolves to {reason}")


def fetch(url: str, limits: FetchLimits) -> Fetched:
    """GET a URL under the limits; raises FetchRefused."""
    deadline = time.monotonic() + limits.timeout
    for _hop in range(limits.max_redirects + 1):
        try:
            url = check_http_url(url)
        except UrlError as exc:
            raise FetchRefused(str(exc)) from None
        parts = urlsplit(url)
        conn = open_connection(parts.scheme, parts.hostname or "", port_of(parts),
                               time_left(deadline, url), limits.allow_private)
        try:
            try:
                connect_checked(conn, url, limits.allow_private)
                conn.request("GET", request_target(parts),
                             headers={"User-Agent": limits.user_agent, "Accept": "*/*"})
                response = conn.getresponse()
                if response.status in (301, 302, 303, 307, 308):
                    location = response.getheader("Location")
                    if not location:
                        raise FetchRefused(f"{url[:200]} redirects nowhere")
                    url = urljoin(url, location)
                    continue
                if response.status >= 400:
                    raise FetchRefused(f"{url[:200]} answered HTTP {response.status}")
                body = read_bounded(response, limits.max_bytes, deadline, url)
                return Fetched(url, body, response.getheader("Content-Type") or "")
            except (OSError, http.client.HTTPException) as exc:
                raise FetchRefused(f"could not fetch {url[:200]}: {exc}") from None
        finally:
            conn.close()
    raise FetchRefused(f"more than {limits.max_redirects} redirects from {url[:200]}")


def port_of(parts: SplitResult) -> int:
    """The URL's port, or its scheme's."""
    return parts.port or (443 if parts.scheme == "https" else 80)


def request_target(parts: SplitResult) -> str:
    """The path and query a GET asks for."""
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def connect_checked(conn: http.client.HTTPConnection, url: str, allow_private: bool) -> None:
    """Connect, refusing a peer address the policy forbids (the name was
    checked before; the address actually reached is checked here, against
    DNS rebinding). Shared with the poll client."""
    conn.connect()
    peer = conn.sock.getpeername()[0] if conn.sock is not None else ""
    reason = address_refusal(peer, allow_private)
    if reason:
        raise FetchRefused(f"refused {url[:200]}: connected to {reason}")


def open_connection(scheme: str, host: str, port: int, timeout: float,
                    allow_private: bool | None = None) -> http.client.HTTPConnection:
    """A plain or TLS connection (certificates checked); shared with the poll
    client. With `allow_private` given, the host name is checked first."""
    if allow_private is not None:
        check_host(host, port, allow_private)
    if scheme == "https":
        return http.client.HTTPSConnection(host, port, timeout=timeout,
                                           context=ssl.create_default_context())
    return http.client.HTTPConnection(host, port, timeout=timeout)


def time_left(deadline: float, url: str) -> float:
    """Seconds left before `deadline`; FetchRefused once it has passed."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchRefused(f"{url[:200]}: the request took longer than its time limit")
    return left


def read_bounded(response: http.client.HTTPResponse, max_bytes: int, deadline: float,
                 url: str) -> bytes:
    """The body, refused past `max_bytes` (declared or read) or past the deadline."""
    length = response.getheader("Content-Length")
    if length and length.isdigit() and int(length) > max_bytes:
        raise FetchRefused(f"{url[:200]} is larger than {max_bytes:,} bytes")
    chunks: list[bytes] = []
    size = 0
    while True:
        time_left(deadline, url)  # each read is bounded by the socket timeout too
        chunk = response.read(65536)
        if not chunk:
            break
        size += len(chunk)
        if size > max_bytes:
            raise FetchRefused(f"{url[:200]} is larger than {max_bytes:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)
