"""What a number counts: the noun phrase after it, sub-counts, clauses, periods."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from alerts.analysis.dates import DateMention, find_dates
from alerts.analysis.guards import guard
from alerts.analysis.lexicon import CONCEPTS, RECALLED_BEFORE, concepts_of
from alerts.analysis.numbers import NumberMention, find_numbers
from alerts.analysis.text import stem

_STOP = {
    "from", "in", "of", "on", "at", "who", "whom", "which", "that", "were", "was", "had", "have",
    "has", "are", "is", "be", "been", "to", "and", "or", "with", "between", "since", "over",
    "by", "for", "about", "across", "including", "into", "inside", "as", "but", "while",
    "after", "before", "during", "they", "it", "had", "could", "may", "might", "would", "will",
    "said", "says", "say", "under", "out", "up", "the", "a", "an", "per", "than", "more",
    "whose", "where", "when", "being", "now", "still", "all", "each", "held", "found",
}
_SKIP_ADJ = {"new", "other", "more", "different", "further", "additional", "separate", "major",
             "suspected", "foreign", "south", "north", "total", "combined", "estimated"}
_PLURAL_NOUNS = {"people", "children", "men", "women", "police", "staff", "personnel"}
_VERBS = {"came", "come", "went", "go", "got", "took", "fled", "remain", "remained", "live",
          "lived", "work", "worked", "died", "arrived", "face", "faced", "left", "returned",
          "stayed", "did", "do", "can", "cannot", "must", "should", "need", "needed"}
_NOUNS_ING = {"building", "buildings", "housing", "meeting", "meetings", "hearing", "hundred"}
_TIME_UNITS = {"day", "week", "month", "year", "hour", "minute", "second", "time", "percent",
               "per", "am", "pm", "a.m", "p.m", "km", "kilometre", "metre", "meter", "mile"}
_ZH_HEADS = {"人": "人", "名": "人", "处": "处", "起": "起", "宗": "起", "个": "个",
             "នាក់": "人", "ករណី": "起"}
# Chinese counts: a measure word, then often the noun ("1100宗投诉", "三十八名嫌疑人").
_ZH_NOUNS = {"投诉": "complaint", "举报": "complaint", "嫌疑人": "suspect", "嫌犯": "suspect",
             "犯罪嫌疑人": "suspect", "国家": "country", "受害者": "人", "外国人": "人", "外籍人士": "人",
             "劳工": "人", "工人": "人",
             # Traditional Chinese
             "投訴": "complaint", "舉報": "complaint", "嫌犯": "suspect", "受害人": "人",
             "外國人": "人", "勞工": "人"}
_ZH_CLASSIFIER = re.compile(r"\s*([人名处起宗个]|នាក់|ករណី)")
_ZH_NOUN = re.compile("|".join(sorted(_ZH_NOUNS, key=len, reverse=True)))
_NUMBER_OF = re.compile(
    # "the number of complaints ... at", "the figure for complaints", "the number who ..."
    r"\b(?:number|total|tally|count|figure)\s+(?:(?:of|for)\s+(?:[a-z-]+\s+){0,2}?"
    r"(?P<noun>[a-z]+s|people)\b|(?P<who>who)\b)"
    r"[^.;]{0,60}?\b(?:to|at|reached|was|is|stood at|stands at|hit|of|as)\s+(?:about\s+|around\s+|"
    r"more than\s+|over\s+|nearly\s+|some\s+|between\s+)?$", re.IGNORECASE)
# "the complaint tally stood at 1,120": a noun before tally/count/total names what it counts.
_NOUN_TALLY = re.compile(
    r"\b(?P<noun>[a-z]{4,})\s+(?:tally|count|total)\s+(?:had\s+|has\s+)?(?:stood at|stands at|"
    r"reached|rose to|risen to|climbed to|was|is|hit)\s+(?:about\s+|around\s+|more than\s+|"
    r"over\s+|nearly\s+|some\s+)?$", re.IGNORECASE)
_NOUN_ROSE = re.compile(
    # "complaints (to the hotline) have (now) climbed to N": the subject, with the phrase
    # that qualifies it, counts the number the verb of change reaches.
    r"\b(?P<noun>[a-z]+s)\s+(?:(?:to|from|of|about|with|by|at|in|on|since)\s+"
    r"(?:[a-z-]+\s+){1,5}?)?(?:have\s+|has\s+|had\s+)?(?:now\s+|so far\s+|already\s+)?"
    r"(?:rose|risen|climbed|increased|grew|grown|jumped|reached|totalled|totaled|topped|swelled|"
    r"doubled|stood at|stand at|were at|numbered|"
    # headline verbs in the present: "complaints top 2,000", "rescues pass 1,000"
    r"tops?|pass(?:es)?|passed|hits?|surpass(?:es|ed)?|exceed(?:s|ed)?|cross(?:es|ed)?|nears?|"
    r"reach(?:es)?|climbs?|rises?|jumps?)\s+(?:to\s+)?(?:about\s+|around\s+|"
    r"more than\s+|over\s+|nearly\s+|some\s+)?$", re.IGNORECASE)
_ZH_SINCE = re.compile(r"(?:自|从|從)?(?:\d{4}年|去年|今年)?\d{1,2}月(?:\d{1,2}日)?(?:以来|以來|起)"
                       r"|(?:自|从|從)(?:\d{4}年|去年|今年)?\d{1,2}月(?:\d{1,2}日)?[^，。；]{0,12}?"
                       r"(?:以来|以來|起|至|到)")
_THIS_YEAR = re.compile(
    r"\b(?:this year|so far this year|year to date|since the (?:start|beginning) of the year|"
    r"in the first (?:\w+ )?(?:months?|weeks?|half|quarter)(?! (?:since|after))|"
    r"in the (?:first|second|third|last) (?:half|quarter))\b"
    # 截至今年6月底 ("as of the end of June"): a point in time, not a period of the year
    r"|(?<!截至)(?<!截止)(?<!截至到)今年|年初以来", re.IGNORECASE)
# "When the hotline opened last August, ... in the first six weeks": the first weeks of
# what opened, not of this year.
_OPENING_BEFORE = re.compile(r"\b(?:when|after|once|as)\s+(?:the|its|it|a)\b[^.;]{0,50}?"
                             r"\b(?:opened|launched|began|started|was\s+set\s+up|went\s+live)\b",
                             re.IGNORECASE)
_IN_YEAR = re.compile(r"\b(?:in|during|throughout)\s+((?:19|20)\d{2})\b(?!\s*[-–]\d)", re.IGNORECASE)
_PART_OF_BEFORE = re.compile(r"\b(?:including|of which|of whom|of them|among them)\s*,?\s*$",
                             re.IGNORECASE)
_NOT_COUNT_BEFORE = re.compile(r"[$€£¥]\s*$|[A-Za-z]-$|\bSt\.?\s*$|\bNo\.?\s*$|\bTier\s*$|\bcode-named\s*$")
_NOT_COUNT_AFTER = re.compile(r"\s*(?:%|percent|per cent|:\d|st\b|nd\b|rd\b|th\b|-year-old|"
                              r"billion|million dollars|dollars|dong|baht|riel|yuan|美元|亿)")
_PHRASE_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’\-]*|[^\sA-Za-z]")
_CLAUSE_BREAK = re.compile(r"[,;:—–()\"“”]|\bwhile\b|\bbut\b|，|；|：|（|）")
_PERIOD_START = re.compile(
    r"\b(?:since|between|from|starting)\s+(?:the\s+(?:start|beginning|middle|end)\s+of\s+)?",
    re.IGNORECASE)


@dataclass(frozen=True)
class Quantity:
    """A number in a sentence and what it counts."""

    number: NumberMention
    phrase: str  # the noun phrase after the number ("trafficking complaints")
    head: str  # stem of its last word ("complaint")
    word: str  # its last word as written ("complaints")
    partitive: bool  # "229 of the complaints", "including 109 Thais": a sub-count
    clause: str  # the clause around the number


def dates_outside(sentence: str, published: dt.date) -> list[DateMention]:
    return find_dates(sentence, published)


_NUMBER_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                 "eleven", "twelve", r"\w+teen", "twenty", "thirty", "forty", "fifty", "sixty",
                 "seventy", "eighty", "ninety", "hundred", "thousand", "dozen")
HAS_NUMBER = re.compile(
    r"\d|[一二两三四五六七八九十百千万]|\b(?:" + "|".join(_NUMBER_WORDS) + ")", re.IGNORECASE)
# In ASCII text a match is a digit (\d is 0-9 there), a number word or holds "teen".
_HAS_NUMBER_GUARD = guard([*"0123456789", *(w for w in _NUMBER_WORDS if "teen" not in w),
                           "teen"])


_ASCII_DIGIT = re.compile(r"[0-9]")


def has_number(sentence: str) -> bool:
    """Whether HAS_NUMBER finds something in the sentence, cheaply when a digit says yes
    (its \\d matches there) or its guard says no."""
    if _ASCII_DIGIT.search(sentence):
        return True
    return not _HAS_NUMBER_GUARD.excludes(sentence) and HAS_NUMBER.search(sentence) is not None


_ZH_COUNTED = re.compile(r"\s*[人名宗起个處处]")


_PEOPLE_HEAD = stem("people")
_PEOPLE_VERBS = {"rescue", "arrest", "trafficking"}


PEOPLE_PARTICIPLES = frozenset(w for c in _PEOPLE_VERBS for w in CONCEPTS[c]
                               if w.isascii() and w.endswith("ed")) | {"number who"}


def _is_people_participle(phrase: str) -> bool:
    """A number followed by a participle of what is done to people, with no noun between
    ("Over 2,000 rescued from compounds"): a headline's count of people."""
    word = phrase.split(" ", 1)[0].lower() if phrase else ""
    return word.endswith("ed") and bool(concepts_of(word) & _PEOPLE_VERBS)


