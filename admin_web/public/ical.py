"""``GET /calendar.ics?token=...``: a read-only iCalendar feed of the studio's sessions.

The token is a per-admin secret (``Admin.ical_token``), regenerated from Settings to revoke a leaked
link. Times carry the studio's TZID with a generated VTIMEZONE, so calendar apps place sessions at the
right wall-clock time across DST changes. Pending sessions are TENTATIVE and cancelled or declined ones
CANCELLED (so subscribed calendars drop them); UIDs are stable per booking, matching the client's
invitation, so an update moves the event instead of duplicating it.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Optional
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event
from quart import Blueprint, Response, request
from sqlalchemy import select

from models import Admin, Booking, Studio
from models.repo.catalog import money

from ..context import ctx

bp = Blueprint("public_ical", __name__)

PAST_DAYS = 180
FUTURE_DAYS = 400
STATUS = {"pending": "TENTATIVE", "confirmed": "CONFIRMED", "completed": "CONFIRMED", "no_show": "CONFIRMED",
          "cancelled": "CANCELLED", "declined": "CANCELLED"}


def _feed(token: str) -> Optional[str]:
    app = ctx()
    settings = app.settings
    now = app.now()
    with app.db.read() as s:
        if not token or s.scalar(select(Admin.id).where(Admin.ical_token == token)) is None:
            return None
        studio = s.scalars(select(Studio).limit(1)).first()
        tz = ZoneInfo(studio.timezone if studio else "UTC")
        bookings = s.scalars(select(Booking).where(Booking.start_at >= now - timedelta(days=PAST_DAYS),
                                                   Booking.start_at < now + timedelta(days=FUTURE_DAYS))
                             .order_by(Booking.start_at)).unique().all()
        cal = Calendar()
        cal.add("prodid", "-//Studiobook//Studiobook calendar feed//EN")
        cal.add("version", "2.0")
        cal.add("calscale", "GREGORIAN")
        cal.add("method", "PUBLISH")
        cal.add("x-wr-calname", f"{studio.name if studio else 'Studiobook'} sessions")
        cal.add("x-wr-timezone", tz.key)
        for b in bookings:
            cal.add_component(_event(b, tz, settings.mail_domain, settings.base_url, now))
    cal.add_missing_timezones()
    return cal.to_ical().decode("utf-8")


def _event(b: Booking, tz: ZoneInfo, domain: str, base_url: str, now: datetime) -> Event:
    event = Event()
    event.add("uid", f"booking-{b.id}@{domain}")
    event.add("dtstamp", (b.updated_at or now).astimezone(ZoneInfo("UTC")))
    event.add("dtstart", b.start_at.astimezone(tz))
    event.add("dtend", b.end_at.astimezone(tz))
    who = b.client.name or b.client.email
    prefix = {"pending": "[Pending] ", "no_show": "[No-show] ", "cancelled": "[Cancelled] ",
              "declined": "[Declined] "}.get(b.status, "")
    event.add("summary", f"{prefix}{b.service.title} – {who}")
    event.add("status", STATUS.get(b.status, "CONFIRMED"))
    if b.location:
        event.add("location", b.location)
    lines = [f"Client: {who} <{b.client.email}>"]
    if b.client.phone:
        lines.append(f"Phone: {b.client.phone}")
    addons = [a.addon.title for a in b.addons]
    if addons:
        lines.append("Add-ons: " + ", ".join(addons))
    lines.append(f"Total: {money(b.total_cents)} {b.currency} · deposit {money(b.deposit_cents)} · "
                 f"payment: {b.payment_status.replace('_', ' ')}")
    for key, value in (b.fields or {}).items():
        lines.append(f"{key}: {value}")
    if b.notes:
        lines.append(f"Notes: {b.notes}")
    url = f"{base_url}/admin/bookings/{b.id}"
    lines.append(url)
    event.add("description", "\n".join(lines))
    event.add("url", url)
    event.add("categories", [b.service.title])
    return event


@bp.get("/calendar.ics")
async def feed() -> Any:
    token = (request.args.get("token") or "").strip()
    if not token:
        return Response("This calendar feed needs its private link (…/calendar.ics?token=…) from the console's "
                        "Settings page.", status=401, content_type="text/plain; charset=utf-8")
    body = await ctx().run(_feed, token[:200])
    if body is None:
        return Response("This calendar link is not valid; it may have been revoked. Copy the current link from "
                        "the console's Settings page.", status=404, content_type="text/plain; charset=utf-8")
    response = Response(body, content_type="text/calendar; charset=utf-8")
    response.headers["Content-Disposition"] = 'inline; filename="studiobook.ics"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
