"""Calendar arithmetic the rules share: next occurrences, week starts, month ranges. Pure."""

from __future__ import annotations

from datetime import date, timedelta


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _next_md(today: date, month: int, day: int) -> date | None:
    """Next occurrence of month/day that is not in the past."""
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    for y in range(today.year, today.year + 9):
        d = _safe_date(y, month, day)
        if d is not None and d >= today:
            return d
    return None


def _ymd(today: date, y: int | None, month: int, day: int) -> date | None:
    if y is None:
        return _next_md(today, month, day)
    if y < 100:
        y += 2000
    if not (1900 <= y <= 2200):
        return None
    return _safe_date(y, month, day)


def _month_end(y: int, m: int) -> date:
    return (date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1))


def _next_weekday(today: date, wd: int, include_today: bool = False) -> date:
    ahead = (wd - today.weekday()) % 7
    if ahead == 0 and not include_today:
        ahead = 7
    return today + timedelta(days=ahead)


def _week_start(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _nearest_dom(today: date, day: int, month_hint: tuple[int, int] | None = None) -> date | None:
    if not 1 <= day <= 31:
        return None
    if month_hint is not None:
        return _safe_date(month_hint[0], month_hint[1], day)
    y, m = today.year, today.month
    for _ in range(13):
        d = _safe_date(y, m, day)
        if d is not None and d >= today:
            return d
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return None


def _month_range(today: date, month: int, part: str = "all", year: int | None = None,
                 force_next: bool = False) -> tuple[date, date] | None:
    if year is None:
        year = today.year
        if month < today.month or (force_next and month == today.month):
            year += 1
    start, end = date(year, month, 1), _month_end(year, month)
    if part == "early":
        end = date(year, month, 10)
    elif part == "mid":
        start, end = date(year, month, 11), date(year, month, 20)
    elif part == "late":
        start = date(year, month, 21)
    if end < today and year == today.year:
        return _month_range(today, month, part, year + 1)
    if start < today <= end:
        start = today
    return start, end
