"""Read the studio JSON format (``fixtures/demo-studio.json``) into rule value types.

Pure conversion of an already-parsed dict: no file access, so tests, the benchmark and importers can
share it. Optional keys may be missing; money and percents become Decimal (never float).
"""
from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from typing import Any, Mapping, Optional, Sequence

from .types import (WEEKDAY_KEYS, AddOn, Blackout, Discount, IntakeField, Pricing, Service,
                    StudioRules, WeeklyHours)

__all__ = ["rules_from_json", "services_from_json", "addons_from_json", "weekly_from_json"]

Json = Mapping[str, Any]


def _decimal(value: Any) -> Decimal:
    return Decimal(str(value))


def _clock(text: str) -> time:
    """"09:00" -> 09:00; "24:00" -> 00:00, which the rules read as midnight at the end of the day."""
    return time(0) if text == "24:00" else time.fromisoformat(text)


def _weekday(key: Any) -> int:
    return key if isinstance(key, int) else WEEKDAY_KEYS.index(str(key).lower()[:3])


def weekly_from_json(weekly: Json) -> WeeklyHours:
    """{"mon": [["09:00", "16:00"]]} -> {0: ((09:00, 16:00),)}."""
    return {_weekday(day): tuple((_clock(a), _clock(b)) for a, b in windows)
            for day, windows in weekly.items()}


def _pricing(data: Optional[Json]) -> Pricing:
    data = data or {}
    return Pricing(kind=data.get("kind", "fixed"), price=_decimal(data.get("price", "0")))


def rules_from_json(d: Json) -> StudioRules:
    studio: Json = d.get("studio", {})
    availability: Json = d.get("availability", {})
    blackouts = tuple(Blackout(date.fromisoformat(b["start"]), date.fromisoformat(b.get("end", b["start"])),
                               b.get("reason", "")) for b in availability.get("blackouts", ()))
    optional_float = lambda key: None if studio.get(key) is None else float(studio[key])  # noqa: E731
    return StudioRules(
        timezone=studio.get("timezone", "UTC"),
        weekly=weekly_from_json(availability.get("weekly", {})),
        blackouts=blackouts,
        slot_step_minutes=int(studio.get("slot_step_minutes", 30)),
        min_notice_hours=float(studio.get("min_notice_hours", 0)),
        max_horizon_days=studio.get("max_horizon_days"),
        daily_hours_limit=optional_float("daily_hours_limit"),
        max_bookings_per_day=studio.get("max_bookings_per_day"),
        travel_minutes=int(studio.get("travel_minutes", 0)),
        deposit_percent=_decimal(studio.get("deposit_percent", 0)),
        tax_percent=_decimal(studio.get("tax_percent", 0)),
        currency=studio.get("currency", "USD"),
    )


def _discount(data: Json) -> Discount:
    return Discount(kind=data["kind"], percent=_decimal(data.get("percent", 0)),
                    weekdays=tuple(_weekday(w) for w in data.get("weekdays", ())),
                    min_addons=int(data.get("min_addons", 0)), label=data.get("label", ""))


def _field(data: Json) -> IntakeField:
    return IntakeField(name=data["name"], label=data.get("label", data["name"]),
                       type=data.get("type", "text"), required=bool(data.get("required", False)),
                       choices=tuple(data.get("choices", ())))


def _service(data: Json) -> Service:
    notice = data.get("min_notice_hours")
    deposit = data.get("deposit_percent")
    return Service(
        slug=data["slug"], title=data.get("title", data["slug"]),
        duration_minutes=int(data["duration_minutes"]), pricing=_pricing(data.get("pricing")),
        buffer_before_minutes=int(data.get("buffer_before_minutes", 0)),
        buffer_after_minutes=int(data.get("buffer_after_minutes", 0)),
        weekly=weekly_from_json(data["weekly"]) if data.get("weekly") is not None else None,
        max_per_day=data.get("max_per_day"), on_location=bool(data.get("on_location", False)),
        min_notice_hours=None if notice is None else float(notice),
        deposit_percent=None if deposit is None else _decimal(deposit),
        exempt_from_daily_limit=bool(data.get("exempt_from_daily_limit", False)),
        addons=tuple(data.get("addons", ())),
        discounts=tuple(_discount(x) for x in data.get("discounts", ())),
        fields=tuple(_field(x) for x in data.get("fields", ())),
        description=data.get("description", ""), active=bool(data.get("active", True)),
    )


def services_from_json(d: Json) -> dict[str, Service]:
    services: Sequence[Json] = d.get("services", ())
    return {s["slug"]: _service(s) for s in services}


def addons_from_json(d: Json) -> dict[str, AddOn]:
    addons: Sequence[Json] = d.get("addons", ())
    return {a["slug"]: AddOn(slug=a["slug"], title=a.get("title", a["slug"]), pricing=_pricing(a.get("pricing")),
                             extends_minutes=int(a.get("extends_minutes", 0))) for a in addons}
