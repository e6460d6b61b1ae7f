"""The ranges numeric config values must lie in.

TOML has `nan` and `inf`, and nothing stops a negative timeout or an interval
of ten million days: `crawl_timeout_seconds = nan` made every crawl a
traceback, `inf` removed the pass's time limit, `lease_seconds = nan`
crashed the daemon, and an `every` of 10^7 days overflowed the scheduler.
Every number is finite (checked on loading); the keys below are also
bounded, and an interval is at most `MAX_INTERVAL_SECONDS`.
"""

from __future__ import annotations

from typing import Any

DAY = 86_400.0
# Longest interval accepted (`every`, `outbox_every`, ...): a year and a day.
MAX_INTERVAL_SECONDS = 366 * 86_400

# dotted key -> (lowest, highest) accepted, both inclusive.
BOUNDS: dict[str, tuple[float, float]] = {
    "crawl.download_delay": (0.0, 3600.0),
    "crawl.timeout_seconds": (0.1, 3600.0),
    "crawl.crawl_timeout_seconds": (1.0, 7 * DAY),
    "crawl.extraction_timeout_seconds": (0.1, 3600.0),
    "crawl.max_redirects": (0, 100),
    "crawl.retries": (0, 100),
    "crawl.listing_depth": (1, 1000),
    "crawl.extraction_workers": (0, 256),
    "relevance.threshold": (0.0, 1.0),
    "email.port": (1, 65535),
    "email.timeout_seconds": (0.1, 3600.0),
    "email.max_attempts": (1, 1000),
    "email.backoff_seconds": (0.0, 30 * DAY),
    "email.max_backoff_seconds": (0.0, 30 * DAY),
    "email.claim_timeout_seconds": (1.0, 30 * DAY),
    "digest.stale_days": (1, 3650),
    "digest.catch_up_days": (0, 3650),
    "daemon.jitter_seconds": (0.0, DAY),
    "daemon.lease_seconds": (3.0, DAY),
    "daemon.crawl_workers": (1, 64),
    "cluster.claim_timeout_seconds": (1.0, DAY),
}


def _get(cfg: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        cfg = getattr(cfg, part)
    return cfg


def _fmt(x: float) -> str:
    return f"{x:,.10g}"


def bound_problems(cfg: Any) -> list[str]:
    """One message per value out of its range: "key: expected ..., got ..."."""
    out = []
    for key, (low, high) in BOUNDS.items():
        value = _get(cfg, key)
        if not low <= value <= high:
            out.append(f"{key}: expected a number from {_fmt(low)} to {_fmt(high)}, "
                       f"got {value!r}")
    return out
