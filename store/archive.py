"""The WARC archive of fetched pages: captures written as records with
warcio, files rolled at a size limit, a capture read back by its pointer.

Each capture is three gzip members in a row (response, request, metadata),
so a pointer (file, offset, length) spans one capture and its bytes can be
copied unchanged into a WACZ. A writer appends only to files it created
itself (exclusive create), so a writer killed mid-record leaves a torn tail
that nobody writes after: every earlier record stays readable. Callers
`sync()` before they commit pointers, so no pointer names unwritten bytes.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import os
import socket
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from store.config import Config

WARC_VERSION = "1.1"
# warcio compresses at level 9. Compression is most of what capture costs a
# crawl (bench/capture_cost.py): on news HTML level 3 takes about half the
# CPU of level 6 (gzip's default) for about a fifth more bytes.
GZIP_LEVEL = 3
SOFTWARE = "compoundwatch (warcio)"
# The body is stored decoded (Scrapy undoes chunking and compression), so
# the headers that described the encoding on the wire no longer apply.
_WIRE_HEADERS = frozenset({"transfer-encoding", "content-length"})


class ArchiveError(Exception):
    """An archived copy is missing, torn or does not match its hash."""


@dataclass(frozen=True)
class Capture:
    """One HTTP exchange as fetched: what the archive keeps of it."""

    url: str
    status: int
    reason: str
    response_headers: tuple[tuple[str, str], ...]
    body: bytes
    fetched_at: dt.datetime
    method: str = "GET"
    request_headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class CapturePointer:
    """Where a capture's records are, and the SHA-256 of its body."""

    warc_file: str
    offset: int
    length: int
    sha256: str
    record_id: str
    url: str
    status: int
    fetched_at: dt.datetime


@dataclass(frozen=True)
class ReadBack:
    """A capture's response record read from the archive."""

    record_id: str
    url: str
    warc_date: str
    body: bytes
    metadata: Mapping[str, Any]

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()


def archive_dir(config: Config) -> Path:
    """`evidence.path`, else `<db name>-archive` beside a SQLite file, else `archive/`."""
    if config.evidence.path:
        return config.resolve_path(config.evidence.path)
    url = config.database_url
    if url.startswith("sqlite:///") and url[len("sqlite:///"):] not in ("", ":memory:"):
        db = Path(url[len("sqlite:///"):])
        return db.parent / f"{db.stem}-archive"
    return config.base_dir / "archive"


def warc_date(moment: dt.datetime) -> str:
    """WARC/1.1 date with microseconds, in UTC."""
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def response_http_headers(capture: Capture) -> StatusAndHeaders:
    headers = [(k, v) for k, v in capture.response_headers if k.lower() not in _WIRE_HEADERS]
    headers.append(("Content-Length", str(len(capture.body))))
    return StatusAndHeaders(f"{capture.status} {capture.reason}".strip(), headers,
                            protocol="HTTP/1.1")


