"""The digest's charts as PNG, for email: drawn with Pillow from the same
shapes as the SVG (alerts.delivery.chart.chart_shapes).

Why a PNG: Gmail and Outlook strip inline SVG, so most readers would get
the chart as text only. Why Pillow: it ships wheels with FreeType and a
bundled scalable font for every platform we run on (no system fonts, no
Cairo), is a few MB installed, and draws the few primitives a sparkline
needs; cairosvg needs the Cairo C library, matplotlib is ~40 MB with numpy.
Drawn at twice the size and shown at 300 x 140 so it stays sharp on phones.
"""

from __future__ import annotations

import io
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from alerts.delivery.chart import FONT, HEIGHT, WIDTH, Chart, Dot, Line, Polyline, Rect, Text

SCALE = 2


@lru_cache(maxsize=4)
def _font(size: int, bold: bool) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    # Pillow's bundled font has no bold face: bold text is drawn with a stroke.
    return ImageFont.load_default(size=size)


def _draw_text(draw: ImageDraw.ImageDraw, t: Text) -> None:
    font = _font(FONT * SCALE, t.bold)
    anchor = {"start": "ls", "middle": "ms", "end": "rs"}[t.anchor]
    draw.text((t.x * SCALE, t.y * SCALE), t.body, fill=t.fill, font=font, anchor=anchor,
              stroke_width=1 if t.bold else 0, stroke_fill=t.fill)


def chart_png(chart: Chart) -> bytes:
    """PNG bytes of the chart, SCALE times its CSS size."""
    image = Image.new("RGB", (WIDTH * SCALE, HEIGHT * SCALE), "#ffffff")
    draw = ImageDraw.Draw(image)
    for shape in chart.shapes:
        if isinstance(shape, Rect):
            draw.rounded_rectangle((shape.x * SCALE, shape.y * SCALE,
                                    (shape.x + shape.w) * SCALE - 1,
                                    (shape.y + shape.h) * SCALE - 1),
                                   radius=shape.rx * SCALE, fill=shape.fill)
        elif isinstance(shape, Line):
            draw.line((shape.x1 * SCALE, shape.y1 * SCALE, shape.x2 * SCALE, shape.y2 * SCALE),
                      fill=shape.stroke, width=SCALE)
        elif isinstance(shape, Polyline):
            draw.line([(x * SCALE, y * SCALE) for x, y in shape.points], fill=shape.stroke,
                      width=round(shape.width * SCALE), joint="curve")
        elif isinstance(shape, Dot):
            r = shape.r * SCALE
            draw.ellipse((shape.x * SCALE - r, shape.y * SCALE - r, shape.x * SCALE + r,
                          shape.y * SCALE + r), fill=shape.fill)
        else:
            _draw_text(draw, shape)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
