"""`compoundwatch init`: create or upgrade the database and add the config's sources."""

from __future__ import annotations

import click

from crawler.cli.context import AppContext, pass_app
from crawler.cli.lazy import import_object
from crawler.cli.output import handles_errors, stderr_console

# Further steps of `init`, in order, as "module:function(app)": imported when init runs.
INIT_STEPS = ("crawler.cli.analysis:init_read_seeds",)


@click.command()
@pass_app
@handles_errors
def init(app: AppContext) -> None:
    """Create or upgrade the database, add the config's sources, read the seeds."""
    from store.db import session_scope, upgrade
    from store.sources import sync_config_sources

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
        import_object(step)(app)