def request_http_headers(capture: Capture) -> StatusAndHeaders:
    parts = urlsplit(capture.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = list(capture.request_headers)
    if not any(k.lower() == "host" for k, _ in headers):
        headers.insert(0, ("Host", parts.netloc))
    return StatusAndHeaders(f"{capture.method} {target} HTTP/1.1", headers,
                            is_http_request=True)


class WarcArchive:
    """Appends captures to this writer's own WARC files in `directory`."""

    def __init__(self, directory: Path, max_file_bytes: int, prefix: str = "compoundwatch"
                 ) -> None:
        self.directory = directory
        self.max_file_bytes = max_file_bytes
        self.prefix = prefix
        self._fh: IO[bytes] | None = None
        self._writer: WARCWriter | None = None
        self._name = ""
        self._seq = 0

    @property
    def current_file(self) -> str:
        return self._name

    def _roll(self) -> None:
        self.close()
        self.directory.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d%H%M%S")
        host = socket.gethostname().split(".")[0] or "host"
        while True:
            self._seq += 1
            name = f"{self.prefix}-{stamp}-{host}-{os.getpid()}-{self._seq:05d}.warc.gz"
            try:
                self._fh = open(self.directory / name, "xb")  # noqa: SIM115 - kept open
                break
            except FileExistsError:
                continue
        self._name = name
        self._writer = WARCWriter(None, gzip=False, warc_version=WARC_VERSION)
        self._append(self._writer.create_warcinfo_record(
            name, {"software": SOFTWARE, "format": "WARC File Format 1.1",
                   "description": "Pages fetched by compoundwatch, as fetched"}))

    def _append(self, record: Any) -> None:
        """One record as one gzip member (so any record can be read from its offset)."""
        assert self._fh is not None and self._writer is not None
        raw = io.BytesIO()
        self._writer.out = raw
        self._writer.write_record(record)
        packer = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, zlib.MAX_WBITS + 16)
        self._fh.write(packer.compress(raw.getvalue()) + packer.flush())

    def write(self, capture: Capture, metadata: Mapping[str, Any]) -> CapturePointer:
        """Append a capture's three records (not yet synced: call `sync()`)."""
        if self._fh is None or self._fh.tell() >= self.max_file_bytes:
            self._roll()
        assert self._fh is not None and self._writer is not None
        writer, offset = self._writer, self._fh.tell()
        date = warc_date(capture.fetched_at)
        digest = hashlib.sha256(capture.body).hexdigest()
        response = writer.create_warc_record(
            capture.url, "response", payload=io.BytesIO(capture.body), length=len(capture.body),
            http_headers=response_http_headers(capture), warc_headers_dict={"WARC-Date": date})
        warc_id = response.rec_headers.get_header("WARC-Record-ID")
        request = writer.create_warc_record(
            capture.url, "request", payload=io.BytesIO(b""), length=0,
            http_headers=request_http_headers(capture),
            warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": warc_id})
        meta = json.dumps({**metadata, "sha256": digest}, sort_keys=True).encode()
        described = writer.create_warc_record(
            capture.url, "metadata", payload=io.BytesIO(meta), length=len(meta),
            warc_content_type="application/json",
            warc_headers_dict={"WARC-Date": date, "WARC-Refers-To": warc_id})
        for record in (response, request, described):
            self._append(record)
        return CapturePointer(self._name, offset, self._fh.tell() - offset, digest,
                              bare_id(warc_id),
                              capture.url, capture.status, capture.fetched_at)

    def sync(self) -> None:
        """Flush and fsync what was written: pointers may be committed after this."""
        if self._fh is not None:
            self._fh.flush()
            os.fsync(self._fh.fileno())

    def close(self) -> None:
        if self._fh is not None:
            self.sync()
            self._fh.close()
        self._fh, self._writer = None, None


def bare_id(warc_id: str) -> str:
    """A WARC-Record-ID without its angle brackets ("urn:uuid:…"): the archived copy's id."""
    return warc_id.strip().removeprefix("<").removesuffix(">")


def read_span(directory: Path, warc_file: str, offset: int, length: int) -> bytes:
    """The bytes of a pointer's records; ArchiveError when the file is missing or short."""
    path = directory / Path(warc_file).name
    try:
        with open(path, "rb") as fh:
            fh.seek(offset)
            data = fh.read(length)
    except OSError as exc:
        raise ArchiveError(f"{warc_file}: cannot be read ({exc.strerror})") from None
    if len(data) != length:
        raise ArchiveError(f"{warc_file}: ends before the archived copy (torn or truncated)")
    return data


def payload_matches(headers: Mapping[str, str], payload: bytes) -> bool:
    """Whether a record's payload has the WARC-Payload-Digest it states (warcio
    hands a torn last record over short, without an error)."""
    stated = headers.get("WARC-Payload-Digest")
    if not stated or ":" not in stated:
        return True
    algorithm, _, value = stated.partition(":")
    try:
        digest = hashlib.new(algorithm.lower().replace("-", ""), payload).digest()
    except ValueError:
        return True  # an algorithm we do not know: warcio's own check stands
    return value.upper() in (base64.b32encode(digest).decode(), digest.hex().upper())


def iter_records(data: bytes) -> Iterator[tuple[str, dict[str, str], bytes]]:
    """(type, WARC headers, payload) of each record in WARC bytes (the payload
    after any HTTP headers, undecoded); ArchiveError at a torn or altered one."""
    for record in ArchiveIterator(io.BytesIO(data), check_digests="raise"):
        headers = dict(record.rec_headers.headers)
        payload = record.raw_stream.read()
        if not payload_matches(headers, payload):
            raise ArchiveError(f"the record {headers.get('WARC-Record-ID', '?')} is torn or "
                               "altered (its payload digest does not match)")
        yield record.rec_type, headers, payload


def read_capture(data: bytes) -> ReadBack:
    """The response and metadata of one capture's bytes; ArchiveError if unreadable."""
    response: tuple[dict[str, str], bytes] | None = None
    metadata: dict[str, Any] = {}
    try:
        for rec_type, headers, payload in iter_records(data):
            if rec_type == "response" and response is None:
                response = (headers, payload)
            elif rec_type == "metadata":
                metadata = json.loads(payload or b"{}")
    except Exception as exc:  # warcio raises several types for torn or altered bytes
        raise ArchiveError(f"unreadable WARC records ({exc})") from None
    if response is None:
        raise ArchiveError("no response record where the pointer says")
    headers, body = response
    return ReadBack(bare_id(headers.get("WARC-Record-ID", "")), headers.get("WARC-Target-URI", ""),
                    headers.get("WARC-Date", ""), body, metadata)
