"""The WARC archive on its own: records as warcio reads them, hashes, rolling."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from store.archive import ArchiveError, WarcArchive, read_capture, read_span, warc_date
from tests.evidence.helpers import capture


def test_each_capture_reads_back_with_warcio_as_request_response_and_metadata(
        tmp_path: Path) -> None:
    archive = WarcArchive(tmp_path, 10_000_000)
    pointers = [archive.write(capture(n), {"article_id": n}) for n in range(3)]
    archive.close()
    (name,) = {p.warc_file for p in pointers}
    with open(tmp_path / name, "rb") as fh:
        records = [(r.rec_type, dict(r.rec_headers.headers), r.http_headers,
                    r.raw_stream.read()) for r in ArchiveIterator(fh, check_digests="raise")]
    assert [t for t, *_ in records] == ["warcinfo"] + ["response", "request", "metadata"] * 3
    responses = [r for r in records if r[0] == "response"]
    for n, (pointer, (_, headers, http, body)) in enumerate(zip(pointers, responses)):
        assert hashlib.sha256(body).hexdigest() == pointer.sha256 == \
            hashlib.sha256(capture(n).body).hexdigest()
        assert headers["WARC-Date"] == warc_date(capture(n).fetched_at)
        assert headers["WARC-Record-ID"] == f"<{pointer.record_id}>"
        # The body is stored decoded, so the wire's chunking is not claimed.
        assert http.get_header("Transfer-Encoding") is None
        assert http.get_header("Content-Length") == str(len(body))
        assert http.get_header("ETag") == f'"v{n}"'
    requests = [r for r in records if r[0] == "request"]
    assert requests[0][2].protocol == "GET"
    assert requests[0][2].get_header("User-Agent") == "compoundwatch-test"
    assert requests[0][1]["WARC-Concurrent-To"] == f"<{pointers[0].record_id}>"


def test_a_pointer_spans_exactly_one_capture(tmp_path: Path) -> None:
    archive = WarcArchive(tmp_path, 10_000_000)
    pointers = [archive.write(capture(n), {"article_id": n}) for n in range(4)]
    archive.sync()
    for n, p in enumerate(pointers):
        back = read_capture(read_span(tmp_path, p.warc_file, p.offset, p.length))
        assert back.record_id == p.record_id
        assert back.body == capture(n).body
        assert back.metadata == {"article_id": n, "sha256": p.sha256}
    assert [p.offset for p in pointers[1:]] == [p.offset + p.length for p in pointers[:-1]]
    archive.close()


def test_files_roll_over_at_the_size_limit(tmp_path: Path) -> None:
    archive = WarcArchive(tmp_path, 1_000_000)
    pointers = [archive.write(capture(n, size=300_000), {}) for n in range(8)]
    archive.close()
    files = sorted(tmp_path.glob("*.warc.gz"))
    assert len(files) >= 2
    assert len({p.warc_file for p in pointers}) == len(files)
    # A file is closed once it passed the limit: at most one capture beyond it.
    for f in files:
        assert f.stat().st_size < 1_000_000 + 400_000


def test_a_changed_byte_in_the_archive_is_caught_on_read(tmp_path: Path) -> None:
    archive = WarcArchive(tmp_path, 10_000_000)
    p = archive.write(capture(1), {})
    archive.close()
    path = tmp_path / p.warc_file
    data = bytearray(path.read_bytes())
    data[p.offset + p.length // 3] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(ArchiveError):
        back = read_capture(read_span(tmp_path, p.warc_file, p.offset, p.length))
        assert back.sha256 == p.sha256


def test_a_missing_or_short_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match="gone.warc.gz"):
        read_span(tmp_path, "gone.warc.gz", 0, 10)
    (tmp_path / "short.warc.gz").write_bytes(b"x" * 5)
    with pytest.raises(ArchiveError, match="short.warc.gz.*torn"):
        read_span(tmp_path, "short.warc.gz", 0, 10)


def test_two_writers_never_share_a_file(tmp_path: Path) -> None:
    a, b = WarcArchive(tmp_path, 10_000_000), WarcArchive(tmp_path, 10_000_000)
    pa, pb = a.write(capture(1), {}), b.write(capture(2), {})
    a.close()
    b.close()
    assert pa.warc_file != pb.warc_file
    for p in (pa, pb):
        records = list(ArchiveIterator(io.BytesIO((tmp_path / p.warc_file).read_bytes())))
        assert [r.rec_type for r in records] == ["warcinfo", "response", "request", "metadata"]
