"""Shared output and error handling for the command line.

Commands return data; these helpers print it as a rich table on a terminal
or as JSON Lines with `--json` (and nothing else on stdout).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:  # rich is imported when something is printed, not to show `--help`
    from rich.console import Console

F = TypeVar("F", bound=Callable[..., Any])

# Exit statuses of the contract: 2 bad usage or configuration, 1 failure.
EXIT_USAGE = 2
EXIT_FAILURE = 1


class CliUsageError(click.ClickException):
    """Bad usage or configuration: one or two plain sentences, exit status 2."""

    exit_code = EXIT_USAGE

    def show(self, file: Any = None) -> None:
        click.echo(f"Error: {self.message}", err=True)


class CliFailure(click.ClickException):
    """A failure while doing the work: exit status 1."""

    exit_code = EXIT_FAILURE

    def show(self, file: Any = None) -> None:
        click.echo(f"Error: {self.message}", err=True)


def json_default(value: Any) -> Any:
    from store.types import rfc3339

    if isinstance(value, dt.datetime):
        return rfc3339(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


def print_jsonl(rows: Iterable[Mapping[str, Any]]) -> None:
    """One JSON object per line on stdout."""
    out = sys.stdout
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False, default=json_default) + "\n")
    out.flush()


def stdout_console() -> Console:
    from rich.console import Console

    # Not a terminal (a pipe, a test): 80 columns, the width tables are made to fit.
    return Console(highlight=False, soft_wrap=False,
                   width=None if sys.stdout.isatty() else 80)


def stderr_console() -> Console:
    from rich.console import Console

    # Messages are plain sentences: never wrapped mid-line, "[seed]" is not markup.
    return Console(stderr=True, highlight=False, markup=False, soft_wrap=True)


# Words longer than this may still be folded (a URL in a narrow column).
MAX_UNBROKEN_WORD = 28


def longest_word(values: Iterable[str]) -> int:
    """The widest word among the cells: a column narrower than it would break it."""
    return max((len(word) for v in values for word in v.split()), default=0)


def print_table(
    title: str | None,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    console: Console | None = None,
) -> None:
    """A table that fits the terminal (80 columns when not a terminal) and
    wraps cells between words: each column is at least as wide as its
    longest word (up to MAX_UNBROKEN_WORD)."""
    console = console or stdout_console()
    cells = [["" if v is None else str(v) for v in row] for row in rows]
    columns_cells = [[col, *(row[i] for row in cells)] for i, col in enumerate(columns)]
    mins = [min(longest_word(c), MAX_UNBROKEN_WORD) for c in columns_cells]
    wants = [max((len(v) for v in c), default=0) for c in columns_cells]
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    for col, width in zip(columns, column_widths(mins, wants, console.width), strict=True):
        table.add_column(col, overflow="fold", width=width)
    for row in cells:
        table.add_row(*(escape(v) for v in row))  # a title's "[...]" is text, not markup
    console.print(table)


def column_widths(mins: Sequence[int], wants: Sequence[int], total: int) -> list[int]:
    """Content widths that fit `total` with the borders: every column its widest
    cell if all fit, else its longest word (shrinking the widest first) plus a
    share of what is left, to the columns that want most."""
    budget = total - (3 * len(mins) + 1)
    wants = [max(w, m, 1) for w, m in zip(wants, mins, strict=True)]
    if sum(wants) <= budget:
        return list(wants)
    out = [max(m, 1) for m in mins]
    while sum(out) > budget and max(out) > 4:
        out[out.index(max(out))] -= 1
    while sum(out) < budget:
        short = [(w - o) / w for o, w in zip(out, wants, strict=True)]
        if max(short) <= 0:
            break
        out[short.index(max(short))] += 1
    return out


def json_option(func: F) -> F:
    """The shared `--json` flag (JSON Lines on stdout, nothing else)."""
    return click.option("--json", "as_json", is_flag=True, help="Print JSON Lines.")(func)


def handles_errors(func: F) -> F:
    """Turn the project's typed errors into one clear message and exit status."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except click.ClickException:
            raise
        except Exception as exc:
            message = error_message(exc)
            if message is None:
                raise
            raise message from None

    return wrapper  # type: ignore[return-value]


def error_message(exc: Exception) -> click.ClickException | None:
    """The message and exit status for one of the project's typed errors (None:
    not one of them, let it through). The error types are imported here, when
    a command has failed, so that decorating a command imports nothing."""
    from sqlalchemy.exc import OperationalError

    from store.config import ConfigError
    from store.db import StoreError
    from store.urls import UrlError

    if isinstance(exc, (ConfigError, UrlError)):
        return CliUsageError(str(exc))
    if isinstance(exc, StoreError):
        return CliFailure(str(exc))
    if not isinstance(exc, OperationalError):
        return None
    # The database is unreachable, locked for too long or out of space.
    reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
    if re.search(r"disk is full|disk I/O error|No space left", reason, re.IGNORECASE):
        return CliFailure(
            f"the database could not be written ({reason}): its disk is probably "
            "full; free some space and run the command again (nothing was lost)")
    return CliFailure(
        f"the database could not be used ({reason}); check [store] url in the config "
        "and that the server is running")


def require_extra(command: str, extra: str, modules: Sequence[str]) -> None:
    """Fail with the pip command to run when an optional extra is not installed.

    Imported here rather than where used so the message replaces a
    ModuleNotFoundError traceback from deep inside the command."""
    import importlib

    for module in modules:
        try:
            importlib.import_module(module)
        except ImportError:
            raise CliUsageError(
                f"`compoundwatch {command}` needs the optional '{extra}' extra "
                f"({', '.join(modules)}), which is not installed: "
                f"pip install 'compoundwatch[{extra}]'") from None
