"""Studio-local calendar parts of a UTC timestamp column, computed inside the database.

Why: analytics group by the studio's month, weekday and hour, and must do so in SQL (GROUP BY), not
row by row in Python. PostgreSQL converts with ``AT TIME ZONE``. SQLite has no time zone support and
stores naive UTC, so we build a ``CASE`` over the UTC offsets in force between two instants (one branch
per DST period, found from ``zoneinfo``) and shift with ``datetime(col, '-420 minutes')`` — exact on
both sides of every DST change.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, String, case, cast, func, literal
from sqlalchemy.sql.elements import ColumnElement

PARTS = ("month", "date", "dow", "hour")


def _offset_minutes(tz: ZoneInfo, at: datetime) -> int:
    offset = at.astimezone(tz).utcoffset() or timedelta(0)
    return int(offset.total_seconds() // 60)


def offset_segments(tz: ZoneInfo, lo: datetime, hi: datetime) -> list[tuple[datetime, int]]:
    """``[(from_utc, offset_minutes), ...]``: the offset that applies from each instant on, lo..hi.

    Found by stepping a day at a time and bisecting to the minute where the offset changes, so it
    needs nothing but ``zoneinfo`` and costs well under a millisecond per year.
    """
    lo = lo.astimezone(timezone.utc)
    hi = hi.astimezone(timezone.utc)
    segments = [(lo, _offset_minutes(tz, lo))]
    cursor = lo
    while cursor < hi:
        step = min(cursor + timedelta(days=1), hi)
        if _offset_minutes(tz, step) != segments[-1][1]:
            a, b = cursor, step  # offset(a) == current, offset(b) differs
            while b - a > timedelta(minutes=1):
                mid = a + (b - a) / 2
                if _offset_minutes(tz, mid) == segments[-1][1]:
                    a = mid
                else:
                    b = mid
            b = b.replace(second=0, microsecond=0)
            segments.append((b, _offset_minutes(tz, b)))
        cursor = step
    return segments


def local_timestamp(col: Any, tz: ZoneInfo, lo: datetime, hi: datetime, dialect: str) -> ColumnElement[Any]:
    """A naive studio-local timestamp expression for the UTC column ``col`` (valid for lo <= col < hi)."""
    if dialect == "postgresql":
        return func.timezone(tz.key, col)
    segments = offset_segments(tz, lo, hi)
    if len(segments) == 1:
        return func.datetime(col, f"{segments[0][1]:+d} minutes")
    whens = [(col < start, f"{offset:+d} minutes") for (start, _), (_, offset)
             in zip(segments[1:], segments[:-1])]
    modifier = case(*whens, else_=literal(f"{segments[-1][1]:+d} minutes"))
    return func.datetime(col, modifier)


def local_part(col: Any, part: str, tz: ZoneInfo, lo: datetime, hi: datetime, dialect: str) -> ColumnElement[Any]:
    """``month`` ('2026-10'), ``date`` ('2026-10-16'), ``dow`` (0 = Monday) or ``hour`` (0..23), local."""
    if part not in PARTS:
        raise ValueError(f"unknown part {part!r}")
    ts = local_timestamp(col, tz, lo, hi, dialect)
    if dialect == "postgresql":
        if part == "month":
            return func.to_char(ts, "YYYY-MM")
        if part == "date":
            return func.to_char(ts, "YYYY-MM-DD")
        if part == "dow":
            return cast(func.extract("isodow", ts), Integer) - 1
        return cast(func.extract("hour", ts), Integer)
    if part == "month":
        return func.strftime("%Y-%m", ts)
    if part == "date":
        return cast(func.date(ts), String)
    if part == "dow":
        return (cast(func.strftime("%w", ts), Integer) + 6) % 7
    return cast(func.strftime("%H", ts), Integer)


def days_between(later: Any, earlier: Any, dialect: str) -> ColumnElement[Any]:
    """Elapsed days between two UTC timestamp columns, as a float expression."""
    if dialect == "postgresql":
        return func.extract("epoch", later - earlier) / 86400.0
    return func.julianday(later) - func.julianday(earlier)
