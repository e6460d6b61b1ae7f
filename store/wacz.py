"""WACZ packages (Webrecorder's format, 1.1.1), written and checked with zipfile.

A package holds `archive/data.warc.gz` (the archived records, their bytes
copied unchanged), `indexes/index.cdx` (CDXJ, for replay),
`pages/pages.jsonl`, `datapackage.json` listing each file with its SHA-256,
and `datapackage-digest.json` with the SHA-256 of that list. Verification
recomputes every hash and every record's digests, and names the file that
does not match.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.warcwriter import WARCWriter

WACZ_VERSION = "1.1.1"
WARC_NAME = "data.warc.gz"
SOFTWARE = "compoundwatch"


@dataclass(frozen=True)
class Page:
    """An entry of pages.jsonl: a page a reader opens first."""

    url: str
    ts: str  # WARC-Date of its capture
    title: str | None = None


def surt(url: str) -> str:
    """The sort key CDXJ indexes use: host reversed, lower case ("org,example)/a?b")."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    labels = host if host.replace(".", "").isdigit() else ",".join(reversed(host.split(".")))
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    query = "&".join(sorted(parts.query.split("&"))) if parts.query else ""
    return f"{labels}{port})" + (parts.path or "/").lower() + (f"?{query}" if query else "")


def _timestamp(warc_date: str) -> str:
    return "".join(ch for ch in warc_date if ch.isdigit())[:14]


def compose_warc(spans: Sequence[bytes], created: dt.datetime) -> bytes:
    """A warcinfo record, then each capture's records byte for byte."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True, warc_version="1.1")
    writer.write_record(writer.create_warcinfo_record(WARC_NAME, {
        "software": SOFTWARE, "format": "WARC File Format 1.1",
        "description": f"Evidence exported {created.isoformat()}"}))
    for span in spans:
        out.write(span)
    return out.getvalue()


def cdxj_lines(warc: bytes) -> list[str]:
    """A CDXJ line per response record, sorted by key and time."""
    lines = []
    iterator = ArchiveIterator(io.BytesIO(warc))
    for record in iterator:
        if record.rec_type != "response":
            record.raw_stream.read()
            continue
        url = record.rec_headers.get_header("WARC-Target-URI")
        date = record.rec_headers.get_header("WARC-Date")
        http = record.http_headers
        mime = (http.get_header("Content-Type") or "").split(";")[0].strip() if http else ""
        status = http.get_statuscode() if http else ""
        digest = record.rec_headers.get_header("WARC-Payload-Digest") or ""
        record.raw_stream.read()
        entry = {"url": url, "mime": mime, "status": status, "digest": digest,
                 "length": str(iterator.get_record_length()),
                 "offset": str(iterator.get_record_offset()), "filename": WARC_NAME}
        lines.append(f"{surt(url)} {_timestamp(date)} {json.dumps(entry, sort_keys=True)}")
    return sorted(lines)


def _resource(path: str, data: bytes) -> dict[str, object]:
    return {"name": path.rsplit("/", 1)[-1], "path": path,
            "hash": "sha256:" + hashlib.sha256(data).hexdigest(), "bytes": len(data)}


def build_wacz(out: Path, spans: Sequence[bytes], pages: Sequence[Page], title: str,
               created: dt.datetime) -> Path:
    """Write the package to `out` atomically (a reader never sees half a file)."""
    warc = compose_warc(spans, created)
    files: dict[str, bytes] = {
        f"archive/{WARC_NAME}": warc,
        "indexes/index.cdx": "".join(line + "\n" for line in cdxj_lines(warc)).encode(),
        "pages/pages.jsonl": "".join(json.dumps(row) + "\n" for row in [
            {"format": "json-pages-1.0", "id": "pages", "title": "All Pages"},
            *({"id": f"p{i}", "url": p.url, "ts": p.ts, "title": p.title or p.url}
              for i, p in enumerate(pages, 1))]).encode(),
    }
    created_text = created.astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z")
    package = json.dumps({
        "profile": "data-package", "wacz_version": WACZ_VERSION, "title": title,
        "created": created_text, "software": SOFTWARE,
        "mainPageUrl": pages[0].url if pages else None,
        "mainPageDate": pages[0].ts if pages else None,
        "resources": [_resource(path, data) for path, data in files.items()],
    }, indent=2).encode()
    digest = json.dumps({"path": "datapackage.json",
                         "hash": "sha256:" + hashlib.sha256(package).hexdigest()}).encode()
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".wacz-", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as fh, zipfile.ZipFile(fh, "w") as zf:
            for path, data in files.items():
                # WARCs are stored (already compressed; replay reads them by offset).
                method = zipfile.ZIP_STORED if path.endswith(".gz") else zipfile.ZIP_DEFLATED
                zf.writestr(path, data, compress_type=method)
            zf.writestr("datapackage.json", package, compress_type=zipfile.ZIP_DEFLATED)
            zf.writestr("datapackage-digest.json", digest, compress_type=zipfile.ZIP_DEFLATED)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out
