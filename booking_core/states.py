"""Allowed booking and payment state changes.

One table per machine, so the admin console, the assistant and the database layer all refuse the same
moves (e.g. completing a booking that was declined) with the same readable message.
"""
from __future__ import annotations

from typing import Mapping

__all__ = ["BOOKING_STATES", "PAYMENT_STATES", "TERMINAL_BOOKING_STATES", "BOOKING_TRANSITIONS",
           "PAYMENT_TRANSITIONS", "InvalidTransition", "can_transition_booking", "transition_booking",
           "can_transition_payment", "transition_payment"]

BOOKING_TRANSITIONS: Mapping[str, frozenset[str]] = {
    "pending": frozenset({"confirmed", "declined", "cancelled"}),
    "confirmed": frozenset({"completed", "cancelled", "no_show"}),
    "completed": frozenset(),
    "cancelled": frozenset(),
    "declined": frozenset(),
    "no_show": frozenset(),
}
PAYMENT_TRANSITIONS: Mapping[str, frozenset[str]] = {
    "unpaid": frozenset({"deposit_paid", "partial", "paid"}),
    "deposit_paid": frozenset({"partial", "paid", "refunded"}),
    "partial": frozenset({"paid", "refunded"}),
    "paid": frozenset({"refunded"}),
    "refunded": frozenset(),
}
BOOKING_STATES: tuple[str, ...] = tuple(BOOKING_TRANSITIONS)
PAYMENT_STATES: tuple[str, ...] = tuple(PAYMENT_TRANSITIONS)
TERMINAL_BOOKING_STATES = frozenset(s for s, nxt in BOOKING_TRANSITIONS.items() if not nxt)


class InvalidTransition(ValueError):
    """A state change the machine does not allow; ``str()`` is fit to show a person."""

    def __init__(self, kind: str, current: str, target: str, message: str) -> None:
        super().__init__(message)
        self.kind, self.current, self.target = kind, current, target


def _label(state: str) -> str:
    return state.replace("_", " ")


def _a(state: str) -> str:
    """"A confirmed", "An unpaid"."""
    return ("An " if state[0] in "aeiou" else "A ") + _label(state)


def _transition(kind: str, table: Mapping[str, frozenset[str]], current: str, target: str) -> str:
    for state in (current, target):
        if state not in table:
            raise InvalidTransition(kind, current, target, f"Unknown {kind} state '{state}'")
    if target in table[current]:
        return target
    if current == target:
        message = f"The {kind} is already {_label(current)}"
    elif not table[current]:
        message = f"{_a(current)} {kind} cannot be changed"
    else:
        allowed = [_label(s) for s in sorted(table[current])]
        choices = allowed[0] if len(allowed) == 1 else ", ".join(allowed[:-1]) + " or " + allowed[-1]
        message = f"{_a(current)} {kind} cannot become {_label(target)} (only {choices})"
    raise InvalidTransition(kind, current, target, message)


def can_transition_booking(current: str, target: str) -> bool:
    return target in BOOKING_TRANSITIONS.get(current, ())


def transition_booking(current: str, target: str) -> str:
    """Return ``target`` if a booking may move there from ``current``, else raise InvalidTransition."""
    return _transition("booking", BOOKING_TRANSITIONS, current, target)


def can_transition_payment(current: str, target: str) -> bool:
    return target in PAYMENT_TRANSITIONS.get(current, ())


def transition_payment(current: str, target: str) -> str:
    """Return ``target`` if a payment may move there from ``current``, else raise InvalidTransition."""
    return _transition("payment", PAYMENT_TRANSITIONS, current, target)
