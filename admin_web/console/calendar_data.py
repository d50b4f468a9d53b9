"""What the calendar shows: bookings in a studio-local date range, laid out as month, week or day.

One query per view (bookings joined with service and client, only the columns shown), so a month with
hundreds of sessions costs the same round trips as an empty one. Layout (weeks of the month grid,
minutes from the top of the week grid, side-by-side lanes for overlapping entries) is pure Python
over those rows, kept here so it can be tested without a request.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Optional, Sequence
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, select, text
from sqlalchemy.orm import Session

from models import AvailabilityRule, Studio, UTCDateTime

from ..labels import STATUS_ICONS, STATUS_LABELS

VIEWS = ("month", "week", "day")


@dataclass
class Entry:
    id: int
    start: datetime  # studio-local
    end: datetime
    status: str
    payment_status: str
    service: str
    service_slug: str
    color: str
    client: str
    location: Optional[str]
    total_cents: int
    start_label: str = ""
    end_label: str = ""
    status_label: str = ""
    status_icon: str = ""
    lane: int = 0
    lanes: int = 1


@dataclass
class DayInfo:
    day: date
    entries: list[Entry] = field(default_factory=list)
    open_windows: list[tuple[time, time]] = field(default_factory=list)
    closed_reason: str = ""
    in_month: bool = True

    @property
    def closed(self) -> bool:
        return bool(self.closed_reason) or not self.open_windows


def month_range(anchor: date) -> tuple[date, date]:
    """Monday before the 1st to Sunday after the last day (whole weeks)."""
    first = anchor.replace(day=1)
    next_month = (first + timedelta(days=32)).replace(day=1)
    start = first - timedelta(days=first.weekday())
    last = next_month - timedelta(days=1)
    end = last + timedelta(days=6 - last.weekday())
    return start, end


def week_range(anchor: date) -> tuple[date, date]:
    start = anchor - timedelta(days=anchor.weekday())
    return start, start + timedelta(days=6)


def shift(view: str, anchor: date, steps: int) -> date:
    if view == "month":
        month = anchor.month - 1 + steps
        year = anchor.year + month // 12
        return date(year, month % 12 + 1, 1)
    return anchor + timedelta(days=(7 if view == "week" else 1) * steps)


_ENTRY_SQL = text("""
    SELECT b.id, b.start_at, b.end_at, b.status, b.payment_status, b.location, b.total_cents,
           s.title, s.slug, s.color, c.name, c.email
    FROM bookings b JOIN services s ON s.id = b.service_id JOIN clients c ON c.id = b.client_id
    WHERE b.start_at >= :lo AND b.start_at < :hi
    ORDER BY b.start_at, b.id
""").bindparams(bindparam("lo", type_=UTCDateTime()), bindparam("hi", type_=UTCDateTime()))


def _instant(value: Any) -> datetime:
    """A stored UTC timestamp as an aware datetime: SQLite hands back text, PostgreSQL a datetime."""
    if isinstance(value, str):
        return datetime.fromisoformat(value).replace(tzinfo=timezone.utc)
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def load_entries(session: Session, tz: ZoneInfo, first: date, last: date) -> list[Entry]:
    """Every booking starting in [first, last] (studio-local days), in one query.

    Plain SQL with raw rows: a busy month has hundreds of sessions, and per-row ORM/type processing
    cost more than the query itself (the bound instants still go through ``UTCDateTime``).
    """
    lo = datetime.combine(first, time(0), tz)
    hi = datetime.combine(last + timedelta(days=1), time(0), tz)
    rows = session.connection().execute(_ENTRY_SQL, {"lo": lo, "hi": hi}).all()
    out = []
    for r in rows:
        start, end = _instant(r[1]).astimezone(tz), _instant(r[2]).astimezone(tz)
        out.append(Entry(id=r[0], start=start, end=end, status=r[3], payment_status=r[4], location=r[5],
                         total_cents=r[6], service=r[7], service_slug=r[8], color=r[9], client=r[10] or r[11],
                         start_label=f"{start.hour}:{start.minute:02d}", end_label=f"{end.hour}:{end.minute:02d}",
                         status_label=STATUS_LABELS.get(r[3], r[3]), status_icon=STATUS_ICONS.get(r[3], "")))
    return out


def _hhmm(value: str) -> time:
    h, m = value.split(":")
    return time(int(h), int(m))


def opening(session: Session, first: date, last: date) -> tuple[dict[int, list[tuple[time, time]]], list[tuple[date, date, str]]]:
    """The studio's weekly windows and the blackouts touching [first, last]."""
    rows = session.scalars(select(AvailabilityRule).where(AvailabilityRule.service_id.is_(None))).all()
    weekly: dict[int, list[tuple[time, time]]] = {d: [] for d in range(7)}
    blackouts: list[tuple[date, date, str]] = []
    for r in rows:
        if r.kind == "weekly" and r.weekday is not None and r.start_time and r.end_time:
            weekly[r.weekday].append((_hhmm(r.start_time), _hhmm(r.end_time)))
        elif r.kind == "blackout" and r.start_date:
            end = r.end_date or r.start_date
            if end >= first and r.start_date <= last:
                blackouts.append((r.start_date, end, r.reason or "Closed"))
    return {d: sorted(w) for d, w in weekly.items()}, blackouts


def build_days(entries: Sequence[Entry], first: date, last: date, weekly: dict[int, list[tuple[time, time]]],
               blackouts: Sequence[tuple[date, date, str]], month: Optional[int] = None) -> list[DayInfo]:
    days: dict[date, DayInfo] = {}
    d = first
    while d <= last:
        reason = next((why for start, end, why in blackouts if start <= d <= end), "")
        days[d] = DayInfo(day=d, open_windows=list(weekly.get(d.weekday(), [])), closed_reason=reason,
                          in_month=month is None or d.month == month)
        d += timedelta(days=1)
    for entry in entries:
        info = days.get(entry.start.date())
        if info is not None:
            info.entries.append(entry)
    for info in days.values():
        assign_lanes(info.entries)
    return list(days.values())


def assign_lanes(entries: list[Entry]) -> None:
    """Side-by-side columns for entries that overlap in time (e.g. a cancelled and its replacement)."""
    active: list[Entry] = []
    group: list[Entry] = []
    for entry in sorted(entries, key=lambda e: (e.start, e.id)):
        active = [a for a in active if a.end > entry.start]
        if not active and group:
            _close_group(group)
            group = []
        used = {a.lane for a in active}
        entry.lane = next(i for i in range(len(active) + 1) if i not in used)
        active.append(entry)
        group.append(entry)
    if group:
        _close_group(group)


def _close_group(group: list[Entry]) -> None:
    lanes = max(e.lane for e in group) + 1
    for e in group:
        e.lanes = lanes


def hour_bounds(days: Sequence[DayInfo], default: tuple[int, int] = (8, 18)) -> tuple[int, int]:
    """First and last hour the week grid shows: opening hours and sessions, whichever is wider."""
    lo, hi = default
    for info in days:
        for start, end in info.open_windows:
            lo = min(lo, start.hour)
            hi = max(hi, end.hour + (1 if end.minute else 0) if end != time(0) else 24)
        for e in info.entries:
            lo = min(lo, e.start.hour)
            end_hour = 24 if e.end.date() > e.start.date() else e.end.hour + (1 if e.end.minute else 0)
            hi = max(hi, end_hour)
    return lo, min(hi, 24)


def studio_tz(session: Session) -> ZoneInfo:
    tz = session.scalar(select(Studio.timezone).limit(1))
    return ZoneInfo(tz or "UTC")
