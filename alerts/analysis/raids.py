"""Raid events: law-enforcement operations against identified premises in Cambodia.

An article reports a raid when a sentence has an operation word ("raided",
"search of", "inspection", "arrested ... at", 突击检查), a date, and premises
in it or in a neighbouring operation sentence; the province comes from the
sentence, else the nearest earlier sentence naming a Cambodian place, else
the title. Campaign tallies ("92 sites since June", "raids of recent weeks")
and plural operations without a day are not raids. Sentences of one article
that point to the same province and dates within a few days are one event.

Its arrested and rescued counts come from the raid sentence, its neighbours and
other sentences dated to the same day: a number of people (suspects,
foreigners, Koreans, 名/人 ...) whose nearest arrest or rescue verb in the
clause says what happened to them; totals said before or in the count's
clause ("since July", "this year", "nationwide") are a campaign's, not the raid's.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Container, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from alerts.analysis.dates import DateMention, find_dates
from alerts.analysis.guards import guard
from alerts.analysis.lexicon import (_PREMISES_OTHER as _PREMISES_OTHER_ZH)
from alerts.analysis.lexicon import (CAMPAIGN, CAMPAIGN_GUARD, CONCEPTS, NATIONALITIES,
                                     PERSON_HEADS, PREMISES, PREMISES_GUARD, RAID_TRIGGERS,
                                     RAID_TRIGGERS_GUARD, concepts_of, mentions_foreign_country)
from alerts.analysis.numbers import find_numbers, parse_chinese
from alerts.analysis.phrases import Quantity, quantities
from alerts.analysis.places import PlaceMention, find_places_loosely
from alerts.analysis.raid_counts import raid_counts
from alerts.analysis.raid_context import (Lazy, carried_date, coordinated_provinces, dateline_place,
                                          distinct_sites, is_summary, list_lead, raids_by_part,
                                          scope, strip_dateline)
from alerts.analysis.text import Sentence, split_sentences, stem

SAME_RAID_DAYS = 4
_IN_CAMBODIA = re.compile(r"\b(?:in|across|inside) Cambodia\b|柬埔寨境内|在柬")
_PLURAL_TRIGGER = re.compile(r"\b(?:raids|searches|operations|inspections)\b", re.IGNORECASE)
_NOT_TRIGGER = re.compile(r"\bto be (?:rescued|freed)\b|\basking to be\b", re.IGNORECASE)
_REPORTING = re.compile(
    r"(?:said|says|announced|told\s+\w+|reported|stated|added|confirmed|announcing|named|"
    r"listed|alerted)"
    # "said that on May 2 police ...", "reported raids on Monday": the date is the event's
    r"(?:\s+(?!that\b|(?:raids|operations|searches|inspections|arrests)\b)\w+){0,2}"
    r"\s+(?:on\s+)?$", re.IGNORECASE)
_MANY_NOUNS = ("sites", "compounds", "locations", "buildings", "casinos", "centres", "places",
               "premises", "properties")
_MANY_PREMISES = re.compile(
    r"\b(?:more than\s+)?(?:\d[\d,]*|ten|dozens of|hundreds of|several|many)\s+"
    r"(?:\w+\s+)?(?:" + "|".join(_MANY_NOUNS) + r")\b"
    , re.IGNORECASE)
_MANY_PREMISES_GUARD = guard(_MANY_NOUNS)  # every match ends with one of them
_WORD = re.compile(r"[A-Za-z]+|[\u4e00-\u9fff]+")
_ZH_PREMISES_COUNT = re.compile(r"([一二两三四五六七八九十百千万\d]+)多?处")


@dataclass(frozen=True)
class RaidEvent:
    """One raid as an article reports it."""

    location: str
    place: str | None
    date: dt.date
    precision: str  # "day" or "month"
    site: str | None
    arrested: int | None
    rescued: int | None
    nationalities: tuple[str, ...] = ()
    quote: str = ""


@dataclass
class _Anchor:
    index: int
    date: DateMention
    place: PlaceMention | None
    province: str
    score: int
    sentences: list[str] = field(default_factory=list)
    count_sentences: list[str] = field(default_factory=list)


def _is_campaign(s: str) -> bool:
    if not CAMPAIGN_GUARD.excludes(s) and CAMPAIGN.search(s):
        return True
    many = None if _MANY_PREMISES_GUARD.excludes(s) else _MANY_PREMISES.search(s)
    if many and not re.search(r"\b(?:two|three|2|3)\s+(?:\w+\s+)?locations\b", many.group(0)):
        return True
    if s.isascii():
        return False  # a count of 处 needs Chinese
    for m in _ZH_PREMISES_COUNT.finditer(s):
        count = parse_chinese(m.group(1))
        if count is not None and count > 3:
            return True  # "九十二处": many sites, a campaign
    return False


# "found" and "released" tell of a raid only as "police found ...", "were found", and
# "released to/into/from" (not "a report released on Monday").
_FOUND_BY = re.compile(r"\b(?:police|officers|authorities|they|were|was|been|team|agents)\s+$",
                       re.IGNORECASE)
_RELEASED_TO = re.compile(r"\s+(?:to|into|from)\b", re.IGNORECASE)


def _trigger(s: str) -> re.Match[str] | None:
    if RAID_TRIGGERS_GUARD.excludes(s):
        return None
    for m in RAID_TRIGGERS.finditer(s):
        word = m.group(0).lower()
        if word == "found" and not _FOUND_BY.search(s[max(0, m.start() - 16):m.start()]):
            continue
        if word == "released" and not (_RELEASED_TO.match(s, m.end()) and _FOUND_BY.search(
                s[max(0, m.start() - 16):m.start()])):
            continue
        if not _NOT_TRIGGER.search(s[max(0, m.start() - 12):m.end()]):
            return m
    return None


def _event_dates(s: str, published: dt.date, latest: dt.date | None = None
                 ) -> list[DateMention]:
    """Dates of a sentence that may be an operation's (not the day something was said)."""
    return [d for d in find_dates(s, published, latest)
            if d.date <= (latest or published) and not _REPORTING.search(s[:d.start])
            and not re.match(r"\s*(?:以来|以來|起|报道|報道|发布|發布|表示|宣布|宣佈|称|稱|公布|公佈)",
                             s[d.end:])]


