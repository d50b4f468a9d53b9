"""Process each stored inbound mail exactly once, by its spool id.

Why it is split in two transactions around the assistant: the assistant may take seconds and makes its
own changes through the repositories, so it cannot run inside ours. Stage one (``stage``) parses the
stored bytes, drops re-deliveries (Message-ID *and* sender *and* body hash — a sender picks its
Message-ID, so a forged one must not suppress a real mail), stores machine mail as ignored (never
answered), threads the mail into a conversation and records it as a message with its attachments.
Stage two (``finish``) queues the reply and marks the mail processed in one transaction, guarded by
``status = 'new'``, so the reply exists exactly when the mail counts as processed. A crash between the
two leaves the mail "new" with its message stored; after a restart stage one recognises that and the
mail is answered once. Rows are only ever read by id and status, so a restart picks up where it was.
"""
from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable, Optional

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from mailroom import compose
from mailroom.addresses import is_for_domain
from mailroom.assistant_hook import AgentAnswer, ask_assistant
from mailroom.attachments import SavedFiles, save_attachments
from mailroom.loop import pause
from mailroom.machine import classify, is_our_own
from mailroom.parsing import ParsedMail, parse_message
from mailroom.quotes import new_text
from mailroom.spool import read_raw
from mailroom.threads import bracket, dkim_verified, find_thread, reply_subject
from models import Booking, Client, ContactEvent, Conversation, Database, InboundMail, Message, OutboxMail
from models.repo.bookings import notify
from studiobook.config import Settings
from studiobook.links import portal_url

log = logging.getLogger("studiobook.mail.processor")

#: Automatic answers per sender and hour; past it the thread goes to the owner (loops, abuse).
#: Machine-mail detection and our own Message-IDs stop loops first; this is the last line, so it is set
#: where a real client writing back and forth about several bookings never reaches it.
AUTO_ANSWERS_PER_HOUR = 20
#: Stage-one attempts before an unexpected error marks the mail failed for the owner to look at.
MAX_ATTEMPTS = 3
POLL_SECONDS = 5.0


def _now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class Pending:
    """A stored client mail waiting for the assistant's answer."""

    mail_id: int
    conversation_id: str
    text: str
    sender: str
    sender_name: str
    verified: bool
    subject: str
    message_id: Optional[str]
    references: tuple[str, ...]


class _AlreadyDone(Exception):
    """Another worker finished this mail first; our transaction is rolled back."""


# ---- stage one ------------------------------------------------------------------------------

def stage(settings: Settings, db: Database, mail_id: int) -> Optional[Pending]:
    """Parse, dedupe, classify, thread and store one mail; a ``Pending`` if the assistant should answer."""
    with db.read() as session:
        mail = session.get(InboundMail, mail_id)
        if mail is None or mail.status != "new":
            return None
    try:
        raw = read_raw(settings, mail)
    except OSError as exc:
        _mark(db, mail_id, "failed", error=f"the stored message file cannot be read: {exc.strerror or exc}")
        return None
    parsed = parse_message(raw)
    text = new_text(parsed)
    saved: Optional[SavedFiles] = None
    try:
        with db.write() as session:
            mail = session.get(InboundMail, mail_id)
            if mail is None or mail.status != "new":
                return None
            _fill(mail, parsed)
            stored = session.scalars(select(Message).where(Message.inbound_mail_id == mail_id)).first()
            if stored is not None:  # staged before a crash: answer it now, once
                return _pending(mail, stored, parsed)
            if _skip(session, settings, mail, parsed):
                return None
            thread = find_thread(session, parsed, mail.sender, [*mail.envelope_to, *parsed.to_addrs,
                                                                *parsed.cc_addrs], settings.mail_domain, _now())
            conversation = thread.conversation
            _link_client(session, conversation)
            saved = save_attachments(session, settings, parsed.attachments, client_id=conversation.client_id,
                                     conversation_id=conversation.id, inbound_mail_id=mail_id)
            verified = thread.via_token or dkim_verified(parsed.auth_results, settings.mail_domain, mail.sender)
            message = _store_message(session, mail, parsed, text, conversation, saved, verified)
            if not _may_answer(session, settings, mail, conversation):
                return None
            return _pending(mail, message, parsed)
    except BaseException:
        if saved is not None:
            saved.discard()
        raise


