"""`compoundwatch crawl`: one pass over the active (or named) sources."""

from __future__ import annotations

import sys

import click

from crawler.cli import AppContext, pass_app
from crawler.cli.output import CliUsageError, handles_errors, json_option, print_jsonl, print_table
from crawler.tally import SourceSummary
from store.sources import SourceError

COLUMNS = ("source", "fetched", "new", "updated", "unchanged", "failed", "error")


def after_crawl(app: AppContext, summaries: list[SourceSummary]) -> None:
    """THE place where a crawl's follow-up runs: analysis of the articles that
    need it, then delivery of the alerts raised. Integration point for the
    lead; it does nothing yet. It runs in the CLI process after the crawl
    (the Twisted reactor has stopped by then, so plain blocking code is fine).
    """
    return None


@click.command()
@click.option("--source", "sources", multiple=True, metavar="NAME",
              help="Crawl only this source (by name or id); repeatable.")
@json_option
@pass_app
@handles_errors
def crawl(app: AppContext, sources: tuple[str, ...], as_json: bool) -> None:
    """One pass: fetch, extract and store new and revised articles."""
    from crawler.runner import run_crawl

    try:
        summaries = run_crawl(app.config, sources, progress=not as_json and sys.stderr.isatty())
    except SourceError as exc:
        raise CliUsageError(str(exc)) from None
    after_crawl(app, summaries)
    if as_json:
        print_jsonl(s.to_dict() for s in summaries)
        return
    if not summaries:
        click.echo("No active sources: add one with `compoundwatch sources add URL`.", err=True)
        return
    print_table("Crawl summary", COLUMNS,
                [[getattr(s, c) if c != "error" else (s.error or "") for c in COLUMNS]
                 for s in summaries])


def register(main: click.Group) -> None:
    main.add_command(crawl)
