"""The demo's story: bundled articles and what each outlet shows at a phase.

The data (`data/story.json`, `data/seed.json`) is a small timeline of
coverage that follows the seed, adapted from the project's development
corpus. It carries no labels: the demo shows what the product finds, not
what it was expected to find. This module only answers "which pages exist
at phase N, with which body and dates", so the page renderers and the HTTP
server stay free of timeline logic.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

OUTLETS = ("wire", "daily", "monitor", "portal", "zhdaily")
# Copies and revisions carry no date of their own: they are dated just after
# the newest date visible before their phase, so dates grow with phases.
_NEXT_DATE_STEP = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class Article:
    """One article of the story as its outlet published it."""

    id: str
    outlet: str
    slug: str
    published: dt.datetime
    phase: int
    language: str
    title: str
    author: str
    summary: str
    paragraphs: tuple[str, ...]
    number: int
    image_caption: str | None = None
    syndicated_to: tuple[str, ...] = ()
    revisions: tuple[tuple[int, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class Page:
    """An article page as served at one phase (an original or a syndicated copy)."""

    article: Article
    outlet: str
    path: str
    paragraphs: tuple[str, ...]
    published: dt.datetime
    updated: dt.datetime
    # The original's page when this is a syndicated copy.
    original_path: str | None = None
    original_outlet: str | None = None


@dataclass
class Story:
    """The whole timeline, and the pages each outlet shows at a given phase."""

    name: str
    phases: int
    articles: list[Article]
    seed: Article
    _cache: dict[int, list[Page]] = field(default_factory=dict, repr=False)

    def pages(self, phase: int) -> list[Page]:
        """Every article page visible at `phase`, oldest first."""
        if phase not in self._cache:
            self._cache[phase] = self._build(phase)
        return self._cache[phase]

    def last_phase(self) -> int:
        """The last phase at which something appears (copies come one phase late)."""
        last = 0
        for art in self.articles:
            last = max([last, art.phase + (1 if art.syndicated_to else 0)]
                       + [rev_phase for rev_phase, _ in art.revisions])
        return last

    def outlet_pages(self, outlet: str, phase: int) -> list[Page]:
        """One outlet's pages at `phase`, newest first (as feeds list them)."""
        pages = [p for p in self.pages(phase) if p.outlet == outlet]
        return sorted(pages, key=lambda p: p.published, reverse=True)

    def newest_date(self, phase: int) -> dt.datetime:
        """The newest publication or update date visible at `phase`."""
        dates = [self.seed.published]
        for page in self.pages(phase) if phase > 0 else []:
            dates += [page.published, page.updated]
        return max(dates)

    def _build(self, phase: int) -> list[Page]:
        pages: list[Page] = []
        for art in self.articles:
            if art.phase > phase:
                continue
            paragraphs, updated = art.paragraphs, art.published
            for rev_phase, rev_paragraphs in art.revisions:
                if rev_phase <= phase:
                    paragraphs = rev_paragraphs
                    updated = self.newest_date(rev_phase - 1) + _NEXT_DATE_STEP
            path = article_path(art.outlet, art)
            pages.append(Page(art, art.outlet, path, paragraphs, art.published, updated))
            for target in art.syndicated_to:
                if art.phase + 1 > phase:
                    continue
                copied = self.newest_date(art.phase) + _NEXT_DATE_STEP
                pages.append(Page(
                    art, target, article_path(target, art, copy=True), paragraphs,
                    copied, max(copied, updated), path, art.outlet,
                ))
        return sorted(pages, key=lambda p: p.published)


def article_path(outlet: str, art: Article, *, copy: bool = False) -> str:
    """The URL path of an article on an outlet, in that outlet's own URL style."""
    number = art.number + (5000 if copy else 0)
    local = art.published.astimezone(dt.timezone(dt.timedelta(hours=7)))
    if outlet == "wire":
        return f"/{local:%Y/%m/%d}/{art.slug}/"
    if outlet == "daily":
        return f"/news/{number}/{art.slug}"
    if outlet == "monitor":
        return f"/story/{art.slug}{'-syndicated' if copy else ''}.html"
    if outlet == "portal":
        return f"/cambodia/{art.slug}-{number}"
    if outlet == "zhdaily":
        return f"/a/{number}.html"
    raise ValueError(f"unknown outlet {outlet!r}")


def _article(raw: dict[str, Any], number: int) -> Article:
    return Article(
        id=raw["id"],
        outlet=raw["outlet"],
        slug=raw["slug"],
        published=dt.datetime.fromisoformat(raw["published"]),
        phase=int(raw["phase"]),
        language=raw.get("language", "en"),
        title=raw["title"],
        author=raw.get("author", ""),
        summary=raw.get("summary", ""),
        paragraphs=tuple(raw["paragraphs"]),
        number=number,
        image_caption=raw.get("image_caption"),
        syndicated_to=tuple(raw.get("syndicated_to", ())),
        revisions=tuple(
            (int(r["phase"]), tuple(r["paragraphs"])) for r in raw.get("revisions", ())
        ),
    )


def _read_json(name: str) -> Any:
    return json.loads(resources.files("crawler.demo").joinpath("data", name).read_text("utf-8"))


def load_story() -> Story:
    """The bundled story and seed retelling (read from the installed package)."""
    raw = _read_json("story.json")
    articles = [_article(a, 1000 + i) for i, a in enumerate(raw["articles"])]
    seed = _article(_read_json("seed.json"), 999)
    for art in articles:
        if art.outlet not in OUTLETS or any(t not in OUTLETS for t in art.syndicated_to):
            raise ValueError(f"article {art.id}: unknown outlet")
    return Story(raw.get("name", "demo"), int(raw["phases"]), articles, seed)
