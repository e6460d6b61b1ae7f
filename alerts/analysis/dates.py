"""Dates in news text, resolved against the article's publication date.

Absolute dates ("October 24", "24 October 2024", "10月13日"), weekdays ("on
Saturday", "last Thursday" — the latest such day on or before publication),
"yesterday", "the weekend", and month-precision phrases ("last month", "in
June", "a year ago", "上月"). A date without a year takes the latest year that
does not put it after publication.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {m: i + 1 for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december"])}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = {d: i for i, d in enumerate(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
KM_MONTHS = {m: i + 1 for i, m in enumerate(
    ["មករា", "កុម្ភៈ", "មីនា", "មេសា", "ឧសភា", "មិថុនា", "កក្កដា", "សីហា", "កញ្ញា", "តុលា",
     "វិច្ឆិកា", "ធ្នូ"])}
KM_WEEKDAYS = {"ច័ន្ទ": 0, "អង្គារ": 1, "ពុធ": 2, "ព្រហស្បតិ៍": 3, "សុក្រ": 4, "សៅរ៍": 5,
               "អាទិត្យ": 6}
_ZH_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_MONTH_RE = r"(?:january|february|march|april|may|june|july|august|september|october|" \
            r"november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
_PATTERNS = re.compile(
    rf"(?P<md>\b(?P<m1>{_MONTH_RE})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y1>\d{{4}}))?)"
    rf"|(?P<dm>\b(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{_MONTH_RE})(?:,?\s+(?P<y2>\d{{4}}))?)"
    rf"|(?P<wd>\b(?P<last>last\s+)?"
    rf"(?P<wday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
    rf"(?P<ofweek>,?\s+(?:of\s+)?last\s+week\b)?)"
    rf"|(?P<rel>\byesterday\b|\btoday\b|\b(?:this|last|over the|at the)\s+weekend\b|\bweekend\b)"
    rf"|(?P<lastmonth>\blast month\b|\bthis month\b|\ba year ago\b)"
    rf"|(?P<week>\b(?:earlier |late |later )?(?:this|last) week\b)"
    rf"|(?P<ago>\b(?P<n_ago>two|three|four|five|six|\d) days ago\b)"
    rf"|(?P<weekago>\b(?:a|one) week ago\b)"
    rf"|(?P<inmonth>\b(?:in|late|early|mid|since|from|by|last)(?:\s+|-)(?:(?:mid|late|early)-?\s*)?(?P<m3>{_MONTH_RE})(?!\.?\s+\d{{1,2}}\b)(?:\s+(?P<y3>\d{{4}}))?(?P<ly3>,?\s+(?:of\s+)?(?:last|this)\s+year)?\b)"
    rf"|(?P<zhmd>(?:(?P<zy>\d{{4}})年)?(?P<zm>\d{{1,2}}|本|上)月(?:(?P<zd>\d{{1,2}})日)?)"
    rf"|(?P<zhwd>(?:上|本|这|這)?(?:周|週|星期|礼拜|禮拜)(?P<zw>[一二三四五六日天]))"
    rf"|(?P<zhrel>昨天|昨日|今天|本周|本週|前天|上周末|上週末|周末|週末)"
    rf"|(?P<zhday>(?<![月\d])(?P<zdd>\d{{1,2}})日)"
    # "on the 12th", "on the 3rd of March": a day with its ordinal, of a month or of the last
    rf"|(?P<ordday>\bon\s+the\s+(?:(?:night|morning|evening|afternoon|early hours)\s+of\s+the\s+)?(?P<od>\d{{1,2}})(?:st|nd|rd|th)\b(?:\s+of\s+(?P<om>{_MONTH_RE})(?:,?\s+(?P<oy>\d{{4}}))?)?)"
    # "on 11/3", "on 11.3.", "the night of 11/03/2025": day then month, as Cambodian and
    # British copy writes it; only after "on"/"of", never a fraction or "24/7"
    # (a decimal, "on 12.5 hectares", is not: "11.3" counts only before a stop or comma)
    rf"|(?P<num>(?<=\bon\s)(?!24/7\b)(?P<nd>\d{{1,2}})(?P<ns>[/.])(?P<nm>\d{{1,2}})(?:(?P=ns)(?P<ny>\d{{4}}))?(?![/.]?\d)(?!\s+of\b)(?(ny)|(?:(?<=\d/\d)|(?<=\d/\d\d)|(?=[.,;)]|\s*$))))"
    rf"|(?P<km>ថ្ងៃទី\s*(?P<kd>\d{{1,2}})\s*ខែ\s*(?P<km_m>" + "|".join(KM_MONTHS) + r")"
    r"(?:\s*ឆ្នាំ\s*(?P<ky>\d{4}))?)"
    r"|(?P<kwd>ថ្ងៃ(?P<kw>" + "|".join(KM_WEEKDAYS) + r"))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateMention:
    """A date found in text: `precision` is "day" or "month" (then `date` is the 1st)."""

    date: dt.date
    precision: str
    start: int
    end: int
    text: str


def _year_for(month: int, day: int, published: dt.date) -> dt.date | None:
    for year in (published.year, published.year - 1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            return None
        if candidate <= published + dt.timedelta(days=1):
            return candidate
    return None


def _weekday_before(weekday: int, published: dt.date, strictly: bool = False) -> dt.date:
    delta = (published.weekday() - weekday) % 7
    if delta == 0 and strictly:
        delta = 7
    return published - dt.timedelta(days=delta)


def _month_shift(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


_DATE_FOLLOWS = re.compile(rf",?\s+(?:{_MONTH_RE}\s+\d|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH_RE})",
                           re.IGNORECASE)
_HINT_WORDS = set(MONTHS) | set(WEEKDAYS) | {"yesterday", "today", "weekend", "month", "ago",
                                              "week"}
_HINT_OTHER = re.compile(r"[月日周週期拜昨今]|ថ្ងៃ|\d(?:st|nd|rd|th)\b|前天|\bon \d{1,2}[/.]\d")


def _may_hold_a_date(text: str) -> bool:
    return bool(_HINT_OTHER.search(text)) or any(
        w.lower().rstrip(".") in _HINT_WORDS for w in re.findall(r"[A-Za-z]+\.?", text))


def find_dates(text: str, published: dt.date, latest: dt.date | None = None) -> list[DateMention]:
    """Dates in `text`, resolved against the publication date.

    `latest` (a revision's date) lets a day named without a year fall after the
    first publication, up to the revision."""
    out: list[DateMention] = []
    if not _may_hold_a_date(text):
        return out
    for m in _PATTERNS.finditer(text):
        if m.group("wd") and _DATE_FOLLOWS.match(text, m.end()):
            continue  # "Thursday, October 6": the date that follows says which Thursday
        try:
            found = _resolve(m, published, latest or published)
        except (OverflowError, ValueError):
            continue  # a hostile publication date (year 1 or 9999) leaves no room to resolve
        if found is not None:
            out.append(DateMention(found[0], found[1], m.start(), m.end(), m.group(0)))
    return out


def _resolve(m: re.Match[str], published: dt.date, latest: dt.date) -> tuple[dt.date, str] | None:
    if m.group("md") or m.group("dm"):
        month = MONTHS[(m.group("m1") or m.group("m2")).lower().rstrip(".")]
        day = int(m.group("d1") or m.group("d2"))
        year = m.group("y1") or m.group("y2")
        if year:
            try:
                return dt.date(int(year), month, day), "day"
            except ValueError:
                return None
        resolved = _year_for(month, day, latest)
        return (resolved, "day") if resolved else None
    if m.group("wd"):
        weekday = WEEKDAYS[m.group("wday").lower()]
        if m.group("ofweek"):  # "on Monday of last week": that day of the week before
            monday = published - dt.timedelta(days=published.weekday() + 7)
            return monday + dt.timedelta(days=weekday), "day"
        return _weekday_before(weekday, published, strictly=bool(m.group("last"))), "day"
    if m.group("rel"):
        word = m.group("rel").lower()
        if word == "yesterday":
            return published - dt.timedelta(days=1), "day"
        if word == "today":
            return published, "day"
        return _weekday_before(5, published), "day"  # the weekend: its Saturday
    if m.group("lastmonth"):
        word = m.group("lastmonth").lower()
        shift = {"last month": -1, "this month": 0, "a year ago": -12}[word]
        return _month_shift(published, shift), "month"
    if m.group("week"):
        # A day of that week: within the three days score and people tolerate.
        monday = published - dt.timedelta(days=published.weekday())
        if "last" in m.group("week").lower():
            return monday - dt.timedelta(days=4), "day"
        return monday + (published - monday) / 2, "day"
    if m.group("weekago"):
        return published - dt.timedelta(days=7), "day"
    if m.group("ago"):
        word = m.group("n_ago").lower()
        n = int(word) if word.isdigit() else ["two", "three", "four", "five", "six"].index(word) + 2
        return published - dt.timedelta(days=n), "day"
    if m.group("inmonth"):
        month = MONTHS[m.group("m3").lower().rstrip(".")]
        if m.group("m3").lower() == "may" and not m.group("y3"):
            return None  # the verb "may"
        # "last March" said in March is a year ago; "in March" said in March is this one
        last = m.group("inmonth").lower().startswith("last")
        year = int(m.group("y3")) if m.group("y3") else (
            published.year if month < published.month or (month == published.month and not last)
            else published.year - 1)
        if m.group("ly3") and not m.group("y3"):  # "in March last year", "in May this year"
            year = published.year - ("last" in m.group("ly3").lower())
        return dt.date(year, month, 1), "month"
    if m.group("zhmd"):
        return _resolve_zh(m, published)
    if m.group("zhwd"):
        weekday = _ZH_WEEKDAYS[m.group("zw")]
        return _weekday_before(weekday, published, strictly=m.group(0).startswith("上")), "day"
    if m.group("km"):
        month, day = KM_MONTHS[m.group("km_m")], int(m.group("kd"))
        if m.group("ky"):
            try:
                return dt.date(int(m.group("ky")), month, day), "day"
            except ValueError:
                return None
        resolved = _year_for(month, day, published)
        return (resolved, "day") if resolved else None
    if m.group("kwd"):
        return _weekday_before(KM_WEEKDAYS[m.group("kw")], published), "day"
    if m.group("ordday") and m.group("om"):
        if m.group("oy"):
            return dt.date(int(m.group("oy")), MONTHS[m.group("om").lower().rstrip(".")],
                           int(m.group("od"))), "day"
        resolved = _year_for(MONTHS[m.group("om").lower().rstrip(".")], int(m.group("od")),
                             latest)
        return (resolved, "day") if resolved else None
    if m.group("num"):
        return _numeric(int(m.group("nd")), int(m.group("nm")), m.group("ny"), latest)
    if m.group("zhday") or m.group("ordday"):
        # "19日", "on the 19th": a day of this month, or of the last one when still to come.
        day = int(m.group("zdd") or m.group("od"))
        for start in (_month_shift(published, 0), _month_shift(published, -1)):
            try:
                candidate = start.replace(day=day)
            except ValueError:
                continue
            if candidate <= published:
                return candidate, "day"
        return None
    if m.group("zhrel"):
        word = m.group("zhrel")
        if word in ("昨天", "昨日"):
            return published - dt.timedelta(days=1), "day"
        if word == "前天":  # the day before yesterday
            return published - dt.timedelta(days=2), "day"
        if word.endswith("末"):  # the weekend: its Saturday
            return _weekday_before(5, published, strictly=word.startswith("上")), "day"
        return published, "day"
    return None


_NUMERIC_BACK_DAYS = 92  # a day/month without a year: a raid of the last three months


def _numeric(day: int, month: int, year: str | None, latest: dt.date
             ) -> tuple[dt.date, str] | None:
    """"11/3" is 11 March; without a year only when that falls in the months just before
    publication (a day/month read far back is more likely something else)."""
    if not 1 <= month <= 12:
        return None
    if year:
        try:
            return dt.date(int(year), month, day), "day"
        except ValueError:  # "on 31/4/2025": no such day
            return None
    resolved = _year_for(month, day, latest)
    if resolved is None or (latest - resolved).days > _NUMERIC_BACK_DAYS:
        return None
    return resolved, "day"


def _resolve_zh(m: re.Match[str], published: dt.date) -> tuple[dt.date, str] | None:
    month_text = m.group("zm")
    if month_text == "本":
        month_start = _month_shift(published, 0)
    elif month_text == "上":
        month_start = _month_shift(published, -1)
    else:
        month = int(month_text)
        if not 1 <= month <= 12:
            return None
        year = int(m.group("zy")) if m.group("zy") else (
            published.year if month <= published.month else published.year - 1)
        month_start = dt.date(year, month, 1)
    if not m.group("zd"):
        return month_start, "month"
    try:
        return month_start.replace(day=int(m.group("zd"))), "day"
    except ValueError:
        return None
