"""Deterministic periods in a question ("last month", "in October", "since June", "next week"...).

Why code and not the model: a period is a fact the answer's figures depend on, so it must come out the
same every time, resolved against the studio's clock (``settings.current_time()``, honouring
``STUDIOBOOK_NOW``) in the studio's time zone (DST-correct local midnights). Weeks run Monday-Sunday.
A month named without a year means the latest one that has begun for backward-looking questions
("revenue in October" on 24 Nov 2026 is October 2026) and the next one not yet over for questions
about the calendar ahead ("what's on in January").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Optional
from zoneinfo import ZoneInfo

from assistant.insights import ALL_TIME, Period

MONTHS = {"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
          "september": 9, "october": 10, "november": 11, "december": 12}
MONTH_ABBR = {name[:3]: n for name, n in MONTHS.items()} | {"sept": 9}
MONTH_RE = (r"(january|february|march|april|may|june|july|august|september|october|november|december|"
            r"jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "fourteen": 14, "thirty": 30, "ninety": 90}
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")


@dataclass(frozen=True)
class Clock:
    """"Now" and today in the studio's zone."""

    now: datetime
    tz: ZoneInfo

    @property
    def today(self) -> date:
        return self.now.astimezone(self.tz).date()

    def midnight(self, day: date) -> datetime:
        return datetime.combine(day, time(0), self.tz)

    def days(self, first: date, last: date, label: str) -> Period:
        """The local days first..last inclusive."""
        return Period(self.midnight(first), self.midnight(last + timedelta(days=1)), label)


def _month_number(word: str) -> int:
    return MONTHS.get(word) or MONTH_ABBR[word[:4] if word.startswith("sept") else word[:3]]


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _month_period(clock: Clock, year: int, month: int, label: Optional[str] = None) -> Period:
    ny, nm = _add_months(year, month, 1)
    return Period(clock.midnight(date(year, month, 1)), clock.midnight(date(ny, nm, 1)),
                  label or f"{MONTH_NAMES[month - 1]} {year}")


def _span_label(first: date, last: date) -> str:
    def short(d: date) -> str:
        return f"{MONTH_NAMES[d.month - 1][:3]} {d.day}"

    if first == last:
        return f"{WEEKDAYS[first.weekday()][:3].title()} {short(first)}, {first.year}"
    if first.year == last.year:
        return f"{short(first)} – {short(last)}, {last.year}"
    return f"{short(first)}, {first.year} – {short(last)}, {last.year}"


def _year_of_month(clock: Clock, month: int, forward: bool) -> int:
    today = clock.today
    if forward:
        return today.year if month >= today.month else today.year + 1
    return today.year if month <= today.month else today.year - 1


def _count(word: str) -> Optional[int]:
    return int(word) if word.isdigit() else NUMBER_WORDS.get(word)


def find_period(text: str, clock: Clock, *, forward: bool = False) -> Optional[Period]:
    """The period the (lower-cased) question names, or None if it names none."""
    for finder in (_relative_day, _week_of, _relative_unit, _rolling, _quarter, _ytd, _range, _since, _day, _month,
                   _weekday, _year, _all_time):
        found = finder(text, clock, forward)
        if found is not None:
            return found
    return None


def _relative_day(text: str, clock: Clock, forward: bool) -> Optional[Period]:
    today = clock.today
    for word, delta in (("day after tomorrow", 2), ("tomorrow", 1), ("yesterday", -1), ("today", 0),
                        ("tonight", 0)):
        if re.search(rf"\b{word}\b", text):
            day = today + timedelta(days=delta)
            return clock.days(day, day, f"{word} ({_span_label(day, day)})")
    return None


def _week_of(text: str, clock: Clock, forward: bool) -> Optional[Period]:
    """"the week of October 12": Monday to Sunday around that day."""
    m = re.search(r"\bweek (?:of|starting|beginning|from)\s+(.*)$", text)
    if not m:
        return None
    day = _day(m.group(1), clock, forward)
    if day is None or day.start is None:
        return None
    first = day.start.astimezone(clock.tz).date()
    first -= timedelta(days=first.weekday())
    last = first + timedelta(days=6)
    return clock.days(first, last, f"the week of {_span_label(first, last)}")


