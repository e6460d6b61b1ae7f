"""The `compoundwatch` command line: a thin layer over functions that return data.

Each command lives in a module of this package and is registered below.
The configuration is loaded once, lazily, so `--help` needs no config file.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any

import click
from sqlalchemy import Engine

from crawler.cli.output import CliFailure, CliUsageError
from store.config import Config, ConfigError, load_config
from store.db import StoreError, make_engine

# Modules whose `register(main)` adds their commands, in help order.
COMMAND_MODULES = (
    "crawler.cli.setup",
    "crawler.cli.sources",
    "crawler.cli.analysis",
    "crawler.cli.crawl",
    "crawler.cli.daemon",
    "crawler.cli.demo",
    "crawler.cli.delivery",
    "crawler.cli.cluster",
    "crawler.cli.evidence",
)


@dataclass
class AppContext:
    """What every command needs: the resolved config and the database engine."""

    config_path: str | None
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
        if self._engine is None:
            try:
                self._engine = make_engine(self.config.database_url)
            except StoreError as exc:
                raise CliFailure(str(exc)) from None
        return self._engine

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


pass_app = click.make_pass_decorator(AppContext)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Config file (default: $COMPOUNDWATCH_CONFIG, then ./config.toml).",
)
@click.version_option(package_name="compoundwatch")
@click.pass_context
def main(ctx: click.Context, config_path: str | None) -> None:
    """compoundwatch: watch the news for a story and alert when its figures change."""
    app = AppContext(config_path=config_path)
    ctx.obj = app
    ctx.call_on_close(app.close)


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(main)
