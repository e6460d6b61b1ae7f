"""`seed add`, `claims`, `articles`, `alerts`, and the `init` step that reads the seeds."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import click

from alerts.delivery.plural import plural
from crawler.cli.articles import show
from crawler.cli.context import AppContext, action_command, pass_app
from crawler.cli.output import (
    CliFailure,
    CliUsageError,
    handles_errors,
    json_option,
    print_jsonl,
    print_table,
    stderr_console,
)

if TYPE_CHECKING:  # imported where used: `--help` needs none of them
    from alerts.safe_fetch import FetchLimits
    from alerts.seed import SeedResult


def _since(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise CliUsageError(f"--since {value!r} is not a date: use YYYY-MM-DD or an ISO time.")
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def local_text(moment: str | None, zone: str) -> str:
    """An RFC 3339 time from the JSON rows, in the story's zone: '2022-10-10 09:00'."""
    if not moment:
        return ""
    from zoneinfo import ZoneInfo

    parsed = dt.datetime.fromisoformat(moment.replace("Z", "+00:00"))
    return parsed.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")


def _fmt(value: object) -> str:
    if isinstance(value, list):
        return f"{value[0]:,}–{value[1]:,}" if all(isinstance(v, (int, float)) for v in value) \
            else str(value)
    return f"{value:,}" if isinstance(value, (int, float)) else str(value)


def seed_fetch_limits(app: AppContext) -> FetchLimits:
    """A seed URL is fetched under the crawler's rules: no private addresses unless
    [crawl] allow_private_addresses, and its size, time and redirect limits."""
    from alerts.safe_fetch import FetchLimits

    crawl = app.config.crawl
    return FetchLimits(allow_private=crawl.allow_private_addresses,
                       timeout=crawl.timeout_seconds, max_bytes=crawl.max_response_bytes,
                       max_redirects=crawl.max_redirects)


def read_seeds(app: AppContext, locations: list[str]) -> list[SeedResult]:
    from alerts.seed import SeedError, ingest_seed, read_seed
    from store.db import session_scope

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
        console.print(f"Seed {result.location}: {plural(len(result.claims), 'claim')}, "
                      f"{plural(len(result.entities), 'entity')}, "
                      f"{plural(len(result.raids), 'raid')} it reports.", markup=False)
    if failed:
        raise CliFailure(f"{plural(len(failed), 'seed article')} could not be read; fix or remove them "
                         "under [seed] articles and run init again.")


@click.group("seed")
def seed_group() -> None:
    """Seed articles: the baseline of tracked figures."""


@seed_group.command("add")
@click.argument("location")
@click.option("--yes", "-y", "assume_yes", is_flag=True,
              help="Add the claims found without asking.")
@pass_app
@handles_errors
def seed_add(app: AppContext, location: str, assume_yes: bool) -> None:
    """Read one more seed article (path or URL), show its claims and entities, and
    add them to the baseline once confirmed (or with --yes)."""
    from alerts.seed import SeedError, ingest_seed, read_seed
    from store.db import session_factory

    app.engine  # noqa: B018 - "no database yet" before fetching anything
    try:
        seed = read_seed(location, app.config.base_dir, seed_fetch_limits(app))
    except SeedError as exc:
        raise CliFailure(str(exc)) from None
    session = session_factory(app.engine)()
    try:
        result = ingest_seed(session, seed)
        print_table(f"Claims of {location}", ["key", "label", "value", "measure"],
                    [(c.key, c.label, _fmt_q(c.value, c.qualifier), c.measure)
                     for c in result.claims])
        print_table("Entities", ["kind", "name", "aliases"],
                    [(e.kind, e.name, ", ".join(e.aliases)) for e in result.entities])
        found = (f"{plural(len(result.claims), 'claim')} and "
                 f"{plural(len(result.entities), 'entity')}")
        if not assume_yes and not _confirm(f"Add {found} to the baseline?"):
            session.rollback()
            stderr_console().print("Nothing added (run again with --yes to add without "
                                   "asking).")
            return
        session.commit()
    finally:
        session.close()
    stderr_console().print(f"Added {found} from {location}; `compoundwatch claims remove KEY` "
                           "or `claims mute KEY` takes one out again.")


def _confirm(question: str) -> bool:
    """Ask on a terminal; without one (a script) the answer is no."""
    import sys

    if not sys.stdin.isatty():
        stderr_console().print(f"{question} Not asked: no terminal.")
        return False
    return click.confirm(question, default=False, err=True)


