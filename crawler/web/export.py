"""CSV and JSON exports of the rows a page shows (pure: rows in, text out).

CSV cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR at
the start: scraped titles can carry them) get a leading apostrophe, the
OWASP advice for CSV injection; lists and objects are written as JSON.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Sequence
from typing import Any

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (list, dict, tuple)):
        text = json.dumps(value, ensure_ascii=False, default=_default)
    else:
        text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _default(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def columns_of(rows: Sequence[dict[str, Any]]) -> list[str]:
    """Every key of the rows, in first-seen order (rows of one kind share most)."""
    seen: dict[str, None] = {}
    for row in rows:
        for key in row:
            seen.setdefault(key, None)
    return list(seen)


def to_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None) -> str:
    out = io.StringIO()
    cols = list(columns) if columns else columns_of(rows)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(cols)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in cols])
    return out.getvalue()


def to_json(rows: Sequence[dict[str, Any]]) -> str:
    return json.dumps(list(rows), ensure_ascii=False, default=_default, indent=1)
