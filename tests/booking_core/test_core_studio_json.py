"""Reading the studio JSON format into rule types."""
from __future__ import annotations

from datetime import date, time
from decimal import Decimal

from booking_core import (Blackout, Discount, IntakeField, Pricing, addons_from_json, rules_from_json,
                          services_from_json)


def test_demo_studio_rules(rules):
    assert rules.timezone == "America/Denver"
    assert rules.weekly[0] == ((time(9), time(16)),) and rules.weekly[5] == ()
    assert rules.blackouts == (Blackout(date(2026, 12, 23), date(2027, 1, 2), "Holiday break"),
                               Blackout(date(2026, 12, 8), date(2026, 12, 8), "Workshop"))
    assert (rules.slot_step_minutes, rules.min_notice_hours, rules.max_horizon_days) == (30, 48, 365)
    assert rules.daily_hours_limit == 8 and rules.max_bookings_per_day is None
    assert rules.deposit_percent == Decimal("25") and rules.currency == "USD"


def test_demo_services_and_addons(services, addons):
    assert list(services) == ["portrait", "family-mini", "branding", "headshots", "wedding"]
    branding, wedding = services["branding"], services["wedding"]
    assert branding.pricing == Pricing("per_hour", Decimal("175.00"))
    assert branding.weekly == {4: ((time(9), time(16)),)}
    assert branding.discounts == (Discount("returning_client", Decimal("10")),)
    assert branding.fields == (IntakeField("business", "Business name", "text", required=True),)
    assert services["portrait"].weekly is None
    assert wedding.min_notice_hours == 720 and wedding.deposit_percent == Decimal("30")
    assert wedding.on_location and wedding.exempt_from_daily_limit and wedding.max_per_day == 1
    assert wedding.addons == ("drone", "second-shooter", "extra-hour", "film-look")
    assert addons["extra-hour"].pricing == Pricing("per_hour_of_service", Decimal("150.00"))
    assert addons["extra-hour"].extends_minutes == 60 and addons["drone"].extends_minutes == 0


def test_minimal_documents_use_defaults():
    rules = rules_from_json({})
    assert (rules.timezone, rules.weekly, rules.blackouts, rules.slot_step_minutes) == ("UTC", {}, (), 30)
    assert services_from_json({}) == {} and addons_from_json({}) == {}

    service = services_from_json({"services": [{"slug": "x", "duration_minutes": 45}]})["x"]
    assert service.title == "x" and service.pricing == Pricing("fixed", Decimal("0"))
    assert service.weekly is None and service.max_per_day is None and service.active


def test_midnight_end_and_weekday_discounts():
    rules = rules_from_json({"availability": {"weekly": {"sat": [["18:00", "24:00"]]},
                                              "blackouts": [{"start": "2027-01-01"}]}})
    service = services_from_json({"services": [{
        "slug": "x", "duration_minutes": 60, "pricing": {"kind": "fixed", "price": 99.5},
        "discounts": [{"kind": "weekday", "percent": "7.5", "weekdays": ["mon", "tue", 2]}]}]})["x"]

    assert rules.weekly == {5: ((time(18), time(0)),)}
    assert rules.blackouts == (Blackout(date(2027, 1, 1), date(2027, 1, 1), ""),)
    assert service.pricing.price == Decimal("99.5")
    assert service.discounts == (Discount("weekday", Decimal("7.5"), weekdays=(0, 1, 2)),)