def _fmt_q(value: object, qualifier: str | None) -> str:
    from alerts.delivery.formatting import fmt_qualified

    return fmt_qualified(value, qualifier or "=")


@click.group(invoke_without_command=True)
@json_option
@pass_app
@click.pass_context
@handles_errors
def claims(ctx: click.Context, app: AppContext, as_json: bool) -> None:
    """The baseline claims (value, what it measures, scope, quote) and entities;
    `claims remove KEY` and `claims mute KEY` take one out."""
    if ctx.invoked_subcommand is not None:
        return
    from alerts.alert_rows import claim_rows, entity_rows
    from store.db import session_scope

    with session_scope(app.engine) as session:
        rows, entities = claim_rows(session), entity_rows(session)
    if as_json:
        print_jsonl(rows + entities)
        return
    print_table("Claims", ["key", "label", "seed value", "last known", "scope"],
                [(r["key"] + (" (muted)" if r["muted"] else ""), r["label"],
                  _fmt_q(r["value"], r["qualifier"]),
                  _fmt_q(r["current_value"], r["current_qualifier"]),
                  ", ".join(v for v in r["scope"].values() if v)) for r in rows])
    print_table("Entities", ["kind", "name", "aliases"],
                [(e["kind"], e["name"], ", ".join(e["aliases"])) for e in entities])


def _claim_change(app: AppContext, key: str, action: str, as_json: bool) -> None:
    from alerts.claim_admin import ClaimError, remove_claim, set_muted
    from store.db import session_scope

    with session_scope(app.engine) as session:
        try:
            claim = (remove_claim(session, key) if action == "removed"
                     else set_muted(session, key, action == "muted"))
        except ClaimError as exc:
            raise CliUsageError(str(exc)) from None
        label = claim.label or claim.key
    if as_json:
        print_jsonl([{"record": "claim_change", "key": key, "action": action}])
        return
    stderr_console().print(f"Claim {key} ({label}) {action}.", markup=False)


action_command(claims, "remove", "key",
               "Delete the claim KEY and its observations (a seed read again brings it "
               "back: mute it to keep it out).", _claim_change, "removed")
action_command(claims, "mute", "key",
               "Keep the claim KEY but stop tracking it (no alerts, no chart).",
               _claim_change, "muted")
action_command(claims, "unmute", "key", "Track the muted claim KEY again.",
               _claim_change, "unmuted")


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
    from alerts.alert_rows import article_rows
    from store.db import session_scope

    app: AppContext = ctx.obj
    with session_scope(app.engine) as session:
        rows = article_rows(session, _since(since), relevant_only)
    if as_json:
        print_jsonl(rows)
        return
    zone = app.config.digest.timezone
    print_table(f"Articles (published, in {zone})", ["id", "published", "on story", "source",
                                                      "title", "url"],
                [(r["id"], local_text(r["published"], zone),
                  {True: "yes", False: "no"}.get(r["relevant"], "?"), r["source"], r["title"],
                  r["url"]) for r in rows])


@click.command()
@json_option
@click.option("--since", help="Only alerts raised from this date (YYYY-MM-DD).")
@click.option("--kind", type=click.Choice(["figure_change", "new_raid"]), help="One kind only.")
@pass_app
@handles_errors
def alerts(app: AppContext, as_json: bool, since: str | None, kind: str | None) -> None:
    """What was raised."""
    from alerts.alert_rows import alert_rows
    from store.db import session_scope

    with session_scope(app.engine) as session:
        rows = alert_rows(session, _since(since), kind)
    if as_json:
        print_jsonl(rows)
        return
    zone = app.config.digest.timezone
    print_table(f"Alerts (raised, in {zone})", ["id", "raised", "kind", "what", "quote"], [
        (r["id"], local_text(r["created_at"], zone), r["kind"].replace("_", " "),
         f"{r.get('label') or r.get('claim_key')}: {_fmt(r.get('previous_value'))} → "
         f"{_fmt(r.get('new_value'))}"
         if r["kind"] == "figure_change" else
         f"{r.get('location')} {r.get('date')} {r.get('site') or ''}", r.get("quote"))
        for r in rows])


# `articles show ID` lives beside the evidence it reads.
articles.add_command(show)
