"""The `compoundwatch` command line: a thin layer over functions that return data.

Each command lives in a module of this package and is registered below.
The configuration is loaded once, lazily, so `--help` needs no config file.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass, field
from typing import Any

import click
from sqlalchemy import Engine

from crawler.cli.output import CliFailure, CliUsageError
from crawler.crawllog import DEBUG_ENV
from store.config import Config, ConfigError, load_config
from store.db import StoreError, has_schema, make_engine, sqlite_has_schema, sqlite_path

NO_DATABASE = "no database yet: run `compoundwatch init` first (it creates it from the config)."

# Modules whose `register(main)` adds their commands, in help order.
COMMAND_MODULES = (
    "crawler.cli.setup",
    "crawler.cli.sources",
    "crawler.cli.check",
    "crawler.cli.analysis",
    "crawler.cli.figures",
    "crawler.cli.crawl",
    "crawler.cli.daemon",
    "crawler.cli.demo",
    "crawler.cli.delivery",
    "crawler.cli.cluster",
    "crawler.cli.web",
    "crawler.cli.evidence",
)


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

    try:
        return has_schema(engine)
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise CliFailure(f"cannot use the database ({reason}); check [store] url in "
                         "the config and that the server is running") from None


pass_app = click.make_pass_decorator(AppContext)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Config file (default: $COMPOUNDWATCH_CONFIG, then ./config.toml).",
)
@click.option("--debug", is_flag=True,
              help="Show library tracebacks and debug logs (crawls and the daemon).")
@click.version_option(package_name="compoundwatch")
@click.pass_context
def main(ctx: click.Context, config_path: str | None, debug: bool = False) -> None:
    """compoundwatch: watch the news for a story and alert when its figures change."""
    if debug:
        # Read by crawl passes, including the daemon's crawl children.
        os.environ[DEBUG_ENV] = "1"
    app = AppContext(config_path=config_path, debug=debug)
    ctx.obj = app
    ctx.call_on_close(app.close)


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(main)
