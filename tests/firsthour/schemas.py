"""One JSON Schema per record type of `--json` output (the `record` key).

A script can rely on these: every --json line has a `record` naming its
type, and every timestamp is RFC 3339 in UTC with `Z`, to the second.
"""

from __future__ import annotations

from typing import Any

TIMESTAMP = {"type": ["string", "null"], "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"}
DATE = {"type": ["string", "null"], "pattern": r"^\d{4}-\d\d-\d\d$"}
TEXT = {"type": ["string", "null"]}
INT = {"type": "integer"}
VALUE = {"anyOf": [{"type": ["number", "string", "null"]},
                   {"type": "array", "items": {"type": "number"}, "minItems": 2,
                    "maxItems": 2}]}


def record(name: str, properties: dict[str, Any], required: list[str] | None = None,
           *, closed: bool = True) -> dict[str, Any]:
    props = {"record": {"const": name}, **properties}
    return {"type": "object", "properties": props,
            "required": ["record", *(required if required is not None else properties)],
            "additionalProperties": not closed}


SOURCE_FIELDS = {
    "id": INT, "name": {"type": "string"}, "url": {"type": "string"},
    "kind": {"type": "string"}, "detected_kind": TEXT, "every": {"type": "string"},
    "interval_seconds": INT, "paused": {"type": "boolean"}, "origin": TEXT,
    "last_run_at": TIMESTAMP, "last_success_at": TIMESTAMP, "last_error": TEXT,
    "last_error_at": TIMESTAMP, "consecutive_failures": INT, "next_run_at": TIMESTAMP,
    "health": {"enum": ["paused", "failing", "ok", "new"]},
}

POLL_FIELDS = {
    "learned_every": TEXT, "last_poll_at": TIMESTAMP, "last_entry_at": TIMESTAMP,
    "median_delay_seconds": {"type": ["number", "null"]},
}

SCHEMAS: dict[str, dict[str, Any]] = {
    # `status --json` adds what light polling learned (the interval, last poll,
    # last new entry, median publication-to-store delay); `sources list` has not.
    "source": record("source", {**SOURCE_FIELDS, **POLL_FIELDS}, list(SOURCE_FIELDS)),
    "source_change": record("source_change", {
        "id": INT, "name": {"type": "string"}, "url": {"type": "string"},
        "action": {"enum": ["removed", "paused", "resumed"]}}),
    "source_check": record("source_check", {
        "name": {"type": "string"}, "url": {"type": "string"}, "reachable": {"type": "boolean"},
        "problem": TEXT, "kind": TEXT, "entries": {"type": ["integer", "null"]},
        "newest": TIMESTAMP, "robots": {"type": "string"}, "status": {"type": ["integer", "null"]}}),
    "claim": record("claim", {
        "key": {"type": "string"}, "label": {"type": "string"}, "value": VALUE,
        "qualifier": {"type": "string"}, "measure": {"type": "string"},
        "scope": {"type": "object"}, "quote": {"type": "string"}, "current_value": VALUE,
        "current_qualifier": {"type": "string"}, "seed_id": INT, "muted": {"type": "boolean"}}),
    "claim_change": record("claim_change", {
        "key": {"type": "string"}, "action": {"enum": ["removed", "muted", "unmuted"]}}),
    "entity": record("entity", {
        "kind": {"type": "string"}, "name": {"type": "string"},
        "aliases": {"type": "array", "items": {"type": "string"}}}),
    "article": record("article", {
        "id": INT, "url": {"type": "string"}, "title": TEXT, "published": TIMESTAMP,
        "language": TEXT, "relevant": {"type": ["boolean", "null"]},
        "relevance": {"type": ["number", "null"]}, "source": TEXT,
        "duplicate_of": {"type": ["integer", "null"]},
        "published_from": TEXT, "standfirst": TEXT,
        "captions": {"type": "array", "items": {"type": "string"}},
        "fetched_at": TIMESTAMP, "sha256": TEXT}),
    # Alerts carry their detector's payload: the shared fields are fixed, more are welcome.
    "alert": record("alert", {
        "id": INT, "kind": {"enum": ["figure_change", "new_raid"]}, "created_at": TIMESTAMP,
        "published": TIMESTAMP, "quote": TEXT, "urls": {"type": "array"},
        "date": DATE}, ["id", "kind", "created_at", "urls"], closed=False),
    "observation": record("observation", {
        "id": INT, "claim": {"type": "string"}, "label": {"type": "string"}, "value": VALUE,
        "qualifier": TEXT, "current": {"type": "boolean"},
        "statement": {"enum": ["current", "background"]}, "outcome": TEXT, "quote": TEXT,
        "article_id": INT, "title": TEXT, "url": {"type": "string"}, "outlet": {"type": "string"},
        "published": TIMESTAMP, "conflicts_with": {"type": "array", "items": INT}}),
    "crawl": record("crawl", {
        "source": {"type": "string"}, "fetched": INT, "new": INT, "updated": INT,
        "unchanged": INT, "failed": INT, "error": TEXT, "skipped": INT, "note": TEXT,
        "kind": {"enum": ["feed", "sitemap", "listing", "page", None]}}),
    "deliveries": record("deliveries", {
        "pending": INT, "sending": INT, "failed": INT, "sent": INT,
        "oldest_pending_at": TIMESTAMP, "failures": {"type": "array"},
        "mail_problems": {"type": "array", "items": {"type": "string"}}}),
    "daemon": record("daemon", {
        "running": {"type": "boolean"}, "holder": TEXT, "acquired_at": TIMESTAMP,
        "expires_at": TIMESTAMP}),
    "digest_send": record("digest_send", {
        "day": DATE, "status": {"enum": ["sent", "already_sent", "not_sent"]},
        "recipients": INT, "error": TEXT}),
}
