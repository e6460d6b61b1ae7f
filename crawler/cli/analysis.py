"""`seed add`, `claims`, `articles`, `alerts`, and the `init` step that reads the seeds."""

from __future__ import annotations

import datetime as dt

import click

from alerts.listing import alert_rows, article_rows, claim_rows, entity_rows
from alerts.safe_fetch import FetchLimits
from alerts.seed import SeedError, SeedResult, ingest_seed, read_seed
from crawler.cli import AppContext, pass_app
from crawler.cli.output import (
    CliFailure,
    CliUsageError,
    handles_errors,
    json_option,
    print_jsonl,
    print_table,
    stderr_console,
)
from store.db import session_scope


def _since(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise CliUsageError(f"--since {value!r} is not a date: use YYYY-MM-DD or an ISO time.")
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def _fmt(value: object) -> str:
    if isinstance(value, list):
        return f"{value[0]:,}–{value[1]:,}" if all(isinstance(v, (int, float)) for v in value) \
            else str(value)
    return f"{value:,}" if isinstance(value, (int, float)) else str(value)


def seed_fetch_limits(app: AppContext) -> FetchLimits:
    """A seed URL is fetched under the crawler's rules: no private addresses unless
    [crawl] allow_private_addresses, and its size, time and redirect limits."""
    crawl = app.config.crawl
    return FetchLimits(allow_private=crawl.allow_private_addresses,
                       timeout=crawl.timeout_seconds, max_bytes=crawl.max_response_bytes,
                       max_redirects=crawl.max_redirects)


def read_seeds(app: AppContext, locations: list[str]) -> list[SeedResult]:
    results = []
    for location in locations:
        try:
            seed = read_seed(location, app.config.base_dir, seed_fetch_limits(app))
        except SeedError as exc:
            raise CliFailure(str(exc)) from None
        with session_scope(app.engine) as session:
            results.append(ingest_seed(session, seed))
    return results


def init_read_seeds(app: AppContext) -> None:
    """The `init` step: read config.seed.articles into baseline claims and entities.

    Every seed is tried; one that cannot be read does not stop the others."""
    console = stderr_console()
    failed = []
    for location in app.config.seed.articles:
        try:
            (result,) = read_seeds(app, [location])
        except CliFailure as exc:
            failed.append(location)
            console.print(f"Error: {exc.message}")
            continue
        console.print(f"Seed {result.location}: {len(result.claims)} claims, "
                      f"{len(result.entities)} entities, {len(result.raids)} raid(s) it reports.")
    if failed:
        raise CliFailure(f"{len(failed)} seed article(s) could not be read; fix or remove them "
                         "under [seed] articles and run init again.")


@click.group("seed")
def seed_group() -> None:
    """Seed articles: the baseline of tracked figures."""


@seed_group.command("add")
@click.argument("location")
@pass_app
@handles_errors
def seed_add(app: AppContext, location: str) -> None:
    """Read one more seed article (path or URL) and print its claims and entities."""
    (result,) = read_seeds(app, [location])
    print_table(f"Claims of {location}", ["key", "label", "value", "qualifier", "measure"],
                [(c.key, c.label, _fmt(c.value), c.qualifier, c.measure) for c in result.claims])
    print_table("Entities", ["kind", "name", "aliases"],
                [(e.kind, e.name, ", ".join(e.aliases)) for e in result.entities])


@click.command()
@json_option
@pass_app
@handles_errors
def claims(app: AppContext, as_json: bool) -> None:
    """The baseline claims (value, what it measures, scope, quote) and entities."""
    with session_scope(app.engine) as session:
        rows, entities = claim_rows(session), entity_rows(session)
    if as_json:
        print_jsonl(rows + entities)
        return
    print_table("Claims", ["key", "label", "seed value", "last known", "measure", "scope"],
                [(r["key"], r["label"], _fmt(r["value"]), _fmt(r["current_value"]), r["measure"],
                  ", ".join(v for v in r["scope"].values() if v)) for r in rows])
    print_table("Entities", ["kind", "name", "aliases"],
                [(e["kind"], e["name"], ", ".join(e["aliases"])) for e in entities])


@click.group(invoke_without_command=True)
@json_option
@click.option("--since", help="Only articles published from this date (YYYY-MM-DD).")
@click.option("--relevant", "relevant_only", is_flag=True, help="Only relevant articles.")
@click.pass_context
@handles_errors
def articles(ctx: click.Context, as_json: bool, since: str | None,
             relevant_only: bool) -> None:
    """What was collected (`articles show ID` for one article)."""
    if ctx.invoked_subcommand is not None:
        return
    app: AppContext = ctx.obj
    with session_scope(app.engine) as session:
        rows = article_rows(session, _since(since), relevant_only)
    if as_json:
        print_jsonl(rows)
        return
    print_table("Articles", ["id", "published", "relevant", "title", "url"],
                [(r["id"], r["published"], r["relevant"], r["title"], r["url"]) for r in rows])


@click.command()
@json_option
@click.option("--since", help="Only alerts raised from this date (YYYY-MM-DD).")
@click.option("--kind", type=click.Choice(["figure_change", "new_raid"]), help="One kind only.")
@pass_app
@handles_errors
def alerts(app: AppContext, as_json: bool, since: str | None, kind: str | None) -> None:
    """What was raised."""
    with session_scope(app.engine) as session:
        rows = alert_rows(session, _since(since), kind)
    if as_json:
        print_jsonl(rows)
        return
    print_table("Alerts", ["id", "kind", "what", "quote"], [
        (r["id"], r["kind"],
         f"{r.get('label') or r.get('claim_key')}: {_fmt(r.get('previous_value'))} → "
         f"{_fmt(r.get('new_value'))}"
         if r["kind"] == "figure_change" else
         f"{r.get('location')} {r.get('date')} {r.get('site') or ''}", r.get("quote"))
        for r in rows])


def register(main: click.Group) -> None:
    from crawler.cli.articles import show
    from crawler.cli.setup import INIT_STEPS

    articles.add_command(show)

    main.add_command(seed_group)
    main.add_command(claims)
    main.add_command(articles)
    main.add_command(alerts)
    if init_read_seeds not in INIT_STEPS:
        INIT_STEPS.append(init_read_seeds)
