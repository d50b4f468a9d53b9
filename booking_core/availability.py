"""Which session starts the studio's rules allow, and why a requested one is refused.

``find_slots`` lists allowed starts; ``check`` explains a single request. Both are built from the same
pieces (candidate generation per local day, day-level limits, instant thresholds, buffer/travel
conflicts), so a start is returned by ``find_slots`` exactly when ``check`` accepts it.

Semantics (all times are instants; wall-clock only where the rule is about the wall clock):

* Duration = ``service.duration_minutes`` + sum of the add-ons' ``extends_minutes``, in elapsed time
  (arithmetic in UTC). It must be positive.
* Weekly windows: ``service.weekly`` when not None (it *replaces* the studio's), else ``rules.weekly``.
  A start is valid only at ``window open + k * slot_step_minutes`` on the wall clock of its local date,
  and the session must end by that window's end in real elapsed time. A wall-clock start that does
  not exist (spring-forward gap) is skipped; a repeated one (fall back) is only valid as its first
  occurrence (fold=0). A window end inside a gap/overlap is read as the earlier of its two readings.
  A window end of 00:00 means midnight at the end of the day.
* Blackouts: no session starts on a blackout date (studio-local, inclusive range).
* Buffers: each booking blocks [start - buffer_before, end + buffer_after). The new booking's blocked
  interval must not overlap that of any active (``ACTIVE_STATUSES``) existing booking; half-open, so
  touching is fine. Buffers may fall outside opening hours.
* Travel: a booking is on location when its service/flag says so or it has a location. If the new
  booking or the other one is on location, the blocked intervals must also be at least ``travel``
  minutes apart: ``rules.travel_time(new location, other location)`` when given (capped at 24 h),
  else ``rules.travel_minutes``.
* Notice: start >= now + notice hours (service override, else studio); earlier but not past is
  "notice", before ``now`` is "past". Horizon: start <= now + ``max_horizon_days`` days (elapsed).
* Per day (the local date of the start): fewer than ``service.max_per_day`` active bookings of the
  same service and fewer than ``rules.max_bookings_per_day`` active bookings overall must already
  start that day; the non-exempt booked duration plus this session must stay within
  ``daily_hours_limit`` (a service exempt from the limit is never refused by it).
* ``exclude_booking_id`` ignores that existing booking (rescheduling it); an inactive service or an
  add-on the service does not offer refuses every start.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Iterator, Optional, Sequence, Union
from zoneinfo import ZoneInfo

from .timeline import (US_PER_DAY, US_PER_HOUR, US_PER_MINUTE, BookingIndex, Window, bookings_near,
                       day_starts, from_us, local_midnight_us, to_us, window_walls)
from .types import (WEEKDAY_NAMES, AddOn, BookingRequest, CheckResult, ExistingBooking, Service,
                    Slot, StudioRules)

__all__ = ["find_slots", "check", "BookingIndex", "index_bookings"]

Existing = Union[Sequence[ExistingBooking], BookingIndex]

#: travel_time results are capped so the booking look-up range stays bounded.
MAX_TRAVEL_MINUTES = 24 * 60
#: How far ahead the "earliest possible slot" hint in a notice refusal looks.
EARLIEST_HINT_DAYS = 60
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def index_bookings(existing: Existing, rules: StudioRules) -> BookingIndex:
    """A :class:`BookingIndex` for this studio's time zone (reused when it already is one).

    Build it once and pass it to many ``find_slots``/``check`` calls: a plain sequence is
    pre-filtered and indexed again on every call.
    """
    if isinstance(existing, BookingIndex) and existing.timezone == rules.timezone:
        return existing
    return BookingIndex(existing.bookings if isinstance(existing, BookingIndex) else existing, rules.timezone)


def _index_for(existing: Existing, rules: StudioRules, lo: datetime, hi: datetime) -> BookingIndex:
    """The prebuilt index, or an index of just the bookings that may matter for [lo, hi)."""
    if isinstance(existing, BookingIndex) and existing.timezone == rules.timezone:
        return existing
    bookings = existing.bookings if isinstance(existing, BookingIndex) else existing
    return BookingIndex(bookings_near(bookings, lo, hi), rules.timezone)


@dataclass(frozen=True)
class _Plan:
    """Everything one call needs, resolved once: the rules as integers in one place."""

    service: Service
    rules: StudioRules
    tz: ZoneInfo
    weekly: dict[int, Sequence[Window]]
    duration_us: int
    step_us: int
    before_us: int
    after_us: int
    now_us: int
    notice_us: int
    horizon_us: Optional[int]
    index: BookingIndex
    exclude: Optional[int]
    on_location: bool
    location: Optional[str]

    @classmethod
    def build(cls, service: Service, addons: Sequence[AddOn], location: Optional[str],
              rules: StudioRules, now: datetime, existing: Existing, exclude: Optional[int],
              first: date, last: date) -> "_Plan":
        """Resolve the rules for questions about the local dates ``first``..``last``."""
        duration = service.duration_minutes + sum(a.extends_minutes for a in addons)
        if duration <= 0:
            raise ValueError(f"session duration must be positive, got {duration} minutes")
        if rules.slot_step_minutes <= 0:
            raise ValueError("slot_step_minutes must be positive")
        now_us = to_us(now)
        notice = service.min_notice_hours if service.min_notice_hours is not None else rules.min_notice_hours
        horizon = rules.max_horizon_days
        weekly = service.weekly if service.weekly is not None else rules.weekly
        tz = ZoneInfo(rules.timezone)
        # Every instant a new session on these dates can block, for pre-filtering plain lists.
        lo = datetime.combine(first, time(0), tzinfo=tz) - timedelta(minutes=service.buffer_before_minutes)
        hi = datetime.combine(last + timedelta(days=1), time(0), tzinfo=tz) + timedelta(
            minutes=duration + service.buffer_after_minutes)
        return cls(
            service=service, rules=rules, tz=tz,
            weekly={int(k): tuple(v) for k, v in weekly.items()},
            duration_us=duration * US_PER_MINUTE, step_us=rules.slot_step_minutes * US_PER_MINUTE,
            before_us=service.buffer_before_minutes * US_PER_MINUTE,
            after_us=service.buffer_after_minutes * US_PER_MINUTE,
            now_us=now_us, notice_us=now_us + round(notice * US_PER_HOUR),
            horizon_us=None if horizon is None else now_us + horizon * US_PER_DAY,
            index=_index_for(existing, rules, lo, hi), exclude=exclude,
            on_location=service.on_location or bool(location), location=location)

    # -- pieces shared by find_slots and check --------------------------------------------------

    def starts_on(self, day: date) -> dict[int, tuple[datetime, datetime]]:
        return day_starts(day, self.weekly.get(day.weekday(), ()), self.tz, self.duration_us, self.step_us)

    def blackout_on(self, day: date) -> Optional[str]:
        """The blackout's reason ("" if it has none) when ``day`` is closed, else None."""
        for blackout in self.rules.blackouts:
            if blackout.start <= day <= blackout.end:
                return blackout.reason
        return None

    def counts(self, first: date, last: date) -> dict[int, list[int]]:
        """Local date ordinal -> [same-service bookings, all bookings, non-exempt booked us]."""
        index = self.index
        lo = local_midnight_us(first, self.tz) - 2 * US_PER_DAY
        hi = local_midnight_us(last, self.tz) + 3 * US_PER_DAY
        lo_day, hi_day = first.toordinal(), last.toordinal()
        stats: dict[int, list[int]] = {}
        for i in index.starting_between(lo, hi):
            day = index.local_days[i]
            booking = index.bookings[i]
            if not lo_day <= day <= hi_day or (self.exclude is not None and booking.id == self.exclude):
                continue
            row = stats.setdefault(day, [0, 0, 0])
            row[0] += booking.service_slug == self.service.slug
            row[1] += 1
            if not booking.exempt_from_daily_limit:
                row[2] += index.ends[i] - index.starts[i]
        return stats

    @property
    def has_day_limits(self) -> bool:
        """Whether any per-day limit applies (counting bookings per day is skipped otherwise)."""
        return (self.service.max_per_day is not None or self.rules.max_bookings_per_day is not None
                or (self.rules.daily_hours_limit is not None and not self.service.exempt_from_daily_limit))

    def day_limits(self, row: Optional[list[int]]) -> list[str]:
        """Codes of the per-day limits a new session would break, given that day's counts."""
        same, total, booked = row or (0, 0, 0)
        broken = []
        if self.service.max_per_day is not None and same >= self.service.max_per_day:
            broken.append("max_per_day")
        if self.rules.max_bookings_per_day is not None and total >= self.rules.max_bookings_per_day:
            broken.append("max_bookings_per_day")
        limit = self.rules.daily_hours_limit
        if (limit is not None and not self.service.exempt_from_daily_limit
                and booked + self.duration_us > round(limit * US_PER_HOUR)):
            broken.append("daily_limit")
        return broken

    def busy(self, lo_us: int, hi_us: int) -> list[tuple[int, int]]:
        """Intervals (sorted by start) the new booking's blocked interval must not overlap, near
        [lo, hi): each booking's blocked interval widened by the travel time it needs."""
        rules, index = self.rules, self.index
        margin = (MAX_TRAVEL_MINUTES if rules.travel_time else max(rules.travel_minutes, 0)) * US_PER_MINUTE
        intervals = []
        for i in index.blocking_near(lo_us, hi_us, margin):
            booking = index.bookings[i]
            if self.exclude is not None and booking.id == self.exclude:
                continue
            travel = self.travel_us(booking)
            intervals.append((index.blocked_starts[i] - travel, index.blocked_ends[i] + travel))
        intervals.sort()
        return intervals

    def travel_us(self, booking: ExistingBooking) -> int:
        rules = self.rules
        if not (rules.travel_time or rules.travel_minutes > 0):
            return 0
        if not (self.on_location or booking.on_location or booking.location):
            return 0
        minutes = rules.travel_time(self.location, booking.location) if rules.travel_time else rules.travel_minutes
        return min(max(int(minutes), 0), MAX_TRAVEL_MINUTES) * US_PER_MINUTE

    def blocked(self, start_us: int) -> tuple[int, int]:
        return start_us - self.before_us, start_us + self.duration_us + self.after_us


