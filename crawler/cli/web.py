"""`compoundwatch serve`: the web view for the newsroom."""

from __future__ import annotations

import click

from crawler.cli.context import AppContext, pass_app
from crawler.cli.output import CliFailure, CliUsageError, handles_errors


@click.command()
@click.option("--host", default=None,
              help="Address to bind (default: [web] host, 127.0.0.1). Anything but loopback "
                   "needs [web] password_env or token_env.")
@click.option("--port", type=click.IntRange(1, 65535), default=None,
              help="Port (default: [web] port, 8080).")
@pass_app
@handles_errors
def serve(app: AppContext, host: str | None, port: int | None) -> None:
    """Serve alerts, figures, raids, articles and sources as web pages."""
    import os

    from crawler.web.access import AccessError, resolve_access
    from crawler.web.server import ServeError
    from crawler.web.server import serve as run_server
    from store.db import upgrade

    config = app.config
    try:  # a bind that needs a password is refused before the database is looked at
        resolve_access(config.web, host or config.web.host, os.environ)
    except AccessError as exc:
        raise CliUsageError(str(exc)) from None
    upgrade(app.engine)  # the view needs the search index and the feedback table
    try:
        run_server(config, host or config.web.host, port or config.web.port,
                   announce=lambda line: click.echo(line))
    except ServeError as exc:
        message = str(exc)
        if "loopback" in message or "environment variable" in message:
            raise CliUsageError(message) from None
        raise CliFailure(message) from None
