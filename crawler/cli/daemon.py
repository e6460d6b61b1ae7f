"""`compoundwatch run` (the daemon) and `compoundwatch status [--json]`."""

from __future__ import annotations

import datetime as dt
import os
import sys
import threading

import click

from alerts.delivery.plural import plural
from crawler.cli.context import AppContext, pass_app
from crawler.cli.output import (
    CliFailure,
    CliUsageError,
    handles_errors,
    json_option,
    print_jsonl,
    print_table,
    require_extra,
    stdout_console,
)
from store.config import find_config_path


def local_time(value: dt.datetime | None, zone: str) -> str:
    """A moment in the story's time zone, to the minute: '2026-12-02 07:41'."""
    from zoneinfo import ZoneInfo

    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")


@click.command()
@click.option("--role", type=click.Choice(["standalone", "coordinator"]), default="standalone",
              show_default=True,
              help="coordinator: queue crawls on Redis for `compoundwatch worker` processes "
                   "(needs cluster.redis_url and PostgreSQL) and analyse, alert, deliver.")
@pass_app
@handles_errors
def run(app: AppContext, role: str = "standalone") -> None:
    """Run the daemon: crawl on schedule, analyse, alert, send the digest.

    Stops cleanly on SIGTERM or SIGINT. Only one daemon may run per database.
    """
    if role == "coordinator":
        from crawler.cli.cluster import CLUSTER_MODULES

        require_extra("run --role coordinator", "cluster", CLUSTER_MODULES)
    import logging

    from sqlalchemy.exc import SQLAlchemyError

    from crawler.daemon import lease, log
    from crawler.daemon.service import Daemon, DaemonError

    log.configure(logging.DEBUG if app.debug else logging.INFO)
    path = find_config_path(app.config_path)
    config_path = str(path.resolve()) if path is not None else None
    if role == "coordinator":
        from crawler.cluster.coordinator import CoordinatorDaemon
        from crawler.cluster.worker import ClusterSetupError

        try:
            daemon: Daemon = CoordinatorDaemon(app.config, app.engine, config_path=config_path)
        except ClusterSetupError as exc:
            raise CliUsageError(str(exc)) from None
    else:
        daemon = Daemon(app.config, app.engine, config_path=config_path)
    try:
        status = daemon.run()
    except lease.LeaseHeld as exc:
        raise CliFailure(str(exc)) from None
    except DaemonError as exc:
        raise CliFailure(str(exc)) from None
    except SQLAlchemyError as exc:
        raise CliFailure(f"cannot use the database ({type(exc).__name__}: "
                         f"{str(exc).splitlines()[0]}); check store.url and that it is up") from None
    sys.stdout.flush()
    sys.stderr.flush()
    if threading.active_count() > 1:
        # A job abandoned at shutdown (see Daemon.stop) would keep the
        # interpreter waiting at exit; its work is safe to redo, so leave now.
        os._exit(status)
    if status:
        raise CliFailure("the daemon lost its lease to another process and stopped")


@click.command()
@json_option
@pass_app
@handles_errors
def status(app: AppContext, as_json: bool) -> None:
    """Sources' health, next runs, pending deliveries, and whether a daemon runs."""
    from alerts.delivery.mail_status import mail_reasons, read_outbox_facts
    from crawler.daemon.status import read_status
    from store.db import session_scope
    from store.latency import format_delay

    st = read_status(app.engine)
    with session_scope(app.engine) as session:
        reasons = mail_reasons(app.config, read_outbox_facts(session))
    if as_json:
        rows = st.rows()
        for row in rows:
            if row["record"] == "deliveries":
                row["mail_problems"] = reasons
        print_jsonl(rows)
        return
    zone = app.config.digest.timezone
    console = stdout_console()
    print_table(
        f"Sources (times in {zone})",
        ["name", "health", "every", "last success", "next run", "delay", "failures"],
        [(s.name, s.health, s.learned_every or s.every, local_time(s.last_success_at, zone),
          local_time(s.next_run_at, zone),
          format_delay(s.median_delay_seconds) if s.median_delay_seconds is not None else "",
          s.consecutive_failures or "") for s in st.sources],
        console,
    )
    # One line per fact (not wrapped: a script may grep them).
    for s in st.sources:
        if s.last_error and s.consecutive_failures:
            click.echo(f"{s.name}: {s.last_error}"[:300])
    d = st.deliveries
    click.echo(f"Deliveries: {d.pending:,} pending, {d.sending:,} sending, {d.failed:,} "
               f"failed, {d.sent:,} sent.")
    for line in reasons:
        click.echo(line)
    for failure in d.failures[:5]:
        click.echo(f"  failed: {failure['kind']} to {failure['recipient']} after "
                   f"{plural(failure['attempts'], 'attempt')}: "
                   f"{failure['last_error'] or ''}"[:200])
    if st.daemon.running:
        click.echo(f"Daemon: running ({st.daemon.holder}, lease until "
                   f"{local_time(st.daemon.expires_at, zone)}).")
    else:
        click.echo("Daemon: not running.")
