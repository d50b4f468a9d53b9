"""How fast is find_slots on a busy studio, and does it match a naive checker?

Builds the demo studio's rules, 10 000 existing bookings over about two years (seeded), then times
``find_slots`` for the portrait session over 90 days (median of many runs after a warm-up) with a
prebuilt ``BookingIndex`` (the intended use: index once, ask many questions) and from a plain list
(index built inside the call), and a naive checker that, for each aligned candidate start, loops over
all bookings. Both must return the same slots.

Run: ``python benchmarks/bench_availability.py`` (prints ``name: value`` lines).
"""
from __future__ import annotations

import json
import random
import statistics
import sys
import time as clock
from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Callable, Sequence
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from booking_core import (ACTIVE_STATUSES, BookingIndex, ExistingBooking, Service, StudioRules,  # noqa: E402
                          find_slots, rules_from_json, services_from_json)

DEMO = Path("/work/shared/fixtures/demo-studio.json")
UTC = timezone.utc
BOOKINGS = 10_000
DAYS = 90


def load_demo() -> dict:
    repo = Path(__file__).resolve().parents[1]
    candidates = [repo.parent / "shared" / "fixtures" / "demo-studio.json", DEMO,
                  repo / "studiobook" / "demo" / "demo-studio.json"]
    for path in candidates:
        if path.exists():
            return json.loads(path.read_text(encoding="utf-8"))
    raise SystemExit(f"demo studio JSON not found in {[str(p) for p in candidates]}")


def make_bookings(services: dict[str, Service], tz: ZoneInfo, first: date, count: int,
                  seed: int = 20261124) -> list[ExistingBooking]:
    """``count`` bookings over ~2 years at any quarter hour (overlaps allowed), in random order."""
    rng = random.Random(seed)
    slugs = sorted(services)
    statuses = ["confirmed"] * 6 + ["pending", "cancelled", "completed", "no_show"]
    bookings = []
    for number in range(count):
        service = services[rng.choice(slugs)]
        day = first + timedelta(days=rng.randrange(730))
        start = datetime.combine(day, time(0), tzinfo=tz) + timedelta(minutes=15 * rng.randrange(96))
        bookings.append(ExistingBooking(
            start=start, end=start + timedelta(minutes=service.duration_minutes), service_slug=service.slug,
            buffer_before_minutes=service.buffer_before_minutes, buffer_after_minutes=service.buffer_after_minutes,
            on_location=service.on_location, exempt_from_daily_limit=service.exempt_from_daily_limit,
            status=rng.choice(statuses), id=number))
    return bookings


def naive_slots(service: Service, first: date, last: date, existing: Sequence[ExistingBooking],
                rules: StudioRules, now: datetime) -> list[datetime]:
    """For each aligned start, loop over every booking: the obvious O(candidates x bookings) way."""
    tz = ZoneInfo(rules.timezone)
    weekly = service.weekly if service.weekly is not None else rules.weekly
    length = timedelta(minutes=service.duration_minutes)
    notice = service.min_notice_hours if service.min_notice_hours is not None else rules.min_notice_hours
    earliest = now + timedelta(hours=notice)
    latest = now + timedelta(days=rules.max_horizon_days) if rules.max_horizon_days is not None else None
    found = []
    day = first
    while day <= last:
        closed = any(b.start <= day <= b.end for b in rules.blackouts)
        for opens, closes in () if closed else weekly.get(day.weekday(), ()):
            wall, close_wall = datetime.combine(day, opens), datetime.combine(day, closes)
            while wall < close_wall:
                start = wall.replace(tzinfo=tz).astimezone(UTC)
                end = start + length
                if (start.astimezone(tz).replace(tzinfo=None) == wall and end <= close_wall.replace(tzinfo=tz)
                        and start >= earliest and (latest is None or start <= latest)
                        and _naive_free(service, start, end, day, existing, rules, tz)):
                    found.append(start)
                wall += timedelta(minutes=rules.slot_step_minutes)
        day += timedelta(days=1)
    return found


