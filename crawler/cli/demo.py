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
        result = run_demo(out=out, db_url=db_url, keep=keep, console=console)
    except (DemoError, ConfigError, StoreError) as exc:
        raise CliFailure(str(exc)) from None
    figures = sum(len(p.figure_changes) for p in result.phases)
    raids = sum(len(p.new_raids) for p in result.phases)
    articles = sum(len(p.articles) for p in result.phases)
    console.print(f"[bold]Done in {result.seconds:.0f} s:[/] {articles} articles collected, "
                  f"{figures} figure changes and {raids} new raids alerted.")
    console.print(f"Digest: {result.digest_path}")
    console.print(f"Mailbox: {result.mailbox} ({result.emails} emails captured)")
    console.print(f"Config and database: {result.config_path}")


def register(main: click.Group) -> None:
    main.add_command(demo)
