"""Run the web view with uvicorn: the access rule first, then the engines, then serve.

The view reads through an engine whose SQLite transactions begin deferred
(store.db.make_engine(reader=True)), so it can run beside `compoundwatch
run` on the same WAL database without taking the write lock; feedback marks
go through an ordinary engine, one short transaction each.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping

from store.config import Config


class ServeError(Exception):
    """The web view cannot start; the message says what to do."""


def missing_dependency() -> str | None:
    """The install hint when the web extra is missing, else None."""
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as exc:
        return (f"the web view needs {exc.name}: install it with "
                "pip install 'compoundwatch[web]'")
    return None


def url_for(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}/"


def serve(config: Config, host: str, port: int, *,
          announce: Callable[[str], None] = print,
          env: Mapping[str, str] | None = None) -> None:
    """Serve until interrupted (Ctrl-C or SIGTERM); raises ServeError before binding."""
    problem = missing_dependency()
    if problem:
        raise ServeError(problem)
    import uvicorn

    from crawler.web.access import AccessError, resolve_access
    from crawler.web.app import build_app
    from store.db import make_engine

    try:
        access = resolve_access(config.web, host, os.environ if env is None else env)
    except AccessError as exc:
        raise ServeError(str(exc)) from None
    reader = make_engine(config.database_url, reader=True)
    writer = make_engine(config.database_url)
    try:
        app = build_app(reader, access, writer, page_size=config.web.page_size)
        server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning",
                                               access_log=False, lifespan="off"))
        announce(f"Serving the web view at {url_for(host, port)} (Ctrl-C to stop).")
        try:
            server.run()
        except SystemExit as exc:  # uvicorn exits when it cannot bind
            raise ServeError(f"could not listen on {host}:{port} (in use, or not an address of "
                             "this machine): choose another --host or --port") from exc
    finally:
        reader.dispose()
        writer.dispose()