def looks_like_year(n: NumberMention, after: str) -> bool:
    """A year is written in four plain digits ("in 2024"); "two thousand complaints",
    "逾两千宗" and "2000人" (a measure word follows) are counts."""
    return (isinstance(n.value, float) and 1900 <= n.value <= 2100 and n.text.isdigit()
            and not _ZH_COUNTED.match(after))


def quantities(sentence: str, published: dt.date,
               dates: list[DateMention] | None = None) -> list[Quantity]:
    """Counted quantities of a sentence (dates, years, money and times left out)."""
    if not has_number(sentence):
        return []
    if dates is None:
        dates = find_dates(sentence, published)
    date_spans = [(d.start, d.end) for d in dates]
    out: list[Quantity] = []
    for n in find_numbers(sentence):
        if n.vague or any(s <= n.start < e for s, e in date_spans):
            continue
        before = sentence[max(0, n.start - 12):n.start]
        after = sentence[n.end:]
        if _NOT_COUNT_BEFORE.search(before) \
                or _NOT_COUNT_AFTER.match(after):
            continue
        if looks_like_year(n, after):
            continue
        phrase, head = _head(after)
        if _is_people_participle(phrase):
            phrase, head = "people", _PEOPLE_HEAD  # "2,000 rescued since 2022": people
        if head in ("人", "起"):
            phrase, head = _zh_noun_before(sentence[max(0, n.start - 14):n.start]) or (phrase, head)
        of_noun = leading = None
        if not head:
            phrase, head = _head_before(sentence[max(0, n.start - 80):n.start])
        if not head:
            of_noun = _OF_THE_NOUN.match(after)
            leading = None if of_noun else _OF_THE_NOUN_FIRST.match(sentence[:n.start])
            of_noun = of_noun or leading
            if of_noun:  # "250 of the complaints", "Of those complaints, 250 ...": a part
                phrase, head = of_noun.group("noun"), stem(of_noun.group("noun"))
        clause = clause_around(sentence, n.start, n.end)
        if leading is not None:
            clause = of_noun.group(0) + clause  # what the leading "Of the complaints" says
        if not head and out and (_PART_OF_BEFORE.search(sentence[max(0, n.start - 30):n.start])
                                 or _LIST_ITEM_BEFORE.search(sentence[max(0, n.start - 40):n.start])
                                 or RECALLED_BEFORE.search(sentence[max(0, n.start - 40):n.start])):
            # "1,100 complaints, including 400 in Preah Sihanouk": a part of what came before;
            # "300 in Kandal and more than 250 in Kampot": a list item counts what the first did.
            phrase, head = out[-1].phrase, out[-1].head
            clause = out[-1].clause + " " + clause
        if not head:
            continue
        partitive = of_noun is not None or bool(
            re.match(r"\s*(?:of\s+(?:the|those|them|whom|its|his|her|these|which)\b|"
                     r"were\b|was\b|of\s+\w+\s+had\b)", after)
            or re.search(r"\b(?:including|among (?:them|the\s+\w+)|of whom|of them)\s*,?\s*$",
                         sentence[:n.start].rstrip(" ,")[-40:] + " ", re.IGNORECASE)
        )
        out.append(Quantity(n, phrase, head, phrase.split()[-1].lower(), partitive, clause))
    return out