def _offered(service: Service, addons: Sequence[AddOn]) -> list[AddOn]:
    """Add-ons the service does not offer."""
    return [a for a in addons if a.slug not in service.addons]


def find_slots(service: Service, start_date: date, end_date: date, existing: Existing,
               rules: StudioRules, now: datetime, addons: Sequence[AddOn] = (),
               location: Optional[str] = None, exclude_booking_id: Optional[int] = None) -> list[Slot]:
    """Every allowed start on the studio-local dates ``start_date``..``end_date`` (inclusive), sorted.

    ``existing`` is any sequence of bookings or a prebuilt :class:`BookingIndex` (faster when many
    questions are asked about the same bookings).
    """
    if not service.active or _offered(service, addons) or end_date < start_date:
        return []
    plan = _Plan.build(service, addons, location, rules, now, existing, exclude_booking_id, start_date, end_date)
    return list(_free_slots(plan, start_date, end_date))


def _free_slots(plan: _Plan, start_date: date, end_date: date) -> Iterator[Slot]:
    """Allowed slots in order, one local day at a time (so a caller may stop at the first)."""
    earliest_us, latest_us = max(plan.now_us, plan.notice_us), plan.horizon_us
    # Days entirely before the earliest allowed instant or after the horizon cannot have slots.
    first = max(start_date, _local_date(earliest_us, plan.tz))
    last = end_date if latest_us is None else min(end_date, _local_date(latest_us, plan.tz))
    if last < first:
        return
    stats = plan.counts(first, last) if plan.has_day_limits else {}
    before, after = plan.before_us, plan.duration_us + plan.after_us
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        if plan.blackout_on(day) is not None or plan.day_limits(stats.get(day.toordinal())):
            continue
        candidates = [(start_us, local) for start_us, local in sorted(plan.starts_on(day).items())
                      if start_us >= earliest_us and (latest_us is None or start_us <= latest_us)]
        if not candidates:
            continue
        # One sweep: candidates and busy intervals are both sorted by start. An interval that ends
        # before a candidate's blocked start ends before every later one's too, so it is passed for
        # good; the first one still open conflicts iff it starts before the candidate's blocked end
        # (all further ones start even later).
        busy = plan.busy(candidates[0][0] - before, candidates[-1][0] + after)
        j, n = 0, len(busy)
        for start_us, (start, end) in candidates:
            lo = start_us - before
            while j < n and busy[j][1] <= lo:
                j += 1
            if j == n or busy[j][0] >= start_us + after:
                yield Slot(start, end)


