"""Example stories on the demo studio: what a client sees when asking for a time."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from booking_core import (AddOn, BookingIndex, BookingRequest, ExistingBooking, Pricing, Service,
                          StudioRules, check, find_slots)

DENVER = ZoneInfo("America/Denver")


def at(y: int, mo: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=DENVER)


def clock(slots) -> list[str]:
    return [s.start.strftime("%H:%M") for s in slots]


def test_portrait_on_a_free_thursday_starts_every_half_hour_from_nine_to_three(services, rules, now, demo_bookings):
    slots = find_slots(services["portrait"], date(2026, 12, 3), date(2026, 12, 3), demo_bookings, rules, now)

    assert clock(slots) == [f"{h:02d}:{m:02d}" for h in range(9, 16) for m in (0, 30)][:13]
    assert slots[0].start == at(2026, 12, 3, 9) and slots[0].end == at(2026, 12, 3, 10)
    assert slots[-1].start == at(2026, 12, 3, 15) and slots[-1].end == at(2026, 12, 3, 16)
    assert str(slots[0].start.utcoffset()) == "-1 day, 17:00:00"  # -07:00 (MST)
    assert slots[0].start.tzinfo == DENVER


def test_holiday_break_has_no_slots_and_says_why(services, rules, now, demo_bookings):
    assert find_slots(services["portrait"], date(2026, 12, 23), date(2027, 1, 2), demo_bookings, rules, now) == []

    result = check(BookingRequest(services["portrait"], at(2026, 12, 28, 10)), demo_bookings, rules, now)

    assert not result.ok
    assert result.codes == ("blackout",)
    assert result.reasons == ("The studio is closed on Mon 28 Dec 2026 (Holiday break)",)


def test_branding_is_only_offered_on_fridays(services, rules, now, demo_bookings):
    wednesday = date(2026, 12, 2)
    assert find_slots(services["branding"], wednesday, wednesday, demo_bookings, rules, now) == []

    result = check(BookingRequest(services["branding"], at(2026, 12, 2, 10)), demo_bookings, rules, now)

    assert result.codes == ("weekday",)
    assert result.reasons == ("Branding Session is only available on Fridays",)
    friday = find_slots(services["branding"], date(2026, 12, 4), date(2026, 12, 4), demo_bookings, rules, now)
    assert clock(friday) == ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30", "12:00", "12:30",
                             "13:00", "13:30", "14:00"]


def test_tomorrow_is_too_soon_and_the_reason_names_the_earliest_slot(services, rules, now, demo_bookings):
    result = check(BookingRequest(services["portrait"], at(2026, 11, 25, 10)), demo_bookings, rules, now)

    assert result.codes == ("notice",)
    assert result.reasons == ("Bookings need at least 48 hours' notice; the earliest is Thu 26 Nov 9:00",)
    first = find_slots(services["portrait"], date(2026, 11, 24), date(2026, 11, 26), demo_bookings, rules, now)
    assert first[0].start == at(2026, 11, 26, 9)


def test_a_wedding_needs_thirty_days_notice(services, rules, now, demo_bookings):
    result = check(BookingRequest(services["wedding"], at(2026, 12, 5, 10)), demo_bookings, rules, now)

    assert result.codes == ("notice",)
    # 24 Dec .. 2 Jan is the holiday break, so the first wedding date is Sunday 3 Jan.
    assert result.reasons == ("Bookings need at least 30 days' notice; the earliest is Sun 3 Jan 10:00",)
    saturday = find_slots(services["wedding"], date(2027, 1, 9), date(2027, 1, 9), demo_bookings, rules, now)
    assert clock(saturday) == ["10:00", "10:30", "11:00", "11:30", "12:00", "12:30", "13:00", "13:30", "14:00"]


def test_existing_portrait_blocks_its_neighbours_including_buffers(services, rules, now, demo_bookings):
    # Priya's portrait 10:00-11:00 with 15 min buffers blocks 9:45-11:15; a new one blocks 15 min
    # either side as well, so 9:00 (8:45-10:15) and 11:00 (10:45-12:15) collide, 11:30 just touches.
    slots = find_slots(services["portrait"], date(2026, 12, 1), date(2026, 12, 1), demo_bookings, rules, now)

    assert clock(slots) == ["11:30", "12:00", "12:30", "13:00", "13:30", "14:00", "14:30", "15:00"]
    for start, reason in [(at(2026, 12, 1, 9), "That time is too close to another booking (preparation, "
                                                "wrap-up or travel time)"),
                          (at(2026, 12, 1, 10, 30), "That time overlaps another booking")]:
        result = check(BookingRequest(services["portrait"], start), demo_bookings, rules, now)
        assert result.codes == ("overlap",)
        assert result.reasons == (reason,)


def test_rescheduling_a_booking_ignores_its_own_time(services, rules, now, demo_bookings):
    own_id = next(b.id for b in demo_bookings if b.start == at(2026, 12, 1, 10))

    slots = find_slots(services["portrait"], date(2026, 12, 1), date(2026, 12, 1), demo_bookings, rules, now,
                       exclude_booking_id=own_id)

    assert clock(slots)[0] == "09:00" and len(slots) == 13
    assert check(BookingRequest(services["portrait"], at(2026, 12, 1, 10)), demo_bookings, rules, now,
                 exclude_booking_id=own_id).ok


def test_cancelled_bookings_do_not_block(services, rules, now, demo_bookings):
    cancelled = [replace(b, status="cancelled") for b in demo_bookings]

    slots = find_slots(services["portrait"], date(2026, 12, 1), date(2026, 12, 1), cancelled, rules, now)

    assert len(slots) == 13


def test_extra_hour_lengthens_the_session_so_fewer_starts_fit(services, addons, rules, now, demo_bookings):
    slots = find_slots(services["portrait"], date(2026, 12, 3), date(2026, 12, 3), demo_bookings, rules, now,
                       addons=[addons["extra-hour"]])

    assert clock(slots)[-1] == "14:00"
    assert slots[-1].end == at(2026, 12, 3, 16)
    result = check(BookingRequest(services["portrait"], at(2026, 12, 3, 14, 30), (addons["extra-hour"],)),
                   demo_bookings, rules, now)
    assert result.codes == ("hours",)
    assert result.reasons == ("A 120-minute Portrait Session at 14:30 does not fit the opening hours "
                              "(9:00–16:00 on Thursdays)",)


def test_an_addon_the_service_does_not_offer_refuses_every_start(services, addons, rules, now, demo_bookings):
    portrait = services["portrait"]
    assert find_slots(portrait, date(2026, 12, 3), date(2026, 12, 3), demo_bookings, rules, now,
                      addons=[addons["drone"]]) == []

    result = check(BookingRequest(portrait, at(2026, 12, 3, 10), (addons["drone"],)), demo_bookings, rules, now)

    assert result.codes == ("addon",)
    assert result.reasons == ("Drone aerials is not available with Portrait Session",)


def test_off_grid_start_is_refused_with_the_step(services, rules, now, demo_bookings):
    result = check(BookingRequest(services["portrait"], at(2026, 12, 3, 10, 10)), demo_bookings, rules, now)

    assert result.codes == ("step",)
    assert result.reasons == ("Portrait Session starts every 30 minutes from the opening time "
                              "(9:00–16:00 on Thursdays)",)


def test_weekends_are_closed_for_studio_hours(services, rules, now, demo_bookings):
    result = check(BookingRequest(services["portrait"], at(2026, 12, 5, 10)), demo_bookings, rules, now)

    assert result.reasons == ("The studio is closed on Saturdays",)


def test_past_and_beyond_horizon(services, rules, now, demo_bookings):
    past = check(BookingRequest(services["portrait"], at(2026, 11, 23, 10)), demo_bookings, rules, now)
    far = check(BookingRequest(services["portrait"], at(2027, 11, 25, 10)), demo_bookings, rules, now)

    assert past.codes == ("past",) and past.reasons == ("That time is in the past",)
    assert far.codes == ("horizon",)
    assert far.reasons == ("Bookings can be made at most 365 days ahead (until Wed 24 Nov 2027)",)


def test_several_reasons_are_all_reported(services, rules, now, demo_bookings):
    # Saturday in the holiday break, off the grid: blackout and weekday.
    result = check(BookingRequest(services["branding"], at(2026, 12, 26, 10, 10)), demo_bookings, rules, now)

    assert result.codes == ("blackout", "weekday")


def test_portrait_fully_booked_after_three_a_day(services, rules, now):
    portrait = services["portrait"]
    taken = [ExistingBooking(at(2026, 12, 3, h), at(2026, 12, 3, h + 1), "portrait", id=h) for h in (9, 11, 13)]

    assert find_slots(portrait, date(2026, 12, 3), date(2026, 12, 3), taken, rules, now) == []
    result = check(BookingRequest(portrait, at(2026, 12, 3, 15)), taken, rules, now)
    assert result.codes == ("max_per_day",)
    assert result.reasons == ("Portrait Session is fully booked on Thu 3 Dec 2026 (at most 3 a day)",)
    # Another service is still bookable that day.
    assert clock(find_slots(services["headshots"], date(2026, 12, 3), date(2026, 12, 3), taken, rules, now)) == [
        "10:00", "10:30", "12:00", "12:30", "14:00", "14:30", "15:00", "15:30"]


def test_daily_hours_limit_counts_non_exempt_sessions(services, rules, now):
    # 3.5 hours of headshots in the morning; with a 4-hour day a portrait no longer fits.
    rules = replace(rules, daily_hours_limit=4)
    booked = [ExistingBooking(at(2026, 12, 3, 9) + timedelta(minutes=30 * i),
                              at(2026, 12, 3, 9) + timedelta(minutes=30 * (i + 1)), "headshots", id=i)
              for i in range(7)]
    request = BookingRequest(services["portrait"], at(2026, 12, 3, 14))

    result = check(request, booked, rules, now)

    assert result.codes == ("daily_limit",)
    assert result.reasons == ("That would exceed the studio's limit of 4 hours of sessions on Thu 3 Dec 2026",)
    assert find_slots(services["portrait"], date(2026, 12, 3), date(2026, 12, 3), booked, rules, now) == []
    # Half an hour still fits; exempt bookings do not count; exempt services are never limited.
    assert clock(find_slots(services["family-mini"], date(2026, 12, 3), date(2026, 12, 3), booked, rules,
                            now))[:2] == ["12:30", "13:00"]
    assert check(request, [replace(b, exempt_from_daily_limit=True) for b in booked], rules, now).ok
    assert check(replace(request, service=replace(services["portrait"], exempt_from_daily_limit=True)),
                 booked, rules, now).ok


def test_max_bookings_per_day_over_all_services(services, rules, now):
    rules = replace(rules, max_bookings_per_day=1)
    booked = [ExistingBooking(at(2026, 12, 3, 9), at(2026, 12, 3, 9, 30), "headshots", id=1)]

    result = check(BookingRequest(services["portrait"], at(2026, 12, 3, 13)), booked, rules, now)

    assert result.codes == ("max_bookings_per_day",)
    assert result.reasons == ("The studio is fully booked on Thu 3 Dec 2026 (at most 1 bookings a day)",)


def test_travel_time_between_on_location_shoots(services, rules, now):
    rules = replace(rules, travel_minutes=30)
    portrait = services["portrait"]
    # An on-location family shoot 9:00-9:30 (+15 min wrap-up) blocks until 9:45; with 30 min travel
    # the new portrait's blocked interval (start - 15 min) may only begin at 10:15.
    away = [ExistingBooking(at(2026, 12, 3, 9), at(2026, 12, 3, 9, 30), "family-mini", buffer_after_minutes=15,
                            on_location=True, location="Chautauqua Park", id=7)]

    slots = find_slots(portrait, date(2026, 12, 3), date(2026, 12, 3), away, rules, now)

    assert clock(slots)[0] == "10:30"
    assert check(BookingRequest(portrait, at(2026, 12, 3, 10)), away, rules, now).codes == ("overlap",)
    # A booking with an address counts as on location even without the flag.
    addressed = [replace(away[0], on_location=False)]
    assert clock(find_slots(portrait, date(2026, 12, 3), date(2026, 12, 3), addressed, rules, now))[0] == "10:30"
    assert clock(find_slots(portrait, date(2026, 12, 3), date(2026, 12, 3), [replace(away[0], on_location=False,
                                                                                      location=None)],
                            rules, now))[0] == "10:00"


def test_travel_time_function_sees_both_locations(services, rules, now):
    seen: list[tuple[object, object]] = []

    def travel(a: object, b: object) -> int:
        seen.append((a, b))
        return 60 if a != b else 0

    rules = replace(rules, travel_time=travel, travel_minutes=999)
    away = [ExistingBooking(at(2026, 12, 3, 9), at(2026, 12, 3, 10), "portrait", location="Park", id=1)]
    same = find_slots(services["portrait"], date(2026, 12, 3), date(2026, 12, 3), away, rules, now, location="Park")
    other = find_slots(services["portrait"], date(2026, 12, 3), date(2026, 12, 3), away, rules, now, location="Lake")

    assert clock(same)[0] == "10:30"
    assert clock(other)[0] == "11:30"
    assert ("Lake", "Park") in seen


def test_inactive_service_is_never_available(services, rules, now):
    retired = replace(services["portrait"], active=False)

    assert find_slots(retired, date(2026, 12, 3), date(2026, 12, 3), [], rules, now) == []
    assert check(BookingRequest(retired, at(2026, 12, 3, 10)), [], rules, now).codes == ("inactive",)


def test_a_prebuilt_index_gives_the_same_answers(services, rules, now, demo_bookings):
    index = BookingIndex(demo_bookings, rules.timezone)
    args = (services["portrait"], date(2026, 11, 24), date(2027, 2, 24))

    assert find_slots(*args, index, rules, now) == find_slots(*args, demo_bookings, rules, now)
    assert check(BookingRequest(services["portrait"], at(2026, 12, 1, 9)), index, rules, now).codes == ("overlap",)


def test_naive_now_is_refused(services, rules):
    with pytest.raises(ValueError):
        find_slots(services["portrait"], date(2026, 12, 3), date(2026, 12, 3), [], rules, datetime(2026, 11, 24))


# -- DST ------------------------------------------------------------------------------------------

NIGHT_OWL = Service("owl", "Night Owl Shoot", 60, Pricing("fixed", 0), weekly={6: ((time(0), time(4)),)})


def _owl_rules(tz: str) -> StudioRules:
    return StudioRules(timezone=tz, weekly={}, slot_step_minutes=30)


def test_fall_back_night_in_denver_offers_the_repeated_hour_once():
    rules = _owl_rules("America/Denver")
    now = datetime(2026, 10, 1, tzinfo=DENVER)

    slots = find_slots(NIGHT_OWL, date(2026, 11, 1), date(2026, 11, 1), [], rules, now)

    # 00:00-04:00 wall clock is five real hours that night; starts by the wall clock, fold=0 only.
    assert [s.start.isoformat() for s in slots] == [
        "2026-11-01T00:00:00-06:00", "2026-11-01T00:30:00-06:00", "2026-11-01T01:00:00-06:00",
        "2026-11-01T01:30:00-06:00", "2026-11-01T02:00:00-07:00", "2026-11-01T02:30:00-07:00",
        "2026-11-01T03:00:00-07:00"]
    # 1:30 MDT + 60 min elapsed is 1:30 MST (the repeated hour): the end carries -07:00.
    assert slots[3].end.isoformat() == "2026-11-01T01:30:00-07:00" and slots[3].end.fold == 1
    repeated = datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=DENVER)
    result = check(BookingRequest(NIGHT_OWL, repeated), [], rules, now)
    assert result.codes == ("step",)
    assert result.reasons == ("The clocks go back on Sun 1 Nov 2026; only the first 1:30 can be booked",)


def test_spring_forward_night_in_denver_skips_the_missing_hour():
    rules = _owl_rules("America/Denver")
    now = datetime(2026, 2, 1, tzinfo=DENVER)

    slots = find_slots(NIGHT_OWL, date(2026, 3, 8), date(2026, 3, 8), [], rules, now)

    # 02:00-03:00 does not exist; 01:30 MST + 60 min = 03:30 MDT, past 04:00? no: it fits.
    assert [s.start.isoformat() for s in slots] == [
        "2026-03-08T00:00:00-07:00", "2026-03-08T00:30:00-07:00", "2026-03-08T01:00:00-07:00",
        "2026-03-08T01:30:00-07:00", "2026-03-08T03:00:00-06:00"]
    assert slots[1].end.isoformat() == "2026-03-08T01:30:00-07:00"
    assert slots[2].end.isoformat() == "2026-03-08T03:00:00-06:00"


def test_a_window_ending_inside_the_spring_gap_ends_at_its_earlier_reading():
    # 02:30 does not exist on 8 Mar 2026 in Denver; read as 01:30 MST (not 03:30 MDT).
    rules = StudioRules(timezone="America/Denver", weekly={6: ((time(0), time(2, 30)),)})
    slots = find_slots(Service("s", "S", 60, Pricing("fixed", 0)), date(2026, 3, 8), date(2026, 3, 8), [],
                       rules, datetime(2026, 2, 1, tzinfo=DENVER))

    assert [s.start.isoformat() for s in slots] == ["2026-03-08T00:00:00-07:00", "2026-03-08T00:30:00-07:00"]


def test_a_window_ending_inside_the_repeated_hour_ends_at_its_first_reading():
    rules = StudioRules(timezone="America/Denver", weekly={6: ((time(0), time(1, 30)),)})
    slots = find_slots(Service("s", "S", 60, Pricing("fixed", 0)), date(2026, 11, 1), date(2026, 11, 1), [],
                       rules, datetime(2026, 10, 1, tzinfo=DENVER))

    assert [s.end.isoformat() for s in slots] == ["2026-11-01T01:00:00-06:00", "2026-11-01T01:30:00-06:00"]


def test_london_autumn_offsets_switch_from_bst_to_gmt():
    rules = StudioRules(timezone="Europe/London", weekly={d: ((time(9), time(10)),) for d in range(7)})
    now = datetime(2026, 10, 1, tzinfo=ZoneInfo("Europe/London"))

    slots = find_slots(Service("s", "S", 60, Pricing("fixed", 0)), date(2026, 10, 24), date(2026, 10, 26),
                       [], rules, now)

    assert [s.start.isoformat() for s in slots] == [
        "2026-10-24T09:00:00+01:00", "2026-10-25T09:00:00+00:00", "2026-10-26T09:00:00+00:00"]


def test_addons_extending_the_session_are_counted_for_the_window():
    rules = StudioRules(timezone="UTC", weekly={0: ((time(9), time(11)),)}, slot_step_minutes=60)
    service = Service("s", "S", 60, Pricing("fixed", 0), addons=("x",))
    extra = AddOn("x", "Extra", Pricing("fixed", 0), extends_minutes=60)
    now = datetime(2026, 1, 1, tzinfo=ZoneInfo("UTC"))

    slots = find_slots(service, date(2026, 1, 5), date(2026, 1, 5), [], rules, now, addons=[extra])

    assert [s.start.hour for s in slots] == [9]


def test_a_later_booking_with_a_long_setup_still_blocks_earlier_starts():
    # B starts after A but its 60-minute setup reaches back before A: B blocks 9:15-11:00.
    rules = StudioRules(timezone="UTC", weekly={0: ((time(8), time(12)),)})
    utc = ZoneInfo("UTC")
    a = ExistingBooking(datetime(2026, 1, 5, 10, tzinfo=utc), datetime(2026, 1, 5, 10, 30, tzinfo=utc), "x", id=1)
    b = ExistingBooking(datetime(2026, 1, 5, 10, 15, tzinfo=utc), datetime(2026, 1, 5, 11, tzinfo=utc), "x",
                        buffer_before_minutes=60, id=2)

    slots = find_slots(Service("s", "S", 30, Pricing("fixed", 0)), date(2026, 1, 5), date(2026, 1, 5), [a, b],
                       rules, datetime(2026, 1, 1, tzinfo=utc))

    assert [s.start.strftime("%H:%M") for s in slots] == ["08:00", "08:30", "11:00", "11:30"]


def test_fractional_notice_and_an_inclusive_horizon():
    utc = ZoneInfo("UTC")
    rules = StudioRules(timezone="UTC", weekly={d: ((time(0), time(0)),) for d in range(7)}, slot_step_minutes=15,
                        min_notice_hours=2.5, max_horizon_days=1)
    now = datetime(2026, 1, 5, 9, tzinfo=utc)
    service = Service("s", "S", 15, Pricing("fixed", 0))

    slots = find_slots(service, date(2026, 1, 5), date(2026, 1, 7), [], rules, now)

    # 24-hour windows (00:00-00:00); first start 11:30 (2.5 h notice), last exactly now + 1 day.
    assert slots[0].start == datetime(2026, 1, 5, 11, 30, tzinfo=utc)
    assert slots[-1].start == datetime(2026, 1, 6, 9, tzinfo=utc)
    assert check(BookingRequest(service, datetime(2026, 1, 5, 11, 15, tzinfo=utc)), [], rules, now).reasons == (
        "Bookings need at least 2.5 hours' notice; the earliest is Mon 5 Jan 11:30",)


def test_long_bookings_and_huge_buffers_far_from_the_range_still_count():
    # The cheap pre-filter for plain lists must keep a booking that started long before the range
    # and one whose two-day setup buffer reaches back into it.
    utc = ZoneInfo("UTC")
    rules = StudioRules(timezone="UTC", weekly={d: ((time(9), time(17)),) for d in range(7)}, slot_step_minutes=60)
    service = Service("s", "S", 60, Pricing("fixed", 0))
    now = datetime(2026, 1, 1, tzinfo=utc)
    residency = ExistingBooking(datetime(2025, 12, 1, 9, tzinfo=utc), datetime(2026, 1, 10, 12, tzinfo=utc), "x", id=1)
    setup = ExistingBooking(datetime(2026, 1, 26, 9, tzinfo=utc), datetime(2026, 1, 26, 10, tzinfo=utc), "x",
                            buffer_before_minutes=6 * 24 * 60, id=2)

    slots = find_slots(service, date(2026, 1, 10), date(2026, 1, 20), [residency, setup], rules, now)
    indexed = find_slots(service, date(2026, 1, 10), date(2026, 1, 20), BookingIndex([residency, setup], "UTC"),
                         rules, now)

    assert slots == indexed
    assert slots[0].start == datetime(2026, 1, 10, 12, tzinfo=utc)
    # 26 Jan 9:00 minus six days = 20 Jan 9:00: nothing on the 20th.
    assert slots[-1].start == datetime(2026, 1, 19, 16, tzinfo=utc)


def test_a_long_wrap_up_buffer_reaches_bookings_days_later():
    # Editing time after a shoot blocks five days; a plain list must still find the later booking.
    utc = ZoneInfo("UTC")
    rules = StudioRules(timezone="UTC", weekly={d: ((time(9), time(17)),) for d in range(7)}, slot_step_minutes=60)
    service = Service("s", "S", 60, Pricing("fixed", 0), buffer_after_minutes=5 * 24 * 60)
    later = ExistingBooking(datetime(2026, 1, 11, 15, tzinfo=utc), datetime(2026, 1, 11, 16, tzinfo=utc), "x", id=1)
    now = datetime(2026, 1, 1, tzinfo=utc)

    slots = find_slots(service, date(2026, 1, 5), date(2026, 1, 6), [later], rules, now)

    assert slots[-1].start == datetime(2026, 1, 6, 14, tzinfo=utc)
    assert check(BookingRequest(service, datetime(2026, 1, 6, 15, tzinfo=utc)), [later], rules, now).codes == (
        "overlap",)


def test_a_long_preparation_buffer_reaches_bookings_days_earlier():
    utc = ZoneInfo("UTC")
    rules = StudioRules(timezone="UTC", weekly={d: ((time(9), time(17)),) for d in range(7)}, slot_step_minutes=60)
    service = Service("s", "S", 60, Pricing("fixed", 0), buffer_before_minutes=5 * 24 * 60)
    earlier = ExistingBooking(datetime(2026, 1, 1, 12, tzinfo=utc), datetime(2026, 1, 1, 13, tzinfo=utc), "x", id=1)

    slots = find_slots(service, date(2026, 1, 6), date(2026, 1, 6), [earlier], rules, datetime(2026, 1, 1, tzinfo=utc))

    assert slots[0].start == datetime(2026, 1, 6, 13, tzinfo=utc)


def test_a_naive_start_is_refused_not_guessed(services, rules, now):
    with pytest.raises(ValueError):
        check(BookingRequest(services["portrait"], datetime(2026, 12, 3, 10)), [], rules, now)
