"""analyse_pending over hand-stored articles: relevance, changes, corroboration,
revisions, copies, raids known from the seed."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, select

from alerts.detect import analyse_pending
from alerts.seed import ingest_seed, read_seed
from store.config import Config
from store.db import session_scope
from store.models import Alert, Article, Claim, FigureObservation, Raid
from tests.support import SEED_TXT

UTC = dt.timezone.utc


def _seed(engine: Engine) -> None:
    with session_scope(engine) as session:
        ingest_seed(session, read_seed(str(SEED_TXT)))


def _article(session, url: str, text: str, day: dt.date, **kw) -> Article:
    article = Article(url=url, title=kw.pop("title", "Cambodia trafficking update"), text=text,
                      published=dt.datetime.combine(day, dt.time(2), UTC), language="en", **kw)
    session.add(article)
    session.flush()
    return article


CHANGE = ("The Interior Ministry said it had received 850 trafficking complaints between "
          "August 18 last year and April 17, as online scam compounds in Cambodia kept victims "
          "confined.")


def test_a_new_value_alerts_once_and_a_repeat_corroborates(engine: Engine) -> None:
    _seed(engine)
    with session_scope(engine) as session:
        _article(session, "http://a.test/1", CHANGE, dt.date(2023, 4, 19))
        _article(session, "http://b.test/2", CHANGE.replace("The Interior", "Again, the"),
                 dt.date(2023, 4, 20))
        summary = analyse_pending(session, Config())
    assert len(summary.alert_ids) == 1
    with session_scope(engine) as session:
        (alert,) = session.scalars(select(Alert)).all()
        assert alert.kind == "figure_change"
        assert (alert.payload["seed_value"], alert.payload["previous_value"],
                alert.payload["new_value"]) == (368, 368, 850)
        assert alert.payload["urls"] == ["http://a.test/1"]
        assert alert.payload["label"] == "complaints"
        assert alert.payload["claim"].startswith("complaints related to human trafficking")
        assert alert.payload["claim"].endswith("since 18 August 2022")
        claim = session.scalar(select(Claim).where(Claim.key == "complaints"))
        outcomes = [o.outcome for o in session.scalars(
            select(FigureObservation).order_by(FigureObservation.id))]
    assert outcomes == ["change", "corroboration"]
    assert claim is not None and claim.current_value == 850 and claim.value == 368


def test_syndicated_copies_and_irrelevant_articles_never_alert(engine: Engine) -> None:
    _seed(engine)
    with session_scope(engine) as session:
        original = _article(session, "http://a.test/1", "Nothing new.", dt.date(2023, 4, 1))
        _article(session, "http://c.test/copy", CHANGE, dt.date(2023, 4, 19),
                 duplicate_of_id=original.id)
        _article(session, "http://d.test/school", "Cambodia opened 368 new school buildings "
                 "with 850 classrooms in Kandal.", dt.date(2023, 4, 20), title="Schools")
        summary = analyse_pending(session, Config())
        irrelevant = session.scalar(select(Article).where(Article.url == "http://d.test/school"))
        assert irrelevant is not None and irrelevant.relevant is False
    assert summary.alert_ids == []


def test_a_revision_alerts_only_for_what_it_adds(engine: Engine) -> None:
    _seed(engine)
    with session_scope(engine) as session:
        article = _article(session, "http://a.test/1", CHANGE, dt.date(2023, 4, 19))
        assert len(analyse_pending(session, Config()).alert_ids) == 1
        article.text = CHANGE + "\nOver the same period the committee rescued 2,132 people."
        article.revision, article.needs_analysis = 2, True
    with session_scope(engine) as session:
        summary = analyse_pending(session, Config())
        kinds = [session.get(Alert, i).payload["claim_key"] for i in summary.alert_ids]
    assert kinds == ["people_rescued"]
    with session_scope(engine) as session:
        article = session.scalar(select(Article))
        assert article.analysed_revision == 2 and not article.needs_analysis


def test_the_seed_raid_is_known_and_a_new_raid_alerts_once_with_later_sources(
        engine: Engine) -> None:
    _seed(engine)
    with session_scope(engine) as session:
        assert session.scalar(select(Raid).where(Raid.from_seed.is_(True))) is not None
        _article(session, "http://a.test/recall", "Last month police raided one company's "
                 "compound in Sihanoukville, a scam hub in Cambodia, and arrested 27 foreigners.",
                 dt.date(2022, 10, 11))
        _article(session, "http://a.test/poipet", "A raid in Poipet on Saturday freed 215 "
                 "foreigners from a building suspected of housing a Cambodian scam centre.",
                 dt.date(2025, 2, 23))
        _article(session, "http://b.test/poipet", "Cambodian police said the raid on a "
                 "building in Poipet on Saturday found 230 foreigners working for scam bosses.",
                 dt.date(2025, 2, 24))
        summary = analyse_pending(session, Config())
        alerts = [session.get(Alert, i) for i in summary.alert_ids]
    assert [a.kind for a in alerts] == ["new_raid"]
    assert alerts[0].payload["location"] == "Banteay Meanchey"
    assert alerts[0].payload["date"] == "2025-02-22"
    from alerts.alert_rows import alert_rows
    with session_scope(engine) as session:
        (row,) = alert_rows(session, kind="new_raid")
    assert row["urls"] == ["http://a.test/poipet", "http://b.test/poipet"]


@pytest.mark.postgres
def test_two_analyses_on_postgresql_run_one_after_the_other() -> None:
    """The second analysis waits for the first one's transaction (advisory lock)."""
    import threading
    import time

    from sqlalchemy.orm import Session

    from alerts.detect import serialise_analysis
    from store.db import make_engine, upgrade
    from tests.support import postgres_database

    with postgres_database() as url:
        engine = make_engine(url)
        upgrade(engine)
        first = Session(engine)
        serialise_analysis(first)
        entered = threading.Event()

        def second() -> None:
            with Session(engine) as s:
                serialise_analysis(s)
                entered.set()
                s.rollback()

        thread = threading.Thread(target=second)
        thread.start()
        time.sleep(0.5)
        assert not entered.is_set()
        first.rollback()
        thread.join(10)
        assert entered.is_set()
        first.close()
        engine.dispose()


