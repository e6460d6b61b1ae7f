"""Structured log lines for the daemon: `key=value` pairs, one event per line.

Why not free text: an operator greps `source=wire phase=crawl` or feeds the
journal into a log shipper; every line carries the event, the source (when
there is one), the phase of work and its counts.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import sys
from typing import Any

LOGGER_NAME = "compoundwatch.daemon"
_BARE = re.compile(r"^[A-Za-z0-9_.:/@+-]+$")

log = logging.getLogger(LOGGER_NAME)


def _value(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    text = str(value).replace("\n", " ").strip()
    if text and _BARE.match(text):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"')[:500] + '"'


def format_event(event: str, **fields: Any) -> str:
    """`event=NAME k=v ...`, quoting values that hold spaces or quotes."""
    parts = [f"event={_value(event)}"]
    parts.extend(f"{k}={_value(v)}" for k, v in fields.items())
    return " ".join(parts)


def emit(event: str, level: int = logging.INFO, **fields: Any) -> None:
    """Log one structured event."""
    log.log(level, format_event(event, **fields))


class _Formatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        ts = dt.datetime.fromtimestamp(record.created, dt.UTC)
        head = f"ts={ts:%Y-%m-%dT%H:%M:%S.%f}"[:-3] + f"Z level={record.levelname.lower()}"
        msg = record.getMessage()
        if not msg.startswith("event="):
            # Library messages (APScheduler, SQLAlchemy) become quoted events too.
            msg = format_event("library", logger=record.name, message=msg)
        line = f"{head} {msg}"
        if record.exc_info:
            line += " error=" + _value(self.formatException(record.exc_info))
        return line


class _SkipOverlapNotices(logging.Filter):
    """Drop APScheduler's "maximum number of running instances" warning.

    A crawl longer than its source's interval is the normal case that
    `max_instances=1` exists for; the crawl's own log line tells its length.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return "maximum number of running instances" not in record.getMessage()


def configure(level: int = logging.INFO) -> None:
    """Send the daemon's and APScheduler's records to stderr as key=value lines."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    log.setLevel(level)
    # APScheduler's own INFO lines ("Added job", "Running job") are noise here;
    # its warnings (missed runs, skipped overlapping runs) are worth keeping.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("apscheduler.scheduler").addFilter(_SkipOverlapNotices())
