"""`compoundwatch demo`: the offline demonstration (no network, nothing left running).

It does not read the user's config: the demo writes its own, next to its
own database, so trying it can never touch a real installation.
"""

from __future__ import annotations

from pathlib import Path

import click

from crawler.cli.output import CliFailure, CliUsageError, stdout_console


@click.command()
@click.option("--db", "db_url", default=None, metavar="URL",
              help="Database URL for the demo (default: a new SQLite file in the output folder).")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the demo's config, database, digest and mailbox "
                   "(new or empty; default: a new temporary folder).")
@click.option("--keep", is_flag=True,
              help="Keep the demo's news sites and mail sink running afterwards, until Ctrl-C.")
@click.option("--serve", "serve_after", is_flag=True,
              help="End by serving the demo's data in the web view (prints the URL; Ctrl-C "
                   "stops it). The demo's news sites and mail sink are stopped first.")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True,
              help="Port for --serve (another free one if it is taken).")
def demo(db_url: str | None, out: Path | None, keep: bool, serve_after: bool, port: int) -> None:
    """Play a bundled story through compoundwatch, offline, in a couple of minutes.

    Small news sites on loopback publish the story phase by phase; each phase
    is crawled, analysed and alerted on, and the alert emails land in a local
    mailbox folder. At the end the digest is written as an HTML file.
    """
    from crawler.demo.run import DemoError, run_demo
    from store.config import ConfigError
    from store.db import StoreError

    if keep and serve_after:
        raise CliUsageError("--keep and --serve cannot be combined: choose one.")
    if serve_after:
        from crawler.web.server import missing_dependency

        if problem := missing_dependency():
            raise CliFailure(problem)  # said before the demo runs, not after
    console = stdout_console()
    try:
        # It prints its tables and closing summary itself, before --keep waits.
        result = run_demo(out=out, db_url=db_url, keep=keep, console=console)
    except (DemoError, ConfigError, StoreError) as exc:
        raise CliFailure(str(exc)) from None
    if serve_after:
        serve_demo(result.config_path, port)


def serve_demo(config_path: Path, port: int) -> None:
    """Serve the finished demo's store on loopback until Ctrl-C."""
    from crawler.web.server import ServeError, serve
    from store.config import load_config

    try:
        serve(load_config(str(config_path)), "127.0.0.1", port, any_port_if_taken=True,
              announce=lambda line: click.echo(line.replace("Serving the web view",
                                                            "Serving the demo's web view")))
    except ServeError as exc:
        raise CliFailure(str(exc)) from None