def check(request: BookingRequest, existing: Existing, rules: StudioRules, now: datetime,
          exclude_booking_id: Optional[int] = None) -> CheckResult:
    """All reasons the request breaks the studio's rules (intake fields are validated elsewhere)."""
    service = request.service
    problems: list[tuple[str, str]] = []
    if not service.active:
        problems.append(("inactive", f"{service.title} is not currently offered"))
    for addon in _offered(service, request.addons):
        problems.append(("addon", f"{addon.title} is not available with {service.title}"))
    start_us = to_us(request.start)  # refuses a naive start before anything reads it
    local = request.start.astimezone(ZoneInfo(rules.timezone))
    day = local.date()
    plan = _Plan.build(service, request.addons, request.location, rules, now, existing, exclude_booking_id,
                       day, day)

    if start_us < plan.now_us:
        problems.append(("past", "That time is in the past"))
    elif start_us < plan.notice_us:
        problems.append(("notice", _notice_reason(request, plan, existing, rules, now, exclude_booking_id)))
    if plan.horizon_us is not None and start_us > plan.horizon_us:
        limit = _local_date(plan.horizon_us, plan.tz)
        problems.append(("horizon", f"Bookings can be made at most {rules.max_horizon_days} days ahead "
                                    f"(until {_fmt_day(limit)})"))
    closed = plan.blackout_on(day)
    if closed is not None:
        problems.append(("blackout", f"The studio is closed on {_fmt_day(day)}" + (f" ({closed})" if closed else "")))
    if start_us not in plan.starts_on(day):
        problems.append(_window_problem(plan, local, start_us))
    for code in plan.day_limits(plan.counts(day, day).get(day.toordinal())):
        problems.append((code, _limit_reason(code, plan, day)))
    problem = _conflict(plan, start_us)
    if problem:
        problems.append(("overlap", problem))
    return CheckResult(reasons=tuple(r for _, r in problems), codes=tuple(c for c, _ in problems))


