"""Reading HTML form values with messages a person can act on (the console's twin of ``parsing``).

Every reader raises ``FormError`` naming the field, so a handler can re-render the form with the
message next to the input instead of answering 500 or a bare 400.
"""
from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any, Mapping, Optional
from zoneinfo import ZoneInfo

from models.repo.errors import InvalidInput


class FormError(InvalidInput):
    """Invalid form input (HTTP 422): ``message`` and ``field``."""


def text(form: Mapping[str, Any], name: str, label: str, *, required: bool = False, max_len: int = 200) -> str:
    value = (form.get(name) or "").strip()
    if required and not value:
        raise FormError(f"{label} is required.", name)
    if len(value) > max_len:
        raise FormError(f"{label} is too long ({max_len} characters at most).", name)
    return value


def integer(form: Mapping[str, Any], name: str, label: str, *, required: bool = False, minimum: Optional[int] = None,
            maximum: Optional[int] = None) -> Optional[int]:
    raw = (form.get(name) or "").strip()
    if not raw:
        if required:
            raise FormError(f"{label} is required.", name)
        return None
    try:
        value = int(raw)
    except ValueError as exc:
        raise FormError(f"{label} must be a whole number, not '{raw}'.", name) from exc
    if minimum is not None and value < minimum:
        raise FormError(f"{label} must be at least {minimum}.", name)
    if maximum is not None and value > maximum:
        raise FormError(f"{label} must be at most {maximum}.", name)
    return value


def number(form: Mapping[str, Any], name: str, label: str, *, required: bool = False, minimum: float = 0,
           maximum: Optional[float] = None) -> Optional[float]:
    raw = (form.get(name) or "").strip().replace(",", ".")
    if not raw:
        if required:
            raise FormError(f"{label} is required.", name)
        return None
    try:
        value = float(raw)
    except ValueError as exc:
        raise FormError(f"{label} must be a number, not '{raw}'.", name) from exc
    if value != value or value < minimum or (maximum is not None and value > maximum):
        bound = f"between {minimum:g} and {maximum:g}" if maximum is not None else f"at least {minimum:g}"
        raise FormError(f"{label} must be {bound}.", name)
    return value


def money(form: Mapping[str, Any], name: str, label: str, *, required: bool = True) -> Optional[Decimal]:
    raw = (form.get(name) or "").strip().replace("$", "").replace("€", "").replace("£", "").replace(",", "")
    if not raw:
        if required:
            raise FormError(f"{label} is required.", name)
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation as exc:
        raise FormError(f"{label} must be an amount like 250.00, not '{form.get(name)}'.", name) from exc
    if not value.is_finite() or value < 0 or value > Decimal("1000000"):
        raise FormError(f"{label} must be an amount between 0 and 1,000,000.", name)
    return value.quantize(Decimal("0.01"))


def percent(form: Mapping[str, Any], name: str, label: str) -> Optional[Decimal]:
    value = money(form, name, label, required=False)
    if value is not None and value > 100:
        raise FormError(f"{label} must be between 0 and 100 %.", name)
    return value


def a_date(form: Mapping[str, Any], name: str, label: str) -> date:
    raw = (form.get(name) or "").strip()
    if not raw:
        raise FormError(f"{label} is required.", name)
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise FormError(f"{label} must be a date like 2026-12-03, not '{raw}'.", name) from exc


def a_time(form: Mapping[str, Any], name: str, label: str) -> time:
    raw = (form.get(name) or "").strip()
    if not raw:
        raise FormError(f"{label} is required.", name)
    try:
        parsed = datetime.strptime(raw[:5], "%H:%M")
    except ValueError as exc:
        raise FormError(f"{label} must be a time like 14:30, not '{raw}'.", name) from exc
    return parsed.time()


def local_datetime(form: Mapping[str, Any], date_name: str, time_name: str, tz: ZoneInfo) -> datetime:
    """A studio-local date and time from two inputs, as an aware datetime."""
    return datetime.combine(a_date(form, date_name, "The date"), a_time(form, time_name, "The time"), tz)


def checkbox(form: Mapping[str, Any], name: str) -> bool:
    return (form.get(name) or "").lower() in ("1", "on", "yes", "true")
