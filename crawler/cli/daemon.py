"""`compoundwatch run` (the daemon) and `compoundwatch status [--json]`."""

from __future__ import annotations

import datetime as dt
import os
import sys
import threading

import click
from sqlalchemy.exc import SQLAlchemyError

from crawler.cli import AppContext, pass_app
from crawler.cli.output import (
    CliFailure,
    CliUsageError,
    handles_errors,
    json_option,
    print_jsonl,
    print_table,
    stdout_console,
)
from store.config import find_config_path


def _when(value: dt.datetime | None) -> str:
    return "" if value is None else value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%SZ")


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
    from crawler import lease
    from crawler.daemon import log
    from crawler.daemon.service import Daemon, DaemonError

    log.configure()
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
    from crawler.daemon.status import read_status
    from store.latency import format_delay

    st = read_status(app.engine)
    if as_json:
        print_jsonl(st.rows())
        return
    console = stdout_console()
    print_table(
        "Sources",
        ["name", "health", "every", "polled every", "last poll", "last new entry",
         "delay (median, 1 day)", "last success", "next run", "failures", "last error"],
        [(s.name, s.health, s.every, s.learned_every or "", _when(s.last_poll_at),
          _when(s.last_entry_at),
          format_delay(s.median_delay_seconds) if s.median_delay_seconds is not None else "",
          _when(s.last_success_at), _when(s.next_run_at),
          s.consecutive_failures or "", (s.last_error or "")[:80]) for s in st.sources],
        console,
    )
    d = st.deliveries
    console.print(f"Deliveries: {d.pending} pending, {d.sending} sending, {d.failed} failed, "
                  f"{d.sent} sent.")
    for failure in d.failures[:5]:
        console.print(f"  failed: {failure['kind']} to {failure['recipient']} after "
                      f"{failure['attempts']} attempts: {failure['last_error'] or ''}"[:200])
    if st.daemon.running:
        console.print(f"Daemon: running ({st.daemon.holder}, lease until "
                      f"{_when(st.daemon.expires_at)}).")
    else:
        console.print("Daemon: not running.")


def register(main: click.Group) -> None:
    main.add_command(run)
    main.add_command(status)
