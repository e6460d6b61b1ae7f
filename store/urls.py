"""URL checks shared by the CLI, the config and the crawler."""

from __future__ import annotations

from urllib.parse import urlsplit


class UrlError(ValueError):
    """A URL that compoundwatch will not fetch; the message says why."""


ALLOWED_SCHEMES = ("http", "https")


def check_http_url(url: str) -> str:
    """Return the URL if it is an absolute http(s) URL with a host, else raise UrlError."""
    if not isinstance(url, str) or not url.strip():
        raise UrlError("the URL is empty")
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
