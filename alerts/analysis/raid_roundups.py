"""Roundups of raids as a list: a lead that says raids happened on a day ("Police raided
several sites on Tuesday:") and items each naming a province and a site, often with no verb
("• Kampot: a casino complex, 120 detained"). Each such item is one raid of the lead's day
(or of its own). A lead of a campaign ("since January"), of no day, or one whose raid is told
in an earlier sentence than the one opening the list ("... on Tuesday. Other casinos:") lends
its items nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from alerts.analysis.dates import DateMention
from alerts.analysis.lexicon import CAMPAIGN, CAMPAIGN_GUARD, mentions_foreign_country
from alerts.analysis.raid_context import list_lead, paragraph_indices
from alerts.analysis.raid_sentences import SentenceFacts, event_dates, is_campaign
from alerts.analysis.text import Sentence

# A lead of several raids: "raids", "sites", "provinces", 多处 (one raid's lead lists its details).
_SEVERAL = re.compile(r"\b(?:raids|operations|searches|inspections|sites|compounds|premises|"
                      r"locations|places|buildings|provinces)\b|[多几幾两兩二三四五六七八九十]\s*(?:处|處|个|個|起)",
                      re.IGNORECASE)
_ITEM_WORDS = 30  # an item's first sentence: a heading of a site, not a story


def lead_day(split: list[Sentence], info: Sequence[SentenceFacts], p: int,
             published: dt.date, latest: dt.date | None) -> DateMention | None:
    """The day of the raids the lead of list item p says happened, if it says so in its last
    sentence (the one opening the list) with an operation word and one day."""
    lead = list_lead(split, p)
    if lead is None:
        return None
    last = paragraph_indices(split, lead)[-1]
    s = split[last].text
    if info[last].trigger is None or (not CAMPAIGN_GUARD.excludes(s) and CAMPAIGN.search(s)) \
            or not _SEVERAL.search(s):
        return None
    days = {d.date: d for d in event_dates(s, published, latest) if d.precision == "day"}
    return next(iter(days.values())) if len(days) == 1 else None


def roundup_items(split: list[Sentence], info: Sequence[SentenceFacts],
                  published: dt.date, latest: dt.date | None
                  ) -> list[tuple[int, DateMention, list[str]]]:
    """Items of a raids roundup, each with its day and its paragraph's sentences."""
    out = []
    for i, sentence in enumerate(split):
        first = i == 0 or split[i - 1].paragraph != sentence.paragraph
        facts = info[i]
        s = sentence.text
        if not first or len(s.split()) > _ITEM_WORDS or not facts.premises \
                or len({p.province for p in facts.places}) != 1 or is_campaign(s) \
                or mentions_foreign_country(s):
            continue
        own = [d for d in event_dates(s, published, latest) if d.precision == "day"]
        day = own[0] if len(own) == 1 else lead_day(split, info, sentence.paragraph,
                                                     published, latest)
        if day is None or list_lead(split, sentence.paragraph) is None:
            continue
        out.append((i, day, [split[j].text for j in paragraph_indices(split, sentence.paragraph)]))
    return out