def _event_date(s: str, trigger: re.Match[str], published: dt.date,
                latest: dt.date | None = None) -> DateMention | None:
    dates = _event_dates(s, published, latest)
    if not dates:
        return None
    return min(dates, key=lambda d: abs(d.start - trigger.start()))


def _has_premises(s: str) -> bool:
    return not PREMISES_GUARD.excludes(s) and PREMISES.search(s) is not None


def is_raid_sentence(s: str, published: dt.date) -> bool:
    """A sentence that by itself reports a dated operation on premises."""
    trigger = _trigger(s)
    return bool(trigger and _has_premises(s) and not _is_campaign(s)
                and _event_date(s, trigger, published))


class _Facts:
    """What extract_raids asks of a sentence, each part worked out when first asked:
    most sentences are only asked for their operation word."""

    def __init__(self, sentence: str) -> None:
        self.sentence = sentence
        self.trigger = _trigger(sentence)

    @cached_property
    def premises(self) -> bool:
        return _has_premises(self.sentence)

    @cached_property
    def summary(self) -> bool:
        return is_summary(self.sentence)

    @cached_property
    def campaign(self) -> bool:
        return _is_campaign(self.sentence)

    @cached_property
    def places(self) -> list[PlaceMention]:
        return find_places_loosely(self.sentence)


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
    info = [_Facts(s) for s in sentences]
    title_places = find_places_loosely(title or "")
    if all(f.trigger is None for f in info):
        return []
    parts = {i: found for i, s in enumerate(sentences) if info[i].trigger is not None
             and not info[i].campaign and len({p.province for p in info[i].places}) > 1
             and (found := raids_by_part(s, info[i].places, _event_dates(s, published, latest),
                                         RAID_TRIGGERS))}
    # A sentence of several raids governs no other sentence's date or counts. Dates are
    # worked out only for the sentences asked about.
    dated: Lazy[DateMention | None] = Lazy(len(sentences), lambda i: None if (
        info[i].campaign or i in parts) else _sentence_date(sentences[i], info[i], published,
                                                            latest))
    governing: Lazy[DateMention | None] = Lazy(
        len(sentences), lambda i: dated[i] or carried_date(split, i, dated))
    anchors: list[_Anchor] = []
    for i, s in enumerate(sentences):
        trigger = info[i].trigger
        if trigger is None or info[i].campaign:
            continue
        date = governing[i] or (_event_date(s, trigger, published, latest) if i in parts else None)
        if date is None:
            continue
        plural = bool(_PLURAL_TRIGGER.search(trigger.group(0)))
        if plural and date.precision != "day":
            continue
        near = [j for j in (i - 2, i - 1, i + 1, i + 2) if 0 <= j < len(sentences)
                and info[j].premises and not info[j].campaign
                and (info[j].trigger is not None or abs(i - j) == 1)]
        premises, places = info[i].premises, info[i].places
        place_guess = places[0].province if places else None
        near = [j for j in near if place_guess is None
                or _may_count(info[j], governing[j], date, place_guess)]
        if not premises and not near:
            continue
        if not places and mentions_foreign_country(s) and not _IN_CAMBODIA.search(s):
            continue  # an operation abroad ("Thai police raided a building in Mae Sot")
        if i in parts:  # several raids in one sentence, each in its own words
            anchors += [_Anchor(i, d or date, p, p.province, 1, [text], [text])
                        for p, d, text in parts[i]]
            continue
        several = coordinated_provinces(s, places)
        if several:  # "in Kandal and Koh Kong on Saturday": one raid in each
            anchors += [_Anchor(i, date, p, p.province, 0, [s], []) for p in several]
            continue
        if info[i].summary:
            continue  # "operations at two separate properties": told one by one elsewhere
        place = _province_for(i, sentences, info, title_places, split) or dateline
        if place is None:
            continue
        score = (2 * premises + (1 if places else 0) + (date.precision == "day")
                 + (dated[i] is not None) + _is_operation(trigger))
        group = [s] + [sentences[j] for j in near]
        counting = _count_sentences(i, date, place.province, sentences, info, governing, parts)
        anchors.append(_Anchor(i, date, place if places else None, place.province, score, group,
                               counting))
    return _merge(anchors, sentences)


