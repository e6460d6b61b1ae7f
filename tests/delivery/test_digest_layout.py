"""How the digest reads: biggest changes first, a phone layout, legible charts.

Rendering is pure, so these build views by hand (no store, no browser).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re

from alerts.delivery.chart import HEIGHT, WIDTH, sparkline_svg
from alerts.delivery.digest_render import render_digest
from alerts.delivery.message_data import AlertView, DigestData, FigurePoint, FigureSeries, SourceRef
from alerts.payloads import FigureChange

DAY = dt.date(2022, 10, 11)
START = dt.datetime(2022, 10, 10, tzinfo=dt.UTC)
SCRIPT = "<script>alert('x')</script>"


def change(key: str, previous: object, new: object, qualifier: str = "=") -> AlertView:
    return AlertView(kind="figure_change", payload=FigureChange(
        claim_key=key, claim=f"{key} since August", seed_value=previous,
        previous_value=previous, new_value=new, qualifier=qualifier,
        urls=(f"https://example.org/{key}",)),
        sources=(SourceRef(url=f"https://example.org/{key}", title=f"{key} story",
                           outlet="wire", published="2022-10-10"),))


def digest(*changes: AlertView, series: tuple[FigureSeries, ...] = ()) -> DigestData:
    return DigestData(day=DAY, window_start=START, window_end=START + dt.timedelta(days=1),
                      changes=changes, series=series)


def test_the_biggest_changes_come_first_in_both_parts_with_headline_counts() -> None:
    small = change("complaints", 368, 500, ">")   # +36%
    big = change("rescued", 361, 2000)            # +454%
    text_value = change("tier", "Tier 2", "Tier 3")  # not a number: last
    msg = render_digest(digest(small, text_value, big))
    html = msg.html
    assert html.index("rescued story") < html.index("complaints story") < \
        html.index("tier story", html.index("complaints story"))
    text = msg.text
    assert text.index("  - rescued: 361 → 2,000") < text.index("  - complaints: 368 →") < \
        text.index("  - tier: Tier 2 → Tier 3")
    assert "Biggest changes: rescued 361 → 2,000; complaints 368 → more than 500; " \
           "tier Tier 2 → Tier 3." in text
    assert re.search(r">3</div>\s*<div[^>]*>figures changed<", html)
    assert re.search(r">0</div>\s*<div[^>]*>new raids<", html)


def test_the_html_is_email_safe_centred_and_turns_into_cards_on_a_phone() -> None:
    html = render_digest(digest(change("complaints", 368, 500))).html
    # Essential layout is inline (clients that drop <style> keep it): a centred column.
    assert 'width="680"' in html and "max-width:680px" in html and "margin:0 auto" in html
    # The figure table is a table; a media query (an enhancement) stacks it on phones,
    # each value keeping its label.
    assert "<th>Previous</th><th>New</th>" in html
    assert "@media only screen and (max-width: 620px)" in html
    assert 'data-label="Seed"' in html and 'data-label="New"' in html
    assert '<meta name="viewport"' in html
    assert "<script" not in html


def test_hostile_text_stays_text_in_the_new_layout() -> None:
    msg = render_digest(digest(change(SCRIPT, 1, 5)))
    assert "<script>" not in msg.html
    assert "&lt;script&gt;" in msg.html


def series(*points: tuple[dt.date, object], key: str = "complaints") -> FigureSeries:
    return FigureSeries(key=key, measure="complaints received",
                        points=tuple(FigurePoint(w, v) for w, v in points))


def texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def test_every_chart_has_the_same_size_and_labels_its_axes() -> None:
    long = sparkline_svg(series((dt.date(2022, 9, 30), 368), (dt.date(2022, 10, 5), 368),
                                (dt.date(2023, 4, 19), 850), (dt.date(2023, 6, 16), 1100)))
    ranged = sparkline_svg(series((dt.date(2022, 9, 30), [70000, 100000]),
                                  (dt.date(2023, 8, 30), 100000)))
    assert long and ranged
    for svg in (long, ranged):
        assert f'width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}"' in svg
    labels = texts(long)
    # y axis: zero and the highest value; x axis: first and last dates; the latest value.
    assert {"0", "1,100", "30 Sep 2022", "16 Jun 2023"} <= set(labels)
    assert labels.count("1,100") == 2  # on the axis and by the latest point
    assert "100,000" in texts(ranged) and "0" in texts(ranged)
    # The range is a band from 70,000 to 100,000: 30 % of the axis' height.
    band = re.search(r'<rect x="[\d.]+" y="([\d.]+)" width="10" height="([\d.]+)"', ranged)
    assert band is not None
    plot = HEIGHT - 22 - 26  # TOP and BOTTOM margins
    assert abs(float(band.group(2)) - 0.3 * plot) < 0.2 and abs(float(band.group(1)) - 22) < 0.2


def test_date_labels_never_overlap() -> None:
    crowded = sparkline_svg(series(*[(dt.date(2022, 9, 30) + dt.timedelta(days=d), d)
                                     for d in range(0, 40, 2)]))
    assert crowded
    spans = []
    for x, anchor, body in re.findall(
            r'<text x="([\d.]+)" y="[\d.]+"[^>]*text-anchor="(\w+)">(\d+ \w+ \d{4})</text>',
            crowded):
        w = len(body) * 6.2
        left = {"start": float(x), "end": float(x) - w}.get(anchor, float(x) - w / 2)
        spans.append((left, left + w))
    assert len(spans) >= 2
    spans.sort()
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
    assert all(0 <= a and b <= WIDTH for a, b in spans)


def test_a_single_or_flat_or_textual_series() -> None:
    one = sparkline_svg(series((dt.date(2022, 9, 30), 9)))
    assert one and "30 Sep 2022" in texts(one) and "9" in texts(one)
    flat = sparkline_svg(series((dt.date(2022, 9, 30), 54), (dt.date(2022, 10, 5), 54)))
    assert flat and texts(flat).count("54") == 2  # one grid line, and the latest value
    assert sparkline_svg(series((dt.date(2022, 9, 30), "Tier 3"))) is None
    hostile = sparkline_svg(series((dt.date(2022, 9, 30), 1), key='x" onload="alert(1)'))
    assert hostile and 'onload="' not in hostile
