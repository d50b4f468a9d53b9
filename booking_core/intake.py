"""Validate and clean a client's answers to a service's intake questions.

Answers arrive as strings from forms, chat extraction or email, or as JSON values; this turns them
into typed values (int/Decimal, bool, date, stripped text) and collects every problem as
(field name, reason a person can read) instead of stopping at the first one. Unknown keys are
dropped so untrusted input cannot add fields.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Callable, Mapping, Sequence

from .types import IntakeField

__all__ = ["validate_fields"]

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
PHONE_CHARS = re.compile(r"^\+?[0-9 ()./-]+$")
INTEGER = re.compile(r"^[+-]?\d+$")
DECIMAL = re.compile(r"^[+-]?(\d+\.\d*|\.\d+)$")
TRUE_WORDS = frozenset({"yes", "y", "true", "1", "on"})
FALSE_WORDS = frozenset({"no", "n", "false", "0", "off"})


class _Invalid(Exception):
    """Raised by a cleaner with the human reason (without the field label)."""


def _text(value: object, field: IntakeField) -> object:
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        raise _Invalid("must be text")
    return str(value).strip()


def _number(value: object, field: IntakeField) -> object:
    if isinstance(value, bool):
        raise _Invalid("must be a number")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, str):
        text = value.strip()
        if INTEGER.match(text):
            return int(text)
        if not DECIMAL.match(text):
            raise _Invalid("must be a number")
        value = Decimal(text)
    if isinstance(value, Decimal) and value.is_finite():
        return int(value) if value == value.to_integral_value() else value
    raise _Invalid("must be a number")


def _email(value: object, field: IntakeField) -> object:
    if not isinstance(value, str) or not EMAIL.match(value.strip()):
        raise _Invalid("must be an email address")
    return value.strip()


def _phone(value: object, field: IntakeField) -> object:
    text = value.strip() if isinstance(value, str) else ""
    if not PHONE_CHARS.match(text) or sum(c.isdigit() for c in text) < 7:
        raise _Invalid("must be a phone number")
    return text


def _date(value: object, field: IntakeField) -> object:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value.strip()) == 10:
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise _Invalid("must be a date (YYYY-MM-DD)")


def _boolean(value: object, field: IntakeField) -> object:
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower() if isinstance(value, (str, int)) else ""
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise _Invalid("must be yes or no")


def _choice(value: object, field: IntakeField) -> object:
    text = str(value).strip().casefold() if isinstance(value, (str, int)) else None
    for choice in field.choices:
        if choice.casefold() == text:
            return choice
    raise _Invalid("must be one of: " + ", ".join(field.choices))


CLEANERS: Mapping[str, Callable[[object, IntakeField], object]] = {
    "text": _text, "number": _number, "email": _email, "phone": _phone, "date": _date,
    "boolean": _boolean, "choice": _choice,
}


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def validate_fields(fields: Sequence[IntakeField],
                    values: Mapping[str, object]) -> tuple[dict[str, object], list[tuple[str, str]]]:
    """Return (cleaned answers, [(field name, reason), ...]); empty optional answers are left out."""
    cleaned: dict[str, object] = {}
    errors: list[tuple[str, str]] = []
    for field in fields:
        value = values.get(field.name)
        if _missing(value):
            if field.required:
                errors.append((field.name, f"{field.label} is required"))
            continue
        try:
            cleaned[field.name] = CLEANERS.get(field.type, _text)(value, field)
        except _Invalid as problem:
            errors.append((field.name, f"{field.label} {problem}"))
    return cleaned, errors