# "the ministry's count had reached 455", "the latest figure ... is 1,652": a number that
# refers back to what the sentences before counted.
_ANAPHOR_BEFORE = re.compile(
    r"\b(?:the|its|their|this|that|[a-z]+['’]s)\s+(?:[a-z-]+\s+){0,2}?(?:count|figure|tally|total|number)\b"
    r"(?!\s+of\b)"  # "the number of X was N" names its noun (_NUMBER_OF)
    r"[^.;0-9]{0,50}?\b(?:reached|is|was|stood at|stands at|gives|gave|rose to|climbed to|at|to|up from|down from)"
    r"\s+(?:(?:about|around|more than|over|nearly|some|roughly|approximately|at least)\s+)?$",
    re.IGNORECASE)
# "the final report gives 1,408", "its statement put it at 1,408": a document's number.
_SOURCE_GIVES = re.compile(
    r"\b(?:the|its|their|this|that|[a-z]+['’]s)\s+(?:[a-z-]+\s+){0,2}?(?:report|statement|data|record)"
    r"\s+(?:now\s+)?(?:gives|gave|puts it at|put it at|puts the number at|put the number at)"
    r"\s+(?:(?:about|around|more than|over|nearly|some|roughly|at least)\s+)?$", re.IGNORECASE)
_ANAPHOR_WORDS = ("count", "figure", "tally", "total", "number", "report", "statement", "data",
                  "record")


