"""Exact instants, DST-correct opening windows and an index of existing bookings.

Why integers: every availability rule compares instants. Python compares two aware datetimes that
share a ``tzinfo`` by their *wall clocks* (fold is ignored), which is wrong around a DST change, and
datetime arithmetic is slow in bulk. So the rules work on integer microseconds since the Unix epoch
(UTC) and only build ``datetime`` objects for what they return.

Why an index: find_slots must not scan every stored booking for every candidate start. A
:class:`BookingIndex` sorts the active bookings once (by start) so that a query range is cut out with
``bisect``; callers that ask many questions about the same bookings build it once and pass it in.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Iterable, Optional, Sequence
from zoneinfo import ZoneInfo

from .types import ACTIVE_STATUSES, ExistingBooking

UTC = timezone.utc
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
ONE_US = timedelta(microseconds=1)
US_PER_MINUTE = 60_000_000
US_PER_HOUR = 3_600_000_000
US_PER_DAY = 86_400_000_000

Window = tuple[time, time]


def to_us(moment: datetime) -> int:
    """Microseconds since the epoch for an aware datetime (naive ones are refused, never guessed)."""
    try:
        return (moment - EPOCH) // ONE_US
    except TypeError:
        raise ValueError(f"datetime must be timezone-aware: {moment!r}") from None


def from_us(us: int, tz: tzinfo) -> datetime:
    """The aware datetime in ``tz`` for an instant (correct fold on repeated wall-clock times)."""
    return (EPOCH + timedelta(microseconds=us)).astimezone(tz)


def wall_us(wall: datetime) -> int:
    """A naive wall-clock datetime read as if it were UTC (instant = wall_us - utc offset)."""
    return ((wall.toordinal() - EPOCH_ORDINAL) * 86_400 + wall.hour * 3_600 + wall.minute * 60
            + wall.second) * 1_000_000 + wall.microsecond


def window_walls(day: date, window: Window) -> Optional[tuple[datetime, datetime]]:
    """Naive wall-clock bounds of a window on ``day``; an end of 00:00 means midnight after the day."""
    opens, closes = window
    first = datetime.combine(day, opens)
    last = datetime.combine(day + timedelta(days=1) if closes == time(0) else day, closes)
    return (first, last) if last > first else None


def window_end_us(last: datetime, tz: tzinfo) -> int:
    """The earlier of the two readings of a window end: only differs inside a DST gap or overlap."""
    return min(to_us(last.replace(tzinfo=tz, fold=0)), to_us(last.replace(tzinfo=tz, fold=1)))


def day_starts(day: date, windows: Sequence[Window], tz: tzinfo, duration_us: int,
               step_us: int) -> dict[int, tuple[datetime, datetime]]:
    """Every aligned start on one studio-local date whose session fits its window.

    Returns start instant -> (local start, local end). Starts are ``window open + k * step`` on the
    wall clock; a wall-clock start inside a spring-forward gap is skipped, a repeated one (fall back)
    is read with fold=0, and the session must end by the window end in real elapsed time.
    """
    found: dict[int, tuple[datetime, datetime]] = {}
    step = timedelta(microseconds=step_us)
    length = timedelta(microseconds=duration_us)
    for window in windows:
        walls = window_walls(day, window)
        if walls is None:
            continue
        first, last = walls
        end_limit = window_end_us(last, tz)
        first_local = first.replace(tzinfo=tz)
        offset = first_local.utcoffset()
        if offset == last.replace(tzinfo=tz).utcoffset() == last.replace(tzinfo=tz, fold=1).utcoffset():
            # No UTC-offset change inside the window: wall-clock and elapsed time agree.
            assert offset is not None
            start = wall_us(first) - offset // ONE_US
            span = (last - first) // ONE_US
            local = first_local
            k = 0
            while k < span and start + k + duration_us <= end_limit:
                found.setdefault(start + k, (local, local + length))
                k += step_us
                local += step
            continue
        wall = first
        while wall < last:
            local = wall.replace(tzinfo=tz)
            start = to_us(local)
            if from_us(start, tz).replace(tzinfo=None) == wall and start + duration_us <= end_limit:
                found.setdefault(start, (local, from_us(start + duration_us, tz)))
            wall += step
    return found


def local_midnight_us(day: date, tz: tzinfo) -> int:
    """First instant (roughly) of a local date, for cutting ranges; callers keep a safety margin."""
    return to_us(datetime.combine(day, time(0), tzinfo=tz))


#: The cheap pre-filter below keeps bookings within this margin of the query range by plain
#: datetime comparison. It covers buffers and travel of up to a day each plus any DST offset error;
#: bookings with longer buffers always pass.
PREFILTER_MARGIN = timedelta(days=3)
PREFILTER_BUFFER_MINUTES = 24 * 60


def bookings_near(bookings: Iterable[ExistingBooking], lo: datetime, hi: datetime) -> list[ExistingBooking]:
    """Bookings that may matter for the instants [lo, hi): a superset, by comparisons only.

    Why: converting a booking to integers costs microseconds, too much for 10 000 of them per call;
    comparing datetimes costs a tenth of that. Aware datetimes sharing a ``tzinfo`` compare by wall
    clock, which can be off by the DST shift; the margin absorbs it.
    """
    lo, hi = lo - PREFILTER_MARGIN, hi + PREFILTER_MARGIN
    limit = PREFILTER_BUFFER_MINUTES
    return [b for b in bookings if (b.start < hi and b.end > lo)
            or b.buffer_before_minutes > limit or b.buffer_after_minutes > limit]


class BookingIndex:
    """Active existing bookings of one studio, sorted by start, with per-booking integer bounds.

    Build it once per set of bookings (O(n log n)); every query then costs O(log n + k).
    ``local_days`` holds each booking's studio-local start date (proleptic ordinal) for the
    per-day limits.
    """

    __slots__ = ("timezone", "bookings", "starts", "ends", "blocked_starts", "blocked_ends",
                 "local_days", "max_before_us", "max_span_us")

    def __init__(self, bookings: Iterable[ExistingBooking], timezone: str) -> None:
        tz = ZoneInfo(timezone)
        rows = [(to_us(b.start), n, b) for n, b in enumerate(bookings) if b.status in ACTIVE_STATUSES]
        rows.sort()  # (start, input position): never compares the bookings themselves
        self.timezone = timezone
        self.bookings: tuple[ExistingBooking, ...] = tuple(row[2] for row in rows)
        self.starts: list[int] = [row[0] for row in rows]
        self.ends: list[int] = [to_us(b.end) for b in self.bookings]
        self.blocked_starts: list[int] = [s - b.buffer_before_minutes * US_PER_MINUTE
                                          for s, b in zip(self.starts, self.bookings)]
        self.blocked_ends: list[int] = [e + b.buffer_after_minutes * US_PER_MINUTE
                                        for e, b in zip(self.ends, self.bookings)]
        self.local_days: list[int] = [b.start.astimezone(tz).toordinal() for b in self.bookings]
        self.max_before_us = max((s - bs for s, bs in zip(self.starts, self.blocked_starts)), default=0)
        self.max_span_us = max((be - s for s, be in zip(self.starts, self.blocked_ends)), default=0)

    def __len__(self) -> int:
        return len(self.bookings)

    def starting_between(self, lo_us: int, hi_us: int) -> range:
        """Positions of bookings whose start lies in [lo_us, hi_us)."""
        return range(bisect_left(self.starts, lo_us), bisect_left(self.starts, hi_us))

    def blocking_near(self, lo_us: int, hi_us: int, margin_us: int) -> range:
        """Positions of bookings whose blocked interval, widened by ``margin_us`` on both sides,
        may intersect [lo_us, hi_us) (a superset: callers still compare exactly)."""
        first = bisect_right(self.starts, lo_us - self.max_span_us - margin_us)
        last = bisect_left(self.starts, hi_us + self.max_before_us + margin_us)
        return range(first, max(first, last))
