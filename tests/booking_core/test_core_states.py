"""Booking and payment state machines."""
from __future__ import annotations

import pytest

from booking_core import (BOOKING_STATES, PAYMENT_STATES, TERMINAL_BOOKING_STATES, InvalidTransition,
                          can_transition_booking, can_transition_payment, transition_booking,
                          transition_payment)

BOOKING_MOVES = {
    ("pending", "confirmed"), ("pending", "declined"), ("pending", "cancelled"),
    ("confirmed", "completed"), ("confirmed", "cancelled"), ("confirmed", "no_show"),
}
PAYMENT_MOVES = {
    ("unpaid", "deposit_paid"), ("unpaid", "partial"), ("unpaid", "paid"),
    ("deposit_paid", "partial"), ("deposit_paid", "paid"), ("deposit_paid", "refunded"),
    ("partial", "paid"), ("partial", "refunded"), ("paid", "refunded"),
}


def test_the_state_lists():
    assert BOOKING_STATES == ("pending", "confirmed", "completed", "cancelled", "declined", "no_show")
    assert PAYMENT_STATES == ("unpaid", "deposit_paid", "partial", "paid", "refunded")
    assert TERMINAL_BOOKING_STATES == {"completed", "cancelled", "declined", "no_show"}


def test_exactly_the_allowed_booking_moves():
    allowed = {(a, b) for a in BOOKING_STATES for b in BOOKING_STATES if can_transition_booking(a, b)}
    assert allowed == BOOKING_MOVES
    for a, b in BOOKING_MOVES:
        assert transition_booking(a, b) == b


def test_exactly_the_allowed_payment_moves():
    allowed = {(a, b) for a in PAYMENT_STATES for b in PAYMENT_STATES if can_transition_payment(a, b)}
    assert allowed == PAYMENT_MOVES
    for a, b in PAYMENT_MOVES:
        assert transition_payment(a, b) == b


@pytest.mark.parametrize("current, target, message", [
    ("declined", "confirmed", "A declined booking cannot be changed"),
    ("pending", "completed", "A pending booking cannot become completed (only cancelled, confirmed or declined)"),
    ("confirmed", "confirmed", "The booking is already confirmed"),
    ("confirmed", "pending", "A confirmed booking cannot become pending (only cancelled, completed or no show)"),
    ("no_show", "completed", "A no show booking cannot be changed"),
    ("pending", "archived", "Unknown booking state 'archived'"),
])
def test_refused_booking_moves_say_why(current, target, message):
    assert not can_transition_booking(current, target)
    with pytest.raises(InvalidTransition) as caught:
        transition_booking(current, target)
    assert str(caught.value) == message
    assert isinstance(caught.value, ValueError)
    assert (caught.value.current, caught.value.target) == (current, target)


@pytest.mark.parametrize("current, target, message", [
    ("refunded", "paid", "A refunded payment cannot be changed"),
    ("paid", "partial", "A paid payment cannot become partial (only refunded)"),
    ("unpaid", "refunded", "An unpaid payment cannot become refunded (only deposit paid, paid or partial)"),
])
def test_refused_payment_moves_say_why(current, target, message):
    assert not can_transition_payment(current, target)
    with pytest.raises(InvalidTransition, match=r"payment"):
        transition_payment(current, target)
    with pytest.raises(InvalidTransition) as caught:
        transition_payment(current, target)
    assert str(caught.value) == message