def _fill(mail: InboundMail, parsed: ParsedMail) -> None:
    mail.message_id = bracket(parsed.message_id)[:400] if parsed.message_id else None
    mail.sender = (parsed.from_addr or "")[:320]
    mail.body_sha256 = parsed.body_hash
    mail.subject = (parsed.subject or "")[:400]


def _done(mail: InboundMail, status: str, verdict: str = "", error: str = "") -> None:
    mail.status = status
    mail.verdict = verdict[:200]
    mail.error = error
    mail.processed_at = _now()


def _skip(session: Session, settings: Settings, mail: InboundMail, parsed: ParsedMail) -> bool:
    """Re-deliveries, machine mail, our own mail and mail without a usable sender: stored, never answered."""
    if mail.message_id:
        first = session.scalar(select(InboundMail.id).where(
            InboundMail.id < mail.id, InboundMail.message_id == mail.message_id,
            InboundMail.sender == mail.sender, InboundMail.body_sha256 == mail.body_sha256,
            InboundMail.status.in_(("new", "processed", "ignored"))).order_by(InboundMail.id).limit(1))
        if first is not None:
            _done(mail, "duplicate", f"re-delivery of mail {first}")
            return True
    envelope_from = None if mail.source == "imap" else mail.envelope_from
    domain = settings.mail_domain
    if is_our_own(parsed, domain):
        _done(mail, "ignored", "our own mail came back (loop)")
        return True
    verdict = classify(parsed, envelope_from, our_domain=domain)
    if verdict.is_machine:
        _done(mail, "ignored", f"{verdict.kind}: {'; '.join(verdict.reasons)}")
        return True
    if not mail.sender:
        _done(mail, "ignored", "no usable From address")
        notify(session, "mail_unreadable", "A mail without a usable sender address arrived",
               body=f"Subject: {mail.subject or '(none)'}. It was stored but not answered.",
               dedupe_key=f"mail-nosender:{mail.id}")
        return True
    if is_for_domain(mail.sender, domain):
        _done(mail, "ignored", "From address at our own domain (loop or forgery)")
        return True
    return False


def _link_client(session: Session, conversation: Conversation) -> None:
    """A thread started before its sender became a client belongs to the client now."""
    if conversation.client_id is None and conversation.email:
        conversation.client_id = session.scalar(select(Client.id).where(Client.email == conversation.email))


def _store_message(session: Session, mail: InboundMail, parsed: ParsedMail, text: str,
                   conversation: Conversation, saved: SavedFiles, verified: bool) -> Message:
    meta = {"subject": mail.subject, "verified": verified, "files": saved.file_ids,
            "skipped_files": saved.skipped, "from_name": parsed.from_name or ""}
    message = Message(conversation_id=conversation.id, direction="in", channel="email", sender=mail.sender,
                      body=text, mail_message_id=mail.message_id, inbound_mail_id=mail.id, meta=meta)
    session.add(message)
    session.flush()
    if conversation.client_id is not None:
        session.add(ContactEvent(client_id=conversation.client_id, kind="mail", direction="in",
                                 message_id=message.id, summary=(mail.subject or "(no subject)")[:200]))
    if conversation.status == "closed":
        conversation.status = "open"
    conversation.last_message_at = _now()
    mail.conversation_id = conversation.id
    return message


def _may_answer(session: Session, settings: Settings, mail: InboundMail, conversation: Conversation) -> bool:
    """False (and the mail done, the owner told) when the thread is the owner's or the sender is too chatty."""
    who = _display(mail)
    if conversation.status == "handed_over":
        _done(mail, "processed", "thread handed to the owner")
        notify(session, "new_mail", f"New mail from {who}", body=mail.subject,
               link=compose.conversation_link(conversation.id), dedupe_key=f"mail:{mail.id}")
        return False
    answered = session.scalar(select(func.count()).select_from(OutboxMail).where(
        OutboxMail.to_addr == mail.sender, OutboxMail.kind == "reply",
        OutboxMail.created_at >= _now() - timedelta(hours=1))) or 0
    if answered >= AUTO_ANSWERS_PER_HOUR:
        conversation.status = "handed_over"
        _done(mail, "processed", f"rate limit: {answered} automatic answers in the last hour")
        notify(session, "handover", f"Mail from {who} needs you",
               body=f"More than {AUTO_ANSWERS_PER_HOUR} automatic answers in an hour; the assistant stopped "
                    "answering this thread.", link=compose.conversation_link(conversation.id),
               dedupe_key=f"ratelimit:{conversation.id}:{_now():%Y%m%d%H}")
        return False
    return True


