"""What the assistant knows about one conversation, kept as JSON in ``Conversation.state``.

A slot-filling record: what the client wants (service, add-ons, when), what was proposed, what they
said yes to, who they are, which intake answers are in, and what the assistant is waiting for. Plain
JSON types only (ISO strings for dates), so the row stays readable in the admin console and survives
upgrades: unknown keys are ignored and missing ones get defaults.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime, time
from typing import Any, Optional

STATE_VERSION = 1

#: What the assistant waits for; the next message is read in that light.
AWAIT_NOTHING = ""
AWAIT_CONFIRM = "confirm"          # a summary was shown, a yes makes it happen (see ``pending``)
AWAIT_CODE = "code"                # a 6-digit code was mailed to the address on file
AWAIT_EMAIL_FOR_CHANGE = "change_email"  # asked which email the booking was made with


@dataclass
class Verification:
    """A code mailed to the address on file (chat changes): only its hash is kept."""

    email: str = ""
    code_hash: str = ""
    expires: str = ""          # ISO datetime
    attempts: int = 0
    sent: bool = False         # a mail really went out (the address is a client's)


@dataclass
class DialogueState:
    version: int = STATE_VERSION
    language: str = "en"
    # -- what the client wants ------------------------------------------------------------------
    service: Optional[str] = None
    addons: list[str] = field(default_factory=list)
    negated_addons: list[str] = field(default_factory=list)
    date: Optional[str] = None             # YYYY-MM-DD
    time: Optional[str] = None             # HH:MM
    time_range: Optional[list[str]] = None  # [HH:MM, HH:MM]
    date_range: Optional[list[str]] = None  # [YYYY-MM-DD, YYYY-MM-DD]
    weekday: Optional[int] = None
    proposed: list[str] = field(default_factory=list)  # ISO starts offered in the last reply
    chosen: Optional[str] = None           # ISO start that passed the rules and the client picked
    payment: str = "deposit"
    location: Optional[str] = None
    location_cued: bool = False            # the location came with a clear cue ("the venue is ...", an address)
    fields: dict[str, Any] = field(default_factory=dict)
    asked: Optional[str] = None            # "contact", "name", "email", "location", "field:<name>", "service", "day"
    people: Optional[int] = None
    budget: Optional[str] = None
    wishes: list[str] = field(default_factory=list)
    # -- who the client is ----------------------------------------------------------------------
    name: Optional[str] = None
    email: Optional[str] = None
    phone: Optional[str] = None
    verified_email: Optional[str] = None   # chat: proven by a mailed code
    verification: Optional[dict[str, Any]] = None
    # -- changes to existing bookings -----------------------------------------------------------
    change: Optional[dict[str, Any]] = None  # {"kind": "reschedule"|"cancel", "booking_id", "new_start"}
    # -- the conversation itself ----------------------------------------------------------------
    awaiting: str = AWAIT_NOTHING
    pending: Optional[dict[str, Any]] = None  # what a "yes" does: {"kind": "book"|"reschedule"|"cancel", ...}
    booking_id: Optional[int] = None       # the booking this conversation made or changed
    no_progress: int = 0
    turns: int = 0
    handed_over: bool = False
    last_action: str = ""

    # -- JSON round trip -------------------------------------------------------------------------
    @classmethod
    def from_json(cls, raw: Any) -> "DialogueState":
        if not isinstance(raw, dict):
            return cls()
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in raw.items() if k in known}
        try:
            return cls(**values)
        except TypeError:  # a corrupted row must not break the conversation
            return cls()

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    # -- typed views -----------------------------------------------------------------------------
    @property
    def date_value(self) -> Optional[date]:
        return date.fromisoformat(self.date) if self.date else None

    @property
    def time_value(self) -> Optional[time]:
        return time.fromisoformat(self.time) if self.time else None

    @property
    def chosen_value(self) -> Optional[datetime]:
        return datetime.fromisoformat(self.chosen) if self.chosen else None

    @property
    def proposed_values(self) -> list[datetime]:
        return [datetime.fromisoformat(p) for p in self.proposed]

    def clear_when(self) -> None:
        """Forget every date/time wish (a new wish replaces the old one, never mixes with it)."""
        self.date = self.time = None
        self.time_range = self.date_range = None
        self.weekday = None
        self.chosen = None

    def clear_booking_wish(self) -> None:
        """After a booking is made: a second booking in the same chat starts from scratch."""
        self.service = None
        self.addons, self.negated_addons = [], []
        self.clear_when()
        self.proposed = []
        self.payment = "deposit"
        self.location = None
        self.location_cued = False
        self.fields = {}
        self.asked = None
        self.pending = None
        self.awaiting = AWAIT_NOTHING
