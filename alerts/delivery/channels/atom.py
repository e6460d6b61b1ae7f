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

from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts.delivery.context import alert_view
from alerts.delivery.render import render_alert
from store.config import Config
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
