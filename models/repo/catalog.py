"""Read the studio's rules and catalogue from the database as ``booking_core`` values."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Iterable, Optional, Sequence
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

import booking_core as core

from ..bookings import Booking
from ..studio import AddOn, AvailabilityRule, Service, Studio


def cents(amount: Decimal) -> int:
    return int((amount * 100).quantize(Decimal("1")))


def money(cents_value: int) -> Decimal:
    return (Decimal(cents_value) / 100).quantize(Decimal("0.01"))


def _hhmm(value: str) -> time:
    hour, minute = value.split(":")
    return time(int(hour), int(minute))


def _weekly(rows: Iterable[AvailabilityRule]) -> dict[int, list[tuple[time, time]]]:
    weekly: dict[int, list[tuple[time, time]]] = {d: [] for d in range(7)}
    for row in rows:
        if row.weekday is not None and row.start_time and row.end_time:
            weekly[row.weekday].append((_hhmm(row.start_time), _hhmm(row.end_time)))
    return {d: sorted(w) for d, w in weekly.items()}


def addon_value(row: AddOn) -> core.AddOn:
    return core.AddOn(slug=row.slug, title=row.title, pricing=core.Pricing(row.pricing_kind, money(row.price_cents)),
                      extends_minutes=row.extends_minutes)


def _discounts(raw: Sequence[Any]) -> tuple[core.Discount, ...]:
    out = []
    for d in raw or ():
        out.append(core.Discount(kind=d["kind"], percent=Decimal(str(d.get("percent", 0))),
                                 weekdays=tuple(_weekday_index(w) for w in d.get("weekdays", ())),
                                 min_addons=int(d.get("min_addons", 0)), label=d.get("label", "")))
    return tuple(out)


def _weekday_index(value: Any) -> int:
    if isinstance(value, int):
        return value
    return core.WEEKDAY_KEYS.index(str(value)[:3].lower())


def _fields(raw: Sequence[Any]) -> tuple[core.IntakeField, ...]:
    return tuple(core.IntakeField(name=f["name"], label=f.get("label", f["name"]), type=f.get("type", "text"),
                                  required=bool(f.get("required", False)), choices=tuple(f.get("choices", ())))
                 for f in raw or ())


def service_value(row: Service, service_hours: Sequence[AvailabilityRule]) -> core.Service:
    return core.Service(
        slug=row.slug, title=row.title, description=row.description, duration_minutes=row.duration_minutes,
        pricing=core.Pricing(row.pricing_kind, money(row.price_cents)),  # type: ignore[arg-type]
        buffer_before_minutes=row.buffer_before_minutes, buffer_after_minutes=row.buffer_after_minutes,
        weekly=_weekly(service_hours) if row.own_hours else None, max_per_day=row.max_per_day,
        on_location=row.on_location, min_notice_hours=row.min_notice_hours,
        deposit_percent=row.deposit_percent, exempt_from_daily_limit=row.exempt_from_daily_limit,
        addons=tuple(a.slug for a in row.addons if a.active), discounts=_discounts(row.discounts),
        fields=_fields(row.fields), active=row.active,
    )


@dataclass(frozen=True)
class Catalog:
    """Everything the rules need about the studio, loaded once per request."""

    studio: Studio
    rules: core.StudioRules
    services: dict[str, core.Service]
    addons: dict[str, core.AddOn]
    service_ids: dict[str, int]
    addon_ids: dict[str, int]
    service_rows: dict[str, Service]

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.rules.timezone)

    def ordered_services(self) -> list[Service]:
        return sorted(self.service_rows.values(), key=lambda s: (s.sort_order, s.id))


class NoStudio(LookupError):
    """The database holds no studio yet (run ``studiobook load``)."""


def load_catalog(session: Session) -> Catalog:
    studio = session.scalars(select(Studio).limit(1)).first()
    if studio is None:
        raise NoStudio("No studio is configured yet: load one with `studiobook load FILE.json`.")
    rules_rows = session.scalars(select(AvailabilityRule)).all()
    studio_weekly = [r for r in rules_rows if r.kind == "weekly" and r.service_id is None]
    blackouts = tuple(core.Blackout(r.start_date, r.end_date or r.start_date, r.reason)
                      for r in rules_rows if r.kind == "blackout" and r.start_date)
    rules = core.StudioRules(
        timezone=studio.timezone, weekly=_weekly(studio_weekly), blackouts=blackouts,
        slot_step_minutes=studio.slot_step_minutes, min_notice_hours=studio.min_notice_hours,
        max_horizon_days=studio.max_horizon_days, daily_hours_limit=studio.daily_hours_limit,
        max_bookings_per_day=studio.max_bookings_per_day, travel_minutes=studio.travel_minutes,
        deposit_percent=Decimal(studio.deposit_percent or 0), tax_percent=Decimal(studio.tax_percent or 0),
        currency=studio.currency,
    )
    service_rows = session.scalars(select(Service).options(selectinload(Service.addons))).unique().all()
    addon_rows = session.scalars(select(AddOn)).all()
    by_service: dict[int, list[AvailabilityRule]] = {}
    for r in rules_rows:
        if r.kind == "weekly" and r.service_id is not None:
            by_service.setdefault(r.service_id, []).append(r)
    return Catalog(
        studio=studio, rules=rules,
        services={s.slug: service_value(s, by_service.get(s.id, [])) for s in service_rows},
        addons={a.slug: addon_value(a) for a in addon_rows if a.active},
        service_ids={s.slug: s.id for s in service_rows}, addon_ids={a.slug: a.id for a in addon_rows},
        service_rows={s.slug: s for s in service_rows},
    )


def existing_bookings(session: Session, catalog: Catalog, start: datetime, end: datetime) -> list[core.ExistingBooking]:
    """Active bookings whose blocked time or day could matter for [start, end) (a day of margin)."""
    margin = timedelta(days=1, hours=12)
    rows = session.execute(
        select(Booking.id, Booking.start_at, Booking.end_at, Booking.block_start, Booking.block_end,
               Booking.status, Booking.location, Service.slug, Service.on_location, Service.exempt_from_daily_limit)
        .join(Service, Service.id == Booking.service_id)
        .where(Booking.status.in_(tuple(core.ACTIVE_STATUSES)))
        .where(Booking.block_end > start - margin, Booking.block_start < end + margin)
        .order_by(Booking.start_at)
    ).all()
    return [
        core.ExistingBooking(
            start=r.start_at, end=r.end_at, service_slug=r.slug,
            buffer_before_minutes=int((r.start_at - r.block_start).total_seconds() // 60),
            buffer_after_minutes=int((r.block_end - r.end_at).total_seconds() // 60),
            on_location=r.on_location, location=r.location, exempt_from_daily_limit=r.exempt_from_daily_limit,
            status=r.status, id=r.id,
        )
        for r in rows
    ]


def local_day_bounds(catalog: Catalog, first: date, last: date) -> tuple[datetime, datetime]:
    tz = catalog.tz
    return (datetime.combine(first, time(0), tz), datetime.combine(last + timedelta(days=1), time(0), tz))


def find_slots(session: Session, catalog: Catalog, service_slug: str, first: date, last: date, now: datetime,
               addon_slugs: Sequence[str] = (), exclude_booking_id: Optional[int] = None) -> list[core.Slot]:
    service = catalog.services[service_slug]
    addons = [catalog.addons[a] for a in addon_slugs if a in catalog.addons]
    lo, hi = local_day_bounds(catalog, first, last)
    existing = existing_bookings(session, catalog, lo, hi)
    return core.find_slots(service, first, last, existing, catalog.rules, now, addons=addons,
                           exclude_booking_id=exclude_booking_id)
