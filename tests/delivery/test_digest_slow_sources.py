"""The digest's source health names the sources whose articles arrive late."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from alerts.delivery.digest_data import gather_digest, latest_due_day
from store.config import config_from_dict
from store.db import session_scope
from store.models import Article
from store.sources import add_source
from store.types import utcnow


def test_a_source_whose_articles_reach_the_store_late_is_flagged_slow(engine: Engine) -> None:
    config = config_from_dict({"digest": {"slow_after": "1h", "timezone": "UTC",
                                          "at": "00:00"}})
    now = utcnow()
    with session_scope(engine) as session:
        slow = add_source(session, "http://127.0.0.1:1/slow", name="slow")
        slow.poll_interval_seconds = 1800
        quick = add_source(session, "http://127.0.0.1:1/quick", name="quick")
        session.flush()
        for i, (source, delay) in enumerate(((slow, 3 * 3600), (slow, 4 * 3600),
                                             (quick, 60), (quick, 120))):
            stored = now - dt.timedelta(hours=1, minutes=i)
            session.add(Article(url=f"http://127.0.0.1:1/a{i}", source_id=source.id,
                                published=stored - dt.timedelta(seconds=delay),
                                fetched_at=stored))
    with session_scope(engine) as session:
        data = gather_digest(session, config, latest_due_day(config, now + dt.timedelta(days=1)))
    health = {h.name: (h.problem, h.detail) for h in data.health}
    assert health["slow"][0] == "slow" and "3.5 h after publication" in health["slow"][1]
    assert "polled every 30 min" in health["slow"][1]
    assert "quick" not in health
