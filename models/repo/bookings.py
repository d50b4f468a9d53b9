"""Booking use cases: create, reschedule, change status and payment — each in one transaction.

Every path runs ``booking_core.check`` inside a write transaction that serialises booking writers
(SQLite ``BEGIN IMMEDIATE``; PostgreSQL advisory lock + exclusion constraint), so a lost race is a
``SlotTaken`` (HTTP 409) and never a second booking.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Callable, Mapping, Optional, Sequence

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import booking_core as core

from ..admin import AuditEntry
from ..bookings import Booking, BookingAddon, Payment
from ..clients import Client, ClientTag, ContactEvent
from ..db import Database
from ..messaging import Notification
from .catalog import Catalog, cents, existing_bookings, load_catalog
from .errors import BookingRejected, InvalidInput, NotAllowed, NotFound, SlotTaken

EMAIL_RE = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")
#: Reasons that mean "somebody else has that time" rather than "the rules never allow it".
CONFLICT_CODES = frozenset({"overlap", "max_per_day", "max_bookings_per_day", "daily_limit"})

#: Called inside the booking's transaction (e.g. to queue a confirmation mail in the same commit).
BookingHook = Callable[[Session, Booking, str], None]
_hooks: list[BookingHook] = []


def on_booking_event(hook: BookingHook) -> BookingHook:
    """Register ``hook(session, booking, event)``; events: created, rescheduled, status:<new>, payment:<new>."""
    if hook not in _hooks:
        _hooks.append(hook)
    return hook


def _fire(session: Session, booking: Booking, event: str) -> None:
    for hook in list(_hooks):
        hook(session, booking, event)


@dataclass
class ClientInput:
    name: str
    email: str
    phone: str = ""


@dataclass
class NewBooking:
    service: str
    start: datetime
    client: ClientInput
    addons: Sequence[str] = ()
    fields: Mapping[str, Any] = field(default_factory=dict)
    location: Optional[str] = None
    payment: str = "deposit"
    notes: Optional[str] = None
    source: str = "api"
    conversation_id: Optional[str] = None
    #: Skip the rules (owner override from the console, or loading history); always audited.
    override: bool = False
    status: Optional[str] = None
    payment_status: str = "unpaid"
    actor: str = "client"


def normalise_email(value: str) -> str:
    return (value or "").strip().lower()


def validate_email(value: str, field_name: str = "client.email") -> str:
    email = normalise_email(value)
    if not email:
        raise InvalidInput("An email address is required.", field_name)
    if len(email) > 254 or not EMAIL_RE.match(email):
        raise InvalidInput(f"'{value}' is not a valid email address.", field_name)
    return email


def get_or_create_client(session: Session, client: ClientInput) -> Client:
    email = validate_email(client.email)
    row = session.scalars(select(Client).where(Client.email == email)).first()
    if row is None:
        row = Client(name=(client.name or "").strip()[:200], email=email, phone=(client.phone or "").strip()[:50])
        session.add(row)
        session.flush()
    else:
        if client.name and not row.name:
            row.name = client.name.strip()[:200]
        if client.phone and not row.phone:
            row.phone = client.phone.strip()[:50]
    return row


def client_history(session: Session, client_id: Optional[int]) -> core.ClientHistory:
    if client_id is None:
        return core.ClientHistory()
    completed = session.scalar(select(func.count()).select_from(Booking)
                               .where(Booking.client_id == client_id, Booking.status == "completed")) or 0
    total = session.scalar(select(func.count()).select_from(Booking).where(Booking.client_id == client_id)) or 0
    return core.ClientHistory(completed_bookings=completed, total_bookings=total)


def _resolve_addons(catalog: Catalog, service: core.Service, slugs: Sequence[str]) -> list[core.AddOn]:
    chosen: list[core.AddOn] = []
    for slug in dict.fromkeys(slugs):
        if slug not in catalog.addons:
            raise InvalidInput(f"Unknown add-on '{slug}'.", "addons")
        if slug not in service.addons:
            raise InvalidInput(f"{catalog.addons[slug].title} is not available with {service.title}.", "addons")
        chosen.append(catalog.addons[slug])
    return chosen


def _blocked(service: core.Service, start: datetime, addons: Sequence[core.AddOn]) -> tuple[datetime, datetime, datetime]:
    duration = service.duration_minutes + sum(a.extends_minutes for a in addons)
    end = start + timedelta(minutes=duration)
    return end, start - timedelta(minutes=service.buffer_before_minutes), end + timedelta(minutes=service.buffer_after_minutes)


def _raise_rejection(result: core.CheckResult) -> None:
    codes = set(result.codes)
    message = " ".join(result.reasons)
    if codes and codes <= CONFLICT_CODES:
        raise SlotTaken(message or "That time is no longer available.", "start", result.reasons, result.codes)
    raise BookingRejected(message, "start", result.reasons, result.codes)


def audit(session: Session, actor: str, action: str, entity: str, entity_id: Any, **details: Any) -> None:
    session.add(AuditEntry(actor=actor, action=action, entity=entity,
                           entity_id=None if entity_id is None else str(entity_id), details=details))


def notify(session: Session, kind: str, title: str, body: str = "", link: str = "",
           booking_id: Optional[int] = None, dedupe_key: Optional[str] = None) -> None:
    if dedupe_key and session.scalar(select(Notification.id).where(Notification.dedupe_key == dedupe_key)):
        return
    session.add(Notification(kind=kind, title=title, body=body, link=link, booking_id=booking_id, dedupe_key=dedupe_key))


def _apply_quote(booking: Booking, quote: core.Quote) -> None:
    booking.subtotal_cents = cents(quote.subtotal)
    booking.discount_cents = cents(quote.discount)
    booking.tax_cents = cents(quote.tax)
    booking.total_cents = cents(quote.total)
    booking.deposit_cents = cents(quote.deposit)
    booking.currency = quote.currency
    booking.line_items = [{"label": i.label, "amount": str(i.amount), "kind": i.kind} for i in quote.items]


def _check_input(req: NewBooking) -> None:
    if req.start.tzinfo is None:
        raise InvalidInput("The start time needs a time zone.", "start")
    if req.payment not in ("deposit", "at_session"):
        raise InvalidInput("Payment must be 'deposit' or 'at_session'.", "payment")
    if not (req.client.name or "").strip():
        raise InvalidInput("Please give the client's name.", "client.name")
    validate_email(req.client.email)
    if req.location is not None and len(req.location) > 300:
        raise InvalidInput("The location is too long (300 characters at most).", "location")
    if req.notes is not None and len(req.notes) > 5000:
        raise InvalidInput("The notes are too long (5000 characters at most).", "notes")


def create_booking(db: Database, req: NewBooking, now: datetime) -> Booking:
    """Check the request against the rules and store it; raises a ``RepoError`` subclass otherwise."""
    _check_input(req)
    try:
        with db.write(lock_bookings=True) as session:
            booking = _create_in(session, req, now)
        return booking
    except IntegrityError as exc:  # PostgreSQL exclusion constraint: another writer got there first
        if "bookings_no_overlap" in str(exc.orig) or "exclusion" in str(exc.orig).lower():
            raise SlotTaken("That time was just booked by someone else.", "start", codes=["overlap"]) from exc
        raise


def _create_in(session: Session, req: NewBooking, now: datetime) -> Booking:
    catalog = load_catalog(session)
    service = catalog.services.get(req.service)
    if service is None or not service.active:
        raise InvalidInput(f"Unknown service '{req.service}'.", "service")
    addons = _resolve_addons(catalog, service, req.addons)
    cleaned, errors = core.validate_fields(service.fields, req.fields or {})
    if errors and not req.override:
        name, reason = errors[0]
        raise InvalidInput(" ".join(r for _, r in errors), f"fields.{name}")
    end, block_start, block_end = _blocked(service, req.start, addons)
    if not req.override:
        existing = existing_bookings(session, catalog, block_start, block_end)
        result = core.check(core.BookingRequest(service=service, start=req.start, addons=tuple(addons),
                                                location=req.location, fields=cleaned),
                            existing, catalog.rules, now)
        if not result.ok:
            _raise_rejection(result)
    client = get_or_create_client(session, req.client)
    quote = core.quote(service, addons, catalog.rules, client_history(session, client.id), start=req.start)
    status = req.status or ("pending" if catalog.studio.approval_required else "confirmed")
    location = req.location if req.location else (None if service.on_location else catalog.studio.location or None)
    booking = Booking(
        service_id=catalog.service_ids[service.slug], client_id=client.id, start_at=req.start, end_at=end,
        block_start=block_start, block_end=block_end, status=status, payment_status=req.payment_status,
        payment_choice=req.payment, location=location, fields=cleaned if not req.override else dict(req.fields or {}),
        notes=req.notes, source=req.source, conversation_id=req.conversation_id,
    )
    _apply_quote(booking, quote)
    booking.addons = [BookingAddon(addon_id=catalog.addon_ids[a.slug], price_cents=addon_price_cents(quote, a))
                      for a in addons]
    session.add(booking)
    session.flush()
    actor = f"{req.actor}:{client.email}" if req.actor == "client" else req.actor
    audit(session, actor, "booking.create", "booking", booking.id, source=req.source, status=status,
          override=req.override, start=req.start.isoformat())
    session.add(ContactEvent(client_id=client.id, kind="booking", direction="in", booking_id=booking.id,
                             summary=f"Booked {service.title} ({status})"))
    if status == "pending":
        notify(session, "pending_approval", f"New booking request: {service.title} for {client.name}",
               link=f"/admin/bookings/{booking.id}", booking_id=booking.id)
    else:
        notify(session, "new_booking", f"New booking: {service.title} for {client.name}",
               link=f"/admin/bookings/{booking.id}", booking_id=booking.id)
    _fire(session, booking, "created")
    session.refresh(booking)
    return booking


def addon_price_cents(quote: core.Quote, addon: core.AddOn) -> int:
    """The add-on's line in a quote, in cents (what the client pays for it in this booking)."""
    for item in quote.items:
        if item.kind == "addon" and item.label == addon.title:
            return cents(item.amount)
    return 0


