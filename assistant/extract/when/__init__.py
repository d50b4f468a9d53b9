"""Deterministic date and time extraction for English, Spanish and German client messages.

``parse_when(text, now, tz, lang=None) -> When``

Pure function: no clock, no I/O. ``now`` is resolved in the studio time zone ``tz``.

Pipeline (all on a folded copy of the text: lower case, no diacritics, with a map back to the
original characters so that ``matched_text`` quotes the client's own words); one module per stage:

1. (``prepare``) mask what must never be read as a date or time: greetings ("good morning",
   "buenas tardes", "guten Morgen"), e-mail addresses, URLs, phone numbers, prices, street
   addresses, counts ("2 people", "120 guests", "2 hours");
2. (``prepare``) repair typos of date words ("thrusday", "decmber", "tomorow", "nxt", "tmrw") by an
   edit distance of 1 (2 for words of 8+ letters) against a small vocabulary, same first letter;
3. run ``RULES``, ordered regular-expression rules that claim non-overlapping spans (``dates``:
   calendar dates first, ``relative``: relative days and weekdays, ``ranges``: weeks and months,
   ``times``, ``periods``: parts of the day), with the words of each language in ``vocabulary``;
4. (``combine``, an ordered list of steps) combine the mentions: a weekday next to a date is checked
   against it (the date wins, ``ambiguous`` is set when they disagree), a weekday next to "next week"
   is resolved inside that week, am/pm is decided, a primary date/time is chosen when several are
   given (the one after "to"/"instead"/"auf"/"al", else the one next to a time, else the first,
   with ``ambiguous``).

Conventions (documented heuristics):

* Dates without a year resolve to the next occurrence that is not in the past (today counts).
* A bare weekday ("thursday", "am Freitag", "el jueves") is the next such day strictly after today
  (``ambiguous`` when it is today's weekday). "this thursday" may be today.
* English "next Thursday" is the Thursday of next calendar week (weeks start on Monday); if that
  weekday is still ahead in the current week, ``ambiguous`` is set because some people mean that
  one. Spanish "el próximo jueves"/"el jueves que viene" and German "nächsten Freitag"/"kommenden
  Freitag" are the nearest such day after today (``ambiguous`` when it falls in the current week).
* Hours without am/pm, without a 24-hour form and without a part of the day: 1..7 are afternoon
  (13:00..19:00), 8..11 are morning, 12 is noon (a studio books daytime sessions; "at 4" is 16:00).
  A part of the day anywhere in the message ("in the morning", "de la tarde", "nachmittags") decides
  instead. "08:30" (leading zero) and hours 13..23 are taken as 24-hour times.
* German "halb drei" is 2:30 (then the rule above makes it 14:30); British "half two" likewise.
* Numeric dates: "12/3" is month/day for English, day/month for Spanish and German; "3.12." and
  "3.12.2026" are always day.month; "10.30" without a trailing dot is a time.
* Parts of the day: morning 09:00-12:00, early morning / first thing 08:00-10:00, mid-morning
  10:00-11:30, late morning 10:30-12:00, lunchtime 11:30-13:30, early afternoon 12:00-14:00,
  mid-afternoon 14:00-16:00, late afternoon 15:00-17:00, afternoon 12:00-17:00, evening 17:00-21:00.
  "after X" is X-21:00 and "before X" is 07:00-X. "from X" ("ab 12 Uhr", "a partir de las 3", "from 2 until
  10") is a start time X; the range is kept as ``time_range`` (a soft bound).
* "1pm instead of 10am", "3pm rather than 11am": the mention after "instead of"/"rather than"/"en vez de"/
  "statt" is the old value and goes to ``other_times``/``other_dates``.
* "the 2nd one", "the first option" pick from a list and are not dates.
* Week ranges run Monday..Sunday; "this week" starts today; "this weekend" is the coming
  Saturday..Sunday; "early/mid/late <month>" are days 1-10, 11-20, 21-end.
* ``explicit`` is True when the chosen date was written as a calendar date (month name + day,
  numeric or ISO date), as opposed to relative or weekday-derived dates.

``dateparser`` is used only when ``fallback=True`` is passed (it costs ~100-500 ms per call and
misses most of the texting-style and German/Spanish forms the rules here cover).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Callable
from zoneinfo import ZoneInfo

from .._text import fold
from .combine import _combine
from .dates import _rule_holidays, _rule_month_dates, _rule_numeric_dates, _rule_ordinals, _rule_week_of
from .periods import _rule_periods
from .prepare import _mask, _repair
from .ranges import _rule_ranges
from .relative import _rule_relative_days, _rule_weekdays
from .result import When
from .scan import _Scan
from .times import _rule_times
from .vocabulary import MONTHS, WEEKDAYS

__all__ = ["MONTHS", "WEEKDAYS", "When", "parse_when", "mentions_when"]

#: The rules, in order: each claims the characters it reads, so earlier rules win.
RULES: tuple[Callable[[_Scan], None], ...] = (
    _rule_numeric_dates,
    _rule_month_dates,
    _rule_week_of,
    _rule_relative_days,
    _rule_holidays,
    _rule_ranges,
    _rule_weekdays,
    _rule_times,
    _rule_ordinals,
    _rule_periods,
)


def _local_today(now: datetime, tz: str) -> date:
    zone = ZoneInfo(tz)
    if now.tzinfo is None:
        now = now.replace(tzinfo=zone)
    return now.astimezone(zone).date()


def parse_when(text: str, now: datetime, tz: str, lang: str | None = None, *, fallback: bool = False) -> When:
    """Extract the date/time a client talks about (see module doc for the conventions)."""
    if not text or not text.strip():
        return When()
    if lang is None:
        from ..language import detect_language

        lang = detect_language(text)
    today = _local_today(now, tz)
    f = _repair(_mask(fold(text[:4000])))
    sc = _Scan(f, today, lang)
    for rule in RULES:
        rule(sc)
    result = _combine(sc)
    if fallback and result.is_empty:
        result = _dateparser_fallback(text, now, tz, lang) or result
    return result


def _dateparser_fallback(text: str, now: datetime, tz: str, lang: str) -> When | None:  # pragma: no cover
    try:
        from dateparser.search import search_dates
    except Exception:
        return None
    zone = ZoneInfo(tz)
    base = now.astimezone(zone).replace(tzinfo=None) if now.tzinfo else now
    found = search_dates(text, languages=[lang], settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "future"})
    if not found:
        return None
    snippet, dt = found[0]
    t = dt.time() if (dt.hour, dt.minute) != (0, 0) else None
    return When(date=dt.date(), time=t, matched_text=[snippet], ambiguous=True)


_MW_NOW = datetime(2026, 1, 7, 12, 0)


def mentions_when(text: str, lang: str | None = None) -> bool:
    """True when the text mentions any date, time, weekday or part of the day."""
    return not parse_when(text, _MW_NOW, "UTC", lang).is_empty
