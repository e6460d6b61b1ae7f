"""Editing a WACZ the way an accident or a forger would: one byte of one member."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path


def first_response(wacz: Path) -> tuple[int, int]:
    """(offset, length) of the first response record in the package's WARC, from its index."""
    with zipfile.ZipFile(wacz) as zf:
        line = zf.read("indexes/index.cdx").decode().splitlines()[0]
    entry = json.loads(line.split(" ", 2)[2])
    return int(entry["offset"]), int(entry["length"])


def rewrite_member(wacz: Path, name: str, position: int) -> None:
    """Flip one bit of byte `position` of member `name`, keeping the zip itself valid."""
    with zipfile.ZipFile(wacz) as zf:
        members = [(info, zf.read(info.filename)) for info in zf.infolist()]
    with zipfile.ZipFile(wacz, "w") as zf:
        for info, data in members:
            if info.filename == name:
                changed = bytearray(data)
                changed[position] ^= 0x01
                data = bytes(changed)
            zf.writestr(info, data)
