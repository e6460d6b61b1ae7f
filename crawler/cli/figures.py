"""`figures [--claim K] [--json]`: every observation behind the figure alerts."""

from __future__ import annotations

import click

from crawler.cli.context import AppContext, pass_app
from crawler.cli.output import CliUsageError, handles_errors, json_option, print_jsonl, print_table


def _fmt(value: object, qualifier: str) -> str:
    from alerts.delivery.formatting import fmt_qualified

    return fmt_qualified(value, qualifier)


@click.command()
@click.option("--claim", "claim_key", help="Only this claim's observations (its key).")
@json_option
@pass_app
@handles_errors
def figures(app: AppContext, claim_key: str | None, as_json: bool) -> None:
    """Every figure observation (claim, value, current or background, quote, article,
    date); observations from different outlets that disagree within a few days are
    marked as conflicts."""
    from sqlalchemy import select

    from alerts.figure_rows import observation_rows
    from store.db import session_scope
    from store.models import Claim

    with session_scope(app.engine) as session:
        if claim_key and session.scalar(select(Claim.id).where(Claim.key == claim_key)) is None:
            keys = ", ".join(session.scalars(select(Claim.key).order_by(Claim.id))) or "none yet"
            raise CliUsageError(f"No claim {claim_key!r}: the claims are {keys}.")
        rows = observation_rows(session, claim_key)
    if as_json:
        print_jsonl(rows)
        return
    print_table("Figure observations",
                ["claim", "value", "statement", "published", "outlet", "conflict", "quote"],
                [(r["claim"], _fmt(r["value"], r["qualifier"]), r["statement"],
                  (r["published"] or "")[:10], r["outlet"],
                  "CONFLICT " + ",".join(map(str, r["conflicts_with"])) if r["conflicts_with"]
                  else "", r["quote"][:160]) for r in rows])
