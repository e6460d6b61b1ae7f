"""Days counted from the last date named: "the next day", "three days later",
"a week earlier", 次日, 前一天 (raids told over several days, one sentence
pointing on or back from another's day)."""

from __future__ import annotations

import re

# A day said by pointing on from the last one named (raids told over several days).
_NEXT_DAY = re.compile(r"\b(?:the next|the following) (?:day|morning|evening|night)\b|"
                       r"\b(?:a|one|the) day (?:later|after)\b|\b24 hours later\b|次日|翌日|第二天",
                       re.IGNORECASE)
# How many days or weeks, in words or digits (both directions).
_DAYS_N = r"(?P<n>two|three|four|five|six|seven|eight|nine|ten|[2-9]|1[0-3]) days "
_WEEKS_N = r"(?P<w>a|one|two|three|[1-3]) weeks? "
_DAYS_LATER = re.compile(r"\b" + _DAYS_N + r"(?:later|after)\b|"
                         r"(?P<zh>[两二三四五六2-6])天(?:后|後)|"
                         # "a week after police searched the casino, they raided ...": weeks
                         r"\b" + _WEEKS_N + r"(?:later|after)\b|"
                         r"\b(?P<f>a) fortnight (?:later|after)\b|"
                         r"(?P<zw>[一两二三1-3])(?:周|週|个星期|個星期|星期)(?:后|後)", re.IGNORECASE)
_SMALL = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "两": 2, "二": 2, "三": 3,
          "四": 4, "五": 5, "六": 6, "a": 1, "one": 1, "一": 1, "seven": 7, "eight": 8,
          "nine": 9, "ten": 10}


# ... or back from it: an earlier raid told after a later one ("Three days earlier, officers
# had searched a casino"); only as the sentence's opening, where it points to the day told.
_DAYS_EARLIER = re.compile(
    r"^\W*(?:(?P<day>the (?:day|night|evening) before|the previous (?:day|night|evening)|"
    r"a day earlier)|" + _DAYS_N + r"(?:earlier|before)|" + _WEEKS_N + r"(?:earlier|before)|"
    r"(?P<f>a) fortnight (?:earlier|before)|(?P<zd>前一天|前一日|前一晚))\s*(?:,|，|\s)",
    re.IGNORECASE)


def days_before(text: str) -> int:
    """How many days before the last date named a sentence opens by pointing to (0: none)."""
    m = _DAYS_EARLIER.match(text)
    if m is None:
        return 0
    if m.group("day") or m.group("zd"):
        return 1
    return _counted(m.group("w"), m.group("n"), m.group("f"))


def days_after(text: str) -> int:
    """How many days after the last date named a sentence points to (0: none said)."""
    if _NEXT_DAY.search(text):
        return 1
    m = _DAYS_LATER.search(text)
    if m is None:
        return 0
    return _counted(m.group("w") or m.group("zw"), m.group("n") or m.group("zh"), m.group("f"))


def _counted(weeks: str | None, days: str | None, fortnight: str | None) -> int:
    """The days a matched "<n> weeks", "<n> days" or "a fortnight" stands for."""
    if fortnight:
        return 14
    n = (weeks or days or "").lower()
    count = int(n) if n.isdigit() else _SMALL[n]
    return 7 * count if weeks else count
