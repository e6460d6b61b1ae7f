"""Raid events: law-enforcement operations against identified premises in Cambodia.

An article reports a raid when a sentence has an operation word ("raided",
"search of", "inspection", "arrested ... at", 突击检查), a date, and premises
in it or in a neighbouring operation sentence; the province comes from the
sentence, else the nearest earlier sentence naming a Cambodian place, else
the title. Campaign tallies ("92 sites since June", "raids of recent weeks")
and plural operations without a day are not raids. Sentences of one article
that point to the same province and dates within a few days are one event.

What one sentence says is read in `raid_sentences`, what its neighbours and the
article's layout make of it in `raid_context`, the site and counts in `raid_details`,
how anchors merge into events in `raid_events`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Container, Sequence

from alerts.analysis.dates import DateMention
from alerts.analysis.lexicon import RAID_TRIGGERS, mentions_foreign_country
from alerts.analysis.places import PlaceMention, find_places_loosely
from alerts.analysis.raid_agents import trigger_clause
from alerts.analysis.raid_context import (Lazy, carried_date, dateline_place, list_lead, scope,
                                          strip_dateline)
from alerts.analysis.raid_coordination import (after_the_fronted, coordinated_provinces,
                                               main_clause_start, raids_by_day, raids_by_part)
from alerts.analysis.raid_events import SAME_RAID_DAYS, Anchor, RaidEvent, close, merge
from alerts.analysis.raid_roundups import roundup_items
from alerts.analysis.raid_sentences import (SentenceFacts, event_date, event_dates, is_operation,
                                            is_raid_sentence)
from alerts.analysis.text import Sentence, split_sentences

__all__ = ["SAME_RAID_DAYS", "RaidEvent", "extract_raids", "is_raid_sentence"]

_IN_CAMBODIA = re.compile(r"\b(?:in|across|inside) Cambodia\b|柬埔寨境内|在柬")
_PLURAL_TRIGGER = re.compile(r"\b(?:raids|searches|operations|inspections)\b", re.IGNORECASE)


def extract_raids(title: str, text: str, published: dt.date,
                  latest: dt.date | None = None) -> list[RaidEvent]:
    """The raids an article reports, one event per operation (`latest`: a revision's date)."""
    split = split_sentences(text)
    dateline = None
    if split:
        first, name = strip_dateline(split[0].text)
        dateline = dateline_place(name)
        split[0] = Sentence(first, split[0].index, split[0].paragraph)
    sentences = [x.text for x in split]
    info = [SentenceFacts(s) for s in sentences]
    title_places = find_places_loosely(title or "")
    headline = SentenceFacts(title or "")
    if all(f.trigger is None for f in info) and headline.trigger is None:
        return []
    # A headline of a raid ("Police raid casino in Kampot") names the premises its lead's
    # dated operation sentence leaves out.
    told_above = headline.trigger is not None and headline.premises and not headline.campaign \
        and not _abroad(title)
    parts = {i: found for i, s in enumerate(sentences) if info[i].trigger is not None
             and not info[i].campaign and len({p.province for p in info[i].places}) > 1
             and (found := raids_by_part(s, info[i].places, event_dates(s, published, latest),
                                         RAID_TRIGGERS))}
    # A sentence of several raids governs no other sentence's date or counts. Dates are
    # worked out only for the sentences asked about.
    dated: Lazy[DateMention | None] = Lazy(len(sentences), lambda i: None if (
        info[i].campaign or i in parts) else _sentence_date(sentences[i], info[i], published,
                                                            latest))
    governing: Lazy[DateMention | None] = Lazy(
        len(sentences), lambda i: dated[i] or carried_date(split, i, dated))
    anchors: list[Anchor] = []
    for i, s in enumerate(sentences):
        if info[i].trigger is None or info[i].campaign:
            continue
        trigger = info[i].trigger  # read after `campaign`, which may pick its clause's
        date = governing[i] or (event_date(s, trigger, published, latest) if i in parts else None)
        if date is None or i not in parts and not _in_clause(info[i].clause, dated[i], date) \
                or date.date > (latest or published):  # "a week after" counted past today
            continue
        plural = bool(_PLURAL_TRIGGER.search(trigger.group(0)))
        if plural and date.precision != "day":
            continue
        near = [j for j in (i - 2, i - 1, i + 1, i + 2) if 0 <= j < len(sentences)
                and info[j].premises and not info[j].tally
                and (info[j].trigger is not None or abs(i - j) == 1)]
        premises, places = info[i].premises, info[i].places
        place_guess = places[0].province if places else None
        # A neighbour of another time lends no premises ("Police raided a casino on Tuesday.
        # It was the second raid after the raid in July": July's has none of its own).
        near = [j for j in near if (_may_count(info[j], governing[j], date, place_guess)
                                    if place_guess is not None
                                    else _same_time(governing[j], date))]
        lead = told_above and i < 2 and not premises and not near
        if not premises and not near and not lead:
            continue
        if not places and mentions_foreign_country(s) and not _IN_CAMBODIA.search(s):
            continue  # an operation abroad ("Thai police raided a building in Mae Sot")
        if _abroad(trigger_clause(s, trigger)):
            continue  # "... in Myawaddy on Tuesday, officials in Phnom Penh said"
        if i in parts:  # several raids in one sentence, each in its own words
            anchors += [Anchor(i, d or date, p, p.province, 1, [text], [text])
                        for p, d, text in parts[i]]
            continue
        several = coordinated_provinces(s, places)
        if several:  # "in Kandal and Koh Kong on Saturday": one raid in each
            anchors += [Anchor(i, date, p, p.province, 0, [s], []) for p in several]
            continue
        if info[i].summary:
            continue  # "operations at two separate properties": told one by one elsewhere
        place = _province_for(i, sentences, info, title_places, split) or dateline
        if place is None:
            continue
        by_day = raids_by_day(s, event_dates(s, published, latest)) if premises else []
        if by_day:  # "a compound on Monday and another building on Tuesday": one raid a day
            anchors += [Anchor(i, d, place if places else None, place.province, 1, [text], [text])
                        for d, text in by_day]
            continue
        score = (2 * premises + (1 if places else 0) + (date.precision == "day")
                 + (dated[i] is not None) + is_operation(trigger))
        group = [s] + [sentences[j] for j in near] + ([title] if lead else [])
        counting = _count_sentences(i, date, place.province, sentences, info, governing, parts)
        anchors.append(Anchor(i, date, place if places else None, place.province, score, group,
                               counting))
    made = {a.index for a in anchors}
    for i, day, texts in roundup_items(split, info, published, latest):
        if i not in made and dated[i] is None:  # "• Kampot: a casino complex, 120 detained"
            place = info[i].places[0]
            anchors.append(Anchor(i, day, place, place.province, 2, texts, texts))
    if not anchors and title_places and is_raid_sentence(title, published):
        # the raid is told only in the headline ("Police raid Kampot casino on Tuesday")
        date = event_date(title, headline.trigger, published, latest)
        if date is not None:
            anchors.append(Anchor(len(sentences), date, title_places[0],
                                  title_places[0].province, 0, [title], [title]))
    return merge(anchors, sentences + [title])


def _abroad(clause: str) -> bool:
    """An operation's clause naming a foreign place and no Cambodian one."""
    return mentions_foreign_country(clause) and not _IN_CAMBODIA.search(clause) \
        and not find_places_loosely(clause)


def _in_clause(clause: tuple[int, int] | None, own: DateMention | None,
               date: DateMention) -> bool:
    """A raid told beside a campaign is dated by a day in its own clause."""
    if clause is None:
        return True
    return own is date and date.precision == "day" and clause[0] <= date.start < clause[1]


def _sentence_date(s: str, facts: SentenceFacts, published: dt.date,
                   latest: dt.date | None) -> DateMention | None:
    """The operation's date in a sentence with an operation word, else the date a lead or
    heading names (which may govern the sentences after it)."""
    if facts.trigger is not None:  # "A week after the vote on March 3, police raided ..."
        return after_the_fronted(s, facts.trigger, event_date(s, facts.trigger, published,
                                                              latest))
    if not s.isascii() or re.search(r"\d|day|week|month|January|February|March|April|May|"
                                    r"June|July|August|September|October|November|December",
                                    s):
        dates = event_dates(s, published, latest)
        return dates[0] if dates else None
    return None


def _count_sentences(i: int, date: DateMention, province: str, sentences: list[str],
                     info: list[SentenceFacts], governing: Sequence[DateMention | None],
                     multi: Container[int] = ()) -> list[str]:
    """Sentences that may give the operation's counts: the raid sentence, its neighbours
    that no other date or province governs, then other operation sentences of its day."""
    out = [sentences[i]]
    for j in (i - 1, i + 1, i + 2):
        if 0 <= j < len(sentences) and j not in multi \
                and _may_count(info[j], governing[j], date, province):
            out.append(sentences[j])
    for j, s in enumerate(sentences):
        other = governing[j]
        if s in out or info[j].trigger is None or other is None or j in multi \
                or not _may_count(info[j], other, date, province) or _other_province(
                info[j].places, province):
            continue
        if other.precision == "day" == date.precision and other.date == date.date:
            out.append(s)
    return out


def _may_count(facts: SentenceFacts, governing: DateMention | None, date: DateMention,
               province: str) -> bool:
    """A sentence not of a campaign, of several operations, of another day or of another
    province's operation."""
    if facts.tally or facts.summed:
        return False
    if governing is not None and not close(governing, date) or (
            governing is not None and governing.precision == date.precision == "day"
            and governing.date != date.date):
        return False
    return not (_other_province(facts.places, province) and facts.trigger is not None)


def _same_time(governing: DateMention | None, date: DateMention) -> bool:
    """A sentence no date governs, or one of a date close to (and not another day than) this."""
    return governing is None or close(governing, date) and not (
        governing.precision == date.precision == "day" and governing.date != date.date)


def _other_province(places: list[PlaceMention], province: str) -> bool:
    return bool(places) and all(p.province != province for p in places)


_FROM = re.compile(r"\bfrom\s+(?:the\s+)?$", re.IGNORECASE)


def _province_for(i: int, sentences: list[str], info: list[SentenceFacts],
                  title_places: list[PlaceMention], split: list[Sentence]
                  ) -> PlaceMention | None:
    own = info[i].places
    if own:  # a town before its province; "officers from Phnom Penh" came from elsewhere
        s = sentences[i]
        main = main_clause_start(s)  # "A week after a court in Kampot ..., police raided ..."
        trigger = info[i].trigger
        main = main if trigger is not None and trigger.start() > main else 0
        return sorted(own, key=lambda p: (p.start < main, bool(_FROM.search(s[:p.start])),
                                          p.level == "province"))[0]
    lead = list_lead(split, split[i].paragraph)
    near = scope(split, i) if lead is not None else list(range(i - 1, max(-1, i - 3), -1))
    for j in near:
        if info[j].places:
            return info[j].places[0]
    if title_places:
        return title_places[0]
    for j in range(i - 1, -1, -1):
        if info[j].places:
            return info[j].places[0]
    # "Police moved in on Tuesday. The compound in Kampot held 300": the premises told next
    if i + 1 < len(sentences) and info[i + 1].premises and info[i + 1].places:
        return info[i + 1].places[0]
    return None
