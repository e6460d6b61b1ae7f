"""What a raid sentence takes from the sentences around it.

News states a date, a place or an operation once and lets it govern what
follows: a dateline ("SIHANOUKVILLE, Dec 7 —", 【本报金边讯】) says where the
reporter files from, not when or (if anything else says it) where a raid was;
a date in a list item's lead ("2. Kampong Speu, April 19 — a factory ...") or a
subheading ("Thursday: the compound") governs the sentences under it; "the
same day", "同日", "当天" point back to the last date named; "a second team",
"another compound" and a different kind of premises on another day make a
separate raid; a sentence naming several provinces joined by "and" ("raids in
Kandal and Koh Kong on Saturday") reports one raid in each (how one sentence tells
several raids is read in raid_coordination).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TypeVar

from alerts.analysis.dates import DateMention, find_dates
from alerts.analysis.day_offsets import days_after, days_before
from alerts.analysis.lexicon import BACKGROUND, BACKGROUND_GUARD, PREMISES, RAID_TRIGGERS
from alerts.analysis.places import PlaceMention, find_places, find_places_loosely
from alerts.analysis.text import Sentence

_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z'’.]+(?:[ -][A-Z][A-Z'’.]+){0,3})"
    r"(?:\s*,\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8}\.?)(?:,?\s+\d{4})?)?"
    r"\s*(?:\([A-Za-z ]+\)\s*)?[—–]+\s*|^-{1,2}\s+")
_ZH_DATELINE = re.compile(r"^【(?:本报|本報)?(?P<place>[^】]{1,10}?)(?:讯|訊|电|電)】")
# A date said again by pointing back to it.
_SAME_DAY = re.compile(r"\b(?:the same day|that (?:day|evening|night|morning|afternoon)|"
                       r"hours later|later that day)\b|同日|当天|當天|当日|當日|同一天", re.IGNORECASE)
# An opening that ties a sentence to the time just told; only a sentence or two after it.
_CONCURRENT = re.compile(r"\s*(?:meanwhile|at the same time|simultaneously|in a simultaneous|"
                         r"in a parallel)\b|\s*(?:与此同时|與此同時|同时|同時)", re.IGNORECASE)
_CONCURRENT_BACK = 2
# Another team of the same operation ("In Kep, a separate team searched a hotel").
_OTHER_TEAM = re.compile(r"\b(?:a|another) (?:separate|second|parallel|third) (?:team|unit|squad|"
                         r"group|task force)\b|另一(?:组|組|队|隊|路)", re.IGNORECASE)
# An opening that points into the premises just told ("Inside, they found ..."): the next
# sentence goes on with the same operation, even across a paragraph break.
_INSIDE = re.compile(r"\s*(?:(?:once inside|inside|within)(?:\s+(?:the|its)\s+[\w-]+)?\b\s*,?|"
                     r"(?:in there|there|on entering|upon entering|after entering|after breaking in|"
                     r"behind the (?:gates?|doors?|walls?))\s*,|"
                     # or to the operation just told ("During the raid, officers detained 31")
                     r"(?:during|in the course of|after) the (?:raid|operation|search|inspection)\b)"
                     r"|\s*(?:在里面|在裏面|屋内|屋內|楼内|樓內|园区内|園區內|行动中|行動中)",
                     re.IGNORECASE)
_INSIDE_BACK = 2  # sentences the date it takes may be behind
# A sentence that sums up several operations rather than reporting one.
_SUMMARY = re.compile(
    r"\b(?:two|three|four|five|six|both|several|separate|consecutive|back-to-back|the)\s+"
    r"(?:\w+\s+){0,2}?(?:operations|raids|searches|properties|sites|days|nights|provinces)\b"
    r"(?!\s+(?:ago|earlier|before|later|after)\b)"  # "two days ago" dates one raid
    r"|\b(?:across|in) (?:all|both|the) (?:\w+ )?(?:operations|raids)\b"
    r"|[两二三四五六]处|[两二三四五六]起|分别|兩處|分別", re.IGNORECASE)
_SECOND = re.compile(r"\b(?:a second|another|a separate|the second|a third|the third)\b|另一|第二",
                     re.IGNORECASE)


def strip_dateline(sentence: str) -> tuple[str, str | None]:
    """The sentence without its dateline, and the dateline's place name (if any)."""
    m = _DATELINE.match(sentence) or _ZH_DATELINE.match(sentence)
    if m is None:
        return sentence, None
    place = m.groupdict().get("place")
    if place and place.isupper():
        place = place.title()
    return sentence[m.end():], place


def dateline_place(name: str | None) -> PlaceMention | None:
    if not name:
        return None
    found = find_places(name) or find_places_loosely("in " + name)
    return found[0] if found else None


