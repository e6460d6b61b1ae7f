"""Turn a rendered message into an `EmailMessage` with stable headers.

The Message-ID derives from the delivery's dedup key, so a crash between
the server's acceptance and our "sent" mark resends the same Message-ID,
which lets clients and lists recognise the duplicate (RFC 1047: exactly-once
mail is impossible; at-least-once with a stable id is the best we can do).
"""

from __future__ import annotations

import hashlib
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, parseaddr

from alerts.delivery.message_data import RenderedMessage
from alerts.delivery.sanitize import header_text
from store.types import utcnow


def message_id_for(dedup_key: str, sender: str) -> str:
    """A Message-ID stable for one delivery: the same key always gives the same id."""
    digest = hashlib.sha256(dedup_key.encode("utf-8")).hexdigest()[:32]
    domain = parseaddr(sender)[1].rpartition("@")[2] or "compoundwatch.invalid"
    return f"<cw.{digest}@{header_text(domain, 200).replace(' ', '')}>"


def build_email(
    rendered: RenderedMessage,
    *,
    sender: str,
    recipient: str,
    message_id: str,
    kind: str,
) -> EmailMessage:
    """A multipart/alternative message: plain text first, HTML preferred."""
    msg = EmailMessage()
    msg["Subject"] = header_text(rendered.subject)
    msg["From"] = formataddr(("compoundwatch", parseaddr(sender)[1] or sender))
    msg["To"] = header_text(recipient, 500)
    msg["Date"] = format_datetime(utcnow())
    msg["Message-ID"] = message_id
    msg["X-Compoundwatch-Kind"] = kind
    # Automatic mail: no vacation replies, no bounces to auto-responders.
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(rendered.text, subtype="plain", charset="utf-8")
    msg.add_alternative(rendered.html, subtype="html", charset="utf-8")
    if rendered.images:
        # multipart/related around the HTML: each chart a PNG its <img src="cid:..."> shows.
        html_part = msg.get_payload()[1]
        for image in rendered.images:
            html_part.add_related(image.png, maintype="image", subtype="png",
                                  cid=f"<{image.cid}>", filename=image.filename,
                                  disposition="inline")
    return msg
