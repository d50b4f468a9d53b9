"""Property tests: find_slots and check agree with each other and with a naive re-implementation.

The naive checker below re-reads the rules from the module docstring with plain aware-datetime
arithmetic (everything compared in UTC) and loops over every booking: no integers, no index, no
merging. Ranges are drawn around the DST changes of Denver and London.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Optional, Sequence
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from booking_core import (ACTIVE_STATUSES, AddOn, Blackout, BookingRequest, ExistingBooking, Pricing,
                          Service, StudioRules, check, find_slots)

UTC = timezone.utc
DST_DAYS = {
    "America/Denver": [date(2026, 3, 8), date(2026, 11, 1), date(2027, 3, 14), date(2027, 11, 7)],
    "Europe/London": [date(2026, 3, 29), date(2026, 10, 25), date(2027, 3, 28), date(2027, 10, 31)],
}
STATUSES = ("pending", "confirmed", "confirmed", "confirmed", "completed", "cancelled", "declined", "no_show")
FREE = Pricing("fixed", 0)  # type: ignore[arg-type]


def travel_by_name(a: Optional[str], b: Optional[str]) -> int:
    """A deterministic stand-in for a distance function."""
    return 0 if a == b else 10 * (len(a or "") + len(b or ""))


@dataclass
class Scenario:
    service: Service
    addons: tuple[AddOn, ...]
    rules: StudioRules
    existing: list[ExistingBooking]
    now: datetime
    first: date
    last: date
    location: Optional[str]
    exclude: Optional[int]

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.rules.timezone)


# -- strategies -----------------------------------------------------------------------------------
# Strategies are built once at import: building them inside a draw is what makes generation slow.


def clock(minutes: int) -> time:
    return time(0) if minutes >= 1440 else time(minutes // 60, minutes % 60)


def _window(opens: int, length: int, early_close: int, prefer_early: bool) -> tuple[time, time]:
    """Quarter hours; often closing between 0:15 and 3:15, where DST changes (1:00-3:00) happen."""
    closes = early_close if prefer_early and early_close > opens else min(96, opens + length)
    return clock(15 * opens), clock(15 * closes)


OPENS = st.one_of(st.integers(0, 12), st.integers(0, 95))
WINDOW = st.builds(_window, OPENS, st.integers(1, 48), st.integers(1, 13), st.booleans())
WINDOWS = st.lists(WINDOW, max_size=2).map(tuple)
WEEKLY = st.fixed_dictionaries({d: WINDOWS for d in range(7)})
NIGHT_WINDOW = st.builds(lambda opens, length: (clock(15 * opens), clock(15 * min(16, opens + length))),
                         st.integers(0, 11), st.integers(1, 16))
NIGHT_WINDOWS = st.lists(NIGHT_WINDOW, min_size=1, max_size=2).map(tuple)
PERCENT = st.integers(1, 100)
NEAR_WINDOW = st.integers(1, 5)
GRAIN = st.sampled_from([15, 15, 5])  # on the candidate grid mostly
BOOKING_SHAPE = st.tuples(
    st.sampled_from([15, 30, 60, 90, 180, 480]),  # minutes
    st.sampled_from(["svc", "other"]),
    st.sampled_from([0, 15, 30]), st.sampled_from([0, 15, 60]),  # buffers
    st.sampled_from([False, False, True]), st.sampled_from([None, "Park", "Lakeside"]),
    st.booleans(), st.sampled_from(STATUSES), st.booleans())  # exempt, status, stored in UTC
OFFERED = (AddOn("x", "Extra", FREE, 30), AddOn("y", "Print", FREE, 0))
UNOFFERED = AddOn("z", "Unoffered", FREE, 0)
STUDIO_SHAPE = st.tuples(
    st.sampled_from([5, 10, 15, 20, 30, 45, 60, 90]),  # step
    st.sampled_from([0, 0, 0, 1, 2.5, 24, 48]),  # notice hours
    st.sampled_from([1, 2.5, 4, 8]),  # daily hours limit (when set)
    st.integers(1, 5),  # max bookings per day (when set)
    st.sampled_from([0, 15, 40]), st.sampled_from([None, travel_by_name]))
SERVICE_SHAPE = st.tuples(
    st.sampled_from([15, 30, 45, 60, 90, 120, 240]),  # minutes
    st.sampled_from([0, 0, 15, 30, 60]), st.sampled_from([0, 0, 15, 45]),  # buffers
    st.integers(1, 3), st.sampled_from([0, 3, 30]),  # max per day, notice (when set)
    st.booleans(), st.lists(st.sampled_from(OFFERED), unique=True, max_size=2).map(tuple))


@st.composite
def scenarios(draw: st.DrawFn, night: bool = False) -> Scenario:
    """A studio around a DST change; every limit is present only sometimes, so most scenarios
    still have free slots, and most bookings lie near opening windows, so the buffer and travel
    rules decide. ``night``: only early-morning windows on the DST Sunday itself."""

    def sometimes(value: object, percent: int = 30) -> object:
        return value if draw(PERCENT) <= percent else None

    zone = draw(st.sampled_from(sorted(DST_DAYS)))
    tz = ZoneInfo(zone)
    change = draw(st.sampled_from(DST_DAYS[zone]))
    if night:
        first, last = change - timedelta(days=draw(st.integers(0, 1))), change + timedelta(days=draw(st.integers(0, 1)))
    else:
        first = change + timedelta(days=draw(st.integers(-3, 1)))
        last = first + timedelta(days=draw(st.integers(0, 4)))
    base = datetime.combine(first, time(0), tzinfo=tz).astimezone(UTC)
    # A night scenario is about the DST change, not notice or closures: book from three days before.
    now = base + timedelta(minutes=15 * draw(st.integers(-3 * 96, -3 * 96 + 8 if night else 48)))
    blackouts = () if night else tuple(
        Blackout(first + timedelta(days=o), first + timedelta(days=o + n), "Closed")
        for o, n in draw(st.lists(st.tuples(st.integers(-1, 5), st.integers(0, 1)), max_size=1)))
    step, notice, daily, per_day, travel, travel_time = draw(STUDIO_SHAPE)
    rules = StudioRules(
        timezone=zone, weekly={6: draw(NIGHT_WINDOWS)} if night else draw(WEEKLY), blackouts=blackouts,
        slot_step_minutes=step, min_notice_hours=notice,
        max_horizon_days=sometimes(draw(st.integers(5 if night else 1, 8))),
        daily_hours_limit=sometimes(daily), max_bookings_per_day=sometimes(per_day),
        travel_minutes=travel, travel_time=travel_time)
    minutes, before, after, max_per_day, own_notice, exempt, chosen = draw(SERVICE_SHAPE)
    service = Service(
        slug="svc", title="Session", duration_minutes=minutes if not night else min(minutes, 90), pricing=FREE,
        buffer_before_minutes=before, buffer_after_minutes=after,
        weekly=None if night else draw(st.one_of(st.none(), WEEKLY)),
        max_per_day=sometimes(max_per_day, 40), on_location=bool(sometimes(True, 30)),
        min_notice_hours=sometimes(own_notice, 20), exempt_from_daily_limit=exempt,
        addons=("x", "y"), active=not sometimes(True, 3))
    chosen += (UNOFFERED,) if sometimes(True, 5) else ()

    effective = service.weekly if service.weekly is not None else rules.weekly
    days = [first + timedelta(days=n) for n in range(-1, (last - first).days + 2)]
    near = [(day, w) for day in days for w in effective.get(day.weekday(), ())]
    existing = []
    for number in range(1, draw(st.integers(0, 3 if night else 30)) + 1):
        grain = draw(GRAIN)
        if near and draw(NEAR_WINDOW) > 1:
            day, (opens, closes) = near[draw(st.integers(0, len(near) - 1))]
            anchor = datetime.combine(day, opens, tzinfo=tz).astimezone(UTC)
            length = (datetime.combine(day, closes) - datetime.combine(day, opens)) // timedelta(minutes=1) % 1440
            start = anchor + timedelta(minutes=grain * draw(st.integers(-180 // grain, (length + 120) // grain)))
        else:
            start = base + timedelta(minutes=grain * draw(st.integers(-1440 // grain, len(days) * 1440 // grain)))
        length, slug, before, after, on_location, where, exempt, status, in_utc = draw(BOOKING_SHAPE)
        existing.append(ExistingBooking(
            start=start if in_utc else start.astimezone(tz), end=start + timedelta(minutes=length),
            service_slug=slug, buffer_before_minutes=before, buffer_after_minutes=after,
            on_location=on_location, location=where, exempt_from_daily_limit=exempt, status=status, id=number))
    exclude = draw(st.one_of(st.none(), st.integers(1, max(1, len(existing)))))
    location = draw(st.sampled_from([None, None, None, "Park", "Studio B"]))
    return Scenario(service, chosen, rules, existing, now, first, last, location, exclude)


# -- the naive checker ---------------------------------------------------------------------------


def session_minutes(s: Scenario) -> int:
    return s.service.duration_minutes + sum(a.extends_minutes for a in s.addons)


def windows_of(s: Scenario) -> dict:
    return s.service.weekly if s.service.weekly is not None else s.rules.weekly


def wall_bounds(day: date, window: tuple[time, time]) -> Optional[tuple[datetime, datetime]]:
    opens, closes = window
    first = datetime.combine(day, opens)
    last = datetime.combine(day + timedelta(days=1), time(0)) if closes == time(0) else datetime.combine(day, closes)
    return (first, last) if last > first else None


def aligned_candidates(s: Scenario) -> list[datetime]:
    """Every wall-clock start open + k*step on the dates, resolved with fold=0, gaps skipped (UTC)."""
    found = set()
    step = timedelta(minutes=s.rules.slot_step_minutes)
    day = s.first
    while day <= s.last:
        for window in windows_of(s).get(day.weekday(), ()):
            bounds = wall_bounds(day, window)
            if bounds is None:
                continue
            wall = bounds[0]
            while wall < bounds[1]:
                instant = wall.replace(tzinfo=s.tz).astimezone(UTC)
                if instant.astimezone(s.tz).replace(tzinfo=None) == wall:
                    found.add(instant)
                wall += step
        day += timedelta(days=1)
    return sorted(found)


def naive_ok(s: Scenario, start: datetime) -> bool:
    service, rules, tz = s.service, s.rules, s.tz
    if not service.active or any(a.slug not in service.addons for a in s.addons):
        return False
    start = start.astimezone(UTC)
    end = start + timedelta(minutes=session_minutes(s))
    local = start.astimezone(tz)
    day = local.date()
    # window + alignment (wall clock), fold=0 only, end by the window end in real time
    fits = False
    for window in windows_of(s).get(day.weekday(), ()):
        bounds = wall_bounds(day, window)
        if bounds is None or local.fold:
            continue
        wall = local.replace(tzinfo=None)
        if not bounds[0] <= wall < bounds[1]:
            continue
        if (wall - bounds[0]) % timedelta(minutes=rules.slot_step_minutes):
            continue
        close = min(bounds[1].replace(tzinfo=tz, fold=f).astimezone(UTC) for f in (0, 1))
        fits = fits or end <= close
    if not fits:
        return False
    now = s.now.astimezone(UTC)
    notice = service.min_notice_hours if service.min_notice_hours is not None else rules.min_notice_hours
    if start < now or start < now + timedelta(hours=notice):
        return False
    if rules.max_horizon_days is not None and start > now + timedelta(days=rules.max_horizon_days):
        return False
    if any(b.start <= day <= b.end for b in rules.blackouts):
        return False
    others = [b for b in s.existing if b.status in ACTIVE_STATUSES and (s.exclude is None or b.id != s.exclude)]
    same_day = [b for b in others if b.start.astimezone(tz).date() == day]
    if service.max_per_day is not None and sum(b.service_slug == service.slug for b in same_day) >= service.max_per_day:
        return False
    if rules.max_bookings_per_day is not None and len(same_day) >= rules.max_bookings_per_day:
        return False
    if rules.daily_hours_limit is not None and not service.exempt_from_daily_limit:
        booked = sum((b.end - b.start for b in same_day if not b.exempt_from_daily_limit), timedelta())
        if booked + (end - start) > timedelta(hours=rules.daily_hours_limit):
            return False
    lo = start - timedelta(minutes=service.buffer_before_minutes)
    hi = end + timedelta(minutes=service.buffer_after_minutes)
    for b in others:
        b_lo = b.start.astimezone(UTC) - timedelta(minutes=b.buffer_before_minutes)
        b_hi = b.end.astimezone(UTC) + timedelta(minutes=b.buffer_after_minutes)
        travel = 0
        if service.on_location or s.location or b.on_location or b.location:
            travel = rules.travel_time(s.location, b.location) if rules.travel_time else rules.travel_minutes
        gap = timedelta(minutes=travel)
        if lo < b_hi + gap and b_lo - gap < hi:
            return False
    return True


def slots_of(s: Scenario) -> list:
    return find_slots(s.service, s.first, s.last, s.existing, s.rules, s.now, s.addons, s.location, s.exclude)


def check_of(s: Scenario, start: datetime):
    request = BookingRequest(s.service, start, s.addons, s.location)
    return check(request, s.existing, s.rules, s.now, exclude_booking_id=s.exclude)


PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
QUICKER = settings(PROPERTY, max_examples=100)


@PROPERTY
@given(scenarios())
def test_find_slots_is_exactly_the_naively_allowed_aligned_starts(s: Scenario) -> None:
    expected = [c for c in aligned_candidates(s) if naive_ok(s, c)]

    slots = slots_of(s)

    assert [slot.start.astimezone(UTC) for slot in slots] == expected


@PROPERTY
@given(scenarios(night=True))
def test_dst_nights_find_slots_is_exactly_the_naively_allowed_starts(s: Scenario) -> None:
    expected = [c for c in aligned_candidates(s) if naive_ok(s, c)]

    assert [slot.start.astimezone(UTC) for slot in slots_of(s)] == expected


@PROPERTY
@given(scenarios())
def test_check_accepts_exactly_what_find_slots_returns(s: Scenario) -> None:
    returned = {slot.start.astimezone(UTC) for slot in slots_of(s)}
    candidates = aligned_candidates(s)
    # All candidates where the answer flips (the edges of each free run), plus an even sample.
    edges = {c for a, c in zip(candidates, candidates[1:]) if (a in returned) != (c in returned)}
    sample = set(candidates[:: max(1, len(candidates) // 60)]) | edges

    for candidate in sorted(sample):
        result = check_of(s, candidate.astimezone(s.tz))
        assert result.ok == (candidate in returned), (candidate, result)
        assert len(result.reasons) == len(result.codes)
        assert result.ok or all(result.reasons)


@QUICKER
@given(scenarios(), st.lists(st.integers(0, 6 * 24 * 60), max_size=20))
def test_check_on_arbitrary_instants_matches_the_naive_rules(s: Scenario, minutes: list[int]) -> None:
    base = datetime.combine(s.first, time(0), tzinfo=s.tz).astimezone(UTC) - timedelta(hours=12)
    for offset in minutes:
        start = base + timedelta(minutes=offset)
        result = check_of(s, start)
        assert result.ok == naive_ok(s, start), (start, result)
        # the fold=1 reading of a repeated hour is never allowed
        assert not (result.ok and start.astimezone(s.tz).fold)


@QUICKER
@given(scenarios())
def test_slots_have_the_right_offsets_and_never_touch_busy_time(s: Scenario) -> None:
    length = timedelta(minutes=session_minutes(s)) if s.service.duration_minutes else timedelta()
    for slot in slots_of(s):
        assert slot.start.tzinfo == s.tz and slot.end.tzinfo == s.tz
        # offset carried == the zone's offset for that instant (e.g. -06:00 before 1 Nov in Denver)
        for moment in (slot.start, slot.end):
            truth = moment.astimezone(UTC).astimezone(s.tz)
            assert moment.utcoffset() == truth.utcoffset()
            assert moment.replace(tzinfo=None) == truth.replace(tzinfo=None)
        assert slot.end.astimezone(UTC) - slot.start.astimezone(UTC) == length
        assert s.first <= slot.start.date() <= s.last
        lo = slot.start.astimezone(UTC) - timedelta(minutes=s.service.buffer_before_minutes)
        hi = slot.end.astimezone(UTC) + timedelta(minutes=s.service.buffer_after_minutes)
        for b in s.existing:
            if b.status in ACTIVE_STATUSES and b.id != s.exclude:
                b_lo = b.start.astimezone(UTC) - timedelta(minutes=b.buffer_before_minutes)
                b_hi = b.end.astimezone(UTC) + timedelta(minutes=b.buffer_after_minutes)
                assert hi <= b_lo or b_hi <= lo


def _sample_offsets(sample: Sequence[datetime]) -> set[str]:
    return {m.isoformat()[-6:] for m in sample}


def test_denver_offsets_change_on_1_november_2026() -> None:
    tz = ZoneInfo("America/Denver")
    rules = StudioRules(timezone="America/Denver", weekly={d: ((time(9), time(10)),) for d in range(7)})
    service = Service("s", "S", 60, FREE)
    slots = find_slots(service, date(2026, 10, 29), date(2026, 11, 3), [], rules, datetime(2026, 10, 1, tzinfo=tz))

    before = [s.start for s in slots if s.start.date() < date(2026, 11, 1)]
    after = [s.start for s in slots if s.start.date() >= date(2026, 11, 1)]

    assert _sample_offsets(before) == {"-06:00"} and _sample_offsets(after) == {"-07:00"}
    assert [s.start.astimezone(UTC).hour for s in slots] == [15, 15, 15, 16, 16, 16]