def _display(mail: InboundMail) -> str:
    return mail.sender or "an unknown sender"


def _pending(mail: InboundMail, message: Message, parsed: ParsedMail) -> Pending:
    refs = [bracket(r) for r in parsed.references]
    if mail.message_id and mail.message_id not in refs:
        refs.append(mail.message_id)
    return Pending(mail_id=mail.id, conversation_id=message.conversation_id, text=message.body,
                   sender=mail.sender, sender_name=parsed.from_name or "",
                   verified=bool((message.meta or {}).get("verified")), subject=mail.subject,
                   message_id=mail.message_id, references=tuple(refs[-compose.MAX_REFERENCES:]))


def _mark(db: Database, mail_id: int, status: str, verdict: str = "", error: str = "") -> None:
    """Finish a mail that cannot be answered; failures tell the owner."""
    with db.write() as session:
        mail = session.get(InboundMail, mail_id)
        if mail is None or mail.status != "new":
            return
        _done(mail, status, verdict, error)
        if status == "failed":
            notify(session, "mail_failed", f"A mail from {_display(mail)} could not be processed",
                   body=error[:500], link=compose.conversation_link(mail.conversation_id) if mail.conversation_id else "",
                   dedupe_key=f"mail-failed:{mail_id}")


# ---- stage two ------------------------------------------------------------------------------

def finish(settings: Settings, db: Database, pending: Pending, answer: Optional[AgentAnswer]) -> Optional[int]:
    """Queue the answer (if any) and mark the mail processed, in one transaction; the outbox id or None."""
    try:
        with db.write() as session:
            done = session.execute(update(InboundMail).where(InboundMail.id == pending.mail_id,
                                                             InboundMail.status == "new")
                                   .values(status="processed", processed_at=_now(),
                                           verdict="answered" if answer else "waiting for the owner"))
            if done.rowcount != 1:
                raise _AlreadyDone()
            conversation = session.get(Conversation, pending.conversation_id)
            if conversation is None:  # deleted meanwhile by the owner: nothing to answer into
                return None
            if answer is None:
                conversation.status = "waiting"
                notify(session, "new_mail", f"New mail from {pending.sender}", body=pending.subject,
                       link=compose.conversation_link(conversation.id), dedupe_key=f"mail:{pending.mail_id}")
                return None
            return _queue_answer(session, settings, conversation, pending, answer)
    except _AlreadyDone:
        return None


def _queue_answer(session: Session, settings: Settings, conversation: Conversation, pending: Pending,
                  answer: AgentAnswer) -> Optional[int]:
    conversation.language = compose.language(answer.language, conversation.language)
    if answer.handover:
        conversation.status = "handed_over"
        notify(session, "handover", f"The assistant handed a conversation with {pending.sender} to you",
               body=pending.subject, link=compose.conversation_link(conversation.id),
               dedupe_key=f"handover:{pending.mail_id}")
    elif conversation.status == "waiting":
        conversation.status = "open"
    if not answer.text.strip():
        return None
    lang = compose.language(conversation.language)
    studio = compose.get_studio(session)
    portal = _portal(session, settings, answer, conversation)
    links = {portal: compose.PORTAL_LABEL[lang]} if portal else {}
    text = answer.text.strip()
    rendered = compose.render("reply", lang, subject=reply_subject(pending.subject or conversation.subject),
                              links=links, reply=text, portal=portal if portal not in text else "",
                              portal_label=compose.PORTAL_LABEL[lang], studio=studio.name,
                              studio_phone=studio.phone)
    html = _agent_html(answer, rendered.text, links)
    if html is not None:
        rendered = compose.Rendered(rendered.subject, rendered.text, html)
    booking_id = _booking_id(answer)
    mail = compose.queue_to_conversation(session, settings, conversation, compose.Outgoing(
        kind="reply", rendered=rendered, in_reply_to=pending.message_id,
        references=list(pending.references) or None, booking_id=booking_id if portal else None,
        auto_reply=True))
    return mail.id if mail else None


