"""`compoundwatch crawl`: one pass over the active (or named) sources."""

from __future__ import annotations

import sys

import click

from crawler.cli import AppContext, pass_app
from crawler.cli.output import CliUsageError, handles_errors, json_option, print_jsonl, print_table
from crawler.tally import SourceSummary
from store.sources import SourceError

COLUMNS = ("source", "fetched", "new", "updated", "unchanged", "skipped", "failed", "error")


def after_crawl(app: AppContext, summaries: list[SourceSummary]) -> None:
    """Analyse what the crawl stored, queue its alerts and send what is due.

    It runs in the CLI process after the crawl (the Twisted reactor has
    stopped by then, so plain blocking code is fine). The counts go to
    stderr so that `--json` keeps stdout for the summaries.
    """
    from alerts.followup import follow_up

    result = follow_up(app.engine, app.config)
    sent = result.sending
    click.echo(
        f"Analysed {result.analysis.analysed} article(s): {result.analysis.relevant} relevant, "
        f"{result.alerts_raised} alert(s) raised; {sent.sent} message(s) sent"
        + (f", {sent.retrying} to retry" if sent.retrying else "")
        + (f", {sent.failed} failed" if sent.failed else "") + ".",
        err=True,
    )


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