# -- reasons ------------------------------------------------------------------------------------


def _conflict(plan: _Plan, start_us: int) -> Optional[str]:
    lo, hi = plan.blocked(start_us)
    end_us = start_us + plan.duration_us
    index = plan.index
    margin = MAX_TRAVEL_MINUTES * US_PER_MINUTE
    reason = None
    for i in index.blocking_near(lo, hi, margin):
        booking = index.bookings[i]
        if plan.exclude is not None and booking.id == plan.exclude:
            continue
        if index.starts[i] < end_us and start_us < index.ends[i]:
            return "That time overlaps another booking"
        travel = plan.travel_us(booking)
        if index.blocked_starts[i] - travel < hi and lo < index.blocked_ends[i] + travel:
            reason = "That time is too close to another booking (preparation, wrap-up or travel time)"
    return reason


def _window_problem(plan: _Plan, local: datetime, start_us: int) -> tuple[str, str]:
    service, day = plan.service, local.date()
    windows = [w for w in plan.weekly.get(day.weekday(), ()) if window_walls(day, w)]
    if not windows:
        open_days = [WEEKDAY_NAMES[d] + "s" for d in range(7) if plan.weekly.get(d)]
        if plan.service.weekly is None:
            return "weekday", f"The studio is closed on {WEEKDAY_NAMES[day.weekday()]}s"
        if not open_days:
            return "weekday", f"{service.title} is not available on any day"
        return "weekday", f"{service.title} is only available on {_join(open_days)}"
    hours = ", ".join(f"{_fmt_clock(a)}–{_fmt_clock(b, end=True)}" for a, b in windows)
    end_us = start_us + plan.duration_us
    for window in windows:
        first, last = window_walls(day, window)  # type: ignore[misc]
        if to_us(first.replace(tzinfo=plan.tz)) <= start_us and end_us <= to_us(last.replace(tzinfo=plan.tz)):
            if local.fold:
                return "step", (f"The clocks go back on {_fmt_day(day)}; only the first "
                                f"{_fmt_clock(local)} can be booked")
            return "step", (f"{service.title} starts every {plan.rules.slot_step_minutes} minutes "
                            f"from the opening time ({hours} on {WEEKDAY_NAMES[day.weekday()]}s)")
    minutes = plan.duration_us // US_PER_MINUTE
    return "hours", (f"A {minutes}-minute {service.title} at {_fmt_clock(local)} does not fit the "
                     f"opening hours ({hours} on {WEEKDAY_NAMES[day.weekday()]}s)")


