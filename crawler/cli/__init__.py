"""The `compoundwatch` command line: a thin layer over functions that return data.

Each command lives in a module of this package, named below and imported
only when it is looked up (`crawler.cli.lazy`), so `compoundwatch --help`
and `compoundwatch CMD --help` import click and the command modules, never
the crawler, the analysis or the database layer. The configuration and the
engine are built on first use (`crawler.cli.context`).
"""

from __future__ import annotations

import os

import click

from crawler.cli.context import NO_DATABASE, AppContext, pass_app
from crawler.cli.lazy import LazyGroup
from crawler.passes.crawllog import DEBUG_ENV

__all__ = ["COMMANDS", "NO_DATABASE", "AppContext", "main", "pass_app"]

# Every command of `compoundwatch`, as "module:attribute"; `--help` lists them by name.
COMMANDS = {
    "init": "crawler.cli.setup:init",
    "sources": "crawler.cli.sources:sources",
    "seed": "crawler.cli.analysis:seed_group",
    "claims": "crawler.cli.analysis:claims",
    "articles": "crawler.cli.analysis:articles",
    "alerts": "crawler.cli.analysis:alerts",
    "figures": "crawler.cli.figures:figures",
    "crawl": "crawler.cli.crawl:crawl",
    "run": "crawler.cli.daemon:run",
    "status": "crawler.cli.daemon:status",
    "demo": "crawler.cli.demo:demo",
    "digest": "crawler.cli.delivery:digest",
    "worker": "crawler.cli.cluster:worker",
    "serve": "crawler.cli.web:serve",
    "evidence": "crawler.cli.evidence:evidence_group",
}


@click.group(cls=LazyGroup, lazy=COMMANDS,
             context_settings={"help_option_names": ["-h", "--help"]})
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
