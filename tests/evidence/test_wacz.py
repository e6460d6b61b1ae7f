"""WACZ packages built from archived captures: what replay needs, and a
verification that names the file any changed byte is in."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from store.archive import WarcArchive, read_span, warc_date
from store.wacz import Page, build_wacz, surt
from store.wacz_verify import verify_wacz
from tests.evidence.helpers import capture
from tests.evidence.wacz_edit import first_response, rewrite_member

NOW = dt.datetime(2026, 12, 2, 1, 0, tzinfo=dt.timezone.utc)


def _package(tmp_path: Path, n: int = 3) -> Path:
    archive = WarcArchive(tmp_path / "archive", 10_000_000)
    pointers = [archive.write(capture(i), {"article_id": i}) for i in range(n)]
    archive.close()
    spans = [read_span(tmp_path / "archive", p.warc_file, p.offset, p.length) for p in pointers]
    pages = [Page(p.url, warc_date(p.fetched_at), f"Article {i}") for i, p in enumerate(pointers)]
    return build_wacz(tmp_path / "alert.wacz", spans, pages, "test", NOW)


def test_a_package_has_the_wacz_layout_and_verifies(tmp_path: Path) -> None:
    wacz = _package(tmp_path)
    with zipfile.ZipFile(wacz) as zf:
        names = set(zf.namelist())
        package = json.loads(zf.read("datapackage.json"))
        pages = [json.loads(x) for x in zf.read("pages/pages.jsonl").splitlines()]
        warc = zf.read("archive/data.warc.gz")
        index = zf.read("indexes/index.cdx").decode().splitlines()
        assert zf.getinfo("archive/data.warc.gz").compress_type == zipfile.ZIP_STORED
    assert names == {"archive/data.warc.gz", "indexes/index.cdx", "pages/pages.jsonl",
                     "datapackage.json", "datapackage-digest.json"}
    assert package["wacz_version"] == "1.1.1"
    assert {r["path"] for r in package["resources"]} == names - {
        "datapackage.json", "datapackage-digest.json"}
    assert all(r["hash"].startswith("sha256:") for r in package["resources"])
    assert pages[0]["format"] == "json-pages-1.0" and len(pages) == 4
    assert verify_wacz(wacz) == []
    # Each index line points at its response record inside the package's WARC.
    assert len(index) == 3
    for line in index:
        key, stamp, raw = line.split(" ", 2)
        entry = json.loads(raw)
        record = next(iter(ArchiveIterator(io.BytesIO(
            warc[int(entry["offset"]):int(entry["offset"]) + int(entry["length"])]))))
        assert record.rec_type == "response"
        assert record.rec_headers.get_header("WARC-Target-URI") == entry["url"]
        assert key == surt(entry["url"])
        date = record.rec_headers.get_header("WARC-Date")
        assert stamp == "".join(ch for ch in date if ch.isdigit())[:14]


def test_one_changed_byte_of_one_record_fails_naming_the_warc(tmp_path: Path) -> None:
    wacz = _package(tmp_path)
    offset, length = first_response(wacz)
    rewrite_member(wacz, "archive/data.warc.gz", offset + length // 2)
    problems = verify_wacz(wacz)
    assert problems and all(p.startswith("archive/data.warc.gz:") for p in problems)


def test_a_byte_changed_in_the_file_itself_is_caught(tmp_path: Path) -> None:
    wacz = _package(tmp_path)
    data = bytearray(wacz.read_bytes())
    with zipfile.ZipFile(wacz) as zf:
        info = zf.getinfo("archive/data.warc.gz")
    data[info.header_offset + 200] ^= 0x01  # inside the stored WARC's bytes
    wacz.write_bytes(bytes(data))
    problems = verify_wacz(wacz)
    assert problems and "archive/data.warc.gz" in problems[0]


def test_an_edited_index_or_package_list_is_named(tmp_path: Path) -> None:
    wacz = _package(tmp_path)
    rewrite_member(wacz, "indexes/index.cdx", 3)
    assert [p.split(":")[0] for p in verify_wacz(wacz)] == ["indexes/index.cdx"]
    wacz = _package(tmp_path)
    rewrite_member(wacz, "datapackage.json", 40)
    assert verify_wacz(wacz)[0].startswith("datapackage.json")


def test_something_that_is_not_a_package_is_refused_in_one_line(tmp_path: Path) -> None:
    junk = tmp_path / "junk.wacz"
    junk.write_bytes(b"not a zip")
    (problem,) = verify_wacz(junk)
    assert problem.startswith("junk.wacz: not a readable WACZ")