def is_heading(sentences: list[Sentence], i: int) -> bool:
    """A subheading or a list lead: a paragraph of one short sentence without a full stop."""
    s = sentences[i]
    alone = (i == 0 or sentences[i - 1].paragraph != s.paragraph) and (
        i + 1 >= len(sentences) or sentences[i + 1].paragraph != s.paragraph)
    return alone and len(s.text.split()) <= 10 and not s.text.rstrip().endswith((".", "。"))


def is_summary(sentence: str) -> bool:
    """'operations at two separate properties on consecutive nights': several raids summed."""
    return _SUMMARY.search(sentence) is not None


_ITEM = re.compile(r"^\s*(?:[-•*·▪–]\s|\d{1,2}[.)]\s|\(\d{1,2}\)\s|[一二三四五六七八九十]{1,2}[、.．]"
                   r"|（[一二三四五六七八九十]{1,2}）|第[一二三四五六七八九十]{1,2}(?:起|处|宗)?[，,、：:])")


_LOOK_BACK = 12  # sentences a lead or "the same day" may be behind


def _paragraph(sentences: list[Sentence], p: int) -> list[int]:
    """Indices of paragraph p's sentences (sentences are in order: a short walk from p)."""
    start = min(p, len(sentences) - 1)
    while start > 0 and sentences[start].paragraph >= p:
        start -= 1
    out = []
    for x in sentences[start:]:
        if x.paragraph == p:
            out.append(x.index)
        elif x.paragraph > p:
            break
    return out


def paragraph_indices(sentences: list[Sentence], p: int) -> list[int]:
    """Indices of paragraph p's sentences."""
    return _paragraph(sentences, p)


def is_list_item(sentences: list[Sentence], p: int) -> bool:
    """A numbered or bulleted paragraph, or one after a lead ending with a colon."""
    own = _paragraph(sentences, p)
    before = _paragraph(sentences, p - 1)
    return bool(own) and (_ITEM.match(sentences[own[0]].text) is not None or bool(
        before and sentences[before[-1]].text.rstrip().endswith((":", "："))))


def list_lead(sentences: list[Sentence], p: int) -> int | None:
    """The paragraph that introduces the list item p belongs to (None: p is no item)."""
    if not is_list_item(sentences, p):
        return None
    q = p - 1
    while q >= 0 and is_list_item(sentences, q):
        q -= 1
    return q if q >= 0 and _paragraph(sentences, q) else None


def scope(sentences: list[Sentence], i: int) -> list[int]:
    """Earlier sentences whose date or place may govern sentence i, nearest first: its
    paragraph's; a heading just before it; a list item's lead (never a sibling item's)."""
    s = sentences[i]
    out = []
    j = i - 1
    while j >= 0 and sentences[j].paragraph == s.paragraph:
        out.append(j)
        j -= 1
    first = out[-1] if out else i
    if first > 0 and is_heading(sentences, first - 1):
        out.append(first - 1)
    lead = list_lead(sentences, s.paragraph)
    if lead is not None:
        out += reversed(_paragraph(sentences, lead))
    return out


T = TypeVar("T")


class Lazy(Sequence[T]):
    """A list whose items are worked out when first asked for."""

    def __init__(self, length: int, make: Callable[[int], T]) -> None:
        self._length, self._make, self._memo = length, make, {}

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self._length))]
        if i not in self._memo:
            self._memo[i] = self._make(i)
        return self._memo[i]


def _points_inside(s: str, dated: str) -> bool:
    """s goes on inside the premises, or with the operation, the dated sentence told: it
    opens by pointing there, recalls no earlier time, and "the raid" has one to point to."""
    m = _INSIDE.match(s)
    if m is None or not BACKGROUND_GUARD.excludes(s) and BACKGROUND.search(s, m.end()):
        return False
    return not re.search(r"raid|operation|search|inspection|行动|行動", m.group(0), re.I) \
        or RAID_TRIGGERS.search(dated) is not None


# The agents of an operation, as a scene-setting sentence names them.
_POLICE_ARRIVE = re.compile(r"\b(?:police|policemen|officers|troops|soldiers|gendarmes|task force|"
                            r"immigration officers|raiding party)\b|警方|警察|执法人员|執法人員",
                            re.IGNORECASE)


_SAID = re.compile(r"\b(?:said|says|told|announced|reported|stated|confirmed)\b|表示|称|稱|通报|通報",
                   re.IGNORECASE)


def _sets_the_scene(text: str, d: DateMention) -> bool:
    """A sentence that sets the scene of an operation the next paragraph tells: the police at
    premises on a day ("On 4 March, police pulled up at a compound in Kampot")."""
    return d.precision == "day" and _POLICE_ARRIVE.search(text) is not None \
        and PREMISES.search(text) is not None and find_places(text) != [] \
        and (BACKGROUND_GUARD.excludes(text) or BACKGROUND.search(text) is None) \
        and _SAID.search(text) is None


