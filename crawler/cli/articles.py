"""`articles show ID`: an article's stored text beside its archived copies."""

from __future__ import annotations

import click

from crawler.cli.context import AppContext, pass_app
from crawler.cli.output import CliFailure, handles_errors, json_option, print_jsonl


@click.command("show")
@click.argument("article_id", type=int)
@json_option
@pass_app
@handles_errors
def show(app: AppContext, article_id: int, as_json: bool) -> None:
    """One article: its stored text and each revision's archived copy (checked)."""
    from alerts.evidence import EvidenceError, article_detail
    from store.archive import archive_dir
    from store.db import session_scope

    try:
        with session_scope(app.engine) as session:
            detail = article_detail(session, archive_dir(app.config), article_id)
    except EvidenceError as exc:
        raise CliFailure(str(exc)) from None
    if as_json:
        print_jsonl([detail])
        return
    click.echo(f"Article {detail['id']}, revision {detail['revision']}: {detail['title']}")
    click.echo(f"{detail['url']}  (published {detail['published'] or 'unknown'})")
    copies = detail["copies"]
    assert isinstance(copies, list)
    for c in copies:
        click.echo(f"\nRevision {c['revision']}: archived copy {c['archive_id']}")
        click.echo(f"  fetched  {c['fetched_at']} (HTTP {c['status']}, {c['url']})")
        click.echo(f"  sha256   {c['sha256']}")
        click.echo(f"  file     {c['warc_file']} (offset {c['offset']}, {c['length']} bytes)")
        click.echo(f"  check    {c['problem'] or 'intact: the body matches its sha256'}")
    if not copies:
        click.echo("No archived copy (stored before the archive was switched on).")
    click.echo("\nStored text:\n")
    click.echo(str(detail["text"]))
