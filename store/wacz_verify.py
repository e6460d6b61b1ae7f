"""Check a WACZ package: every file against the SHA-256 its datapackage.json
lists, the list against datapackage-digest.json, and every WARC record
against its own digests and the body hash its metadata record states.
Each problem names the file it was found in."""

from __future__ import annotations

import hashlib
import json
import zipfile
import zlib
from pathlib import Path
from typing import Any

from store.archive import iter_records


def _sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _read(zf: zipfile.ZipFile, name: str) -> bytes | str:
    """A member's bytes, or the problem reading it (missing, CRC mismatch)."""
    try:
        return zf.read(name)
    except KeyError:
        return f"{name}: missing from the package"
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        return f"{name}: damaged inside the package ({exc})"


def warc_problems(data: bytes) -> list[str]:
    """Records whose digests do not match, or whose body does not have the
    SHA-256 its metadata record states."""
    bodies: dict[str, str] = {}
    problems: list[str] = []
    try:
        for rec_type, headers, payload in iter_records(data):
            if rec_type == "response":
                bodies[headers.get("WARC-Record-ID", "")] = hashlib.sha256(payload).hexdigest()
            elif rec_type == "metadata":
                problems.extend(_metadata_problem(headers.get("WARC-Refers-To", ""), payload,
                                                  bodies))
    except Exception as exc:  # warcio raises several types for torn or altered bytes
        problems.append(f"a record is unreadable or altered ({exc})"[:300])
    return problems


def _metadata_problem(refers_to: str, payload: bytes, bodies: dict[str, str]) -> list[str]:
    try:
        stated = json.loads(payload).get("sha256")
    except (ValueError, AttributeError):
        return []
    actual = bodies.get(refers_to)
    if stated and actual and stated != actual:
        return [f"the body of {refers_to} has sha256 {actual}, its metadata says {stated}"]
    return []


def verify_wacz(path: Path) -> list[str]:
    """Every mismatch found in the package (empty: intact)."""
    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        return [f"{path.name}: not a readable WACZ package ({exc})"]
    with zf:
        raw = _read(zf, "datapackage.json")
        if isinstance(raw, str):
            return [raw]
        problems = _digest_problems(zf, raw)
        try:
            package: dict[str, Any] = json.loads(raw)
            resources = list(package["resources"])
        except (ValueError, KeyError, TypeError) as exc:
            return [*problems, f"datapackage.json: not a data package ({exc})"]
        listed = set()
        for res in resources:
            name = str(res.get("path", ""))
            listed.add(name)
            data = _read(zf, name)
            if isinstance(data, str):
                problems.append(data)
            elif _sha256(data) != res.get("hash"):
                problems.append(f"{name}: sha256 {_sha256(data)[7:]} does not match "
                                f"datapackage.json ({res.get('hash')})")
            elif name.endswith((".warc", ".warc.gz")):
                problems.extend(f"{name}: {p}" for p in warc_problems(data))
        problems.extend(f"{name}: not listed in datapackage.json" for name in zf.namelist()
                        if name.startswith("archive/") and name not in listed)
    return problems


def _digest_problems(zf: zipfile.ZipFile, package: bytes) -> list[str]:
    if "datapackage-digest.json" not in zf.namelist():
        return []
    raw = _read(zf, "datapackage-digest.json")
    if isinstance(raw, str):
        return [raw]
    try:
        stated = json.loads(raw).get("hash")
    except (ValueError, AttributeError):
        return ["datapackage-digest.json: unreadable"]
    if stated != _sha256(package):
        return [f"datapackage.json: sha256 {_sha256(package)[7:]} does not match "
                f"datapackage-digest.json ({stated})"]
    return []