def test_two_sites_on_consecutive_days_in_one_town_are_two_new_raids(engine: Engine) -> None:
    _seed(engine)
    with session_scope(engine) as session:
        _article(session, "http://a.test/hotel", "Police went into a casino hotel in Bavet on "
                 "Tuesday and freed 40 Vietnamese held by a Cambodian scam ring.",
                 dt.date(2025, 4, 3))
        _article(session, "http://b.test/tower", "Officers searched an office tower in Bavet on "
                 "Wednesday and detained 12 suspected scam bosses in Cambodia.",
                 dt.date(2025, 4, 3))
        _article(session, "http://c.test/recall", "The casino hotel in Bavet that police entered "
                 "on April 1 has reopened, Cambodian scam workers say.", dt.date(2025, 4, 20))
        summary = analyse_pending(session, Config())
        alerts = [session.get(Alert, i) for i in summary.alert_ids]
    assert sorted((a.payload["date"], a.payload["site"]) for a in alerts) == [
        ("2025-04-01", "a casino hotel"), ("2025-04-02", "an office tower")]


def test_a_raid_freeing_people_ties_an_article_without_scam_words_to_the_story(
        engine: Engine) -> None:
    _seed(engine)
    with session_scope(engine) as session:
        article = _article(session, "http://a.test/freed", "Police freed 55 Thais from a casino "
                           "in Oddar Meanchey on Wednesday.", dt.date(2025, 4, 4), title="55 freed")
        other = _article(session, "http://b.test/fair", "A trade fair opened in Oddar Meanchey "
                         "on Wednesday.", dt.date(2025, 4, 4), title="Trade fair")
        analyse_pending(session, Config())
        assert (article.relevant, other.relevant) == (True, False)