def anaphoric_quantities(sentence: str, published: dt.date,
                         dates: list[DateMention] | None = None) -> list[Quantity]:
    """Numbers without a noun that refer back to the count the article is talking about."""
    low = sentence.lower()
    if not any(w in low for w in _ANAPHOR_WORDS) or not has_number(sentence):
        return []
    if dates is None:
        dates = find_dates(sentence, published)
    out = []
    for n in find_numbers(sentence):
        if n.vague or any(d.start <= n.start < d.end for d in dates):
            continue
        if looks_like_year(n, sentence[n.end:]):
            continue
        if _NOT_COUNT_AFTER.match(sentence[n.end:]) or _head(sentence[n.end:])[1]:
            continue
        before = sentence[max(0, n.start - 90):n.start]
        if _ANAPHOR_BEFORE.search(before) or _SOURCE_GIVES.search(before):
            out.append(Quantity(n, "", "", "", False, clause_around(sentence, n.start, n.end)))
    return out


_OF_THE_NOUN = re.compile(r"\s*of\s+(?:the|those|these|all|its|their)\s+(?:[a-z-]+\s+){0,2}?"
                          r"(?P<noun>[a-z]+s|people)\b", re.IGNORECASE)
_OF_THE_NOUN_FIRST = re.compile(r"\s*(?:of|among)\s+(?:the|those|these|all|its|their)\s+"
                                r"(?:[a-z-]+\s+){0,2}?(?P<noun>[a-z]+s|people)\b[^.;]*,\s+",
                                re.IGNORECASE)
