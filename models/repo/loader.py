"""``studiobook load FILE.json``: load a studio description (demo-studio.json format), idempotently.

Services and add-ons are matched by slug, clients by email, bookings by (service, client, start),
blackouts by their date range; running the same file twice changes nothing. Weekly hours in the file
replace the stored weekly hours (the file is the description of the studio's week).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, Mapping, Optional

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

import booking_core as core

from ..bookings import Booking, BookingAddon, Payment
from ..clients import Client
from ..db import Database
from ..studio import AddOn, AvailabilityRule, Service, Studio
from .bookings import (ClientInput, _apply_quote, addon_price_cents, client_history, get_or_create_client,
                       normalise_email, tag_client)
from .catalog import cents, load_catalog
from .errors import InvalidInput


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, created: bool) -> None:
        bucket = self.created if created else self.updated
        bucket[kind] = bucket.get(kind, 0) + 1

    def summary(self) -> str:
        parts = [f"{n} {k} created" for k, n in sorted(self.created.items())]
        parts += [f"{n} {k} unchanged/updated" for k, n in sorted(self.updated.items())]
        return ", ".join(parts) or "nothing to load"


def _money(value: Any, where: str) -> int:
    try:
        return cents(Decimal(str(value)))
    except (InvalidOperation, ValueError) as exc:
        raise InvalidInput(f"{where}: '{value}' is not an amount of money") from exc


def _time(value: str, where: str) -> str:
    try:
        parsed = datetime.strptime(value, "%H:%M")
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"{where}: '{value}' is not a time like 09:00") from exc
    return parsed.strftime("%H:%M")


def _date(value: str, where: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"{where}: '{value}' is not a date like 2026-12-24") from exc


def _weekly_rows(weekly: Mapping[str, Any], service_id: int | None, where: str) -> list[AvailabilityRule]:
    rows = []
    for key, windows in (weekly or {}).items():
        day = key[:3].lower()
        if day not in core.WEEKDAY_KEYS:
            raise InvalidInput(f"{where}: unknown weekday '{key}'")
        for window in windows or ():
            start, end = _time(window[0], where), _time(window[1], where)
            if end <= start:
                raise InvalidInput(f"{where}: {key} window {start}-{end} ends before it starts")
            rows.append(AvailabilityRule(kind="weekly", service_id=service_id, weekday=core.WEEKDAY_KEYS.index(day),
                                         start_time=start, end_time=end))
    return rows


#: An imported booking without ``created_at`` is taken as booked this long before its session.
DEFAULT_LEAD_TIME = timedelta(days=21)


def load_studio(db: Database, data: Mapping[str, Any], now: Optional[datetime] = None) -> LoadReport:
    """Load everything in one transaction: a bad file changes nothing.

    ``now`` (the studio clock) caps the invented ``created_at`` of imported bookings, so history
    loaded under a frozen clock is deterministic and never "created" in the future.
    """
    if not isinstance(data, Mapping) or "studio" not in data:
        raise InvalidInput("The file must be a JSON object with a 'studio' section.")
    report = LoadReport()
    with db.write(lock_bookings=True) as session:
        _load_studio_row(session, data["studio"], report)
        _load_weekly(session, data.get("availability", {}), report)
        addons = {a["slug"]: a for a in data.get("addons", [])}
        _load_addons(session, addons, report)
        for order, svc in enumerate(data.get("services", [])):
            _load_service(session, svc, order, report)
        for client in data.get("clients", []):
            _load_client(session, client, report)
        session.flush()
        for i, booking in enumerate(data.get("bookings", [])):
            _load_booking(session, booking, f"bookings[{i}]", report, now)
    return report


_STUDIO_KEYS = {"name", "owner", "email", "phone", "timezone", "currency", "slot_step_minutes", "min_notice_hours",
                "max_horizon_days", "daily_hours_limit", "max_bookings_per_day", "travel_minutes", "deposit_percent",
                "tax_percent", "location", "approval_required", "review_after_days"}


def _load_studio_row(session: Session, studio: Mapping[str, Any], report: LoadReport) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(studio.get("timezone", "UTC"))
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidInput(f"studio.timezone: unknown time zone '{studio.get('timezone')}'") from exc
    row = session.scalars(select(Studio).limit(1)).first()
    created = row is None
    if row is None:
        row = Studio(name=studio.get("name", "My studio"))
        session.add(row)
    for key in _STUDIO_KEYS & set(studio):
        value = studio[key]
        if key in ("deposit_percent", "tax_percent"):
            value = Decimal(str(value))
        setattr(row, key, value)
    report.add("studio", created)


def _load_weekly(session: Session, availability: Mapping[str, Any], report: LoadReport) -> None:
    if "weekly" in availability:
        session.execute(delete(AvailabilityRule).where(AvailabilityRule.kind == "weekly",
                                                       AvailabilityRule.service_id.is_(None)))
        session.add_all(_weekly_rows(availability["weekly"], None, "availability.weekly"))
    for i, b in enumerate(availability.get("blackouts", [])):
        start = _date(b["start"], f"availability.blackouts[{i}]")
        end = _date(b.get("end", b["start"]), f"availability.blackouts[{i}]")
        if end < start:
            raise InvalidInput(f"availability.blackouts[{i}]: ends before it starts")
        exists = session.scalar(select(AvailabilityRule.id).where(
            AvailabilityRule.kind == "blackout", AvailabilityRule.start_date == start,
            AvailabilityRule.end_date == end, AvailabilityRule.service_id.is_(None)))
        if not exists:
            session.add(AvailabilityRule(kind="blackout", start_date=start, end_date=end, reason=b.get("reason", "")))
        report.add("blackouts", not exists)


def _load_addons(session: Session, addons: Mapping[str, Mapping[str, Any]], report: LoadReport) -> None:
    for slug, a in addons.items():
        row = session.scalars(select(AddOn).where(AddOn.slug == slug)).first()
        created = row is None
        if row is None:
            row = AddOn(slug=slug, title=a.get("title", slug))
            session.add(row)
        pricing = a.get("pricing", {"kind": "fixed", "price": "0"})
        row.title = a.get("title", slug)
        row.description = a.get("description", "")
        row.pricing_kind = pricing.get("kind", "fixed")
        row.price_cents = _money(pricing.get("price", "0"), f"addons.{slug}.pricing.price")
        row.extends_minutes = int(a.get("extends_minutes", 0))
        report.add("add-ons", created)
    session.flush()


def _load_service(session: Session, s: Mapping[str, Any], order: int, report: LoadReport) -> None:
    slug = s["slug"]
    row = session.scalars(select(Service).where(Service.slug == slug)).first()
    created = row is None
    pricing = s.get("pricing", {"kind": "fixed", "price": "0"})
    if row is None:
        row = Service(slug=slug, title=s.get("title", slug), duration_minutes=int(s["duration_minutes"]))
        session.add(row)
    row.title = s.get("title", slug)
    row.description = s.get("description", "")
    row.duration_minutes = int(s["duration_minutes"])
    row.pricing_kind = pricing.get("kind", "fixed")
    row.price_cents = _money(pricing.get("price", "0"), f"services.{slug}.pricing.price")
    row.buffer_before_minutes = int(s.get("buffer_before_minutes", 0))
    row.buffer_after_minutes = int(s.get("buffer_after_minutes", 0))
    row.max_per_day = s.get("max_per_day")
    row.on_location = bool(s.get("on_location", False))
    row.min_notice_hours = s.get("min_notice_hours")
    row.deposit_percent = Decimal(str(s["deposit_percent"])) if s.get("deposit_percent") is not None else None
    row.exempt_from_daily_limit = bool(s.get("exempt_from_daily_limit", False))
    row.discounts = list(s.get("discounts", []))
    row.fields = list(s.get("fields", []))
    row.color = s.get("color", row.color or "#4f86c6")
    row.sort_order = order
    row.active = bool(s.get("active", True))
    row.own_hours = "weekly" in s
    session.flush()
    session.execute(delete(AvailabilityRule).where(AvailabilityRule.kind == "weekly",
                                                   AvailabilityRule.service_id == row.id))
    if "weekly" in s:
        session.add_all(_weekly_rows(s["weekly"], row.id, f"services.{slug}.weekly"))
    wanted = s.get("addons", [])
    found = session.scalars(select(AddOn).where(AddOn.slug.in_(wanted))).all()
    missing = set(wanted) - {a.slug for a in found}
    if missing:
        raise InvalidInput(f"services.{slug}.addons: unknown add-on(s) {', '.join(sorted(missing))}")
    row.addons = sorted(found, key=lambda a: wanted.index(a.slug))
    session.expire(row, ["hours"])
    report.add("services", created)


def _load_client(session: Session, c: Mapping[str, Any], report: LoadReport) -> None:
    email = normalise_email(c.get("email", ""))
    created = session.scalar(select(Client.id).where(Client.email == email)) is None
    client = get_or_create_client(session, ClientInput(c.get("name", ""), email, c.get("phone", "")))
    if c.get("notes") and not client.notes:
        client.notes = c["notes"]
    tag_client(session, client, c.get("tags", []))
    report.add("clients", created)


def _load_booking(session: Session, b: Mapping[str, Any], where: str, report: LoadReport,
                  now: Optional[datetime]) -> None:
    catalog = load_catalog(session)
    service = catalog.services.get(b.get("service", ""))
    if service is None:
        raise InvalidInput(f"{where}: unknown service '{b.get('service')}'")
    try:
        start = datetime.fromisoformat(b["start"])
    except (KeyError, ValueError) as exc:
        raise InvalidInput(f"{where}: 'start' must be an ISO date-time with offset") from exc
    if start.tzinfo is None:
        start = start.replace(tzinfo=catalog.tz)
    email = normalise_email(b.get("client", ""))
    client = session.scalars(select(Client).where(Client.email == email)).first()
    if client is None:
        client = get_or_create_client(session, ClientInput(b.get("client_name", ""), email))
    exists = session.scalar(select(Booking.id).where(Booking.service_id == catalog.service_ids[service.slug],
                                                     Booking.client_id == client.id, Booking.start_at == start))
    if exists:
        report.add("bookings", False)
        return
    addons = []
    for slug in b.get("addons", []):
        if slug not in catalog.addons:
            raise InvalidInput(f"{where}: unknown add-on '{slug}'")
        addons.append(catalog.addons[slug])
    status = b.get("status", "confirmed")
    if status not in core.BOOKING_STATES:
        raise InvalidInput(f"{where}: unknown status '{status}'")
    payment_status = b.get("payment", "unpaid")
    if payment_status not in core.PAYMENT_STATES:
        raise InvalidInput(f"{where}: unknown payment state '{payment_status}'")
    duration = service.duration_minutes + sum(a.extends_minutes for a in addons)
    end = start + timedelta(minutes=duration)
    booking = Booking(service_id=catalog.service_ids[service.slug], client_id=client.id, start_at=start, end_at=end,
                      block_start=start - timedelta(minutes=service.buffer_before_minutes),
                      block_end=end + timedelta(minutes=service.buffer_after_minutes), status=status,
                      payment_status=payment_status, payment_choice=b.get("payment_choice", "deposit"),
                      location=b.get("location") or (None if service.on_location else catalog.studio.location or None),
                      fields=dict(b.get("fields", {})), notes=b.get("notes"), source="import")
    history = client_history(session, client.id)
    quote = core.quote(service, addons, catalog.rules, history, start=start)
    _apply_quote(booking, quote)
    booking.addons = [BookingAddon(addon_id=catalog.addon_ids[a.slug], price_cents=addon_price_cents(quote, a))
                      for a in addons]
    if "created_at" in b:
        booking.created_at = datetime.fromisoformat(b["created_at"])
    else:
        booking.created_at = start - DEFAULT_LEAD_TIME if now is None else min(now, start - DEFAULT_LEAD_TIME)
    session.add(booking)
    session.flush()
    # Money already received: the deposit when booked, the full amount by the session.
    if payment_status == "deposit_paid":
        session.add(Payment(booking_id=booking.id, kind="deposit", amount_cents=booking.deposit_cents,
                            received_at=booking.created_at))
    elif payment_status == "paid":
        session.add(Payment(booking_id=booking.id, kind="balance", amount_cents=booking.total_cents,
                            received_at=max(booking.created_at, min(start, now or start))))
    report.add("bookings", True)
