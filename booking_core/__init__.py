"""booking_core: the studio's booking rules as pure functions.

Standard library only, no I/O and no clock (``now`` is always an argument), so every rule can be
tested exhaustively and reused by the database layer, the assistant and the web app alike.
"""
from .availability import BookingIndex, check, find_slots, index_bookings
from .intake import validate_fields
from .pricing import format_money, quote, to_cents
from .states import (BOOKING_STATES, PAYMENT_STATES, TERMINAL_BOOKING_STATES, InvalidTransition,
                     can_transition_booking, can_transition_payment, transition_booking,
                     transition_payment)
from .studio_json import addons_from_json, rules_from_json, services_from_json
from .types import (ACTIVE_STATUSES, WEEKDAY_KEYS, WEEKDAY_NAMES, AddOn, Blackout, BookingRequest,
                    CheckResult, ClientHistory, Discount, ExistingBooking, IntakeField, LineItem,
                    Pricing, Quote, Service, Slot, StudioRules, TravelTime, Weekday, WeeklyHours)

__all__ = [
    "ACTIVE_STATUSES", "WEEKDAY_KEYS", "WEEKDAY_NAMES", "AddOn", "Blackout", "BookingRequest",
    "CheckResult", "ClientHistory", "Discount", "ExistingBooking", "IntakeField", "LineItem", "Pricing",
    "Quote", "Service", "Slot", "StudioRules", "TravelTime", "Weekday", "WeeklyHours",
    "BookingIndex", "index_bookings", "find_slots", "check",
    "quote", "format_money", "to_cents", "validate_fields",
    "BOOKING_STATES", "PAYMENT_STATES", "TERMINAL_BOOKING_STATES", "InvalidTransition",
    "can_transition_booking", "transition_booking", "can_transition_payment", "transition_payment",
    "rules_from_json", "services_from_json", "addons_from_json",
]
