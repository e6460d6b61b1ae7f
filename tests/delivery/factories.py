"""Rows the analysis would have written: a seed, claims, articles, alerts.

Payloads follow DESIGN.md's `alerts --json` format. The seed statements are
our own paraphrases, not the seed article's sentences.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from store.models import (
    Alert,
    Article,
    Claim,
    FigureObservation,
    Raid,
    RaidReport,
    SeedDocument,
    Source,
)

ICT = dt.timezone(dt.timedelta(hours=7))
UTC = dt.timezone.utc
SEED_URL = "https://cambojanews.com/cambodia-at-risk-of-worst-country-label/"
COMPLAINTS_MEASURE = ("complaints about trafficking, forced labour or confinement received "
                      "since 18 August 2022")


@dataclass
class Story:
    seed: SeedDocument
    claims: dict[str, Claim]
    sources: dict[str, Source]


def story(session: Session, created: dt.datetime | None = None) -> Story:
    """The seed with three claims and two watched outlets."""
    created = created or dt.datetime(2022, 10, 1, tzinfo=UTC)
    seed = SeedDocument(location=SEED_URL,
                        title="Cambodia At Risk of Being Called 'Worst Country' Over Trafficking",
                        published=dt.datetime(2022, 9, 30, 9, 0, tzinfo=ICT),
                        text="(paraphrased seed)", content_hash="0" * 64, created_at=created)
    session.add(seed)
    claims = {}
    for key, value, measure, quote in [
        ("complaints", 368, COMPLAINTS_MEASURE,
         "Officials said 368 complaints of trafficking, forced work or confinement had come "
         "in since mid-August."),
        ("rescued", 361, "people rescued by authorities in searches of premises",
         "Searches of premises had freed 361 people, officials said."),
        ("tip_tier", "Tier 3", "Cambodia's ranking in the TIP report",
         "The kingdom risked the lowest TIP ranking, Tier 3."),
    ]:
        claims[key] = Claim(seed=seed, key=key, value=value, measure=measure, quote=quote,
                            current_value=value, created_at=created)
        session.add(claims[key])
    sources = {}
    for name, url in [("wire", "http://wire.test/feed/"), ("daily", "http://daily.test/atom.xml")]:
        sources[name] = Source(name=name, url=url, kind="feed", created_at=created,
                               last_new_article_at=created)
        session.add(sources[name])
    session.flush()
    return Story(seed, claims, sources)


def article(session: Session, source: Source, slug: str, title: str, published: dt.datetime,
            fetched_at: dt.datetime | None = None, *, relevant: bool = True,
            summary: str | None = None, text: str = "") -> Article:
    base = "/".join(source.url.split("/")[:3])
    a = Article(url=f"{base}/2022/{slug}/", source=source, title=title,
                published=published, fetched_at=fetched_at or published, relevant=relevant,
                summary=summary, text=text or (summary or title), language="en")
    session.add(a)
    session.flush()
    return a


def figure_change(session: Session, st: Story, art: Article, key: str, previous: Any, new: Any,
                  quote: str, qualifier: str = "=", created_at: dt.datetime | None = None
                  ) -> Alert:
    claim = st.claims[key]
    session.add(FigureObservation(claim=claim, article=art, value=new, qualifier=qualifier,
                                  quote=quote, outcome="change",
                                  created_at=created_at or art.fetched_at))
    claim.current_value = new
    alert = Alert(kind="figure_change", dedup_key=f"figure:{key}:{previous}->{new}",
                  article_id=art.id, created_at=created_at or art.fetched_at, payload={
                      "claim": claim.measure, "claim_key": key, "seed_value": claim.value,
                      "previous_value": previous, "new_value": new, "qualifier": qualifier,
                      "quote": quote, "urls": [art.url],
                      "published": art.published.isoformat() if art.published else None,
                      "title": art.title, "source": art.source.name if art.source else None})
    session.add(alert)
    session.flush()
    return alert


def corroboration(session: Session, st: Story, art: Article, key: str, value: Any,
                  quote: str) -> FigureObservation:
    obs = FigureObservation(claim=st.claims[key], article=art, value=value, quote=quote,
                            outcome="corroboration", created_at=art.fetched_at)
    session.add(obs)
    session.flush()
    return obs


def new_raid(session: Session, arts: list[Article], *, location: str = "Siem Reap",
             place: str = "Siem Reap city", date: str = "2022-09-28", site: str = "two buildings",
             arrested: int | None = 24, rescued: int | None = None,
             quote: str = "police searched two buildings in Siem Reap city and detained 24 people",
             created_at: dt.datetime | None = None, key: str | None = None) -> Alert:
    raid = Raid(key=key or f"{location.lower().replace(' ', '-')}-{date}", location=location[:100],
                place=place[:300], date=dt.date.fromisoformat(date) if len(date) == 10 else None,
                site=site, arrested=arrested, rescued=rescued, first_article_id=arts[0].id)
    session.add(raid)
    for a in arts:
        session.add(RaidReport(raid=raid, article=a, quote=quote))
    alert = Alert(kind="new_raid", dedup_key=f"raid:{raid.key}", article_id=arts[0].id,
                  created_at=created_at or arts[0].fetched_at, payload={
                      "location": location, "place": place, "date": date, "site": site,
                      "arrested": arrested, "rescued": rescued, "quote": quote,
                      "urls": [a.url for a in arts]})
    session.add(alert)
    session.flush()
    return alert
