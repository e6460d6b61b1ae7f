"""Run the web view with uvicorn: the access rule first, then the engines, then serve.

The view reads through an engine whose SQLite transactions begin deferred
(store.db.make_engine(reader=True)), so it can run beside `compoundwatch
run` on the same WAL database without taking the write lock; feedback marks
go through an ordinary engine, one short transaction each.
"""

from __future__ import annotations

import os
import signal
import socket
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


def _stop(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def bind_socket(host: str, port: int, *, any_port_if_taken: bool = False) -> socket.socket:
    """A listening socket on host:port (or, if asked, any free port when it is taken)."""
    family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        try:
            sock.bind((host.strip("[]"), port))
        except OSError:
            if not any_port_if_taken:
                raise
            sock.bind((host.strip("[]"), 0))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise ServeError(f"could not listen on {host}:{port} ({exc.strerror or exc}): choose "
                         "another --host or --port") from None
    sock.set_inheritable(True)
    return sock


def url_for(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}/"


def serve(config: Config, host: str, port: int, *,
          announce: Callable[[str], None] = print,
          env: Mapping[str, str] | None = None, any_port_if_taken: bool = False) -> None:
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
    # Bound here, before uvicorn starts: a taken port is a clear error, and the
    # URL announced is one that already accepts connections.
    sock = bind_socket(host, port, any_port_if_taken=any_port_if_taken)
    reader = make_engine(config.database_url, reader=True)
    writer = make_engine(config.database_url)
    try:
        app = build_app(reader, access, writer, page_size=config.web.page_size)
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False,
                                               lifespan="off"))
        announce(f"Serving the web view at {url_for(host, sock.getsockname()[1])} "
                 "(Ctrl-C to stop).")
        # uvicorn stops gracefully on SIGINT/SIGTERM, then raises the signal
        # again for the previous handler: make that a quiet, successful stop.
        previous = signal.signal(signal.SIGTERM, _stop)
        try:
            server.run(sockets=[sock])
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
        announce("Stopped.")
    finally:
        sock.close()
        reader.dispose()
        writer.dispose()
