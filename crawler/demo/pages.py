"""What the demo's news sites serve: article pages, RSS, Atom, news sitemaps,
section listings and robots.txt, rendered from the story at one phase.

Article pages carry what real news pages wrap around a story (navigation,
share bars, related and most-read lists, comments, a footer), so that the
demo exercises extraction rather than handing the crawler clean text.
Every renderer returns a `Rendered` with the body and the newest date it was
built from, which becomes the Last-Modified header.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.utils import format_datetime
from html import escape
from xml.sax.saxutils import escape as xml_escape

from crawler.demo.story import Page, Story

LISTING_PAGE_SIZE = 3  # small, so that the demo's section page paginates
FEED_SIZE = 20
SITE_NAMES = {
    "wire": "Mekong Wire",
    "daily": "Phnom Penh Daily Ledger",
    "monitor": "Southeast Asia Rights Monitor",
    "portal": "Cambodia Portal",
    "zhdaily": "柬华日报",
}
_EPOCH = dt.datetime(2022, 9, 1, tzinfo=dt.timezone.utc)
# As many Chinese-language sites still do, zhdaily serves GB18030 (declared in
# the header, the meta tag and the XML declaration), so decoding is exercised.
CHARSETS = {"zhdaily": "gb18030"}


@dataclass(frozen=True)
class Rendered:
    """A response body, its media type and the newest date it was built from."""

    body: bytes
    content_type: str
    modified: dt.datetime


def _xml(text: str) -> str:
    return xml_escape(text, {'"': "&quot;"})


def _rfc822(when: dt.datetime) -> str:
    return format_datetime(when.astimezone(dt.timezone.utc), usegmt=True)


def _nav(outlet: str, lang: str) -> str:
    if lang == "zh":
        items = ["首页", "柬埔寨", "中国", "财经", "社会", "评论"]
    else:
        items = ["Home", "Cambodia", "Region", "Business", "Opinion", "Podcasts"]
    links = "".join(f'<li><a href="/">{escape(i)}</a></li>' for i in items)
    return (
        f'<header class="site-header"><a class="skip-link" href="#main">Skip to content</a>'
        f'<div class="logo"><a href="/">{escape(SITE_NAMES[outlet])}</a></div>'
        f'<nav class="main-nav"><ul>{links}</ul></nav>'
        f'<div class="newsletter-signup">Get our morning briefing in your inbox. '
        f'<a href="/">Subscribe</a></div></header>'
    )


def _footer(outlet: str) -> str:
    return (
        f'<footer class="site-footer"><p>&copy; {escape(SITE_NAMES[outlet])}. All rights '
        f'reserved.</p><ul><li><a href="/">About us</a></li><li><a href="/">Contact</a></li>'
        f'<li><a href="/">Privacy</a></li></ul>'
        f'<div class="cookie-consent">We use cookies to understand how our site is used. '
        f'<button>Accept</button></div></footer>'
    )


def _body_html(paragraphs: tuple[str, ...]) -> str:
    parts = []
    for para in paragraphs:
        if para.startswith("## "):
            parts.append(f"<h2>{escape(para[3:])}</h2>")
        else:
            parts.append(f"<p>{escape(para)}</p>")
    return "\n".join(parts)


def _link_list(css: str, heading: str, pages: list[Page]) -> str:
    if not pages:
        return ""
    items = "".join(
        f'<li><a href="{escape(p.path)}">{escape(p.article.title)}</a></li>' for p in pages
    )
    return f'<aside class="{css}"><h3>{escape(heading)}</h3><ul>{items}</ul></aside>'


def article_page(story: Story, page: Page, base: str, phase: int) -> Rendered:
    """An article page with its boilerplate; related lists hold only older pieces."""
    art = page.article
    zh = art.language == "zh"
    older = [
        p for p in story.outlet_pages(page.outlet, phase)
        if p.published < page.published and p.path != page.path
    ]
    related = _link_list("related-articles", "相关新闻" if zh else "Related stories", older[:3])
    popular = _link_list("most-read", "热门" if zh else "Most read", older[3:6])
    time_iso = page.published.isoformat()
    charset = CHARSETS.get(page.outlet, "utf-8")
    updated = ""
    if page.updated > page.published:
        updated = (
            f'<meta property="article:modified_time" content="{page.updated.isoformat()}">'
        )
    figure = ""
    if art.image_caption:
        figure = (f'<figure><img src="/static/photo-{art.number}.jpg" alt="">'
                  f"<figcaption>{escape(art.image_caption)}</figcaption></figure>")
    credit = ""
    if page.original_path and page.original_outlet:
        credit = (f'<p class="syndication-credit">This story first appeared on '
                  f'{escape(SITE_NAMES[page.original_outlet])}.</p>')
    comments_heading = "读者评论" if zh else "Comments"
    comment_lines = (
        ("读者甲", "希望当局继续追查幕后老板。"), ("读者乙", "这样的报道很有必要。")
    ) if zh else (
        ("Sophea K.", "Thank you for covering this, please keep following the story."),
        ("expat_pp", "Friends of mine saw the buses on the road last week."),
    )
    comments = "".join(
        f'<li class="comment"><span class="comment-author">{escape(who)}</span>'
        f"<p>{escape(what)}</p></li>" for who, what in comment_lines
    )
    html = f"""<!DOCTYPE html>
