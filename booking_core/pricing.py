"""What a session costs: line items, discounts, tax and deposit, all in Decimal cents.

Each line is rounded to cents (ROUND_HALF_UP) before it is added, so the shown lines always add up to
the shown total. ``Quote.discount`` is the (positive) amount taken off; discount line items carry the
same amounts as negative numbers. ``total = subtotal - discount + tax``.
"""
from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Optional, Sequence
from zoneinfo import ZoneInfo

from .types import AddOn, ClientHistory, Discount, LineItem, Pricing, Quote, Service, StudioRules

__all__ = ["quote", "format_money", "to_cents"]

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
SIXTY = Decimal(60)
SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}
DEFAULT_LABELS = {"returning_client": "Returning client discount", "weekday": "Weekday discount",
                  "package": "Package discount"}


def to_cents(amount: Decimal) -> Decimal:
    """Round to cents, halves away from zero (how people round money)."""
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def _hours(minutes: int) -> Decimal:
    return Decimal(minutes) / SIXTY


def _service_amount(service: Service) -> Decimal:
    if service.pricing.kind == "fixed":
        return to_cents(service.pricing.price)
    return to_cents(service.pricing.price * _hours(service.duration_minutes))


def _addon_amount(pricing: Pricing, extends_minutes: int, session_minutes: int) -> Decimal:
    if pricing.kind == "fixed":
        return to_cents(pricing.price)
    if pricing.kind == "per_hour_of_service" and extends_minutes:
        return to_cents(pricing.price * _hours(extends_minutes))
    return to_cents(pricing.price * _hours(session_minutes))


def _applies(discount: Discount, addons: Sequence[AddOn], history: Optional[ClientHistory],
             weekday: Optional[int]) -> bool:
    if discount.kind == "returning_client":
        return history is not None and history.completed_bookings >= 1
    if discount.kind == "weekday":
        return weekday is not None and weekday in discount.weekdays
    if discount.kind == "package":
        return len(addons) >= discount.min_addons
    return False


def _label(discount: Discount) -> str:
    return discount.label or f"{DEFAULT_LABELS.get(discount.kind, 'Discount')} ({discount.percent:g} %)"


def quote(service: Service, addons: Sequence[AddOn], rules: StudioRules,
          history: Optional[ClientHistory] = None, start: Optional[datetime] = None) -> Quote:
    """Price a session. ``start`` (aware, or naive studio-local) is only needed for weekday discounts."""
    session_minutes = service.duration_minutes + sum(a.extends_minutes for a in addons)
    label = service.title
    if service.pricing.kind != "fixed":
        label += f" ({_hours(service.duration_minutes):g} h × {format_money(service.pricing.price, rules.currency)})"
    items = [LineItem(label, _service_amount(service), "service")]
    items += [LineItem(a.title, _addon_amount(a.pricing, a.extends_minutes, session_minutes), "addon")
              for a in addons]
    subtotal = sum((i.amount for i in items), Decimal("0.00"))

    weekday = None
    if start is not None:
        weekday = (start.astimezone(ZoneInfo(rules.timezone)) if start.tzinfo else start).weekday()
    # Applicable percents add up, but never to more than the subtotal (100 %).
    discount = Decimal("0.00")
    remaining = HUNDRED
    for rule in service.discounts:
        if remaining <= 0 or not _applies(rule, addons, history, weekday):
            continue
        percent = min(Decimal(rule.percent), remaining)
        remaining -= percent
        amount = min(to_cents(subtotal * percent / HUNDRED), subtotal - discount)
        discount += amount
        items.append(LineItem(_label(rule), -amount, "discount"))

    tax = Decimal("0.00")
    if rules.tax_percent:
        tax = to_cents((subtotal - discount) * Decimal(rules.tax_percent) / HUNDRED)
        items.append(LineItem(f"Tax ({Decimal(rules.tax_percent):g} %)", tax, "tax"))
    total = subtotal - discount + tax
    deposit_percent = Decimal(service.deposit_percent if service.deposit_percent is not None
                              else rules.deposit_percent)
    return Quote(items=tuple(items), subtotal=subtotal, discount=discount, tax=tax, total=total,
                 deposit=to_cents(total * deposit_percent / HUNDRED), deposit_percent=deposit_percent,
                 currency=rules.currency, duration_minutes=session_minutes)


def format_money(amount: Decimal, currency: str) -> str:
    """"$4,100.00", "€75.00", "£1.50", "CHF 1,234.00"; negatives as "-$35.00"."""
    cents = to_cents(amount)
    number = f"{abs(cents):,.2f}"
    sign = "-" if cents < 0 else ""
    symbol = SYMBOLS.get(currency.upper())
    return f"{sign}{symbol}{number}" if symbol else f"{sign}{currency.upper()} {number}"
