"""A small loopback web site for crawler tests: a threaded http.server on a
free port, plain 200 answers, and a story page long enough to be extracted."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PARAGRAPH = ("Officials said on Monday that the inspection of the building had ended and that "
             "the people found inside would be interviewed by social workers this week. ")


@contextmanager
def serve(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve `handler` on 127.0.0.1 until the block ends; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


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