def _relative_unit(text: str, clock: Clock, forward: bool) -> Optional[Period]:
    m = re.search(r"\b(this|current|next|coming|last|previous|past|the last|the past)\s+(week|weekend|month|quarter|year)\b",
                  text)
    if not m:
        return None
    which, unit = m.group(1), m.group(2)
    delta = {"this": 0, "current": 0, "next": 1, "coming": 1}.get(which, -1)
    today = clock.today
    if unit in ("week", "weekend"):
        monday = today - timedelta(days=today.weekday()) + timedelta(weeks=delta)
        first, last = (monday, monday + timedelta(days=6)) if unit == "week" else \
            (monday + timedelta(days=5), monday + timedelta(days=6))
        return clock.days(first, last, f"{which} {unit} ({_span_label(first, last)})")
    if unit == "month":
        y, mo = _add_months(today.year, today.month, delta)
        return _month_period(clock, y, mo, f"{MONTH_NAMES[mo - 1]} {y}")
    if unit == "quarter":
        q0 = (today.month - 1) // 3
        y, mo = _add_months(today.year, q0 * 3 + 1, 3 * delta)
        ey, em = _add_months(y, mo, 3)
        return Period(clock.midnight(date(y, mo, 1)), clock.midnight(date(ey, em, 1)), f"Q{(mo - 1) // 3 + 1} {y}")
    year = today.year + delta
    return Period(clock.midnight(date(year, 1, 1)), clock.midnight(date(year + 1, 1, 1)), str(year))


def _rolling(text: str, clock: Clock, forward: bool) -> Optional[Period]:
    m = re.search(r"\b(last|past|previous|next|coming)\s+(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|"
                  r"ten|twelve|fourteen|thirty|ninety)\s+(days?|weeks?|months?|years?)\b", text)
    if not m:
        return None
    n = _count(m.group(2)) or 1
    unit = m.group(3).rstrip("s")
    today = clock.today
    ahead = m.group(1) in ("next", "coming")
    if unit in ("day", "week"):
        span = n * (7 if unit == "week" else 1)
        first, last = (today, today + timedelta(days=span - 1)) if ahead else (today - timedelta(days=span - 1), today)
    else:
        months = n * (12 if unit == "year" else 1)
        if ahead:
            y, mo = _add_months(today.year, today.month, months)
            first, last = today, date(y, mo, min(today.day, 28)) - timedelta(days=1)
        else:
            y, mo = _add_months(today.year, today.month, -months)
            first, last = date(y, mo, min(today.day, 28)) + timedelta(days=1), today
    word = "next" if ahead else "last"
    return clock.days(first, last, f"{word} {n} {unit}{'s' if n != 1 else ''} ({_span_label(first, last)})")


def _quarter(text: str, clock: Clock, forward: bool) -> Optional[Period]:
    m = re.search(r"\b(?:q([1-4])|(first|second|third|fourth) quarter)(?:\s+(?:of\s+)?(\d{4}))?\b", text)
    if not m:
        return None
    q = int(m.group(1)) if m.group(1) else ("first", "second", "third", "fourth").index(m.group(2)) + 1
    year = int(m.group(3)) if m.group(3) else clock.today.year
    if not m.group(3) and not forward and (q - 1) * 3 + 1 > clock.today.month:
        year -= 1
    ey, em = _add_months(year, (q - 1) * 3 + 1, 3)
    return Period(clock.midnight(date(year, (q - 1) * 3 + 1, 1)), clock.midnight(date(ey, em, 1)), f"Q{q} {year}")


def _ytd(text: str, clock: Clock, forward: bool) -> Optional[Period]:
    if re.search(r"\b(year to date|ytd|so far this year|this year so far)\b", text):
        today = clock.today
        return clock.days(date(today.year, 1, 1), today, f"{today.year} to date")
    return None


def _month_year(month_word: str, year_word: Optional[str], clock: Clock, forward: bool) -> tuple[int, int]:
    month = _month_number(month_word)
    year = int(year_word) if year_word else _year_of_month(clock, month, forward)
    return year, month


