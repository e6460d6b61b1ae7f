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
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.table import Table

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
    if isinstance(value, (dt.datetime, dt.date)):
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
    return Console(highlight=False, soft_wrap=False)


def stderr_console() -> Console:
    return Console(stderr=True, highlight=False)


def print_table(
    title: str | None,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    console: Console | None = None,
) -> None:
    table = Table(title=title, show_lines=False)
    for col in columns:
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    (console or stdout_console()).print(table)


def json_option(func: F) -> F:
    """The shared `--json` flag (JSON Lines on stdout, nothing else)."""
    return click.option("--json", "as_json", is_flag=True, help="Print JSON Lines.")(func)


def handles_errors(func: F) -> F:
    """Turn the project's typed errors into one clear message and exit status."""
    from sqlalchemy.exc import OperationalError

    from store.config import ConfigError
    from store.db import StoreError
    from store.urls import UrlError

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (ConfigError, UrlError) as exc:
            raise CliUsageError(str(exc)) from None
        except StoreError as exc:
            raise CliFailure(str(exc)) from None
        except OperationalError as exc:
            # The database is unreachable, locked for too long or out of space.
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            if re.search(r"disk is full|disk I/O error|No space left", reason, re.IGNORECASE):
                raise CliFailure(
                    f"the database could not be written ({reason}): its disk is probably "
                    "full; free some space and run the command again (nothing was lost)"
                ) from None
            raise CliFailure(
                f"the database could not be used ({reason}); check [store] url in the config "
                "and that the server is running"
            ) from None

    return wrapper  # type: ignore[return-value]