def carried_date(sentences: list[Sentence], i: int, dated: Sequence[DateMention | None]
                 ) -> DateMention | None:
    """The date governing sentence i, which names none: the last one named earlier in its
    paragraph, a heading just before it or its list's lead; "the same day", "the next
    day" or "two days later" point to the last date named anywhere before."""
    s = sentences[i]
    days_on = days_after(s.text) or -days_before(s.text)
    next_day = days_on != 0  # points past (or back from) its paragraph's date
    for j in scope(sentences, i):
        if dated[j] is not None and not next_day:
            return dated[j]
    last = next((j for j in range(i - 1, max(-1, i - 1 - _LOOK_BACK), -1)
                 if dated[j] is not None), None)
    if last is None:
        return None
    d = dated[last]
    if next_day:
        return replace(d, date=d.date + dt.timedelta(days=days_on)) if d.precision == "day" \
            else None
    if _points_inside(s.text, sentences[last].text) and i - last <= _INSIDE_BACK:
        return d  # "On 4 March, officers arrived at a compound. // Inside, they found ..."
    if last == i - 1 and _sets_the_scene(sentences[last].text, d) and not find_places(s.text) \
            and (BACKGROUND_GUARD.excludes(s.text) or BACKGROUND.search(s.text) is None):
        return d  # "On 4 March, police pulled up at a compound in Kampot. // Officers detained"
    if (_CONCURRENT.match(s.text) or _OTHER_TEAM.search(s.text)) and i - last <= _CONCURRENT_BACK:
        return d  # "Meanwhile, in Kep, officers searched a hotel": the date just named
    if _SAME_DAY.search(s.text) or (d.precision == "day" and is_summary(sentences[last].text)):
        return d  # "raids in four provinces on Wednesday": the sections after it
    return None


def plain_dates(sentence: str, published: dt.date, latest: dt.date | None) -> list[DateMention]:
    return [d for d in find_dates(sentence, published, latest) if d.date <= (latest or published)]


def premises_heads(sentence: str) -> frozenset[str]:
    """The premises words of a sentence, singular and lower-case ('hotel', 'compound')."""
    return frozenset(m.group(0).lower().rstrip("s") for m in PREMISES.finditer(sentence))


# Kinds of premises. Words any scam site is loosely called ("compound", "site",
# "premises", "complex") are of no kind, and fit any.
_KINDS = {
    "lodging": ("hotel", "resort", "casino", "guesthouse", "赌场", "酒店", "度假村", "賭場",
                "宾馆", "賓館"),
    "building": ("building", "tower", "block", "condominium", "condo", "apartment", "office",
                 "大楼", "公寓", "楼房", "大樓", "樓房", "អគារ", "宿舍", "写字楼", "寫字樓",
                 "high-rise", "大厦", "大廈"),
    "house": ("villa", "house", "shophouse", "别墅", "別墅", "出租屋", "出租房", "民宅", "住宅",
              "mansion", "farmhouse"),
    "works": ("factory", "factorie", "warehouse", "厂", "廠", "仓库", "倉庫"),
}
_KIND_OF = {w: k for k, ws in _KINDS.items() for w in ws}


def premises_kinds(text: str) -> frozenset[str]:
    """The kinds of premises a text names ('a casino hotel' -> {'lodging'})."""
    return frozenset(k for h in premises_heads(text) if (k := _KIND_OF.get(h)))


def different_premises(a: str, b: str) -> bool | None:
    """True when both texts name premises of a kind and share none; None when one names none."""
    ka, kb = premises_kinds(a), premises_kinds(b)
    if not ka or not kb:
        return None
    return not ka & kb


# Premises introduced as a new referent ("a casino", "an office tower"), not "the hotel".
_NEW_PREMISES = re.compile(r"\b(?:a|an)\s+(?:[\w'’-]+\s+){0,2}?(?P<head>" + PREMISES.pattern + r")",
                           re.IGNORECASE)


def _new_premises(sentence: str) -> frozenset[str]:
    """Words of premises each introduced with "a"/"an" and of a kind ('hotel', not 'site')."""
    heads = {m.group("head").lower().rstrip("s") for m in _NEW_PREMISES.finditer(sentence)}
    return frozenset(h for h in heads if h in _KIND_OF)


def distinct_sites(a: str, b: str) -> bool:
    """Two sentences describe different premises: a second one, different kinds, or each
    introduces a new one by another word ("a hotel" on Monday, "a casino" on Tuesday)."""
    if _SECOND.search(a) or _SECOND.search(b):
        return True
    if different_premises(a, b) is True:
        return True
    new_a, new_b = _new_premises(a), _new_premises(b)
    return bool(new_a and new_b and not new_a & new_b)
