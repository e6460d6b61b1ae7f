"""`evidence export` and `evidence verify`: the archived pages behind an alert."""

from __future__ import annotations

from pathlib import Path

import click

from crawler.cli.context import AppContext, pass_app
from crawler.cli.output import CliFailure, CliUsageError, handles_errors, json_option, print_jsonl


@click.group("evidence")
def evidence_group() -> None:
    """The archived copies behind an alert: export them, verify them."""


@evidence_group.command("export")
@click.argument("alert_id", type=int)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False),
              help="The WACZ file to write (opens in ReplayWeb.page).")
@json_option
@pass_app
@handles_errors
def export(app: AppContext, alert_id: int, out: str, as_json: bool) -> None:
    """Package every page the alert cites, every revision, as a WACZ file."""
    from alerts.evidence import EvidenceError
    from alerts.export import export_alert
    from store.archive import archive_dir
    from store.db import session_scope
    from store.types import utcnow

    try:
        with session_scope(app.engine) as session:
            result = export_alert(session, archive_dir(app.config), alert_id, Path(out),
                                  utcnow())
    except EvidenceError as exc:
        raise CliFailure(str(exc)) from None
    except OSError as exc:
        raise CliFailure(f"cannot write {out} ({exc.strerror}); choose another --out") from None
    if as_json:
        print_jsonl([result.to_dict()])
        return
    click.echo(f"{result.path}: {result.copies} archived cop{'y' if result.copies == 1 else 'ies'}"
               f" of {result.articles} article(s) behind alert {alert_id}.")
    for url in result.not_archived:
        click.echo(f"  not archived: {url}", err=True)


@evidence_group.command("verify")
@click.argument("wacz", required=False, type=click.Path(dir_okay=False))
@click.option("--alert", "alert_id", type=int,
              help="Check the local archive's copies behind this alert instead of a file.")
@pass_app
@handles_errors
def verify(app: AppContext, wacz: str | None, alert_id: int | None) -> None:
    """Recompute every hash; exit 0 if intact, 1 naming the file that is not."""
    if (wacz is None) == (alert_id is None):
        raise CliUsageError("give a WACZ file or --alert ALERT_ID (one of them).")
    if wacz is not None:
        from store.wacz_verify import verify_wacz

        if not Path(wacz).is_file():
            raise CliUsageError(f"{wacz} is not a file.")
        problems = verify_wacz(Path(wacz))
        _report(problems, f"{wacz}: intact (every file and record matches its SHA-256).")
        return
    from alerts.evidence import EvidenceError
    from alerts.export import check_alert
    from store.archive import archive_dir
    from store.db import session_scope

    assert alert_id is not None
    try:
        with session_scope(app.engine) as session:
            result = check_alert(session, archive_dir(app.config), alert_id)
    except EvidenceError as exc:
        raise CliFailure(str(exc)) from None
    _report(list(result.problems),
            f"alert {alert_id}: {result.copies} archived cop"
            f"{'y' if result.copies == 1 else 'ies'} intact.")


def _report(problems: list[str], ok: str) -> None:
    if not problems:
        click.echo(ok)
        return
    for problem in problems[1:]:
        click.echo(f"mismatch: {problem}", err=True)
    more = f" ({len(problems) - 1} more above)" if len(problems) > 1 else ""
    raise CliFailure(f"not intact: {problems[0]}{more}")