def get_booking(session: Session, booking_id: int) -> Booking:
    booking = session.get(Booking, booking_id)
    if booking is None:
        raise NotFound(f"Booking {booking_id} does not exist.")
    return booking


def reschedule_booking(db: Database, booking_id: int, new_start: datetime, now: datetime, *, actor: str,
                       override: bool = False, client_email: Optional[str] = None) -> Booking:
    """Move a booking (same service and add-ons) to ``new_start`` if the rules allow it.

    ``client_email`` restricts the change to that client's own booking (portal, assistant).
    """
    if new_start.tzinfo is None:
        raise InvalidInput("The new start time needs a time zone.", "start")
    try:
        with db.write(lock_bookings=True) as session:
            booking = get_booking(session, booking_id)
            if client_email is not None and booking.client.email != normalise_email(client_email):
                raise NotAllowed("That booking belongs to someone else.")
            if booking.status not in core.ACTIVE_STATUSES:
                raise InvalidInput(f"A {booking.status.replace('_', ' ')} booking cannot be moved.", "status")
            catalog = load_catalog(session)
            service = catalog.services[booking.service.slug]
            addons = [catalog.addons[s] for s in booking.addon_slugs if s in catalog.addons]
            end, block_start, block_end = _blocked(service, new_start, addons)
            if not override:
                existing = existing_bookings(session, catalog, block_start, block_end)
                result = core.check(core.BookingRequest(service=service, start=new_start, addons=tuple(addons),
                                                        location=booking.location),
                                    existing, catalog.rules, now, exclude_booking_id=booking.id)
                if not result.ok:
                    _raise_rejection(result)
            old = booking.start_at
            booking.start_at, booking.end_at = new_start, end
            booking.block_start, booking.block_end = block_start, block_end
            session.flush()
            audit(session, actor, "booking.reschedule", "booking", booking.id, old=old.isoformat(),
                  new=new_start.isoformat(), override=override)
            session.add(ContactEvent(client_id=booking.client_id, kind="booking", direction="in",
                                     booking_id=booking.id, summary="Booking moved"))
            notify(session, "rescheduled", f"Booking moved: {booking.service.title} for {booking.client.name}",
                   link=f"/admin/bookings/{booking.id}", booking_id=booking.id)
            _fire(session, booking, "rescheduled")
        return booking
    except IntegrityError as exc:
        raise SlotTaken("That time was just booked by someone else.", "start", codes=["overlap"]) from exc


