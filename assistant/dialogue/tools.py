"""The assistant's allow-list of actions: everything it can read or change, and nothing more.

Each function goes through ``booking_core`` and the repositories (``models.repo``), so what a client
can make the assistant do is exactly what the public booking API allows: no rule skipping, no payment
changes, changes to existing bookings only with the owner's email checked by the repository itself
(``client_email=``). Nothing here takes an instruction from model output; arguments are typed values
the policy derived from the client's message and the stored state.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Optional, Sequence
from zoneinfo import ZoneInfo

from sqlalchemy import select

import booking_core as core
from models import Booking, Client, Conversation, Database
from models.repo import bookings as booking_repo
from models.repo.catalog import Catalog, existing_bookings, find_slots as repo_find_slots, load_catalog
from models.repo.outbox import queue_mail
from studiobook.config import Settings
from studiobook.links import secret_key

CODE_TTL = timedelta(minutes=15)
CODE_MAX_ATTEMPTS = 5


@dataclass
class Env:
    """What every tool needs for one turn: the database, settings, the frozen "now" and the catalogue."""

    db: Database
    settings: Settings
    now: datetime
    catalog: Catalog
    conversation_id: str
    channel: str
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def tz(self) -> ZoneInfo:
        return self.catalog.tz

    @property
    def today(self) -> date:
        return self.now.astimezone(self.tz).date()

    @property
    def currency(self) -> str:
        return self.catalog.rules.currency

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.tz)


def open_env(db: Database, settings: Settings, now: datetime, conversation_id: str, channel: str) -> Env:
    with db.read() as session:
        catalog = load_catalog(session)
    return Env(db=db, settings=settings, now=now, catalog=catalog, conversation_id=conversation_id, channel=channel)


def active_services(env: Env) -> list[core.Service]:
    return [env.catalog.services[row.slug] for row in env.catalog.ordered_services()
            if row.active and row.slug in env.catalog.services]


# -- availability ----------------------------------------------------------------------------------

def find_slots(env: Env, service: str, first: date, last: date, addons: Sequence[str] = (),
               exclude_booking_id: Optional[int] = None) -> list[datetime]:
    """Every allowed start on the studio-local days first..last (studio-local datetimes)."""
    addons = [a for a in addons if a in env.catalog.services[service].addons]
    with env.db.read() as session:
        slots = repo_find_slots(session, env.catalog, service, first, last, env.now, addons,
                                exclude_booking_id=exclude_booking_id)
    return [env.local(s.start) for s in slots]


def check_slot(env: Env, service: str, start: datetime, addons: Sequence[str] = (),
               location: Optional[str] = None, exclude_booking_id: Optional[int] = None) -> core.CheckResult:
    """``booking_core.check`` against the stored bookings: ok, or the reasons and codes why not."""
    svc = env.catalog.services[service]
    chosen = tuple(env.catalog.addons[a] for a in addons if a in env.catalog.addons and a in svc.addons)
    duration = svc.duration_minutes + sum(a.extends_minutes for a in chosen)
    lo = start - timedelta(minutes=svc.buffer_before_minutes)
    hi = start + timedelta(minutes=duration + svc.buffer_after_minutes)
    with env.db.read() as session:
        existing = existing_bookings(session, env.catalog, lo, hi)
    request = core.BookingRequest(service=svc, start=start, addons=chosen, location=location)
    return core.check(request, existing, env.catalog.rules, env.now, exclude_booking_id=exclude_booking_id)


# -- prices ----------------------------------------------------------------------------------------

def quote(env: Env, service: str, addons: Sequence[str] = (), client_email: Optional[str] = None,
          start: Optional[datetime] = None) -> core.Quote:
    svc = env.catalog.services[service]
    chosen = [env.catalog.addons[a] for a in addons if a in env.catalog.addons and a in svc.addons]
    history = core.ClientHistory()
    if client_email:
        with env.db.read() as session:
            client_id = session.scalar(select(Client.id).where(Client.email == client_email.strip().lower()))
            history = booking_repo.client_history(session, client_id)
    return core.quote(svc, chosen, env.catalog.rules, history, start=start)


# -- bookings --------------------------------------------------------------------------------------

def create_booking(env: Env, req: booking_repo.NewBooking) -> Booking:
    """Through the repository: rules checked again inside the write transaction (a lost race is SlotTaken)."""
    return booking_repo.create_booking(env.db, req, env.now)


def reschedule(env: Env, booking_id: int, new_start: datetime, client_email: str) -> Booking:
    return booking_repo.reschedule_booking(env.db, booking_id, new_start, env.now,
                                           actor=f"client:{client_email}", client_email=client_email)


def cancel(env: Env, booking_id: int, client_email: str) -> Booking:
    return booking_repo.set_status(env.db, booking_id, "cancelled", actor=f"client:{client_email}",
                                   client_email=client_email, reason="cancelled by the client through the assistant")


@dataclass(frozen=True)
class OwnBooking:
    """A booking as the assistant may show it to its owner (never another client's)."""

    id: int
    service: str
    service_title: str
    start: datetime
    end: datetime
    status: str
    addons: tuple[str, ...]
    location: Optional[str]


def own_upcoming_bookings(env: Env, email: str) -> list[OwnBooking]:
    """Active bookings of the client with exactly this email that have not started yet."""
    email = (email or "").strip().lower()
    if not email:
        return []
    with env.db.read() as session:
        rows = session.scalars(
            select(Booking).join(Client, Client.id == Booking.client_id)
            .where(Client.email == email, Booking.status.in_(tuple(core.ACTIVE_STATUSES)),
                   Booking.start_at > env.now)
            .order_by(Booking.start_at)).all()
        return [OwnBooking(id=b.id, service=b.service.slug, service_title=b.service.title,
                           start=env.local(b.start_at), end=env.local(b.end_at), status=b.status,
                           addons=tuple(b.addon_slugs), location=b.location) for b in rows]


def booking_payload(env: Env, booking_id: int) -> Optional[dict[str, Any]]:
    """CONTRACT.md's chat ``booking`` object for a booking this conversation made or changed."""
    with env.db.read() as session:
        b = session.get(Booking, booking_id)
        if b is None:
            return None
        return {
            "id": b.id, "status": b.status, "service": b.service.slug,
            "start": b.start_at.astimezone(env.tz).isoformat(timespec="seconds"),
            "end": b.end_at.astimezone(env.tz).isoformat(timespec="seconds"),
            "addons": list(b.addon_slugs),
            "total": f"{b.total_cents / 100:.2f}",
            "client": {"name": b.client.name, "email": b.client.email},
        }


def client_on_file(env: Env, email: str) -> Optional[Client]:
    with env.db.read() as session:
        return session.scalars(select(Client).where(Client.email == (email or "").strip().lower())).first()


# -- verification codes (chat changes) ---------------------------------------------------------------

def _code_hash(env: Env, email: str, code: str) -> str:
    key = secret_key(env.settings).encode()
    message = f"{env.conversation_id}:{email.lower()}:{code}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def send_code(env: Env, email: str, lang: str) -> dict[str, Any]:
    """Mail a fresh 6-digit code to the address ON FILE; returns the verification record for the state.

    Only a stored client's address gets mail (no mail to arbitrary addresses, so the chat cannot be
    used to spam); the reply to the client is the same either way, so it reveals nothing.
    """
    email = (email or "").strip().lower()
    code = f"{secrets.randbelow(1_000_000):06d}"
    client = client_on_file(env, email)
    record = {"email": email, "code_hash": _code_hash(env, email, code),
              "expires": (env.now + CODE_TTL).isoformat(), "attempts": 0, "sent": client is not None}
    if client is not None:
        from .codes_mail import code_mail  # small module: the mail's wording per language

        subject, body = code_mail(lang, env.catalog.studio.name, client.name, code)
        with env.db.write() as session:
            queue_mail(session, domain=env.settings.mail_domain, to_addr=client.email, subject=subject,
                       body_text=body, kind="verification_code", conversation_id=env.conversation_id,
                       auto_reply=False)
    return record


def check_code(env: Env, record: dict[str, Any], code: str) -> str:
    """"ok", "wrong", "expired" or "locked" (after CODE_MAX_ATTEMPTS wrong tries); updates ``record``."""
    if record.get("attempts", 0) >= CODE_MAX_ATTEMPTS:
        return "locked"
    try:
        expires = datetime.fromisoformat(record.get("expires", ""))
    except ValueError:
        return "expired"
    if env.now > expires:
        return "expired"
    expected = record.get("code_hash", "")
    if record.get("sent") and hmac.compare_digest(expected, _code_hash(env, record.get("email", ""), code)):
        return "ok"
    record["attempts"] = record.get("attempts", 0) + 1
    return "locked" if record["attempts"] >= CODE_MAX_ATTEMPTS else "wrong"


# -- the owner -------------------------------------------------------------------------------------

def hand_over(env: Env, reason: str, summary: str) -> None:
    """Notify the owner and mark the conversation ``handed_over`` (one notification per conversation)."""
    with env.db.write() as session:
        conv = session.get(Conversation, env.conversation_id)
        if conv is not None:
            conv.status = "handed_over"
        booking_repo.notify(session, "handover", f"A client needs you ({reason})", body=summary[:2000],
                            link=f"/admin/conversations/{env.conversation_id}",
                            dedupe_key=f"handover:{env.conversation_id}")
