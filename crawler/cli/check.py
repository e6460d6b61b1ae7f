"""`compoundwatch sources check [NAME...] [--json]`: is each source there, and what is it?"""

from __future__ import annotations

import click

from crawler.cli.context import AppContext, pass_app
from crawler.cli.output import (
    CliFailure,
    CliUsageError,
    handles_errors,
    json_option,
    print_jsonl,
)

# Sources checked at once (each waits on the network, not the CPU).
CHECK_THREADS = 8


def check_line(result: object, zone: str) -> str:
    """One plain line: reachable or not, kind, entries, newest entry, robots.txt."""
    from alerts.delivery.plural import plural
    from crawler.cli.daemon import local_time
    from crawler.passes.check import CheckResult

    assert isinstance(result, CheckResult)
    if not result.reachable:
        return f"{result.name}: NOT reachable: {result.problem}"
    parts = [f"{result.name}: reachable"]
    if result.kind:
        parts.append(result.kind)
    if result.entries is not None:
        parts.append(plural(result.entries, "entry", "entries"))
    if result.newest is not None:
        parts.append(f"newest {local_time(result.newest, zone)}")
    parts.append(f"robots.txt: {result.robots}")
    line = ", ".join(parts)
    return line + (f" (problem: {result.problem})" if result.problem else "")


def _targets(app: AppContext, names: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """(name, url, kind) of the named or active sources; before `init`, the config's."""
    from crawler.cli.context import NO_DATABASE
    from store.db import session_scope
    from store.sources import SourceError, active_sources

    try:
        engine = app.engine
    except CliFailure as exc:
        if exc.message != NO_DATABASE:
            raise
        configured = [(s.name, s.url, s.kind) for s in app.config.sources]
        unknown = [n for n in names if n not in {c[0] for c in configured}]
        if unknown:
            raise CliUsageError(f"no source named {unknown[0]!r} in the config") from None
        return [c for c in configured if not names or c[0] in names]
    with session_scope(engine) as session:
        try:
            return [(s.name, s.url, s.kind) for s in active_sources(session, names)]
        except SourceError as exc:
            raise CliUsageError(str(exc)) from None


@click.command("check")
@click.argument("names", nargs=-1, metavar="[NAME...]")
@json_option
@pass_app
@handles_errors
def check_cmd(app: AppContext, names: tuple[str, ...], as_json: bool) -> None:
    """Fetch each source (or the NAMEd ones) once, store nothing, and say per source:
    reachable or not, kind, entries, newest entry's date, robots.txt verdict."""
    from concurrent.futures import ThreadPoolExecutor

    from alerts.safe_fetch import FetchLimits
    from crawler.passes.check import check_source

    crawl = app.config.crawl
    limits = FetchLimits(allow_private=crawl.allow_private_addresses,
                         timeout=crawl.timeout_seconds, max_bytes=crawl.max_response_bytes,
                         max_redirects=crawl.max_redirects,
                         user_agent=crawl.user_agent.replace("{contact}", crawl.contact_url))
    targets = _targets(app, names)
    if not targets:
        click.echo("No sources to check: add one with `compoundwatch sources add URL`.",
                   err=True)
        return
    with ThreadPoolExecutor(max_workers=min(CHECK_THREADS, len(targets))) as pool:
        results = list(pool.map(lambda t: check_source(t[0], t[1], t[2], limits), targets))
    if as_json:
        print_jsonl(r.to_dict() for r in results)
        return
    for result in results:
        click.echo(check_line(result, app.config.digest.timezone))
