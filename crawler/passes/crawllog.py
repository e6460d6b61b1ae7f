"""How a crawl pass logs: one line per problem, tracebacks only when debugging.

Every fetch failure already reaches the source's summary as one sentence
(`crawler.fetching.errors.describe_failure`), so Scrapy's own records of the same
failure ("Error downloading ...", "Gave up retrying ...") only repeat it,
with a Twisted traceback. Without `--debug` they are dropped, and any other
record loses its traceback but keeps the exception's message.
"""

from __future__ import annotations

import logging
import os

DEBUG_ENV = "COMPOUNDWATCH_DEBUG"

# Scrapy records that repeat a failure the source's summary reports.
REPEATED_FAILURES = ("Error downloading", "Gave up retrying", "Retrying <")


def debug_requested() -> bool:
    """`compoundwatch --debug` sets the variable, so crawl children see it too."""
    return os.environ.get(DEBUG_ENV, "").lower() in ("1", "true", "yes")


class OneLinePerProblem(logging.Filter):
    """Drop repeated failure records and fold tracebacks into one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("scrapy") and record.levelno >= logging.INFO:
            text = str(record.msg)
            if text.startswith(REPEATED_FAILURES):
                return False
        if record.exc_info:
            exc = record.exc_info[1]
            if exc is not None:
                record.msg = f"{record.getMessage()} ({type(exc).__name__}: {exc})"
                record.args = None
            record.exc_info = None
            record.exc_text = None
        record.stack_info = None
        return True


def quiet_scrapy_logging(debug: bool) -> None:
    """Put the filter on the handler Scrapy installed, unless debugging."""
    from scrapy.utils.log import get_scrapy_root_handler

    handler = get_scrapy_root_handler()
    if handler is None or debug:
        return
    if not any(isinstance(f, OneLinePerProblem) for f in handler.filters):
        handler.addFilter(OneLinePerProblem())
