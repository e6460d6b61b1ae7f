"""Analysis reads the page's captions and standfirst, marked as such, and a
stored article keeps them through the crawler's store path."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from alerts.analysis.matching import Observation
from alerts.detect import (
    CAPTION_MARK,
    HEADLINE_MARK,
    analyse_pending,
    analysed_text,
    headline_marked,
)
from alerts.seed import ingest_seed, read_seed
from crawler.dedup import DuplicateIndex
from crawler.extract import Extracted
from crawler.persist import store_article
from store.config import Config
from store.db import session_scope
from store.models import Article, FigureObservation, Source
from tests.support import SEED_TXT

UTC = dt.timezone.utc
BODY = ("Cambodian officials met on Wednesday to discuss the online scam compounds in the "
        "country and the people trafficked into them, and promised more inspections.")
CAPTION = ("The Interior Ministry said it had received 850 trafficking complaints between "
           "August 18 last year and April 17.")


def test_the_analysed_text_adds_the_parts_the_body_lacks_marked_as_such() -> None:
    article = Article(url="u", text=BODY, standfirst=BODY, captions=[CAPTION, "  "])
    assert analysed_text(article) == f"{BODY}\n\n{CAPTION_MARK}{CAPTION}"
    assert analysed_text(Article(url="u", text=BODY)) == BODY


def _seeded_source(session: Session) -> int:
    """The seed's claims read, and one source to store articles under."""
    ingest_seed(session, read_seed(str(SEED_TXT)))
    source = Source(name="s", url="http://s.test/feed")
    session.add(source)
    session.flush()
    return source.id


def test_a_figure_stated_only_in_a_caption_alerts_and_its_quote_says_so(
        sqlite_engine: Engine) -> None:
    with session_scope(sqlite_engine) as session:
        source_id = _seeded_source(session)
        art = Extracted(text=BODY, title="Cambodia trafficking update", author=None,
                        published=dt.datetime(2023, 4, 19, 2, tzinfo=UTC), language="en",
                        summary=None, canonical_url=None, captions=(CAPTION,),
                        standfirst="Officials met.", published_from="json-ld")
        assert store_article(session, source_id, "http://a.test/1", art, dedup=DuplicateIndex()) == "new"
        summary = analyse_pending(session, Config())
        stored = session.scalars(select(Article)).one()
        assert (stored.captions, stored.standfirst, stored.published_from) == (
            [CAPTION], "Officials met.", "json-ld")
        observations = session.scalars(select(FigureObservation)).all()
    assert len(summary.alert_ids) == 1
    assert [o.value for o in observations] == [850]
    assert observations[0].quote.startswith(CAPTION_MARK.strip())


def test_a_figure_stated_only_in_the_headline_alerts_and_its_quote_says_so(
        sqlite_engine: Engine) -> None:
    with session_scope(sqlite_engine) as session:
        source_id = _seeded_source(session)
        art = Extracted(text=BODY, title="Cambodia Trafficking Complaints Reach 850",
                        author=None, published=dt.datetime(2023, 4, 19, 2, tzinfo=UTC),
                        language="en", summary=None, canonical_url=None, captions=(),
                        standfirst=None, published_from="json-ld")
        assert store_article(session, source_id, "http://a.test/2", art, dedup=DuplicateIndex()) == "new"
        analyse_pending(session, Config())
        observations = session.scalars(select(FigureObservation)).all()
    assert [o.value for o in observations] == [850]
    assert observations[0].quote.startswith(HEADLINE_MARK.strip())


def test_a_headline_quote_is_marked_and_a_body_quote_is_not() -> None:
    title = "Complaints Reach 850"
    obs = [Observation("complaints", 850.0, "=", True, title, 1.0),
           Observation("complaints", 850.0, "=", True, "It has received 850 complaints.", 1.0)]
    assert [o.quote for o in headline_marked(obs, title)] == [
        HEADLINE_MARK + title, "It has received 850 complaints."]
    assert headline_marked(obs, "") == obs
