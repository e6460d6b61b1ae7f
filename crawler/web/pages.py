"""The page handlers: read the store, hand display rows to a template.

Handlers are plain (sync) functions: Starlette runs them in its thread
pool, each with its own short read-only session, so a slow query never
blocks the event loop and the view never holds a write lock the daemon
needs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from crawler.web import data_alerts, data_articles, data_figures
from crawler.web.access import CSRF_COOKIE, csrf_ok, new_csrf_token
from crawler.web.figchart import ChartPoint, figure_chart
from crawler.web.filters import BadFilter, alert_filter, article_filter, raid_filter
from store.types import utcnow

TEMPLATES = Path(__file__).parent / "templates"
# autoescape=True explicitly: Jinja2 does not escape unless told to.
ENV = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True,
                  undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
MAX_FORM_BYTES = 8192
RAIDS_PER_PAGE = 100


class NotFound(LookupError):
    """The claim, article or alert named in the URL does not exist."""


def state(request: Request) -> Any:
    return request.app.state.web


def read_session(request: Request) -> Session:
    return Session(state(request).reader, expire_on_commit=False)


def render(request: Request, template: str, status: int = 200, **ctx: Any) -> HTMLResponse:
    """A page, with the CSRF cookie set when the visitor has none yet."""
    token = request.cookies.get(CSRF_COOKIE) or new_csrf_token()
    html = ENV.get_template(template).render(request_path=request.url.path, csrf=token,
                                             title=ctx.pop("title", "compoundwatch"), **ctx)
    response = HTMLResponse(html, status_code=status)
    if request.cookies.get(CSRF_COOKIE) != token:
        response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict", path="/",
                            secure=request.url.scheme == "https")
    return response


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return render(request, "error.html", status=status, title="Not possible", message=message)


def home(request: Request) -> Response:
    f = alert_filter({})
    with read_session(request) as session:
        return render(request, "overview.html", title="compoundwatch",
                      counts=data_alerts.overview(session),
                      alerts=data_alerts.alert_cards(session, f, 5),
                      figures=data_figures.claim_summaries(session),
                      sources=[s for s in data_articles.source_rows(session, utcnow())
                               if s["health"] == "failing"])


def alerts_page(request: Request) -> Response:
    f = alert_filter(request.query_params)
    size = state(request).page_size
    with read_session(request) as session:
        total = data_alerts.count_alerts(session, f)
        return render(request, "alerts.html", title="Alerts", f=f, total=total,
                      pages=max((total + size - 1) // size, 1),
                      alerts=data_alerts.alert_cards(session, f, size),
                      choices=data_alerts.filter_choices(session),
                      notice=request.query_params.get("marked"))


async def feedback(request: Request) -> Response:
    """POST /alerts/{id}/feedback: store a mark; CSRF-checked, then back to the list."""
    from alerts.feedback import FeedbackError, record_feedback
    from store.db import session_scope

    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        return error_page(request, 413, "That reason is far too long.")
    form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
    if not csrf_ok(request.cookies.get(CSRF_COOKIE), form.get("csrf")):
        return error_page(request, 403, "The form had expired: reload the page and try again.")
    alert_id = int(request.path_params["alert_id"])

    def store_mark() -> None:
        with session_scope(state(request).writer) as session:
            record_feedback(session, alert_id, form.get("verdict", ""), form.get("reason", ""))

    try:
        # In the thread pool: the write may wait for the daemon's lock, and
        # the event loop must keep serving pages meanwhile.
        await run_in_threadpool(store_mark)
    except FeedbackError as exc:
        return error_page(request, 400, str(exc))
    back = form.get("back", "")
    # Only back to the alerts list: never an address another site supplied.
    safe = back.startswith("/alerts") and not any(c in back for c in ("//", "\\", "\r", "\n"))
    target = back if safe else "/alerts"
    sep = "&" if "?" in target else "?"
    return RedirectResponse(f"{target}{sep}marked={alert_id}#alert-{alert_id}", status_code=303)


def figures_page(request: Request) -> Response:
    with read_session(request) as session:
        return render(request, "figures.html", title="Figures",
                      figures=data_figures.claim_summaries(session))


def figure_page(request: Request) -> Response:
    key = request.path_params["key"]
    with read_session(request) as session:
        claim = data_figures.find_claim(session, key)
        if claim is None:
            raise NotFound(f"There is no tracked figure called {key[:80]!r}.")
        rows = data_figures.observation_rows(session, claim)
        summary = next(c for c in data_figures.claim_summaries(session) if c["key"] == claim.key)
    charted = [ChartPoint(r["when"], r["value"], r["conflict"]) for r in rows
               if r["current"] and r["outcome"] in ("seed", "change", "corroboration", "")]
    svg = figure_chart(charted, f"{summary['label']} over time")
    return render(request, "figure.html", title=summary["label"], claim=summary,
                  chart=Markup(svg) if svg else None,  # built from numbers and escaped text
                  rows=data_figures.display_rows(rows))


def raids_page(request: Request) -> Response:
    f = raid_filter(request.query_params)
    size = RAIDS_PER_PAGE
    with read_session(request) as session:
        total = data_alerts.count_raids(session, f)
        return render(request, "raids.html", title="Raids", f=f, total=total,
                      pages=max((total + size - 1) // size, 1),
                      raids=data_alerts.raid_rows(session, f, size, (f.page - 1) * size),
                      provinces=data_alerts.filter_choices(session)["provinces"])


def articles_page(request: Request) -> Response:
    f = article_filter(request.query_params)
    size = state(request).page_size
    with read_session(request) as session:
        search = data_articles.plan(session, f)
        total, capped = data_articles.count_articles(session, search)
        return render(request, "articles.html", title="Articles", f=f, total=total,
                      capped=capped,
                      pages=max((total + size - 1) // size, 1),
                      articles=data_articles.article_list(session, search, size),
                      outlets=data_alerts.filter_choices(session)["outlets"],
                      languages=data_articles.languages(session))


def article_page(request: Request) -> Response:
    article_id = int(request.path_params["article_id"])
    with read_session(request) as session:
        detail = data_articles.article_detail(session, article_id)
    if detail is None:
        raise NotFound(f"There is no article {article_id}.")
    return render(request, "article.html", title=detail["title"], a=detail)


def sources_page(request: Request) -> Response:
    with read_session(request) as session:
        return render(request, "sources.html", title="Sources",
                      sources=data_articles.source_rows(session, utcnow()))


async def bad_filter(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, BadFilter)
    return error_page(request, 400, str(exc))


async def not_found(request: Request, exc: Exception) -> Response:
    message = str(exc) if isinstance(exc, NotFound) else "There is no such page."
    return error_page(request, 404, message)