# A list item without its noun: "..., 300 in Kandal and more than 250 in Kampot".
_LIST_ITEM_BEFORE = re.compile(r"(?:,|\band|\bwhile|\bwith|\bagainst)\s+(?:(?:more than|over|about|around|"
                               r"nearly|some|at least|roughly|another|a further)\s+)?$",
                               re.IGNORECASE)
# Between the noun and its number: a word for "the number of" (数量, 人数) and a verb of
# reaching ("投诉数量已增至1300宗").
_ZH_LINK = (r"(?:数量|數量|人数|人數|总数|總數|数字|數字)?(?:已经|已經|已|现已|現已)?"
            r"(?:增至|升至|增加到|增加至|上升至|上升到|达到|達到|突破|超过|超過)?"
            r"(?:共|达|達|约|約|逾|近)?\s*$")
_ZH_NOUN_BEFORE = re.compile("(?:" + "|".join(sorted(_ZH_NOUNS, key=len, reverse=True))
                             + ")" + _ZH_LINK)


def _zh_noun_before(before: str) -> tuple[str, str] | None:
    """'嫌疑人102名', '投诉1380宗', '投诉数量已增至1300宗': the noun before the number says
    what it counts."""
    m = _ZH_NOUN_BEFORE.search(before)
    if not m:
        return None
    noun = re.sub(_ZH_LINK, "", m.group(0))
    return noun, _ZH_NOUNS[noun]


def _head_before(before: str) -> tuple[str, str]:
    """'the number of complaints rose to 1,100', 'complaints have climbed to 1,100'."""
    m = _NUMBER_OF.search(before) or _NOUN_ROSE.search(before) or _NOUN_TALLY.search(before)
    if not m:
        return "", ""
    word = m.group("noun") or "people"  # "the number who had come to work": people
    return word, stem(word)


def _head(after: str) -> tuple[str, str]:
    zh = _ZH_CLASSIFIER.match(after)
    if zh:
        noun = _ZH_NOUN.search(after, zh.end(), zh.end() + 10)
        if noun and not re.search(r"[，。；、]", after[zh.end():noun.start()]):
            return noun.group(0), _ZH_NOUNS[noun.group(0)]
        return zh.group(1), _ZH_HEADS[zh.group(1)]
    noun = _ZH_NOUN.match(after.lstrip())
    if noun:
        return noun.group(0), _ZH_NOUNS[noun.group(0)]
    tokens = _PHRASE_TOKEN.findall(after[:80])
    phrase: list[str] = []
    for tok in tokens:
        low = tok.lower()
        if not tok[0].isalpha() or low in _STOP:
            break
        if phrase and low.endswith(("ed", "ing")) and low not in _NOUNS_ING:
            break  # a participle starts what follows ("complaints related to")
        if low in _VERBS:
            break
        phrase.append(tok)
        if len(phrase) == 3 or low in _PLURAL_NOUNS or (
                low.endswith("s") and not low.endswith("ss") and len(low) > 3):
            break
    while phrase and phrase[-1].lower() in _SKIP_ADJ:
        phrase.pop()
    if not phrase:
        return "", ""
    head = stem(phrase[-1])
    if head in _TIME_UNITS or stem(phrase[0]) in _TIME_UNITS:
        return "", ""
    return " ".join(phrase), head