<html lang="{escape(art.language)}">
<head>
<meta charset="{charset}">
<title>{escape(art.title)} | {escape(SITE_NAMES[page.outlet])}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="{escape(art.summary)}">
<meta property="og:title" content="{escape(art.title)}">
<meta property="og:type" content="article">
<meta property="og:url" content="{escape(base + page.path)}">
<meta property="article:published_time" content="{time_iso}">
{updated}
<meta name="author" content="{escape(art.author)}">
<link rel="canonical" href="{escape(base + page.path)}">
</head>
<body>
{_nav(page.outlet, art.language)}
<div class="breadcrumb"><a href="/">{"首页" if zh else "Home"}</a> &rsaquo;
<a href="/">{"柬埔寨" if zh else "Cambodia"}</a></div>
<main id="main">
<article class="post">
<h1 class="entry-title">{escape(art.title)}</h1>
<div class="byline">{"作者：" if zh else "By "}<span class="author">{escape(art.author)}</span>
<time datetime="{time_iso}">{page.published:%d %B %Y %H:%M}</time></div>
<div class="share-bar"><a href="/">Facebook</a> <a href="/">X</a> <a href="/">Telegram</a></div>
{figure}
<div class="entry-content">
{_body_html(page.paragraphs)}
{credit}
</div>
</article>
{related}
<section class="comments" id="comments"><h3>{comments_heading}</h3><ol>{comments}</ol></section>
</main>
<div class="sidebar">{popular}<div class="advert">Advertisement</div></div>
{_footer(page.outlet)}
</body>
</html>
"""
    return Rendered(html.encode(charset), f"text/html; charset={charset}", page.updated)


def _newest(pages: list[Page]) -> dt.datetime:
    return max((p.updated for p in pages), default=_EPOCH)


def rss_feed(story: Story, outlet: str, base: str, phase: int, path: str) -> Rendered:
    """RSS 2.0 of an outlet's newest articles."""
    pages = story.outlet_pages(outlet, phase)[:FEED_SIZE]
    items = []
    for p in pages:
        items.append(
            f"<item><title>{_xml(p.article.title)}</title>"
            f"<link>{_xml(base + p.path)}</link>"
            f'<guid isPermaLink="true">{_xml(base + p.path)}</guid>'
            f"<pubDate>{_rfc822(p.published)}</pubDate>"
            f"<dc:creator>{_xml(p.article.author)}</dc:creator>"
            f"<description>{_xml(p.article.summary)}</description></item>"
        )
    lang = "zh-cn" if outlet == "zhdaily" else "en"
    charset = CHARSETS.get(outlet, "utf-8")
    xml = (
        f'<?xml version="1.0" encoding="{charset.upper()}"?>\n'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
        f"<title>{_xml(SITE_NAMES[outlet])}</title><link>{_xml(base + '/')}</link>"
        f'<atom:link href="{_xml(base + path)}" rel="self" type="application/rss+xml"/>'
        f"<description>Latest news</description><language>{lang}</language>"
        f"<lastBuildDate>{_rfc822(_newest(pages))}</lastBuildDate>"
        + "".join(items) + "</channel></rss>\n"
    )
    return Rendered(xml.encode(charset), f"application/rss+xml; charset={charset}",
                    _newest(pages))


