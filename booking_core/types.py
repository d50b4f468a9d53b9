"""Value types shared by every booking rule.

All types are frozen dataclasses so rule functions stay pure: callers build them from the database
(or from a studio JSON file) and pass them in together with ``now``. Money is always ``Decimal``;
datetimes are timezone-aware; weekly windows are studio-local wall-clock times.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Callable, Literal, Mapping, Optional, Sequence

Weekday = int  # 0 = Monday ... 6 = Sunday (datetime.weekday())
WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

#: Weekly opening windows: weekday -> list of (start, end) local wall-clock times, end > start.
WeeklyHours = Mapping[Weekday, Sequence[tuple[time, time]]]

ACTIVE_STATUSES = frozenset({"pending", "confirmed"})


@dataclass(frozen=True)
class Pricing:
    """How a service or add-on is charged.

    kinds:
      * ``fixed`` — ``price`` once.
      * ``per_hour`` — ``price`` per hour of the session's (base) duration; for an add-on,
        per hour of the whole session including extensions.
      * ``per_hour_of_service`` (add-ons) — ``price`` per hour the add-on adds
        (``extends_minutes``); without extension, per hour of the session.
    """

    kind: Literal["fixed", "per_hour", "per_hour_of_service"]
    price: Decimal


@dataclass(frozen=True)
class Discount:
    """A percentage discount on the session subtotal (service + add-ons).

    kinds: ``returning_client`` (client has a completed booking before), ``weekday`` (session starts
    on one of ``weekdays``), ``package`` (at least ``min_addons`` add-ons chosen).
    """

    kind: Literal["returning_client", "weekday", "package"]
    percent: Decimal
    weekdays: tuple[Weekday, ...] = ()
    min_addons: int = 0
    label: str = ""


@dataclass(frozen=True)
class IntakeField:
    """A question the client answers when booking (venue, number of guests...)."""

    name: str
    label: str
    type: Literal["text", "number", "email", "phone", "date", "boolean", "choice"] = "text"
    required: bool = False
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class AddOn:
    slug: str
    title: str
    pricing: Pricing
    extends_minutes: int = 0


@dataclass(frozen=True)
class Service:
    slug: str
    title: str
    duration_minutes: int
    pricing: Pricing
    buffer_before_minutes: int = 0
    buffer_after_minutes: int = 0
    #: Replaces the studio's weekly hours for this service when set (branding only on Fridays).
    weekly: Optional[WeeklyHours] = None
    max_per_day: Optional[int] = None
    on_location: bool = False
    #: Overrides the studio's minimum notice when set.
    min_notice_hours: Optional[float] = None
    #: Overrides the studio's deposit percent when set.
    deposit_percent: Optional[Decimal] = None
    exempt_from_daily_limit: bool = False
    addons: tuple[str, ...] = ()
    discounts: tuple[Discount, ...] = ()
    fields: tuple[IntakeField, ...] = ()
    description: str = ""
    active: bool = True


@dataclass(frozen=True)
class Blackout:
    """Closed studio-local dates, both ends inclusive."""

    start: date
    end: date
    reason: str = ""


#: Seam for a real distance function: minutes needed to travel between two locations.
TravelTime = Callable[[Optional[str], Optional[str]], int]


@dataclass(frozen=True)
class StudioRules:
    timezone: str
    weekly: WeeklyHours
    blackouts: tuple[Blackout, ...] = ()
    slot_step_minutes: int = 30
    min_notice_hours: float = 0
    max_horizon_days: Optional[int] = None
    #: Hours of sessions per studio-local day (services may be exempt); None = unlimited.
    daily_hours_limit: Optional[float] = None
    #: Bookings per studio-local day over all services; None = unlimited.
    max_bookings_per_day: Optional[int] = None
    #: Fixed travel gap between consecutive bookings when either is on location.
    travel_minutes: int = 0
    travel_time: Optional[TravelTime] = None
    deposit_percent: Decimal = Decimal("0")
    tax_percent: Decimal = Decimal("0")
    currency: str = "USD"


@dataclass(frozen=True)
class ExistingBooking:
    """An already-stored booking as the rules see it (only active ones block time)."""

    start: datetime
    end: datetime
    service_slug: str
    buffer_before_minutes: int = 0
    buffer_after_minutes: int = 0
    on_location: bool = False
    location: Optional[str] = None
    exempt_from_daily_limit: bool = False
    status: str = "confirmed"
    id: Optional[int] = None


@dataclass(frozen=True)
class BookingRequest:
    service: Service
    start: datetime
    addons: tuple[AddOn, ...] = ()
    location: Optional[str] = None
    fields: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime


@dataclass(frozen=True)
class CheckResult:
    """Outcome of a rule check: ``ok`` or human-readable ``reasons`` (never empty when not ok)."""

    reasons: tuple[str, ...] = ()
    #: Machine-readable codes parallel to ``reasons`` ("notice", "blackout", "hours", ...).
    codes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.reasons

    def __bool__(self) -> bool:  # pragma: no cover - convenience
        return self.ok


@dataclass(frozen=True)
class LineItem:
    label: str
    amount: Decimal
    kind: Literal["service", "addon", "discount", "tax"] = "service"


@dataclass(frozen=True)
class Quote:
    items: tuple[LineItem, ...]
    subtotal: Decimal
    discount: Decimal
    tax: Decimal
    total: Decimal
    deposit: Decimal
    deposit_percent: Decimal
    currency: str = "USD"
    duration_minutes: int = 0


@dataclass(frozen=True)
class ClientHistory:
    """What pricing needs to know about the client."""

    completed_bookings: int = 0
    total_bookings: int = 0