def _range(text: str, clock: Clock, forward: bool) -> Optional[Period]:
    m = re.search(rf"\b(?:from|between)\s+{MONTH_RE}(?:\s+(\d{{4}}))?\s+(?:to|until|till|through|and)\s+"
                  rf"{MONTH_RE}(?:\s+(\d{{4}}))?\b", text)
    if not m:
        return None
    y2, m2 = _month_year(m.group(3), m.group(4), clock, forward)
    m1 = _month_number(m.group(1))
    y1 = int(m.group(2)) if m.group(2) else (y2 if m1 <= m2 else y2 - 1)
    ey, em = _add_months(y2, m2, 1)
    return Period(clock.midnight(date(y1, m1, 1)), clock.midnight(date(ey, em, 1)),
                  f"{MONTH_NAMES[m1 - 1]} {y1} – {MONTH_NAMES[m2 - 1]} {y2}")


def _since(text: str, clock: Clock, forward: bool) -> Optional[Period]:
    m = re.search(rf"\bsince\s+(?:the\s+start\s+of\s+|the\s+beginning\s+of\s+)?{MONTH_RE}(?:\s+(\d{{4}}))?\b", text)
    today = clock.today
    if m:
        year, month = _month_year(m.group(1), m.group(2), clock, False)
        start = date(year, month, 1)
    else:
        m = re.search(r"\bsince\s+(\d{4})(?:-(\d{2})-(\d{2}))?\b", text)
        if not m:
            return None
        start = date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    return clock.days(start, today, f"{_span_label(start, today)} (since {MONTH_NAMES[start.month - 1]} {start.year})")


def _day(text: str, clock: Clock, forward: bool) -> Optional[Period]:
    m = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", text)
    day: Optional[date] = None
    if m:
        day = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    else:
        m = re.search(rf"\b{MONTH_RE}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?", text)
        groups = (m.group(1), m.group(2), m.group(3)) if m else None
        if not m:
            m = re.search(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH_RE}\b(?:,?\s+(\d{{4}}))?", text)
            groups = (m.group(2), m.group(1), m.group(3)) if m else None
        if groups is not None and 1 <= int(groups[1]) <= 31:
            year, month = _month_year(groups[0], groups[2], clock, True)
            if not groups[2] and not forward:
                year = clock.today.year
            try:
                day = date(year, month, int(groups[1]))
            except ValueError:
                return None
    if day is None:
        return None
    return clock.days(day, day, _span_label(day, day))


def _month(text: str, clock: Clock, forward: bool) -> Optional[Period]:
    for m in re.finditer(rf"\b{MONTH_RE}\b(?:,?\s+(\d{{4}}))?", text):
        word, year_word = m.group(1), m.group(2)
        if word == "may" and not year_word and not re.search(r"\b(in|of|for|during|since|from)\s+may\b", text):
            continue  # "may I see..." is not the month
        year, month = _month_year(word, year_word, clock, forward)
        return _month_period(clock, year, month)
    return None


def _weekday(text: str, clock: Clock, forward: bool) -> Optional[Period]:
    m = re.search(r"\b(on|this|next|last|coming)\s+(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", text)
    if not m:
        return None
    today = clock.today
    target = WEEKDAYS.index(m.group(2))
    if m.group(1) == "last":
        delta = (today.weekday() - target) % 7 or 7
        day = today - timedelta(days=delta)
    else:
        delta = (target - today.weekday()) % 7
        if m.group(1) == "next" and delta == 0:
            delta = 7
        day = today + timedelta(days=delta)
    return clock.days(day, day, _span_label(day, day))


def _year(text: str, clock: Clock, forward: bool) -> Optional[Period]:
    m = re.search(r"\b(20\d\d)\b", text)
    if not m:
        return None
    year = int(m.group(1))
    return Period(clock.midnight(date(year, 1, 1)), clock.midnight(date(year + 1, 1, 1)), str(year))


def _all_time(text: str, clock: Clock, forward: bool) -> Optional[Period]:
    if re.search(r"\b(all time|all-time|ever|overall|in total|since (?:the beginning|we started|i started))\b", text):
        return ALL_TIME
    return None
