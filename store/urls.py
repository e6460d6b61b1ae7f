"""URL checks shared by the CLI, the config and the crawler."""

from __future__ import annotations

import ipaddress
import re
import socket
from urllib.parse import urlsplit


class UrlError(ValueError):
    """A URL that compoundwatch will not fetch; the message says why."""


ALLOWED_SCHEMES = ("http", "https")
# The longest URL stored: the `String(2048)` of every URL column (PostgreSQL
# refuses longer values; SQLite would store them). Checked before storing.
MAX_URL_LENGTH = 2048


def check_http_url(url: str) -> str:
    """Return the URL if it is an absolute http(s) URL with a host, else raise UrlError."""
    if not isinstance(url, str) or not url.strip():
        raise UrlError("the URL is empty")
    if len(url.strip()) > MAX_URL_LENGTH:
        raise UrlError(f"the URL is {len(url.strip()):,} characters long (at most "
                       f"{MAX_URL_LENGTH:,} are stored)")
    if any(ord(c) < 0x21 for c in url.strip()):
        raise UrlError(f"{url!r} contains spaces or control characters")
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise UrlError(f"{url!r} is not an http or https URL")
    try:
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise UrlError(f"{url!r} has a bad host or port") from None
    if not host:
        raise UrlError(f"{url!r} has no host")
    return url.strip()


# --- Addresses: which hosts may be fetched (the crawler and `seed add` both use these) ---

_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_EXTRA_BLOCKED = (
    ipaddress.ip_network("0.0.0.0/8"),
    ipaddress.ip_network("192.0.0.0/24"),
    ipaddress.ip_network("198.18.0.0/15"),
    ipaddress.ip_network("64:ff9b::/96"),
)

# Cloud metadata services: never a news source, refused even when private
# addresses are allowed (a redirect there is the classic SSRF). AWS/GCP/Azure
# IMDS, AWS over IPv6, Alibaba, AWS ECS task metadata, Oracle Cloud, Azure's
# wire server.
ALWAYS_BLOCKED = frozenset(
    ipaddress.ip_address(a) for a in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200",
                                      "169.254.170.2", "192.0.0.192", "168.63.129.16")
)

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

# Host spellings inet_aton reads as IPv4 (decimal, hex, octal, short forms).
_NUMERIC_HOST = re.compile(r"[0-9a-fA-FxX.]+")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def numeric_host(host: str) -> Address | None:
    """The address a host names without any DNS lookup: a literal in any
    spelling the resolver accepts (`2852039166`, `0xa9fea9fe`,
    `0251.0376.0251.0376`, `169.254.43518`, `[::ffff:…]`), else None."""
    host = host.strip("[]").split("%")[0]
    try:
        return unwrap(ipaddress.ip_address(host))
    except ValueError:
        pass
    if not _NUMERIC_HOST.fullmatch(host):
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def embedded_ipv4(ip: Address) -> list[Address]:
    """The address itself and every IPv4 address an IPv6 one carries (mapped,
    compatible, NAT64, 6to4, Teredo): each leads to that IPv4 host."""
    out: list[Address] = [unwrap(ip)]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in _NAT64 or (ip in _IPV4_COMPATIBLE and int(ip) > 0xFFFF):
            out.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        if ip.sixtofour is not None:
            out.append(ip.sixtofour)
        if ip.teredo is not None:
            out.append(ip.teredo[1])
    return out


def is_metadata_address(ip: Address) -> bool:
    """Whether the address reaches a cloud metadata service, however written."""
    return any(a in ALWAYS_BLOCKED for a in embedded_ipv4(ip))


def unwrap(address: Address) -> Address:
    """The IPv4 address inside an IPv4-mapped IPv6 address."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def forbidden_reason(address: str | Address) -> str | None:
    """Why an address must not be fetched (private, loopback, ...), or None if public."""
    try:
        ip = unwrap(ipaddress.ip_address(str(address).split("%")[0]))
    except ValueError:
        return f"{address!r} is not an IP address"
    checks = (
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("unspecified", ip.is_unspecified),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
        ("shared (CGNAT)", isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT),
        ("special-purpose", any(ip.version == n.version and ip in n for n in _EXTRA_BLOCKED)),
    )
    for name, hit in checks:
        if hit:
            return f"{ip} is a {name} address"
    return None


def address_refusal(address: str | Address, allow_private: bool) -> str | None:
    """Why this address may not be reached under the config, or None.

    Cloud metadata addresses are refused always; the rest of `forbidden_reason`
    unless private addresses are allowed (tests, the demo)."""
    try:
        ip = unwrap(ipaddress.ip_address(str(address).split("%")[0]))
    except ValueError:
        return f"{address!r} is not an IP address"
    if is_metadata_address(ip):
        return f"{ip} is a cloud metadata address"
    return None if allow_private else forbidden_reason(ip)


DEFAULT_PORTS = {"http": 80, "https": 443}


def normalise_url(url: str) -> str:
    """One spelling per address, so a duplicate is recognised: scheme and host in
    lower case, no default port, no fragment, '/' for an empty path."""
    from urllib.parse import urlunsplit

    parts = urlsplit(check_http_url(url))
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    port = parts.port
    netloc = host if port is None or port == DEFAULT_PORTS.get(scheme) else f"{host}:{port}"
    if parts.username is not None:
        auth = parts.username + (f":{parts.password}" if parts.password is not None else "")
        netloc = f"{auth}@{netloc}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def host_refusal(url: str, allow_private: bool) -> str | None:
    """Why the URL's host may not be fetched under the config (a private,
    loopback, link-local or metadata address, given or resolved), or None.

    A name that does not resolve now is not refused here: the crawl reports it."""
    import socket

    host = urlsplit(url).hostname or ""
    try:
        addresses = [host] if _is_ip(host) else sorted({
            str(info[4][0]) for info in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)})
    except (OSError, UnicodeError):
        return None
    for address in addresses:
        reason = address_refusal(address, allow_private)
        if reason is not None:
            return reason
    return None


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return False
    return True
