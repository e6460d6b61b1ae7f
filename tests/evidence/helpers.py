"""Captures made here for the evidence tests: bodies that vary, real headers."""

from __future__ import annotations

import datetime as dt
import random

from store.archive import Capture

FETCHED = dt.datetime(2026, 12, 1, 7, 3, 12, 345678, tzinfo=dt.timezone.utc)


def page_body(n: int, size: int = 4000) -> bytes:
    """An HTML page whose bytes differ with `n` (random hex: it does not compress away)."""
    return (b"<html><body><p>" + random.Random(n).randbytes(size // 2).hex().encode()
            + b"</p></body></html>")


def capture(n: int, size: int = 4000, when: dt.datetime = FETCHED) -> Capture:
    return Capture(
        url=f"http://127.0.0.1:8000/news/{n}", status=200, reason="OK",
        response_headers=(("Content-Type", "text/html; charset=utf-8"),
                          ("Transfer-Encoding", "chunked"), ("ETag", f'"v{n}"')),
        body=page_body(n, size), fetched_at=when + dt.timedelta(seconds=n),
        request_headers=(("User-Agent", "compoundwatch-test"), ("Accept-Encoding", "gzip")))
