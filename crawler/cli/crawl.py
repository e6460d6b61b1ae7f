"""`compoundwatch crawl`: one pass over the active (or named) sources."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

from crawler.cli.context import AppContext, pass_app
from crawler.cli.output import CliUsageError, handles_errors, json_option, print_jsonl, print_table

if TYPE_CHECKING:
    from crawler.passes.tally import SourceSummary

COLUMNS = ("source", "kind", "fetched", "new", "updated", "unchanged", "skipped", "failed")


def summary_record(summary: SourceSummary) -> dict[str, Any]:
    """A source's pass as `crawl --json` prints it (`kind` is the detected kind)."""
    return {"record": "crawl", **summary.to_dict()}


def failure_lines(summaries: list[SourceSummary]) -> list[str]:
    """One line per source that failed: its name and the reason in words."""
    return [f"{s.source}: {s.error}" for s in summaries if s.error]


def follow_up_line(analysed: int, relevant: int, raised: int, sent: int, retrying: int,
                   failed: int) -> str:
    from alerts.delivery.plural import plural

    return (f"Analysed {plural(analysed, 'article')}: {relevant:,} relevant, "
            f"{plural(raised, 'alert')} raised; {plural(sent, 'message')} sent"
            + (f", {retrying:,} to retry" if retrying else "")
            + (f", {failed:,} failed" if failed else "") + ".")


def after_crawl(app: AppContext) -> None:
    """Analyse what the crawl stored, queue its alerts and send what is due.

    It runs in the CLI process after the crawl (the Twisted reactor has
    stopped by then, so plain blocking code is fine). The counts, and why
    mail is not going out if it is not, go to stderr so that `--json` keeps
    stdout for the summaries.
    """
    from alerts import follow_up
    from alerts.delivery.mail_status import mail_reasons, read_outbox_facts
    from store.db import session_scope

    result = follow_up(app.engine, app.config)
    sent = result.sending
    click.echo(follow_up_line(result.analysis.analysed, result.analysis.relevant,
                              result.alerts_raised, sent.sent, sent.retrying, sent.failed),
               err=True)
    with session_scope(app.engine) as session:
        facts = read_outbox_facts(session)
    for line in mail_reasons(app.config, facts):
        click.echo(line, err=True)


@click.command()
@click.option("--source", "sources", multiple=True, metavar="NAME",
              help="Crawl only this source (by name or id); repeatable.")
@json_option
@pass_app
@handles_errors
def crawl(app: AppContext, sources: tuple[str, ...], as_json: bool) -> None:
    """One pass: fetch, extract and store new and revised articles."""
    from crawler.fetching import import_tls_shims_first

    import_tls_shims_first()
    from crawler.passes.runner import run_crawl
    from store.sources import SourceError

    app.engine  # noqa: B018 - "no database yet" before any fetch
    try:
        summaries = run_crawl(app.config, sources, progress=not as_json and sys.stderr.isatty(),
                              debug=app.debug)
    except SourceError as exc:
        raise CliUsageError(str(exc)) from None
    for line in failure_lines(summaries):
        click.echo(line, err=True)
    after_crawl(app)
    if as_json:
        print_jsonl(summary_record(s) for s in summaries)
        return
    if not summaries:
        click.echo("No active sources: add one with `compoundwatch sources add URL`.", err=True)
        return
    print_table("Crawl summary", COLUMNS,
                [[getattr(s, c) if c != "kind" else (s.kind or "?") for c in COLUMNS]
                 for s in summaries])
