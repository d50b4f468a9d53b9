"""The approvals queue: pending bookings and conversations the assistant handed over to the owner.

Approve and decline call ``set_status`` only; the mailroom's ``on_booking_event`` hook queues the
client's mail in the same transaction, and the repository writes the audit entry. "Propose another
time" checks the proposed time against the rules, then queues a mail (with the client's portal link,
so one click moves the booking) and audits the proposal. Hand-overs get a threaded reply by mail
and a "handled" mark, both audited.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from quart import Blueprint, flash, redirect, request
from sqlalchemy import select

from models import AuditEntry, Booking, ContactEvent, Conversation, Message
from models.repo import bookings as repo
from models.repo.errors import InvalidInput, NotFound, RepoError
from models.repo.outbox import queue_mail
from studiobook.links import portal_url

from ..context import ctx
from ..pages import actor, admin_page, render, studio_info
from . import forms
from .bookings import rule_violations

bp = Blueprint("console_approvals", __name__)


def _queue() -> dict[str, Any]:
    with ctx().db.read() as s:
        pending = s.scalars(select(Booking).where(Booking.status == "pending")
                            .order_by(Booking.start_at)).unique().all()
        ids = [str(b.id) for b in pending]
        proposals: dict[int, AuditEntry] = {}
        if ids:
            for entry in s.scalars(select(AuditEntry).where(AuditEntry.action == "booking.propose",
                                                            AuditEntry.entity_id.in_(ids)).order_by(AuditEntry.id)):
                proposals[int(entry.entity_id or 0)] = entry
        handed = s.scalars(select(Conversation).where(Conversation.status == "handed_over")
                           .order_by(Conversation.last_message_at)).all()
        convo_ids = [c.id for c in handed]
        recent: dict[str, list[Message]] = {c: [] for c in convo_ids}
        if convo_ids:
            for m in s.scalars(select(Message).where(Message.conversation_id.in_(convo_ids)).order_by(Message.id)):
                recent[m.conversation_id].append(m)
        return {"pending": pending, "proposals": proposals, "handed": handed,
                "recent": {k: v[-4:] for k, v in recent.items()}}


@bp.get("/admin/approvals")
@admin_page
async def index() -> Any:
    data = await ctx().run(_queue)
    return await render("console/approvals.html", section="approvals", page_title="Approvals", **data)


async def _set(booking_id: int, status: str, reason: str = "") -> Optional[str]:
    try:
        await ctx().run(repo.set_status, ctx().db, booking_id, status, actor=await actor(), reason=reason)
    except NotFound:
        raise
    except RepoError as exc:
        return exc.message
    return None


@bp.post("/admin/approvals/<int:booking_id>/approve")
@admin_page
async def approve(booking_id: int) -> Any:
    error = await _set(booking_id, "confirmed")
    await flash(error or "Approved. The client gets a confirmation by email.", "error" if error else "success")
    return redirect("/admin/approvals", 303)


@bp.post("/admin/approvals/<int:booking_id>/decline")
@admin_page
async def decline(booking_id: int) -> Any:
    form = await request.form
    reason = (form.get("reason") or "").strip()[:300]
    error = await _set(booking_id, "declined", reason)
    await flash(error or "Declined. The client is told by email.", "error" if error else "success")
    return redirect("/admin/approvals", 303)


def _propose(booking_id: int, when: datetime, message: str, who: str) -> None:
    """Queue the proposal mail and audit it, in one transaction."""
    settings = ctx().settings
    with ctx().db.write() as s:
        booking = repo.get_booking(s, booking_id)
        if booking.status != "pending":
            raise InvalidInput(f"This booking is already {booking.status.replace('_', ' ')}.", "status")
        client = booking.client
        tz = when.tzinfo
        asked = booking.start_at.astimezone(tz)
        link = portal_url(settings, booking.id, client.email)
        when_text = f"{when:%A} {when.day} {when:%B %Y} at {when.hour}:{when.minute:02d}"
        body = (f"Hello {client.name or 'there'},\n\n"
                f"Thank you for your request for a {booking.service.title} on {asked:%A} {asked.day} {asked:%B} "
                f"at {asked.hour}:{asked.minute:02d}. That time does not work for us, but we could do "
                f"{when_text} instead.\n\n"
                + (f"{message.strip()}\n\n" if message.strip() else "")
                + f"If that suits you, choose it here (you can also pick another free time):\n{link}\n\n"
                  f"Or simply reply to this email.\n\n{booking.service.title} · {settings.mail_domain}\n")
        conversation = s.get(Conversation, booking.conversation_id) if booking.conversation_id else None
        reply_to = f"book+{conversation.reply_token}@{settings.mail_domain}" if conversation else None
        mail = queue_mail(s, domain=settings.mail_domain, to_addr=client.email,
                          subject=f"Another time for your {booking.service.title}?", body_text=body,
                          kind="proposal", reply_to=reply_to, booking_id=booking.id,
                          conversation_id=conversation.id if conversation else None, auto_reply=False)
        if conversation is not None and mail is not None:
            s.add(Message(conversation_id=conversation.id, direction="out", channel="email", sender=mail.from_addr,
                          body=body, mail_message_id=mail.message_id, meta={"kind": "proposal"}))
        s.add(ContactEvent(client_id=client.id, kind="mail", direction="out", booking_id=booking.id,
                           summary=f"Proposed another time: {when_text}"))
        repo.audit(s, who, "booking.propose", "booking", booking.id, proposed=when.isoformat(), message=message[:500])


@bp.post("/admin/approvals/<int:booking_id>/propose")
@admin_page
async def propose(booking_id: int) -> Any:
    form = await request.form
    info = await studio_info()
    try:
        when = forms.local_datetime(form, "date", "time", info.tz)
        message = forms.text(form, "message", "The message", max_len=2000)
    except forms.FormError as exc:
        await flash(exc.message, "error")
        return redirect("/admin/approvals", 303)
    violations = await ctx().run(rule_violations, booking_id, when, ctx().now())
    if violations:
        await flash("That time cannot be offered: " + "; ".join(v.rstrip(".") for v in violations) + ".", "error")
        return redirect("/admin/approvals", 303)
    try:
        await ctx().run(_propose, booking_id, when, message, await actor())
    except NotFound:
        raise
    except RepoError as exc:
        await flash(exc.message, "error")
        return redirect("/admin/approvals", 303)
    await flash(f"Proposal sent: {when:%A} {when.day} {when:%B}, {when.hour}:{when.minute:02d}. "
                "The booking stays pending until the client answers.", "success")
    return redirect("/admin/approvals", 303)


# ---- hand-overs ------------------------------------------------------------------------------------
def _reply(conversation_id: str, text: str, who: str) -> None:
    settings = ctx().settings
    with ctx().db.write() as s:
        conversation = s.get(Conversation, conversation_id)
        if conversation is None:
            raise NotFound("That conversation does not exist.")
        if not conversation.email:
            raise InvalidInput("This chat has no email address, so a reply cannot reach the client. "
                               "Call them or wait until they write again.", "message")
        refs = [m for m in s.scalars(select(Message.mail_message_id).where(
            Message.conversation_id == conversation.id, Message.mail_message_id.is_not(None)).order_by(Message.id))]
        subject = conversation.subject or "Your enquiry"
        mail = queue_mail(s, domain=settings.mail_domain, to_addr=conversation.email,
                          subject=subject if subject.lower().startswith("re:") else f"Re: {subject}",
                          body_text=text, kind="owner_reply",
                          reply_to=f"book+{conversation.reply_token}@{settings.mail_domain}",
                          in_reply_to=refs[-1] if refs else None, references=refs[-10:],
                          conversation_id=conversation.id, auto_reply=False)
        s.add(Message(conversation_id=conversation.id, direction="out", channel="email",
                      sender=mail.from_addr if mail else settings.book_address, body=text,
                      mail_message_id=mail.message_id if mail else None, meta={"kind": "owner_reply"}))
        if conversation.client_id:
            s.add(ContactEvent(client_id=conversation.client_id, kind="mail", direction="out",
                               summary=f"Owner replied: {text[:120]}"))
        repo.audit(s, who, "conversation.reply", "conversation", conversation.id)


def _handled(conversation_id: str, who: str) -> None:
    with ctx().db.write() as s:
        conversation = s.get(Conversation, conversation_id)
        if conversation is None:
            raise NotFound("That conversation does not exist.")
        conversation.status = "closed"
        repo.audit(s, who, "conversation.handled", "conversation", conversation.id)


@bp.post("/admin/approvals/conversations/<conversation_id>/reply")
@admin_page
async def reply(conversation_id: str) -> Any:
    form = await request.form
    try:
        text = forms.text(form, "message", "The reply", required=True, max_len=5000)
        await ctx().run(_reply, conversation_id, text, await actor())
    except NotFound:
        raise
    except RepoError as exc:
        await flash(exc.message, "error")
        return redirect("/admin/approvals", 303)
    await flash("Reply queued; it goes out with the next outbox run.", "success")
    return redirect("/admin/approvals", 303)


@bp.post("/admin/approvals/conversations/<conversation_id>/handled")
@admin_page
async def handled(conversation_id: str) -> Any:
    await ctx().run(_handled, conversation_id, await actor())
    await flash("Marked as handled.", "success")
    return redirect("/admin/approvals", 303)
