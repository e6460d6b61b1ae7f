"""`compoundwatch init`: create or upgrade the database and add the config's sources."""

from __future__ import annotations

import click

from crawler.cli import AppContext, pass_app
from crawler.cli.output import handles_errors, stderr_console
from store.db import session_scope, upgrade
from store.sources import sync_config_sources


@click.command()
@pass_app
@handles_errors
def init(app: AppContext) -> None:
    """Create or upgrade the database, add the config's sources, read the seeds."""
    console = stderr_console()
    engine = app.open_engine(require_schema=False)
    upgrade(engine)
    with session_scope(engine) as session:
        result = sync_config_sources(session, app.config.sources)
    console.print(
        f"Database ready. Sources from the config: {len(result.added)} added, "
        f"{len(result.kept)} already known."
    )
    for step in INIT_STEPS:
        step(app)


# Further steps of `init` (reading the seed articles, ...) appended by other modules.
INIT_STEPS: list = []


def register(main: click.Group) -> None:
    main.add_command(init)
