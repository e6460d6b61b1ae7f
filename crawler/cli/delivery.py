"""`compoundwatch digest`: show, write or send the daily digest."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from crawler.cli.context import AppContext, pass_app
from crawler.cli.output import (
    CliFailure,
    CliUsageError,
    handles_errors,
    print_jsonl,
    stderr_console,
)


def _date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date such as 2026-11-28") from None


@click.command()
@click.option("--date", "day", callback=_date, metavar="YYYY-MM-DD",
              help="The digest's day (default: --send the latest day whose digest hour has "
                   "passed; --print and --out the next digest, so far).")
@click.option("--print", "to_print", is_flag=True, help="Print the plain-text digest.")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the HTML digest to FILE.")
@click.option("--send", "send", is_flag=True,
              help="Send it now by email (once per day: a digest already sent is not resent).")
@click.option("--json", "as_json", is_flag=True,
              help="With --send: print the outcome as a JSON line.")
@pass_app
@handles_errors
def digest(app: AppContext, day: dt.date | None, to_print: bool, out: Path | None,
           send: bool, as_json: bool = False) -> None:
    """The daily digest: --print it, write it with --out FILE, or --send it."""
    from alerts.delivery.digest import (
        DigestDateError,
        check_digest_day,
        default_day,
        digest_message,
        send_digest,
    )
    from alerts.delivery.digest_data import upcoming_day
    from store.db import session_scope
    from store.types import utcnow

    if sum((to_print, out is not None, send)) != 1:
        raise CliUsageError("choose one of --print, --out FILE or --send.")
    if as_json and not send:
        raise CliUsageError("--json goes with --send (--print and --out write the digest "
                            "itself).")
    config = app.config
    now = utcnow()
    if day is not None:
        try:
            check_digest_day(config, day, now)
        except DigestDateError as exc:
            raise CliUsageError(str(exc)) from None
    if send:
        day = day or default_day(config, now)
        if not (config.email.enabled and config.email.recipients):
            raise CliUsageError("no one to send the digest to: set email.recipients (and "
                                "email.enabled = true) in the config file.")
        before = _digest_rows(app, day)
        if before and all(status == "sent" for status, _ in before):
            _send_outcome(as_json, day, "already_sent", len(before), None,
                          f"The digest for {day} was already sent.")
            return
        send_digest(app.engine, config, day)
        rows = _digest_rows(app, day)
        unsent = [(st, err) for st, err in rows if st != "sent"]
        if unsent:
            error = unsent[0][1] or unsent[0][0]
            if as_json:
                _send_outcome(True, day, "not_sent", len(rows), error, "")
            raise CliFailure(f"the digest for {day} is not sent ({error}); "
                             "it stays in the outbox and `compoundwatch run` retries it.")
        _send_outcome(as_json, day, "sent", len(rows), None, f"Sent the digest for {day}.")
        return
    # Without --date: the next digest with what was collected until now, so
    # that a crawl's articles show at once (the due day's window has closed).
    day, until = (day, now) if day is not None else (upcoming_day(config, now), now)
    with session_scope(app.engine) as session:
        message = digest_message(session, config, day, until)
    if to_print:
        click.echo(message.text, nl=False)
        return
    assert out is not None
    try:
        out.write_text(message.html, encoding="utf-8")
    except OSError as exc:
        raise CliFailure(f"cannot write {out}: {exc.strerror}.") from None
    stderr_console().print(f"Wrote the digest for {day} to {out}.")


def _send_outcome(as_json: bool, day: dt.date, status: str, recipients: int,
                  error: str | None, message: str) -> None:
    if as_json:
        print_jsonl([{"record": "digest_send", "day": day.isoformat(), "status": status,
                      "recipients": recipients, "error": error}])
    elif message:
        stderr_console().print(message)


def _digest_rows(app: AppContext, day: dt.date) -> list[tuple[str, str | None]]:
    """(status, last error) of the day's digest deliveries."""
    from sqlalchemy import select

    from store.db import session_scope
    from store.models import Delivery

    with session_scope(app.engine) as session:
        return [(d.status, d.last_error) for d in session.scalars(
            select(Delivery).where(Delivery.kind == "digest", Delivery.digest_date == day))]
