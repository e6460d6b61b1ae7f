"""A day of coverage for digest tests: 10 Oct 2022, digest due 11 Oct 07:00 in Phnom Penh."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from store.models import Source
from tests.delivery import factories as f

UTC = f.UTC
NOW = dt.datetime(2022, 10, 11, 1, 0, tzinfo=UTC)  # 08:00 on 11 Oct in Phnom Penh
DAY = dt.date(2022, 10, 11)


def at(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2022, 10, day, hour, 0, tzinfo=UTC)


def busy_day(session: Session) -> f.Story:
    """One figure change, one raid, a corroboration, three relevant articles, sick sources."""
    st = f.story(session)
    wire, daily = st.sources["wire"], st.sources["daily"]
    a1 = f.article(session, wire, "complaints-500", "Complaints of forced scam work pass 500",
                   dt.datetime(2022, 10, 10, 9, 0, tzinfo=f.ICT), at(10, 3),
                   summary="The ministry's count of complaints has risen sharply since August.")
    a2 = f.article(session, daily, "siem-reap-raid", "Police raid two buildings in Siem Reap",
                   dt.datetime(2022, 10, 10, 10, 0, tzinfo=f.ICT), at(10, 4),
                   text="Officers entered two buildings on Wednesday. Twenty-four people "
                        "were detained.")
    a3 = f.article(session, daily, "rescues-hold", "Rescue tally unchanged at 361",
                   dt.datetime(2022, 10, 10, 12, 0, tzinfo=f.ICT), at(10, 6),
                   summary="Officials repeated the number of people freed so far.")
    f.article(session, wire, "rice-harvest", "Rice harvest begins early",
              dt.datetime(2022, 10, 10, 8, 0, tzinfo=f.ICT), at(10, 2), relevant=False)
    f.article(session, wire, "older-story", "An older story from the day before",
              dt.datetime(2022, 10, 9, 8, 0, tzinfo=f.ICT), at(9, 2))
    f.figure_change(session, st, a1, "complaints", 368, 500, "more than 500 complaints", ">")
    f.new_raid(session, [a2])
    f.corroboration(session, st, a3, "rescued", 361, "361 people freed")
    wire.consecutive_failures = 3
    wire.last_error = "HTTP 503 from http://wire.test/feed/"
    session.add(Source(name="portal", url="http://portal.test/category/cambodia/",
                       kind="listing", created_at=at(1, 0), last_new_article_at=at(1, 0)))
    session.flush()
    return st
