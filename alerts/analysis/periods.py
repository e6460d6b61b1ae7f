"""Periods a count runs over: "since August 18", "this year", "in the first ten months"."""

from __future__ import annotations

import datetime as dt
import re

from alerts.analysis.dates import DateMention, find_dates

_ZH_SINCE = re.compile(r"(?:自|从|從)?(?:\d{4}年|去年|今年)?\d{1,2}月(?:\d{1,2}日)?(?:以来|以來|起)"
                       r"|(?:自|从|從)(?:\d{4}年|去年|今年)?\d{1,2}月(?:\d{1,2}日)?[^，。；]{0,12}?"
                       r"(?:以来|以來|起|至|到)"
                       # a bare year: 自2022年以来 ("since 2022"), as "since 2022" in English
                       r"|(?:自|从|從)?\d{4}年(?:以来|以來|起)")
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

_PERIOD_START = re.compile(
    r"\b(?:since|between|from|starting)\s+(?:the\s+(?:start|beginning|middle|end)\s+of\s+)?",
    re.IGNORECASE)


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
            rf"(?:{_MONTHS}\.?(?:\s+\d{{1,2}})?(?:,?\s+(?:\d{{4}}|last year|this year))?|\d{{4}}|"
            rf"last year|this year)")


def strip_periods(sentence: str) -> str:
    """The sentence without its period expressions ("since August 2022", "between X and Y",
    "since the campaign began in August 2022", "自2022年8月18日以来")."""
    s = re.sub(rf"\bbetween\s+(?:[^,.;]{{0,30}}?\s)?{_DATEISH},?\s+(?:and|to)\s+{_DATEISH}", " ",
               sentence, flags=re.IGNORECASE)
    s = re.sub(rf"\b(?:since|from)\b[^,.;]{{0,40}}?{_DATEISH}(?:\s+(?:to|until)\s+{_DATEISH})?",
               " ", s, flags=re.IGNORECASE)
    return _ZH_SINCE.sub(" ", s)