def clause_around(sentence: str, start: int, end: int) -> str:
    """The clause holding sentence[start:end] (between commas, dashes, brackets...)."""
    left = 0
    for m in _CLAUSE_BREAK.finditer(sentence, 0, start):
        left = m.end()
    right_match = _CLAUSE_BREAK.search(sentence, end)
    right = right_match.start() if right_match else len(sentence)
    return sentence[left:right]


# "since the launch of its hotline on 18 August", "since the crackdown began on July 14":
# a period that starts with an event on a date.
_SINCE_EVENT_ON = re.compile(r"\bsince\s+(?:the|its|their|it|a)\b[^,.;]{0,45}?\b(?:on|in)\s+$",
                             re.IGNORECASE)


def period_starts(sentence: str, published: dt.date,
                  dates: list[DateMention] | None = None) -> list[dt.date]:
    """Start dates of the periods a sentence counts over ("since August 18")."""
    out = []
    for d in find_dates(sentence, published) if dates is None else dates:
        if _PERIOD_START.search(sentence[max(0, d.start - 30):d.start + 1].split(",")[-1]) \
                or _SINCE_EVENT_ON.search(sentence[max(0, d.start - 60):d.start]) \
                or re.search(r"(?:since|from)\s*$", sentence[:d.start], re.IGNORECASE) \
                or re.match(r"(?:since|from)\b", d.text, re.IGNORECASE) \
                or sentence[d.end:d.end + 2] in ("以来", "以來", "起") \
                or re.search(r"[自从從]\s*(?:\d{4}年)?$", sentence[max(0, d.start - 6):d.start]):
            out.append(_of_that_year(sentence, d))
    # A count over a calendar year ("this year", "in 2024", "今年") starts on 1 January.
    year = _THIS_YEAR.search(sentence)
    if year and not (year.group(0).lower().startswith("in the first")
                     and _OPENING_BEFORE.search(sentence[:year.start()])):
        out.append(dt.date(published.year, 1, 1))
    for m in _IN_YEAR.finditer(sentence):
        if int(m.group(1)) == published.year:  # earlier years make it background instead
            out.append(dt.date(published.year, 1, 1))
    return out


# "since August 18 of that year": the year is the one the sentence named before the date.
_OF_THAT_YEAR = re.compile(r",?\s+(?:of\s+)?(?:that|the\s+same)\s+year\b", re.IGNORECASE)
_EARLIER_YEAR = re.compile(r"(?<![\d,.$])((?:19|20)\d{2})(?!\d|,\d)")


def _of_that_year(sentence: str, d: DateMention) -> dt.date:
    """A date's day in the year an earlier part of the sentence named, when the date says
    'of that year'; otherwise the date as found."""
    if not _OF_THAT_YEAR.match(sentence, d.end):
        return d.date
    years = _EARLIER_YEAR.findall(sentence[:d.start])
    if not years:
        return d.date
    try:
        return d.date.replace(year=int(years[-1]))
    except ValueError:  # 29 February of a year without one
        return d.date


_MONTHS = (r"(?:january|february|march|april|may|june|july|august|september|october|november|"
           r"december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)")
_DATEISH = (rf"(?:(?:late|early|mid|the (?:start|beginning|end|middle) of)\s+)?"
            rf"(?:{_MONTHS}(?:\s+\d{{1,2}})?(?:,?\s+(?:\d{{4}}|last year|this year))?|\d{{4}}|"
            rf"last year|this year)")


def strip_periods(sentence: str) -> str:
    """The sentence without its period expressions ("since August 2022", "between X and Y",
    "since the campaign began in August 2022", "自2022年8月18日以来")."""
    s = re.sub(rf"\bbetween\s+(?:[^,.;]{{0,30}}?\s)?{_DATEISH},?\s+(?:and|to)\s+{_DATEISH}", " ",
               sentence, flags=re.I)
    s = re.sub(rf"\b(?:since|from)\b[^,.;]{{0,40}}?{_DATEISH}(?:\s+(?:to|until)\s+{_DATEISH})?",
               " ", s, flags=re.I)
    return _ZH_SINCE.sub(" ", s)
