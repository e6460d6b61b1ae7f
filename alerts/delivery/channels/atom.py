"""An Atom feed of alerts, for feed readers (`alerts.atom_path`, rewritten after a crawl).

Built with ElementTree, so scraped titles are escaped as XML text; the file
is replaced atomically, so a reader never sees half a feed.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from alerts.delivery.context import alert_view
from alerts.delivery.render import render_alert
from store.config import Config
from store.db import session_scope
from store.models import Alert
from store.types import rfc3339, utcnow

# A feed is read by a feed reader or web server running as another user
# (mkstemp creates files only their owner can read).
FEED_FILE_MODE = 0o644

ATOM = "http://www.w3.org/2005/Atom"
FEED_LIMIT = 100


def _tag_id(key: str) -> str:
    return "urn:compoundwatch:alert:" + hashlib.sha256(key.encode()).hexdigest()[:32]


def alerts_atom(session: Session, limit: int = FEED_LIMIT) -> bytes:
    """The newest alerts as an Atom 1.0 document (UTF-8 bytes)."""
    ET.register_namespace("", ATOM)
    alerts = session.scalars(select(Alert).order_by(Alert.created_at.desc(), Alert.id.desc())
                             .limit(limit)).all()
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}title").text = "compoundwatch alerts"
    ET.SubElement(feed, f"{{{ATOM}}}id").text = "urn:compoundwatch:alerts"
    updated = alerts[0].created_at if alerts else utcnow()
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = rfc3339(updated)
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = "compoundwatch"
    for alert in alerts:
        view = alert_view(session, alert)
        rendered = render_alert(view)
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = _tag_id(alert.dedup_key)
        ET.SubElement(entry, f"{{{ATOM}}}title").text = rendered.subject
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = rfc3339(alert.created_at)
        ET.SubElement(entry, f"{{{ATOM}}}category", term=alert.kind)
        # The article that raised it is the entry's alternate (what a reader opens);
        # later reports of the same raid are related.
        links = [r.url for r in view.sources if r.url.lower().startswith(("http://", "https://"))]
        for n, url in enumerate(dict.fromkeys(links)):
            ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate" if n == 0 else "related",
                          type="text/html", href=url)
        ET.SubElement(entry, f"{{{ATOM}}}content", type="text").text = rendered.text
    return bytes(ET.tostring(feed, encoding="utf-8", xml_declaration=True))


def refresh_atom_file(engine: Engine, config: Config) -> Path | None:
    """Rewrite the feed when it is missing or lacks the newest alert; its path if rewritten.

    Called after the transaction that raised and queued alerts has committed, so
    the feed never shows an alert that was rolled back, and a process killed
    between that commit and this write is mended by the next call."""
    if not config.alerts.atom_path:
        return None
    with session_scope(engine) as session:
        newest = session.scalars(select(Alert.dedup_key).order_by(
            Alert.created_at.desc(), Alert.id.desc()).limit(1)).first()
        if _first_entry_id(config.resolve_path(config.alerts.atom_path)) == (
                _tag_id(newest) if newest else ""):
            return None
        return write_atom_file(session, config)


def _first_entry_id(path: Path) -> str | None:
    """The id of the feed file's first (newest) entry; "" for none, None when unreadable."""
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        return None
    entry = root.find(f"{{{ATOM}}}entry")
    return "" if entry is None else entry.findtext(f"{{{ATOM}}}id") or ""


def write_atom_file(session: Session, config: Config) -> Path | None:
    """Rewrite the feed at `alerts.atom_path` (relative to the config file); its path."""
    if not config.alerts.atom_path:
        return None
    path = config.resolve_path(config.alerts.atom_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = alerts_atom(session)
    fd, tmp = tempfile.mkstemp(prefix=".atom-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, FEED_FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