def _naive_free(service: Service, start: datetime, end: datetime, day: date,
                existing: Sequence[ExistingBooking], rules: StudioRules, tz: ZoneInfo) -> bool:
    same = total = 0
    booked = timedelta()
    lo = start - timedelta(minutes=service.buffer_before_minutes)
    hi = end + timedelta(minutes=service.buffer_after_minutes)
    for b in existing:
        if b.status not in ACTIVE_STATUSES:
            continue
        if b.start - timedelta(minutes=b.buffer_before_minutes) < hi and lo < b.end + timedelta(minutes=b.buffer_after_minutes):
            return False
        if b.start.astimezone(tz).date() == day:
            same += b.service_slug == service.slug
            total += 1
            booked += timedelta() if b.exempt_from_daily_limit else b.end - b.start
    if service.max_per_day is not None and same >= service.max_per_day:
        return False
    if rules.max_bookings_per_day is not None and total >= rules.max_bookings_per_day:
        return False
    limit = rules.daily_hours_limit
    return limit is None or service.exempt_from_daily_limit or booked + (end - start) <= timedelta(hours=limit)


def median_ms(run: Callable[[], object], repeat: int, warmup: int = 3) -> float:
    for _ in range(warmup):
        run()
    times = []
    for _ in range(repeat):
        t0 = clock.perf_counter()
        run()
        times.append((clock.perf_counter() - t0) * 1000)
    return statistics.median(times)


def python_speed_ms() -> float:
    """Time of an empty 100 000-step loop: to compare figures between machines."""
    return median_ms(lambda: [None for _ in range(100_000)], repeat=20)


def measure(service: Service, rules: StudioRules, bookings: list[ExistingBooking], index: BookingIndex,
            now: datetime, first: date, last: date) -> dict[str, float]:
    """Check find_slots against the naive checker, then time both (milliseconds)."""
    fast = find_slots(service, first, last, index, rules, now)
    from_list = find_slots(service, first, last, bookings, rules, now)
    naive_runs = []
    for _ in range(2):  # seconds each: the first run doubles as the reference answer
        t0 = clock.perf_counter()
        naive = naive_slots(service, first, last, bookings, rules, now)
        naive_runs.append((clock.perf_counter() - t0) * 1000)
    if not [s.start.astimezone(UTC) for s in fast] == naive == [s.start.astimezone(UTC) for s in from_list]:
        raise SystemExit(f"MISMATCH: find_slots {len(fast)} slots, naive {len(naive)} slots")
    return {
        "slots": len(fast),
        "fast": median_ms(lambda: find_slots(service, first, last, index, rules, now), repeat=200),
        "list": median_ms(lambda: find_slots(service, first, last, bookings, rules, now), repeat=30),
        "naive": statistics.median(naive_runs),
    }


def main() -> None:
    demo = load_demo()
    rules = rules_from_json(demo)
    services = services_from_json(demo)
    tz = ZoneInfo(rules.timezone)
    now = datetime(2026, 11, 24, 9, tzinfo=tz)
    first, last = date(2026, 11, 24), date(2026, 11, 24) + timedelta(days=DAYS - 1)
    bookings = make_bookings(services, tz, date(2026, 1, 1), BOOKINGS)

    t0 = clock.perf_counter()
    index = BookingIndex(bookings, rules.timezone)
    index_ms = (clock.perf_counter() - t0) * 1000
    # 1. The demo studio as configured: most days are already full (per-day limits decide).
    demo_run = measure(services["portrait"], rules, bookings, index, now, first, last)
    # 2. Same bookings without per-day limits: every candidate goes through the buffer sweep.
    open_run = measure(replace(services["portrait"], max_per_day=None),
                       replace(rules, daily_hours_limit=None, max_bookings_per_day=None),
                       bookings, index, now, first, last)

    print(f"python_loop_100k_ms: {python_speed_ms():.2f}")  # machine speed, for comparing figures
    print(f"bookings: {len(bookings)}")
    print(f"index_build_ms: {index_ms:.2f}")
    print(f"slots_found: {demo_run['slots']}")
    print("slots_match_naive: True")
    print(f"availability_90d_10k_bookings_ms: {demo_run['fast']:.2f}")
    print(f"availability_90d_10k_bookings_from_list_ms: {demo_run['list']:.2f}")
    print(f"naive_ms: {demo_run['naive']:.1f}")
    print(f"speedup: {demo_run['naive'] / demo_run['fast']:.0f}x")
    print(f"speedup_from_list: {demo_run['naive'] / demo_run['list']:.0f}x")
    print(f"no_day_limits_slots_found: {open_run['slots']}")
    print(f"no_day_limits_availability_90d_10k_bookings_ms: {open_run['fast']:.2f}")
    print(f"no_day_limits_availability_90d_10k_bookings_from_list_ms: {open_run['list']:.2f}")
    print(f"no_day_limits_naive_ms: {open_run['naive']:.1f}")
    print(f"no_day_limits_speedup: {open_run['naive'] / open_run['fast']:.0f}x")


if __name__ == "__main__":
    main()
