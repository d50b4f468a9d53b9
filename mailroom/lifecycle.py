"""Booking changes become client mails in the same transaction (``on_booking_event``).

Why inside the booking's transaction: a confirmation that is queued is a confirmation that happened,
and a booking change that rolls back leaves no mail behind. The mail goes to the client's address on
file, into the booking's email thread (its Reply-To token brings answers back to the same
conversation). If building the mail fails, the booking still stands and the owner is told: the work
runs under a savepoint, so a template bug never blocks bookings.
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Callable, Optional

from sqlalchemy import event as sa_event, select
from sqlalchemy.orm import Session

from mailroom import compose
from mailroom.ics import booking_ics
from models import AuditEntry, Booking, Conversation, File, Message, OutboxMail
from models.base import utcnow
from models.repo.bookings import notify, on_booking_event
from studiobook.config import Settings

log = logging.getLogger("studiobook.mail.lifecycle")

#: Mail kinds that carry an invitation; their count for a booking is the next SEQUENCE.
ICS_KINDS = ("confirmed", "rescheduled", "cancelled")

_settings: Optional[Settings] = None
_on_queued: Optional[Callable[[], None]] = None


def install(settings: Settings, on_queued: Optional[Callable[[], None]] = None) -> None:
    """Queue client mails for booking changes made in this process from now on.

    ``on_queued`` runs after the booking's transaction commits (it wakes the outbox sender).
    """
    global _settings, _on_queued
    _settings, _on_queued = settings, on_queued
    on_booking_event(_on_event)


def uninstall() -> None:
    global _settings, _on_queued
    _settings, _on_queued = None, None


def _on_event(session: Session, booking: Booking, event: str) -> None:
    settings = _settings
    if settings is None:
        return
    kind = _kind_for(booking, event)
    if kind is None:
        return
    try:
        with session.begin_nested():
            queue_booking_mail(session, settings, booking, kind)
        if _on_queued is not None:
            wake = _on_queued
            sa_event.listen(session, "after_commit", lambda _session: wake(), once=True)
    except Exception:
        log.exception("could not queue the %s mail for booking %s", kind, booking.id)
        notify(session, "mail_failed", f"Could not prepare the {kind} email for booking {booking.id}",
               body="The booking change was saved; please write to the client yourself.",
               link=f"/admin/bookings/{booking.id}", booking_id=booking.id)


def _kind_for(booking: Booking, event: str) -> Optional[str]:
    if event == "created":
        return "confirmed" if booking.status == "confirmed" else "received" if booking.status == "pending" else None
    return {"status:confirmed": "confirmed", "status:declined": "declined", "status:cancelled": "cancelled",
            "rescheduled": "rescheduled"}.get(event)


def booking_conversation(session: Session, booking: Booking) -> Conversation:
    """The email thread of a booking: the one it was booked in, else the one of its earlier mails, else new."""
    email = booking.client.email
    conversation = session.get(Conversation, booking.conversation_id) if booking.conversation_id else None
    if conversation is None or conversation.channel != "email" or conversation.email != email:
        earlier = session.scalar(select(OutboxMail.conversation_id)
                                 .where(OutboxMail.booking_id == booking.id, OutboxMail.conversation_id.is_not(None))
                                 .order_by(OutboxMail.id.desc()).limit(1))
        conversation = session.get(Conversation, earlier) if earlier else None
    if conversation is None:
        studio = compose.get_studio(session)
        conversation = Conversation(channel="email", email=email, client_id=booking.client_id,
                                    subject=f"{booking.service.title} – {studio.name}"[:400],
                                    language=booking.client.language or "en", status="open")
        session.add(conversation)
        session.flush()
    if conversation.client_id is None:
        conversation.client_id = booking.client_id
        _adopt_files(session, conversation.id, booking.client_id)
    return conversation


def _adopt_files(session: Session, conversation_id: str, client_id: int) -> None:
    """Attachments mailed before the sender was a client become the new client's files."""
    ids = [fid for meta in session.scalars(select(Message.meta).where(Message.conversation_id == conversation_id,
                                                                       Message.direction == "in"))
           for fid in (meta or {}).get("files", [])]
    for row in session.scalars(select(File).where(File.id.in_(ids), File.client_id.is_(None))) if ids else ():
        row.client_id = client_id


def _ics_sent(session: Session, booking_id: int) -> int:
    rows = session.scalars(select(OutboxMail.attachments)
                           .where(OutboxMail.booking_id == booking_id, OutboxMail.kind.in_(ICS_KINDS))).all()
    return sum(1 for attachments in rows if attachments)


def queue_booking_mail(session: Session, settings: Settings, booking: Booking, kind: str) -> Optional[OutboxMail]:
    """Queue the client's mail of ``kind`` (received, confirmed, declined, cancelled, rescheduled)."""
    conversation = booking_conversation(session, booking)
    lang = compose.language(booking.client.language, conversation.language)
    context = compose.booking_context(settings, session, booking, lang)
    attachments: list[dict[str, str]] = []
    sent = _ics_sent(session, booking.id)
    if kind == "confirmed" or (kind == "rescheduled" and booking.status == "confirmed"):
        attachments.append(_invite(session, settings, booking, "REQUEST", sent, context["portal"]))
    elif kind == "cancelled" and sent:
        attachments.append(_invite(session, settings, booking, "CANCEL", sent, context["portal"]))
    if kind == "rescheduled":
        context["old_when"] = _previous_start(session, booking, lang)
        context["has_ics"] = bool(attachments)
    if kind in ("declined", "cancelled"):
        context["reason"] = ""
    rendered = compose.render(kind, lang, links=compose.portal_links(context), **context)
    return compose.queue_to_conversation(session, settings, conversation, compose.Outgoing(
        kind=kind, rendered=rendered, booking_id=booking.id, attachments=attachments))


def _previous_start(session: Session, booking: Booking, lang: str) -> str:
    """The start before this move, from the audit entry the reschedule wrote in this transaction."""
    entry = session.scalars(select(AuditEntry).where(AuditEntry.entity == "booking",
                                                     AuditEntry.entity_id == str(booking.id),
                                                     AuditEntry.action == "booking.reschedule")
                            .order_by(AuditEntry.id.desc()).limit(1)).first()
    try:
        old = datetime.fromisoformat(entry.details["old"]) if entry else None
    except (KeyError, TypeError, ValueError):
        old = None
    return compose.format_when(old, compose.get_studio(session).timezone, lang) if old else ""


def _invite(session: Session, settings: Settings, booking: Booking, method: str, sequence: int,
            url: str) -> dict[str, str]:
    studio = compose.get_studio(session)
    content = booking_ics(booking, studio, domain=settings.mail_domain, method=method, sequence=sequence,
                          stamp=utcnow(), url=url)
    name = "cancel.ics" if method == "CANCEL" else "invite.ics"
    return {"filename": name, "content_type": f"text/calendar; method={method}", "content": content}