def _booking_id(answer: AgentAnswer) -> Optional[int]:
    try:
        return int((answer.booking or {}).get("id"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _portal(session: Session, settings: Settings, answer: AgentAnswer, conversation: Conversation) -> str:
    """The signed portal link of the booking the answer is about, only if it is this correspondent's."""
    booking_id = _booking_id(answer)
    booking = session.get(Booking, booking_id) if booking_id is not None else None
    if booking is None or booking.client.email != conversation.email:
        return ""
    return portal_url(settings, booking.id, booking.client.email)


_URL_ATTR_RE = re.compile(r"""(?:href|src|action|background)\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)


def _agent_html(answer: AgentAnswer, text: str, links: dict[str, str]) -> Optional[str]:
    """The agent's own HTML, if every URL in it is one the (fact-checked) text or we ourselves contain."""
    if not answer.html or not answer.html.strip():
        return None
    for url in _URL_ATTR_RE.findall(answer.html):
        if url not in text and url not in links:
            log.warning("agent HTML carries a link that is not in its text; using the text version")
            return None
    return answer.html


# ---- the loop -------------------------------------------------------------------------------

def pending_ids(db: Database, limit: int = 50) -> list[int]:
    with db.read() as session:
        return list(session.scalars(select(InboundMail.id).where(InboundMail.status == "new")
                                    .order_by(InboundMail.id).limit(limit)))


async def process_one(settings: Settings, db: Database, mail_id: int) -> Optional[int]:
    """Stage, ask the assistant, finish; the id of the queued reply, if any. Errors fail the mail, loudly."""
    pending = await asyncio.to_thread(stage, settings, db, mail_id)
    if pending is None:
        return None
    try:
        answer = await ask_assistant(db, settings, text=pending.text, conversation_id=pending.conversation_id,
                                     sender_email=pending.sender, sender_name=pending.sender_name,
                                     verified_sender=pending.verified, now=settings.current_time())
    except Exception as exc:
        log.exception("the assistant failed on mail %s", mail_id)
        await asyncio.to_thread(_assistant_failed, db, pending, exc)
        return None
    return await asyncio.to_thread(finish, settings, db, pending, answer)


def _assistant_failed(db: Database, pending: Pending, exc: Exception) -> None:
    with db.write() as session:
        conversation = session.get(Conversation, pending.conversation_id)
        if conversation is not None:
            conversation.status = "waiting"
    _mark(db, pending.mail_id, "failed", "the assistant could not answer",
          error=f"The assistant could not answer this mail ({type(exc).__name__}); please answer it yourself.")


async def run(settings: Settings, db: Database, stop: asyncio.Event, wake: asyncio.Event,
              on_queued: Optional[Callable[[], None]] = None) -> None:
    """Process new mail until ``stop``; ``wake`` is set by the receivers when something was stored."""
    attempts: dict[int, int] = {}
    while not stop.is_set():
        wake.clear()
        try:
            ids = await asyncio.to_thread(pending_ids, db)
        except Exception:
            log.exception("cannot read the inbound mail queue")
            ids = []
        for mail_id in ids:
            if stop.is_set():
                return
            try:
                if await process_one(settings, db, mail_id) is not None and on_queued is not None:
                    on_queued()
                attempts.pop(mail_id, None)
            except Exception as exc:
                attempts[mail_id] = attempts.get(mail_id, 0) + 1
                log.exception("processing mail %s failed (attempt %s)", mail_id, attempts[mail_id])
                if attempts[mail_id] >= MAX_ATTEMPTS:
                    await _give_up(db, mail_id, exc)
                    attempts.pop(mail_id, None)
        if not ids or attempts:
            await pause(stop, wake, POLL_SECONDS)


async def _give_up(db: Database, mail_id: int, exc: Exception) -> None:
    try:
        await asyncio.to_thread(_mark, db, mail_id, "failed", "processing error",
                                f"Processing failed: {type(exc).__name__}: {exc}"[:2000])
    except Exception:
        log.exception("cannot mark mail %s failed", mail_id)