def _limit_reason(code: str, plan: _Plan, day: date) -> str:
    if code == "max_per_day":
        return (f"{plan.service.title} is fully booked on {_fmt_day(day)} "
                f"(at most {plan.service.max_per_day} a day)")
    if code == "max_bookings_per_day":
        return (f"The studio is fully booked on {_fmt_day(day)} "
                f"(at most {plan.rules.max_bookings_per_day} bookings a day)")
    return (f"That would exceed the studio's limit of {_fmt_hours(plan.rules.daily_hours_limit or 0)} "
            f"of sessions on {_fmt_day(day)}")


def _notice_reason(request: BookingRequest, plan: _Plan, existing: Existing, rules: StudioRules,
                   now: datetime, exclude: Optional[int]) -> str:
    hours = (plan.notice_us - plan.now_us) / US_PER_HOUR
    text = f"Bookings need at least {_fmt_notice(hours)} notice"
    if not request.service.active or _offered(request.service, request.addons):
        return text
    first = _local_date(plan.now_us, plan.tz)
    last = first + timedelta(days=EARLIEST_HINT_DAYS)
    hint_plan = _Plan.build(request.service, request.addons, request.location, rules, now, existing, exclude,
                            first, last)
    earliest = next(_free_slots(hint_plan, first, last), None)
    return f"{text}; the earliest is {_fmt_slot(earliest.start)}" if earliest else text


def _local_date(us: int, tz: ZoneInfo) -> date:
    return from_us(us, tz).date()


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _fmt_clock(moment: Union[time, datetime], end: bool = False) -> str:
    """"9:00"; a window end of 00:00 is midnight at the end of the day, "24:00"."""
    if end and moment.hour == 0 and moment.minute == 0:
        return "24:00"
    return f"{moment.hour}:{moment.minute:02d}"


def _fmt_day(day: date) -> str:
    """"Mon 28 Dec 2026" (fixed English names: no dependence on the process locale)."""
    return f"{WEEKDAY_NAMES[day.weekday()][:3]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def _fmt_slot(moment: datetime) -> str:
    """"Thu 26 Nov 9:00"."""
    return f"{WEEKDAY_NAMES[moment.weekday()][:3]} {moment.day} {MONTHS[moment.month - 1]} {_fmt_clock(moment)}"


def _fmt_hours(hours: float) -> str:
    return f"{hours:g} hour" + ("" if hours == 1 else "s")


def _fmt_notice(hours: float) -> str:
    """"48 hours'", "1 hour's", "30 days'" (whole days from 72 hours up)."""
    if hours >= 72 and hours % 24 == 0:
        return f"{hours / 24:g} days'"
    return f"{hours:g} hour's" if hours == 1 else f"{hours:g} hours'"
