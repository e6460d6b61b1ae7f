"""The loopback server every test site runs on: a threaded http.server on a
free port for the length of a `with` block, plain 200 answers, and a story
page long enough to be extracted."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PARAGRAPH = ("Officials said on Monday that the inspection of the building had ended and that "
             "the people found inside would be interviewed by social workers this week. ")


class QuietHandler(BaseHTTPRequestHandler):
    """A handler that keeps http.server's request log out of the test output."""

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def running(handler: type[BaseHTTPRequestHandler],
            host: str = "127.0.0.1") -> Iterator[ThreadingHTTPServer]:
    """Serve `handler` on a free port of `host` until the block ends; yields the
    server (its `server_address`, and `RequestHandlerClass` to swap the handler)."""
    server = ThreadingHTTPServer((host, 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def serve(handler: type[BaseHTTPRequestHandler], host: str = "127.0.0.1") -> Iterator[str]:
    """Serve `handler` on a free port of `host` until the block ends; yields the base URL."""
    with running(handler, host) as server:
        yield f"http://{host}:{server.server_address[1]}"


def send_text(handler: BaseHTTPRequestHandler, body: str, content_type: str) -> None:
    """Answer 200 with `body` (UTF-8) and its length."""
    data = body.encode()
    handler.send_response(200)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


def story_page(n: int | str, note: str = "") -> str:
    """Story `n`'s article page (`note` ends its first paragraph)."""
    return (f"<html lang='en'><head><title>Story {n}</title></head><body><article>"
            f"<h1>Story {n}</h1><p>{PARAGRAPH * 2} Number {n}{note}.</p><p>{PARAGRAPH}</p>"
            "</article></body></html>")
