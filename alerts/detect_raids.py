"""Raids in the store: a report matched to the known raid it is of, or a new
raid (and its alert) when it matches none; every report kept with its quote."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts.analysis.raid_matching import Known, best_match
from alerts.analysis.raids import RaidEvent
from alerts.payloads import NewRaid
from alerts.raising import AnalysisSummary, iso_moment, raise_alert
from store.models import Article, Raid, RaidReport

MAX_RAID_EVIDENCE = 2


def raid_evidence(events: list[RaidEvent]) -> int:
    """How much the raids an article reports tie it to the story (as seed figures do):
    a dated operation on premises in a Cambodian province, more when people were freed
    ("55 Thais freed from a casino in Oddar Meanchey" needs no scam word)."""
    return min(MAX_RAID_EVIDENCE, sum(1 + (e.rescued is not None) for e in events))


def record_raids(session: Session, article: Article, events: list[RaidEvent],
           summary: AnalysisSummary) -> None:
    taken: set[int] = set()
    for event in events:
        raid = find_raid(session, event, taken)
        if raid is None:
            raid = Raid(key=raid_key(event, article), location=event.location,
                        place=event.place,
                        date=event.date, date_precision=event.precision, site=event.site,
                        arrested=event.arrested, rescued=event.rescued,
                        nationalities=list(event.nationalities), first_article_id=article.id)
            session.add(raid)
            session.flush()
            raise_alert(session, f"new_raid:{raid.key}", raid_payload(raid, event, article), article,
                   summary)
        taken.add(raid.id)
        exists = session.scalar(select(RaidReport).where(
            RaidReport.raid_id == raid.id, RaidReport.article_id == article.id))
        if exists is None:
            session.add(RaidReport(raid_id=raid.id, article_id=article.id, quote=event.quote))
        summary.raids_reported += 1


def find_raid(session: Session, event: RaidEvent, taken: set[int] | frozenset[int] = frozenset()
              ) -> Raid | None:
    """The known raid in the same province this report is of (raid_matching weighs dates,
    premises and town); `taken`: raids another event of the same article already is."""
    raids = [r for r in session.scalars(select(Raid).where(Raid.location == event.location))
             if r.date is not None and r.id not in taken]
    index = best_match(Known(event.date, event.precision, event.site, event.place),
                       [Known(r.date, r.date_precision or "day", r.site, r.place) for r in raids])
    return None if index is None else raids[index]


def raid_payload(raid: Raid, event: RaidEvent, article: Article) -> NewRaid:
    date = event.date.isoformat() if event.precision == "day" else event.date.isoformat()[:7]
    return NewRaid(
        raid_key=raid.key, location=event.location, place=event.place, date=date,
        site=event.site, arrested=event.arrested, rescued=event.rescued,
        nationalities=tuple(event.nationalities), quote=event.quote, urls=(article.url,),
        published=iso_moment(article.published), article_id=article.id)


def raid_key(event: RaidEvent, article: Article) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", event.location.lower()).strip("-")
    return f"{slug}-{event.date.isoformat()}-a{article.id}"
