"""A small store for the web tests: the delivery factories' story, plus a
range value, a conflict, a background figure, a copy, a revision, a seed
raid and a hostile title. Paraphrased text only (no corpus sentences)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from store.models import (
    Alert,
    Article,
    ArticleCapture,
    ArticleRevision,
    FetchState,
    FigureObservation,
    Raid,
)
from tests.delivery import factories as f
from tests.delivery.test_hostile_text import HOSTILE as DELIVERY_HOSTILE

UTC = dt.timezone.utc
# The delivery suite's hostile title (script, header injection, bidi override,
# 5,000 characters), with an event-handler attribute in front.
ARCHIVE_ID = "<urn:uuid:00000000-0000-4000-8000-000000000001>"
ARCHIVE_SHA = "ab" * 32
HOSTILE = "<img src=x onerror=alert(1)>" + DELIVERY_HOSTILE


@dataclass
class WebStory:
    change: Alert
    raid: Alert
    hostile_raid: Alert
    later_change: Alert  # 500 -> 850: its previous value came from `change`
    article_id: int
    copy_id: int
    hostile_id: int


def day(n: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2022, 10, n, hour, tzinfo=UTC)


def fill(session: Session) -> WebStory:
    st = f.story(session)
    wire, daily = st.sources["wire"], st.sources["daily"]
    wire.last_success_at = day(20)
    daily.consecutive_failures, daily.last_error = 2, "Traceback...\nDNS lookup failed for daily.test"
    a1 = f.article(session, wire, "complaints-rise", "Complaints about scam compounds rise",
                   day(10), text="Officials now count more than 500 complaints about forced "
                                 "scam work.\nA hotline opened in Phnom Penh.")
    change = f.figure_change(session, st, a1, "complaints", 368, 500,
                             "more than 500 complaints", ">", created_at=day(10, 12))
    copy = Article(url="http://daily.test/2022/copy/", source=daily, title="Complaints rise (copy)",
                   text=a1.text, published=day(11), fetched_at=day(11), relevant=True,
                   language="en", duplicate_of_id=a1.id)
    session.add(copy)
    a2 = f.article(session, daily, "rescues", "Hundreds freed in searches", day(12),
                   text="Between 1,000 and 1,500 people were freed, the ministry said.")
    session.add(FigureObservation(claim=st.claims["rescued"], article=a2, value=[1000, 1500],
                                  quote="Between 1,000 and 1,500 people were freed",
                                  outcome="change", created_at=day(12)))
    a3 = f.article(session, wire, "rescues-other", "A different count of the freed", day(13),
                   text="Some 2,000 people were freed, a rights group said.")
    session.add(FigureObservation(claim=st.claims["rescued"], article=a3, value=2000,
                                  qualifier="~", quote="Some 2,000 people were freed",
                                  outcome="change", created_at=day(13)))
    session.add(FigureObservation(claim=st.claims["rescued"], article=a3, value=120,
                                  current=False, quote="in 2021 only 120 had been freed",
                                  outcome="background", created_at=day(13)))
    raid = f.new_raid(session, [a2, a3], location="Siem Reap", place="Siem Reap city",
                      date="2022-10-12", site="two buildings", arrested=24,
                      created_at=day(12, 12))
    hostile = f.article(session, wire, "hostile", HOSTILE, day(14), text=HOSTILE + " compound")
    hostile_raid = f.new_raid(session, [hostile], location="Kandal", place=HOSTILE, site=HOSTILE,
                              date="2022-10-14", quote=HOSTILE, key="hostile-raid",
                              created_at=day(14, 12))
    a4 = f.article(session, daily, "complaints-again", "Complaints keep rising", day(15),
                   text="The count of complaints reached 850, the ministry said.")
    later = f.figure_change(session, st, a4, "complaints", 500, 850, "reached 850",
                            created_at=day(15, 12))
    session.add(Raid(key="seed-raid", location="Preah Sihanouk", place="Sihanoukville",
                     date=dt.date(2022, 9, 20), site="a compound", rescued=80, from_seed=True))
    first = ArticleRevision(article=a1, revision=1, title=a1.title,
                            text="Officials count 450 complaints.", content_hash="1" * 64,
                            fetched_at=day(10, 1))
    session.add(first)
    session.flush()
    # The archived copy of that first fetch: the copy the complaints alert cites.
    session.add(ArticleCapture(revision_id=first.id, article_id=a1.id, record_id=ARCHIVE_ID, url=a1.url,
                               status=200, warc_file="cw-test.warc.gz", offset=0, length=900,
                               sha256=ARCHIVE_SHA, fetched_at=day(10, 1)))
    a1.revision = 2
    session.add_all([FetchState(url=f"http://wire.test/p{i}", source_id=wire.id,
                                last_status=304 if i < 3 else 200) for i in range(4)])
    session.flush()
    return WebStory(change=change, raid=raid, hostile_raid=hostile_raid, later_change=later,
                    article_id=a1.id,
                    copy_id=copy.id, hostile_id=hostile.id)
