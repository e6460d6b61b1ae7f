"""What every command is handed: the resolved config and the database engine.

A module of its own so that command modules import it without importing
the group (`crawler.cli`), which names them: no import runs back up.
Both are built on first use, so `--help` reads no config and opens no
database, and nothing heavier than click is imported to show it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import click

from crawler.cli.output import CliFailure, CliUsageError, handles_errors, json_option

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from store.config import Config

NO_DATABASE = "no database yet: run `compoundwatch init` first (it creates it from the config)."


@dataclass
class AppContext:
    """What every command needs: the resolved config and the database engine."""

    config_path: str | None
    debug: bool = False
    _config: Config | None = None
    _engine: Engine | None = None
    overrides: dict[str, Any] = field(default_factory=dict)

    @property
    def config(self) -> Config:
        if self._config is None:
            from store.config import ConfigError, load_config

            try:
                self._config = load_config(self.config_path)
            except ConfigError as exc:
                raise CliUsageError(str(exc)) from None
        return self._config

    @property
    def engine(self) -> Engine:
        """The database engine; a database `init` has not created is an error
        that creates nothing (a SQLite file is only looked at, read-only)."""
        return self.open_engine(require_schema=True)

    def open_engine(self, *, require_schema: bool) -> Engine:
        if self._engine is None:
            from store.db import StoreError, make_engine, sqlite_has_schema, sqlite_path

            url = self.config.database_url
            path = sqlite_path(url)
            if require_schema and path is not None and not sqlite_has_schema(path):
                raise CliFailure(NO_DATABASE)
            try:
                engine = make_engine(url)
            except StoreError as exc:
                raise CliFailure(str(exc)) from None
            if require_schema and path is None and not _schema_present(engine):
                engine.dispose()
                raise CliFailure(NO_DATABASE)
            self._engine = engine
        return self._engine

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


def _schema_present(engine: Engine) -> bool:
    from sqlalchemy.exc import OperationalError

    from store.db import has_schema

    try:
        return has_schema(engine)
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise CliFailure(f"cannot use the database ({reason}); check [store] url in "
                         "the config and that the server is running") from None


pass_app = click.make_pass_decorator(AppContext)


def action_command(group: click.Group, name: str, argument: str, help_text: str,
                   run: Callable[[AppContext, str, str, bool], None],
                   action: str | None = None) -> click.Command:
    """Add `group name ARGUMENT [--json]`, which calls run(app, value, action, as_json).

    The sources' pause/resume/remove and the claims' mute/unmute/remove are
    the same command over another verb: one definition keeps their options,
    errors and output alike.
    """
    @handles_errors
    def command(app: AppContext, as_json: bool, **values: str) -> None:
        run(app, values[argument], action or name, as_json)

    decorated = pass_app(command)
    decorated = json_option(decorated)
    decorated = click.argument(argument)(decorated)
    return group.command(name, help=help_text)(decorated)
