"""JSON shapes of CONTRACT.md: money as "350.00", datetimes in the studio's zone with their offset."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import booking_core as core
from models import Booking
from models.repo.catalog import Catalog, money


def money_str(value: Decimal | int) -> str:
    amount = money(value) if isinstance(value, int) else Decimal(value).quantize(Decimal("0.01"))
    return f"{amount:.2f}"


def iso_local(value: datetime, tz: ZoneInfo) -> str:
    return value.astimezone(tz).isoformat(timespec="seconds")


def booking_json(booking: Booking, tz: ZoneInfo, *, full: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": booking.id,
        "service": booking.service.slug,
        "start": iso_local(booking.start_at, tz),
        "end": iso_local(booking.end_at, tz),
        "status": booking.status,
        "payment_status": booking.payment_status,
        "addons": booking.addon_slugs,
        "total": money_str(booking.total_cents),
        "deposit": money_str(booking.deposit_cents),
        "currency": booking.currency,
        "location": booking.location,
        "client": {"name": booking.client.name, "email": booking.client.email, "phone": booking.client.phone},
    }
    if full:
        data.update({
            "service_title": booking.service.title,
            "payment": booking.payment_choice,
            "fields": booking.fields,
            "notes": booking.notes,
            "line_items": booking.line_items,
            "source": booking.source,
            "created_at": iso_local(booking.created_at, tz),
        })
    return data


def service_json(catalog: Catalog, slug: str) -> dict[str, Any]:
    row = catalog.service_rows[slug]
    service = catalog.services[slug]
    base = core.quote(service, [], catalog.rules)
    addons = []
    for a in service.addons:
        addon = catalog.addons[a]
        q = core.quote(service, [addon], catalog.rules)
        price = sum((i.amount for i in q.items if i.kind == "addon"), Decimal("0"))
        addons.append({"slug": a, "title": addon.title, "price": money_str(price),
                       "pricing": addon.pricing.kind, "extends_minutes": addon.extends_minutes})
    return {
        "slug": slug,
        "title": service.title,
        "description": service.description,
        "duration_minutes": service.duration_minutes,
        "price": money_str(base.subtotal),
        "pricing": {"kind": service.pricing.kind, "price": money_str(service.pricing.price)},
        "currency": catalog.rules.currency,
        "deposit_percent": str(service.deposit_percent if service.deposit_percent is not None
                               else catalog.rules.deposit_percent),
        "on_location": service.on_location,
        "color": row.color,
        "addons": addons,
        "fields": [{"name": f.name, "label": f.label, "type": f.type, "required": f.required,
                    **({"choices": list(f.choices)} if f.choices else {})} for f in service.fields],
    }
