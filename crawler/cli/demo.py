"""`compoundwatch demo`: the offline demonstration (no network, nothing left running).

It does not read the user's config: the demo writes its own, next to its
own database, so trying it can never touch a real installation.
"""

from __future__ import annotations

from pathlib import Path

import click

from crawler.cli.output import CliFailure, stdout_console


@click.command()
@click.option("--db", "db_url", default=None, metavar="URL",
              help="Database URL for the demo (default: a new SQLite file in the output folder).")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the demo's config, database, digest and mailbox "
                   "(new or empty; default: a new temporary folder).")
@click.option("--keep", is_flag=True,
              help="Keep the demo's news sites and mail sink running afterwards, until Ctrl-C.")
def demo(db_url: str | None, out: Path | None, keep: bool) -> None:
    """Play a bundled story through compoundwatch, offline, in a couple of minutes.

    Small news sites on loopback publish the story phase by phase; each phase
    is crawled, analysed and alerted on, and the alert emails land in a local
    mailbox folder. At the end the digest is written as an HTML file.
    """
    from crawler.demo.run import DemoError, run_demo
    from store.config import ConfigError
    from store.db import StoreError

    console = stdout_console()
    try:
        # It prints its tables and closing summary itself, before --keep waits.
        run_demo(out=out, db_url=db_url, keep=keep, console=console)
    except (DemoError, ConfigError, StoreError) as exc:
        raise CliFailure(str(exc)) from None


def register(main: click.Group) -> None:
    main.add_command(demo)
