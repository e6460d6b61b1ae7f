"""The web application: routes, exports, and how it is wired to the store.

Routes are stable so a desk can bookmark and link them:
`/`, `/alerts`, `/figures`, `/figures/{claim key}`, `/raids`, `/articles?q=…`,
`/articles/{id}`, `/sources`, `/export/{alerts,figures,raids,articles}.{csv,json}`.
An export takes the same query string as its page and returns every
matching row (no paging).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from crawler.web import pages
from crawler.web.access import Access, AccessMiddleware
from crawler.web.export import to_csv, to_json
from crawler.web.filters import BadFilter, alert_filter, article_filter, figure_filter, raid_filter

STATIC = Path(__file__).parent / "static"


@dataclass(frozen=True)
class WebState:
    """What handlers share: a reader engine (no write lock), a writer, the page size."""

    reader: Engine
    writer: Engine
    page_size: int = 50


def _export_rows(what: str, session: Session, params: Any) -> list[dict[str, Any]]:
    from crawler.web import data_alerts, data_articles, data_figures

    makers: dict[str, Callable[[], list[dict[str, Any]]]] = {
        "alerts": lambda: data_alerts.alert_export_rows(session, alert_filter(params)),
        "raids": lambda: [{k: v for k, v in r.items() if not k.endswith("_text")}
                          for r in data_alerts.raid_rows(session, raid_filter(params), 1_000_000)],
        "articles": lambda: data_articles.article_export_rows(session, article_filter(params)),
        "figures": lambda: data_figures.export_rows(session, figure_filter(params).claim),
    }
    return makers[what]()


def export(request: Request) -> Response:
    what, fmt = request.path_params["what"], request.path_params["fmt"]
    if what not in ("alerts", "figures", "raids", "articles") or fmt not in ("csv", "json"):
        raise pages.NotFound("Exports are alerts, figures, raids or articles, as .csv or .json.")
    with pages.read_session(request) as session:
        rows = _export_rows(what, session, request.query_params)
    if what == "raids":
        for row in rows:
            row["sources"] = [s["url"] for s in row["sources"]]
    body, media = (to_csv(rows), "text/csv; charset=utf-8") if fmt == "csv" else \
        (to_json(rows), "application/json")
    return Response(body, media_type=media, headers={
        "content-disposition": f'attachment; filename="compoundwatch-{what}.{fmt}"'})


ROUTES = [
    Route("/", pages.home),
    Route("/alerts", pages.alerts_page),
    Route("/alerts/{alert_id:int}/feedback", pages.feedback, methods=["POST"]),
    Route("/figures", pages.figures_page),
    Route("/figures/{key:str}", pages.figure_page),
    Route("/raids", pages.raids_page),
    Route("/articles", pages.articles_page),
    Route("/articles/{article_id:int}", pages.article_page),
    Route("/sources", pages.sources_page),
    Route("/export/{what:str}.{fmt:str}", export),
    Mount("/static", StaticFiles(directory=STATIC), name="static"),
]


def build_app(reader: Engine, access: Access, writer: Engine | None = None,
              page_size: int = 50) -> Starlette:
    """The ASGI app over a store: `reader` for pages, `writer` for feedback marks."""
    app = Starlette(
        routes=ROUTES,
        middleware=[Middleware(AccessMiddleware, access=access)],
        exception_handlers={BadFilter: pages.bad_filter, pages.NotFound: pages.not_found,
                            404: pages.not_found, HTTPException: _http_error},
    )
    app.state.web = WebState(reader=reader, writer=writer or reader, page_size=page_size)
    return app


async def _http_error(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status_code", 500)
    detail = getattr(exc, "detail", "") or "That request cannot be served."
    return pages.error_page(request, status, str(detail))