# Words that tell what happened to people, not that premises were entered.
_OUTCOMES = re.compile(r"^(?:rescu|freed|free|detain|arrest|caught|netted|apprehend|releas|"
                       r"remov|escort|led|helped|pulled|rounded|police|officers|were|逮捕|抓获|解救|抓獲|带|帶)",
                       re.IGNORECASE)


def _is_operation(trigger: re.Match[str]) -> bool:
    return not _OUTCOMES.match(trigger.group(0))


def _sentence_date(s: str, facts: _Facts, published: dt.date,
                   latest: dt.date | None) -> DateMention | None:
    """The operation's date in a sentence with an operation word, else the date a lead or
    heading names (which may govern the sentences after it)."""
    if facts.trigger is not None:
        return _event_date(s, facts.trigger, published, latest)
    if not s.isascii() or re.search(r"\d|day|week|month|January|February|March|April|May|"
                                    r"June|July|August|September|October|November|December",
                                    s):
        dates = _event_dates(s, published, latest)
        return dates[0] if dates else None
    return None


def _count_sentences(i: int, date: DateMention, province: str, sentences: list[str],
                     info: list[_Facts], governing: Sequence[DateMention | None],
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


def _may_count(facts: _Facts, governing: DateMention | None, date: DateMention,
               province: str) -> bool:
    """A sentence not of a campaign, of several operations, of another day or of another
    province's operation."""
    if facts.campaign or facts.summary:
        return False
    if governing is not None and not _close(governing, date) or (
            governing is not None and governing.precision == date.precision == "day"
            and governing.date != date.date):
        return False
    return not (_other_province(facts.places, province) and facts.trigger is not None)


def _other_province(places: list[PlaceMention], province: str) -> bool:
    return bool(places) and all(p.province != province for p in places)


_FROM = re.compile(r"\bfrom\s+(?:the\s+)?$", re.IGNORECASE)


def _province_for(i: int, sentences: list[str], info: list[_Facts],
                  title_places: list[PlaceMention], split: list[Sentence]
                  ) -> PlaceMention | None:
    own = info[i].places
    if own:  # a town before its province; "officers from Phnom Penh" came from elsewhere
        s = sentences[i]
        return sorted(own, key=lambda p: (bool(_FROM.search(s[:p.start])),
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
    if title_places:
        return title_places[0]
    return None


def _merge(anchors: list[_Anchor], sentences: list[str]) -> list[RaidEvent]:
    groups: list[list[_Anchor]] = []
    for a in anchors:
        group = _group_for(a, groups, sentences)
        if group is None:
            groups.append([a])
        else:
            group.append(a)
    events = []
    for g in groups:
        best = max(g, key=lambda a: (a.score, a.date.precision == "day", -a.index))
        day = [a for a in g if a.date.precision == "day"]
        date = best.date if best.date.precision == "day" or not day else day[0].date
        texts = [s for a in g for s in a.sentences]
        counting = [s for a in sorted(g, key=lambda a: -a.score) for s in a.count_sentences]
        place = next((a.place for a in sorted(g, key=lambda a: -a.score) if a.place), None)
        counts = _counts(counting, date.date)
        events.append(RaidEvent(
            location=best.province, place=place.name if place else None,
            date=date.date, precision=date.precision, site=_site(texts),
            arrested=counts["arrest"], rescued=counts["rescue"],
            nationalities=_nationalities(texts), quote=sentences[best.index]))
    return events


def _group_for(a: _Anchor, groups: list[list[_Anchor]], sentences: list[str]
               ) -> list[_Anchor] | None:
    """The operation an anchor is part of: one of its province on its very day, else one
    every sentence of which may be of the same operation."""
    mine = [g for g in groups if g[0].province == a.province]
    for g in mine:
        if any((b.date.date, b.date.precision) == (a.date.date, a.date.precision) for b in g):
            return g
    for g in mine:
        if all(_same_operation(a, b, sentences) for b in g):
            return g
    return None


def _same_operation(a: _Anchor, b: _Anchor, sentences: list[str]) -> bool:
    """Close dates, unless the days differ and the sentences name different premises
    ("a casino hotel" on Wednesday, "a second team entered a compound" on Thursday)."""
    if not _close(a.date, b.date):
        return False
    if a.date.date == b.date.date and a.date.precision == b.date.precision:
        return True
    return not distinct_sites(sentences[a.index], sentences[b.index])


def _counts(texts: list[str], day: dt.date) -> dict[str, int | None]:
    """Arrested and rescued: by the verb of each count's own clause (raid_counts), else by
    the older clause rules, which never take a number the first gave the other kind."""
    found: dict[str, int | None] = dict(raid_counts(texts))
    for concept, other in (("arrest", "rescue"), ("rescue", "arrest")):
        if found.get(concept) is None:
            value = _count(texts, concept, day)
            found[concept] = None if value is not None and value == found.get(other) else value
    return found


def _close(a: DateMention, b: DateMention) -> bool:
    if a.precision == "month" or b.precision == "month":
        return (a.date.year, a.date.month) == (b.date.year, b.date.month)
    return abs((a.date - b.date).days) <= SAME_RAID_DAYS


_PREMISES_RUN = r"(?:" + PREMISES.pattern + r")(?:[\s-]+(?:" + PREMISES.pattern + r"))*"
# A named site ("the Golden Fortune casino", "Mango Park") or a described one ("a casino
# hotel", "an office tower"); in Chinese the words between 的/一处/一家 and the premises.
_NAMED_SITE = re.compile(r"\b(?:[A-Z][\w'’-]+\s+){1,3}(?i:" + PREMISES.pattern + r")")
_DESCRIBED_SITE = re.compile(r"\b(?:a|an|the|one|its)\s+(?:[\w'’-]+\s+){0,3}?" + _PREMISES_RUN,
                             re.IGNORECASE)
_ZH_SITE = re.compile(r"(?:(?<=[的了])|(?<=[一][处家栋座个间所]))(?![一][处家栋座个间所])"
                      r"[\u4e00-\u9fff]{0,6}?(?:"
                      + "|".join(_PREMISES_OTHER_ZH) + ")+")


def _site(texts: list[str]) -> str | None:
    for s in texts:
        m = (None if s.isascii() else _ZH_SITE.search(s)) or _NAMED_SITE.search(s) \
            or _DESCRIBED_SITE.search(s) or PREMISES.search(s)
        if m:
            return m.group(0).strip()
    return None


_PEOPLE = PERSON_HEADS | {stem(w) for w in (
    "suspects", "suspect", "compatriots", "detainees", "citizens", "men", "women", "employees",
    "staff", "Koreans", "Chinese", "Vietnamese", "Thais", "Indonesians", "Filipinos")}
_ASIDE = re.compile(r"\s[—–]\s[^—–.;]{1,80}?\s[—–]\s")  # "86 people — 57 Thais and 29 Lao —"
_TOTAL = re.compile(r"\b(?:in total|a total of|altogether|this year|so far|to date|overall|"
                    r"since|nationwide|across the country)\b|累计|共计|总共|以来|今年|全国",
                    re.IGNORECASE)
_OPERATION = r"(?:raid|search|operation|inspection|swoop|crackdown)"
_MORE_VERBS = {
    "arrest": re.compile(
        r"\btaken into custody\b|\brounded up\b|\b(?:were|was|been|being)\s+(?:\w+ly\s+)?held\b"
        rf"(?=\s+(?:during|in|after)\s+(?:the|a|an|its|this)\s+(?:[\w-]+\s+){{0,2}}?{_OPERATION}"
        r"|\s+by\s+(?:the\s+)?(?:police|authorities|officers))", re.IGNORECASE),
    "rescue": re.compile(r"\b(?:removed|taken out|pulled out|brought out|evacuated|taken)\s+"
                         r"(?:of|from)\b|\b(?:escorted|led|helped|brought)\s+out\b|\breleased\b"
                         r"|\b(?:police|officers|they)\s+found\b|\b(?:were|was)\s+found\b"
                         r"|带离|带出|帶離|帶出",
                         re.IGNORECASE),
}
_OF_PEOPLE = re.compile(r"\s+of\s+(?:his|her|their|its|the|these|those)\s+([A-Za-z]+)"
                        r"(?:\s+([A-Za-z]+))?")
_SINGLE = re.compile(r"^(?:A|An|One)\s+(?:[\w'’-]+\s+){0,2}?(?:man|woman|national|citizen|"
                     r"worker|victim|boy|girl|teenager|student)\b(?P<rest>[^,;]*)")


def _blank_asides(s: str) -> str:
    """Dash-enclosed asides replaced by spaces (offsets kept): their sub-counts are not the
    count, and the verb after them belongs to the clause before."""
    return _ASIDE.sub(lambda m: " " * len(m.group(0)), s)


def _verbs(clause: str) -> list[tuple[int, str]]:
    """Arrest and rescue verbs of a clause, by position ("were held during the search")."""
    found: list[tuple[int, str]] = []
    for m in _WORD.finditer(clause):
        word = m.group(0)
        if word.isascii() and (m.start() == 0 or not word[0].isupper()):
            found += [(m.start(), c) for c in concepts_of(word) & {"arrest", "rescue"}]
    for concept in ("arrest", "rescue"):
        for word in CONCEPTS[concept]:
            if not word.isascii():
                found += [(m.start(), concept) for m in re.finditer(re.escape(word), clause)]
        found += [(m.start(), concept) for m in _MORE_VERBS[concept].finditer(clause)]
    return sorted(found)


def _governing(clause: str, start: int, end: int) -> str | None:
    """The verb a count in clause[start:end] belongs to: the nearest before it, else the
    first after it ("detained 31 suspects and rescued two women")."""
    verbs = _verbs(clause)
    before = [c for pos, c in verbs if pos < start]
    after = [c for pos, c in verbs if pos >= end]
    return before[-1] if before else (after[0] if after else None)


def _says(plain: str, q: Quantity, concept: str) -> bool:
    left = plain.rfind(q.clause, 0, q.number.start + len(q.clause))
    if left < 0 or left > q.number.start:  # a clause joined to the one before it
        return _governing(q.clause, len(q.clause), len(q.clause)) == concept
    start = q.number.start - left
    return _governing(q.clause, start, start + len(q.number.text)) == concept


def _total_before(plain: str, q: Quantity) -> bool:
    """A campaign total: said before the count or in its clause ("since July, 2,500 ...")."""
    left = plain.rfind(q.clause, 0, q.number.start + len(q.clause))
    end = left + len(q.clause) if 0 <= left <= q.number.start else q.number.end
    return bool(_TOTAL.search(plain[:end]))


def _counts_people(q: Quantity) -> bool:
    return (q.head in _PEOPLE or q.head in NATIONALITIES
            or any(w.lower() in NATIONALITIES for w in q.phrase.split()))


def _verb_before(s: str, start: int, concept: str) -> bool:
    """'arrested 26 of his compatriots': the verb governs the number directly."""
    words = _WORD.findall(s[max(0, start - 24):start])
    return bool(words) and concept in concepts_of(words[-1])


def _verb_of_people(s: str, concept: str) -> int | None:
    """'arrested 26 of his compatriots', 'freed three of the workers'."""
    for n in find_numbers(s):
        m = _OF_PEOPLE.match(s, n.end)
        words = [w for w in m.groups() if w] if m else []
        if isinstance(n.value, float) and _verb_before(s, n.start, concept) \
                and not _TOTAL.search(s[:n.start]) and any(
                stem(w) in _PEOPLE or w.lower() in NATIONALITIES for w in words):
            return int(n.value)
    return None


def _count(texts: list[str], concept: str, published: dt.date) -> int | None:
    """The number of people the operation's sentences say were arrested (or rescued)."""
    for s in texts:
        plain = _blank_asides(s)
        for q in quantities(plain, published):
            if not _says(plain, q, concept) or not _counts_people(q) or _total_before(plain, q):
                continue
            if q.partitive and not _verb_before(plain, q.number.start, concept):
                continue
            if isinstance(q.number.value, float):
                return int(q.number.value)
        direct = _verb_of_people(plain, concept)
        if direct is not None:
            return direct
    for s in texts:
        single = _SINGLE.match(s)
        if single and not _TOTAL.search(s) and concept in concepts_of(single.group("rest")):
            return 1  # "A Korean man held in the building was freed"
    return None


def _nationalities(texts: list[str]) -> tuple[str, ...]:
    found: list[str] = []
    for s in texts:
        for w in re.findall(r"[A-Za-z]+", s):
            low = w.lower()
            if low in NATIONALITIES and low not in ("cambodian", "khmer") and w[0].isupper():
                name = low.rstrip("s") if low.endswith("s") and low[:-1] in NATIONALITIES else low
                if name.capitalize() not in found:
                    found.append(name.capitalize())
    return tuple(found)
