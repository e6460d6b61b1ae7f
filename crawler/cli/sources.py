"""`compoundwatch sources ...`: add, list, remove, pause and resume watched sources."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from crawler.cli.check import check_cmd
from crawler.cli.context import AppContext, action_command, pass_app
from crawler.cli.output import (
    CliUsageError,
    handles_errors,
    json_option,
    print_jsonl,
    print_table,
    stderr_console,
)
from store.config import SOURCE_KINDS, format_interval, parse_interval

if TYPE_CHECKING:  # the models import SQLAlchemy: not needed to show `--help`
    from store.models import Source

# Politeness: a shorter interval is allowed (tests use seconds) but warned about.
MIN_POLITE_INTERVAL = 300


def source_row(source: Source) -> dict[str, Any]:
    """A source as the data `sources list --json` prints (`status --json` prints
    the same "source" records)."""
    from crawler.daemon.status import source_health

    return {
        "record": "source",
        "id": source.id,
        "name": source.name,
        "url": source.url,
        "kind": source.kind,
        "detected_kind": source.detected_kind,
        "every": format_interval(source.interval_seconds),
        "interval_seconds": source.interval_seconds,
        "paused": source.paused,
        "origin": source.origin,
        "last_run_at": source.last_run_at,
        "last_success_at": source.last_success_at,
        "last_error": source.last_error,
        "last_error_at": source.last_error_at,
        "consecutive_failures": source.consecutive_failures or 0,
        "next_run_at": source.next_run_at,
        "health": source_health(source.paused, source.consecutive_failures or 0,
                                source.last_success_at),
    }


def _interval(_ctx: click.Context, _param: click.Parameter, value: str) -> int:
    try:
        return parse_interval(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.group()
def sources() -> None:
    """Watched sources: feeds, sitemaps, section pages and pages."""


@sources.command("add")
@click.argument("url")
@click.option("--kind", type=click.Choice(SOURCE_KINDS), default="auto", show_default=True,
              help="What the URL is; auto detects it on the first crawl.")
@click.option("--name", default=None, help="A unique name (default: host and path).")
@click.option("--every", default="30m", show_default=True, callback=_interval,
              help="Crawl interval: 90s, 30m, 2h, 1d.")
@json_option
@pass_app
@handles_errors
def add_cmd(app: AppContext, url: str, kind: str, name: str | None, every: int,
            as_json: bool) -> None:
    """Watch URL (normalised: lower-case scheme and host, no default port or fragment)."""
    from store.db import session_scope
    from store.sources import SourceError, add_source
    from store.urls import host_refusal, normalise_url

    url = normalise_url(url)
    allow = app.config.crawl.allow_private_addresses
    refusal = host_refusal(url, allow)
    if refusal is not None:
        raise CliUsageError(
            f"{url} cannot be watched: {refusal}"
            + ("" if allow or "metadata" in refusal else
               " (set [crawl] allow_private_addresses = true for a site on your own network)")
            + ".")
    if every < MIN_POLITE_INTERVAL:
        click.echo(f"Warning: every {format_interval(every)} is under 5 minutes; news sites "
                   "rarely change that fast, and frequent requests may get the crawler "
                   "blocked.", err=True)
    with session_scope(app.engine) as session:
        try:
            source = add_source(session, url, kind=kind, name=name, interval_seconds=every)
        except SourceError as exc:
            raise CliUsageError(str(exc)) from None
        row = source_row(source)
    if as_json:
        print_jsonl([row])
    else:
        stderr_console().print(f"Watching {row['name']} ({row['url']}) every {row['every']}.")


@sources.command("list")
@json_option
@pass_app
@handles_errors
def list_cmd(app: AppContext, as_json: bool) -> None:
    """List watched sources."""
    from store.db import session_scope
    from store.sources import list_sources

    with session_scope(app.engine) as session:
        rows = [source_row(s) for s in list_sources(session)]
    if as_json:
        print_jsonl(rows)
        return
    print_table(
        "Sources",
        ["name", "kind", "every", "paused", "url", "last error"],
        [(r["name"], r["kind"], r["every"], "yes" if r["paused"] else "", r["url"],
          r["last_error"]) for r in rows],
    )


def _change(app: AppContext, ref: str, action: str, as_json: bool) -> None:
    from store.db import session_scope
    from store.sources import SourceError, remove_source, set_paused

    with session_scope(app.engine) as session:
        try:
            if action == "remove":
                source = remove_source(session, ref)
            else:
                source = set_paused(session, ref, action == "pause")
        except SourceError as exc:
            raise CliUsageError(str(exc)) from None
        name, source_id, url = source.name, source.id, source.url
    done = {"remove": "removed", "pause": "paused", "resume": "resumed"}[action]
    if as_json:
        print_jsonl([{"record": "source_change", "id": source_id, "name": name, "url": url,
                      "action": done}])
        return
    stderr_console().print(f"{done.capitalize()} {name}.")


action_command(sources, "remove", "name", "Stop watching NAME (its articles are kept).",
               _change)
action_command(sources, "pause", "name", "Pause NAME: no crawls until resumed.", _change)
action_command(sources, "resume", "name", "Resume a paused source.", _change)


# `sources check` fetches without storing: its own module.
sources.add_command(check_cmd)
