"""The ``.ics`` invitation that rides along with a confirmation (and its cancellation).

Why these fields: calendar programs update an event in place only when the UID stays the same and
SEQUENCE grows (so a rescheduled session moves instead of appearing twice); METHOD:REQUEST shows the
"add to calendar" prompt, METHOD:CANCEL removes it. Times carry the studio's TZID with a VTIMEZONE
so the session sits at the right wall-clock time on both sides of a DST change.
"""
from __future__ import annotations

from datetime import datetime
from typing import Optional
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vText

from models import Booking, Studio


def booking_uid(booking_id: int, domain: str) -> str:
    return f"booking-{booking_id}@{domain}"


def booking_ics(booking: Booking, studio: Studio, *, domain: str, method: str, sequence: int,
                stamp: datetime, description: str = "", url: Optional[str] = None) -> str:
    """An iCalendar document (METHOD ``REQUEST`` or ``CANCEL``) for one booking."""
    tz = ZoneInfo(studio.timezone or "UTC")
    cal = Calendar()
    cal.add("prodid", "-//Studiobook//Studiobook booking//EN")
    cal.add("version", "2.0")
    cal.add("method", method)
    event = Event()
    event.add("uid", booking_uid(booking.id, domain))
    event.add("sequence", sequence)
    event.add("dtstamp", stamp)
    event.add("dtstart", booking.start_at.astimezone(tz))
    event.add("dtend", booking.end_at.astimezone(tz))
    event.add("summary", f"{booking.service.title} – {studio.name}")
    if booking.location:
        event.add("location", booking.location)
    if description:
        event.add("description", description)
    if url:
        event.add("url", url)
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    organizer = vCalAddress(f"mailto:book@{domain}")
    organizer.params["cn"] = vText(studio.name)
    event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{booking.client.email}")
    if booking.client.name:
        attendee.params["cn"] = vText(booking.client.name)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText("ACCEPTED")
    event.add("attendee", attendee)
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical().decode("utf-8")
