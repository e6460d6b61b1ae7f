"""The digest email as Gmail shows it: inline SVG stripped, `cid:` images
served from the message's parts. Rendered in headless Chromium, the charts
are there (drawn from the PNG parts), not only their values as text."""

from __future__ import annotations

import re
import subprocess
from email.message import EmailMessage
from pathlib import Path

from PIL import Image
from sqlalchemy import Engine

from alerts.delivery.digest import send_digest_if_due
from store.db import session_scope
from tests.delivery import digest_story as ds
from tests.delivery.test_digest_renders import CHROMIUM_FLAGS, _chromium

DOT = (176, 58, 46)  # the charts' red dots (alerts.delivery.chart.DOT)
LINE = (31, 95, 153)  # the charts' blue line (alerts.delivery.chart.LINE)


def as_gmail_shows_it(message: EmailMessage, folder: Path, *, images: bool) -> Path:
    """The HTML part with <svg> removed and each cid: pointing at its saved part
    (or, without `images`, at nothing: a client that shows no images)."""
    html_part = message.get_body(preferencelist=("html",))
    assert html_part is not None
    html = re.sub(r"<svg\b.*?</svg>", "", str(html_part.get_content()), flags=re.DOTALL)
    for n, part in enumerate(p for p in message.walk() if p.get_content_type() == "image/png"):
        cid = str(part["Content-ID"]).strip("<>")
        name = f"part{n}.png"
        if images:
            (folder / name).write_bytes(part.get_content())
        html = html.replace(f"cid:{cid}", name)
    page = folder / "gmail.html"
    page.write_text(html, encoding="utf-8")
    return page


def screenshot(page: Path, folder: Path) -> Image.Image:
    shot, profile = folder / "shot.png", folder / "profile"
    profile.mkdir(exist_ok=True)
    subprocess.run([_chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                    f"--screenshot={shot}", "--window-size=800,2400", page.as_uri()],
                   check=True, timeout=60, capture_output=True)
    return Image.open(shot).convert("RGB")


def near(colour: tuple[int, int, int], target: tuple[int, int, int], slack: int = 24) -> bool:
    return all(abs(a - b) <= slack for a, b in zip(colour, target, strict=True))


def pixels_like(image: Image.Image, target: tuple[int, int, int]) -> int:
    return sum(n for n, c in image.getcolors(maxcolors=2_000_000) or [] if near(c, target))


def test_the_digest_email_shows_its_charts_where_svg_is_stripped(
        sqlite_engine: Engine, smtp, make_config, tmp_path: Path) -> None:
    config = make_config(smtp.port)
    with session_scope(sqlite_engine) as session:
        ds.busy_day(session)
    assert send_digest_if_due(sqlite_engine, config, ds.NOW) is True
    message = smtp.received[0].message
    with_images, without = tmp_path / "with", tmp_path / "without"
    with_images.mkdir()
    without.mkdir()
    shown = screenshot(as_gmail_shows_it(message, with_images, images=True), with_images)
    blank = screenshot(as_gmail_shows_it(message, without, images=False), without)
    # The chart lines and dots come from the PNGs: far more of their colours
    # than the red figures and blue links the text has on its own.
    assert pixels_like(shown, LINE) > pixels_like(blank, LINE) + 250
    assert pixels_like(shown, DOT) > pixels_like(blank, DOT) + 60