def set_status(db: Database, booking_id: int, new_status: str, *, actor: str,
               client_email: Optional[str] = None, reason: str = "") -> Booking:
    with db.write(lock_bookings=True) as session:
        booking = get_booking(session, booking_id)
        if client_email is not None and booking.client.email != normalise_email(client_email):
            raise NotAllowed("That booking belongs to someone else.")
        try:
            core.transition_booking(booking.status, new_status)
        except core.InvalidTransition as exc:
            raise InvalidInput(str(exc), "status") from exc
        old = booking.status
        booking.status = new_status
        if new_status == "cancelled":
            booking.cancelled_at = datetime.now(booking.start_at.tzinfo)
        audit(session, actor, f"booking.{new_status}", "booking", booking.id, old=old, reason=reason)
        if actor.startswith("client") and new_status == "cancelled":
            notify(session, "cancelled", f"Booking cancelled by client: {booking.service.title} for {booking.client.name}",
                   link=f"/admin/bookings/{booking.id}", booking_id=booking.id)
        _fire(session, booking, f"status:{new_status}")
    return booking


def record_payment(db: Database, booking_id: int, amount: Decimal, kind: str, *, actor: str,
                   method: str = "manual", note: str = "") -> Booking:
    """Record money received (or refunded) and move the payment state accordingly."""
    if amount <= 0:
        raise InvalidInput("The amount must be positive.", "amount")
    with db.write() as session:
        booking = get_booking(session, booking_id)
        session.add(Payment(booking_id=booking.id, kind=kind, amount_cents=cents(amount), method=method, note=note))
        session.flush()
        paid = sum(p.amount_cents if p.kind != "refund" else -p.amount_cents
                   for p in session.scalars(select(Payment).where(Payment.booking_id == booking.id)))
        if kind == "refund":
            target = "refunded"
        elif paid >= booking.total_cents:
            target = "paid"
        elif paid >= booking.deposit_cents and booking.payment_status == "unpaid":
            target = "deposit_paid"
        else:
            target = "partial"
        if target != booking.payment_status:
            try:
                core.transition_payment(booking.payment_status, target)
            except core.InvalidTransition as exc:
                raise InvalidInput(str(exc), "payment_status") from exc
            booking.payment_status = target
        audit(session, actor, "payment.record", "booking", booking.id, amount=str(amount), kind=kind, status=target)
        _fire(session, booking, f"payment:{target}")
    return booking


def tag_client(session: Session, client: Client, tags: Sequence[str]) -> None:
    have = set(client.tag_names)
    for tag in tags:
        tag = tag.strip()
        if tag and tag not in have:
            client.tags.append(ClientTag(tag=tag[:100]))
            have.add(tag)