def atom_feed(story: Story, outlet: str, base: str, phase: int, path: str) -> Rendered:
    """Atom 1.0 of an outlet's newest articles; a revision moves its `updated`."""
    pages = story.outlet_pages(outlet, phase)[:FEED_SIZE]
    entries = []
    for p in pages:
        entries.append(
            f"<entry><title>{_xml(p.article.title)}</title>"
            f'<link rel="alternate" href="{_xml(base + p.path)}"/>'
            f"<id>{_xml(base + p.path)}</id>"
            f"<published>{p.published.isoformat()}</published>"
            f"<updated>{p.updated.isoformat()}</updated>"
            f"<author><name>{_xml(p.article.author)}</name></author>"
            f"<summary>{_xml(p.article.summary)}</summary></entry>"
        )
    xml = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{_xml(SITE_NAMES[outlet])}</title><id>{_xml(base + '/')}</id>"
        f'<link rel="self" href="{_xml(base + path)}"/><link href="{_xml(base + "/")}"/>'
        f"<updated>{_newest(pages).isoformat()}</updated>"
        + "".join(entries) + "</feed>\n"
    )
    return Rendered(xml.encode("utf-8"), "application/atom+xml; charset=utf-8", _newest(pages))


def news_sitemap(story: Story, outlet: str, base: str, phase: int) -> Rendered:
    """A Google News sitemap of an outlet's articles."""
    pages = story.outlet_pages(outlet, phase)
    urls = []
    for p in pages:
        urls.append(
            f"<url><loc>{_xml(base + p.path)}</loc>"
            f"<lastmod>{p.updated.isoformat()}</lastmod>"
            "<news:news><news:publication>"
            f"<news:name>{_xml(SITE_NAMES[outlet])}</news:name>"
            f"<news:language>{p.article.language}</news:language></news:publication>"
            f"<news:publication_date>{p.published.isoformat()}</news:publication_date>"
            f"<news:title>{_xml(p.article.title)}</news:title></news:news></url>"
        )
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        + "".join(urls) + "</urlset>\n"
    )
    return Rendered(xml.encode("utf-8"), "application/xml; charset=utf-8", _newest(pages))


def listing_page(story: Story, outlet: str, phase: int, page_no: int) -> Rendered | None:
    """One page of a section listing (None past the last page)."""
    pages = story.outlet_pages(outlet, phase)
    count = max(1, -(-len(pages) // LISTING_PAGE_SIZE))
    if page_no < 1 or page_no > count:
        return None
    shown = pages[(page_no - 1) * LISTING_PAGE_SIZE: page_no * LISTING_PAGE_SIZE]
    cards = "".join(
        f'<div class="card"><h2><a href="{escape(p.path)}">{escape(p.article.title)}</a></h2>'
        f'<time datetime="{p.published.isoformat()}">{p.published:%d %B %Y}</time>'
        f"<p>{escape(p.article.summary)}</p></div>"
        for p in shown
    )
    pager = []
    if page_no > 1:
        prev = "" if page_no == 2 else f"?page={page_no - 1}"
        pager.append(f'<a rel="prev" class="prev" href="/category/cambodia/{prev}">Previous</a>')
    if page_no < count:
        pager.append(f'<a rel="next" class="next" href="/category/cambodia/?page={page_no + 1}">'
                     "Next page</a>")
    html = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Cambodia | {escape(SITE_NAMES[outlet])}</title></head>
<body>{_nav(outlet, "en")}
<main id="main"><h1>Cambodia</h1><section class="section-listing">{cards}</section>
<nav class="pagination">{" ".join(pager)}</nav></main>
{_footer(outlet)}</body></html>
"""
    return Rendered(html.encode("utf-8"), "text/html; charset=utf-8", _newest(shown))


def robots_txt(outlet: str, base: str) -> Rendered:
    """robots.txt; the sitemap outlet names its news sitemap here."""
    lines = ["User-agent: *", "Disallow: /search", "Disallow: /wp-admin/"]
    if outlet == "monitor":
        lines += ["", f"Sitemap: {base}/sitemap-news.xml"]
    return Rendered(("\n".join(lines) + "\n").encode(), "text/plain; charset=utf-8", _EPOCH)


def seed_page(story: Story, base: str) -> Rendered:
    """The seed retelling as an article page (also written to a file for `init`)."""
    seed = story.seed
    page = Page(seed, "wire", "/seed/", seed.paragraphs, seed.published, seed.published)
    return article_page(story, page, base, 0)
