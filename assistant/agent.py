"""The client assistant's one entry point, shared by chat (``POST /api/chat``) and email (mailroom).

``handle_message`` stores the client's message, reads it with the extractors, lets the dialogue
policy choose and run the next tool (all booking changes through ``models.repo.bookings``), stores
the reply and the conversation's state. It is synchronous (called from a worker thread) and never
raises for anything a client can send: a failure becomes a polite reply and a log line, and the
conversation's state is left as it was.
"""
from __future__ import annotations

import logging
import os
import threading
import time as _time
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Optional

from sqlalchemy import select

from models import Booking, Conversation, Database, Message, utcnow
from models.repo.catalog import NoStudio
from studiobook.config import Settings

from .dialogue import answers, policy, tools
from .dialogue.booking_flow import Who
from .dialogue.fields import extract_fields
from .dialogue.replies import ReplyBuilder
from .dialogue.safety import scrub_reply
from .dialogue.state import DialogueState
from .dialogue.understand import MAX_TEXT, choose_language, understand

log = logging.getLogger("studiobook.assistant")


@dataclass
class AgentReply:
    conversation_id: str
    text: str                 # plain text reply (chat reply / mail body without greeting wrapper)
    html: Optional[str] = None
    booking: Optional[dict[str, Any]] = None  # CONTRACT chat shape of the booking this conversation made/changed
    handover: bool = False
    language: str = "en"
    reply_message_id: Optional[int] = None    # the stored outgoing Message (the mailroom may add its Message-ID)


# -- the model: optional, loaded once, never required ------------------------------------------------

def llm_disabled(settings: Settings) -> bool:
    flag = os.environ.get("STUDIOBOOK_LLM", "").strip().lower()
    return flag in ("off", "0", "false", "no", "none") or (settings.model or "").strip().lower() in ("", "none", "off")


def get_model(settings: Settings) -> Any:
    """The process-wide LocalLLM for ``settings.model``, or None (disabled, missing, unloadable)."""
    if llm_disabled(settings):
        return None
    from .llm import get_llm

    return get_llm(settings.model)


_ready: dict[str, Any] = {}
_loading: set[str] = set()
_ready_lock = threading.Lock()


def warm_model(settings: Settings) -> None:
    """Start loading the model in the background (once); ``ready_model`` returns it when it is there."""
    if llm_disabled(settings):
        return
    path = settings.model
    with _ready_lock:
        if path in _ready or path in _loading:
            return
        _loading.add(path)

    def load() -> None:
        model = get_model(settings)
        if model is not None:
            from .dialogue.answers import prime_llm

            try:
                prime_llm(model)
            except Exception:  # priming is an optimisation; the rules answer regardless
                log.exception("priming the model failed")
        with _ready_lock:
            _ready[path] = model
            _loading.discard(path)

    threading.Thread(target=load, name="llm-load", daemon=True).start()


def ready_model(settings: Settings) -> Any:
    """The model if it is loaded already, else None (and loading starts): a turn never waits seconds
    for a model load; the rules answer meanwhile."""
    if llm_disabled(settings):
        return None
    with _ready_lock:
        if settings.model in _ready:
            return _ready[settings.model]
    warm_model(settings)
    return None


def _polish_llm(settings: Settings) -> Any:
    from .llm import default_model_path
    from .polish import polish_enabled

    try:
        default = default_model_path()
    except Exception:
        default = None
    return ready_model(settings) if polish_enabled(settings.model, default) else None


# -- storage -----------------------------------------------------------------------------------------

def _open_conversation(db: Database, *, channel: str, conversation_id: Optional[str], text: str,
                       sender_email: Optional[str], inbound_mail_id: Optional[int],
                       mail_message_id: Optional[str]) -> tuple[str, DialogueState, Optional[str], bool]:
    """Find (or start) the conversation and store the inbound message, in one transaction.

    Returns (id, state, the conversation's email, whether the caller had stored the message already).
    The mailroom stores each mail as a Message when it threads it (with its spool id and Message-ID)
    and the reply when it queues it; storing them here again would show every mail twice, so a
    just-stored identical inbound message means "the caller keeps the transcript".
    """
    with db.write() as session:
        conv = session.get(Conversation, conversation_id) if conversation_id else None
        if conv is not None and conv.channel != channel:
            conv = None  # a chat may not continue an email thread (or the reverse): start afresh
        if conv is None:
            conv = Conversation(channel=channel, email=(sender_email or "").lower() or None)
            session.add(conv)
            session.flush()
        caller_stored = False
        if channel == "email" and inbound_mail_id is None:
            last = session.scalars(select(Message).where(Message.conversation_id == conv.id)
                                   .order_by(Message.id.desc()).limit(1)).first()
            caller_stored = last is not None and last.direction == "in" and last.body.strip() == text.strip()
        if not caller_stored:
            session.add(Message(conversation_id=conv.id, direction="in", channel=channel,
                                sender=(sender_email or "")[:320], body=text, inbound_mail_id=inbound_mail_id,
                                mail_message_id=mail_message_id))
        conv.last_message_at = utcnow()
        return conv.id, DialogueState.from_json(conv.state), conv.email, caller_stored


def _save(db: Database, settings: Settings, conversation_id: str, st: Optional[DialogueState], text: str,
          meta: dict[str, Any], channel: str, store_reply: bool = True) -> Optional[int]:
    with db.write() as session:
        conv = session.get(Conversation, conversation_id)
        assert conv is not None
        if st is not None:
            conv.state = st.to_json()
            conv.language = st.language
            if st.handed_over:
                conv.status = "handed_over"
            if channel == "chat" and st.email and not conv.email:
                conv.email = st.email
            if conv.client_id is None and st.booking_id:  # the console shows whose conversation it is
                booking = session.get(Booking, st.booking_id)
                conv.client_id = booking.client_id if booking is not None else None
        if not store_reply:
            last_in = session.scalars(select(Message).where(Message.conversation_id == conversation_id,
                                                            Message.direction == "in")
                                      .order_by(Message.id.desc()).limit(1)).first()
            if last_in is not None:  # keep what the assistant understood next to the caller's copy
                last_in.meta = {**(last_in.meta or {}), "assistant": meta}
            return None
        message = Message(conversation_id=conversation_id, direction="out", channel=channel,
                          sender=settings.book_address, body=text, meta=meta)
        session.add(message)
        session.flush()
        return message.id


# -- the turn ----------------------------------------------------------------------------------------

def handle_message(db: Database, settings: Settings, *, channel: str, text: str, conversation_id: Optional[str],
                   sender_email: Optional[str] = None, sender_name: Optional[str] = None,
                   verified_sender: bool = False, now: Optional[datetime] = None,
                   inbound_mail_id: Optional[int] = None, mail_message_id: Optional[str] = None) -> AgentReply:
    started = _time.perf_counter()
    channel = "email" if channel == "email" else "chat"
    text = (text or "")[:MAX_TEXT]
    now = now or settings.current_time()
    sender_email = (sender_email or "").strip().lower() or None
    conv_id, st, conv_email, caller_stored = _open_conversation(
        db, channel=channel, conversation_id=conversation_id, text=text, sender_email=sender_email,
        inbound_mail_id=inbound_mail_id, mail_message_id=mail_message_id)
    if channel == "email" and not sender_email:
        sender_email = conv_email
    who = Who(channel=channel, sender_email=sender_email, sender_name=(sender_name or "").strip() or None,
              verified_sender=bool(verified_sender))
    try:
        env = tools.open_env(db, settings, now, conv_id, channel)
        reply_text, outcome_meta, booking, handover = _turn(env, settings, st, who, text)
        saved_state: Optional[DialogueState] = st
    except NoStudio:
        reply_text, outcome_meta, booking, handover = (
            "The studio is not set up yet; please try again later.", {"error": "no studio"}, None, False)
        saved_state = None
    except Exception:  # never a 500 for a client message; the state stays as it was
        log.exception("assistant turn failed (conversation %s)", conv_id)
        lang = st.language or "en"
        reply_text = ReplyBuilder(lang).say("clarify").text()
        outcome_meta, booking, handover, saved_state = {"error": "turn failed"}, None, False, None
    outcome_meta["ms"] = round((_time.perf_counter() - started) * 1000)
    message_id = _save(db, settings, conv_id, saved_state, reply_text, outcome_meta, channel,
                       store_reply=not caller_stored)
    return AgentReply(conversation_id=conv_id, text=reply_text, booking=booking, handover=handover,
                      language=st.language or "en", reply_message_id=message_id)


def _turn(env: tools.Env, settings: Settings, st: DialogueState, who: Who, text: str
          ) -> tuple[str, dict[str, Any], Optional[dict[str, Any]], bool]:
    st.language = choose_language(st.language if st.turns else None, text)
    services = tools.active_services(env)
    studio = env.catalog.studio
    turn = understand(text, st.language, env.now, env.catalog.rules.timezone, services, env.catalog.addons,
                      owner_names=tuple(n for n in (studio.owner,) if n), own_name=st.name or who.sender_name)
    slug = (turn.services[0] if turn.services else None) or st.service
    if slug in env.catalog.services:
        svc = env.catalog.services[slug]
        asked = st.asked[6:] if st.asked and st.asked.startswith("field:") else None
        if (turn.reply is not None or turn.intents - {"greeting", "thanks"} or not turn.when.is_empty
                or turn.ordinal is not None or (turn.services and turn.services[0] != st.service)):
            asked = None  # "Yes, book it" answers the summary, it is not a business name
        missing = next((f.name for f in svc.fields if f.required and f.type == "text" and f.name not in st.fields),
                       None)
        turn.fields = extract_fields(text, svc.fields, asked, missing)
    llm = None
    if not (turn.intents or turn.has_booking_info or turn.email or turn.code or turn.reply or st.awaiting
            or turn.fields or turn.name or turn.phone):
        llm = ready_model(settings)  # only for messages no rule could read
    elif "recommend" in turn.intents:
        llm = None  # rules rank; a bigger configured model may reorder close candidates
        if not llm_disabled(settings) and settings.model:
            from .llm import default_model_path

            if settings.model != default_model_path():
                llm = ready_model(settings)
    outcome = policy.respond(env, st, turn, who, llm)
    if outcome.progress:
        st.no_progress = 0
    else:
        st.no_progress += 1
        if st.no_progress >= policy.STUCK_TURNS and not st.handed_over:
            answers.handover(env, st, turn, outcome.out, "the assistant is stuck")
            outcome.handover = True
    reply = outcome.out.text()
    polished = False
    if policy.polishable(outcome):
        polisher = _polish_llm(settings)
        if polisher is not None:
            from .polish import polish

            reply, polished = polish(reply, polisher, outcome.out.facts)
    allowed_emails = {studio.email, settings.book_address, st.email, who.sender_email}
    reply = scrub_reply(reply, allowed_emails=[e for e in allowed_emails if e], allowed_urls=[settings.base_url],
                        allowed_phones=[p for p in (studio.phone, st.phone) if p])
    booking = tools.booking_payload(env, st.booking_id) if st.booking_id else None
    meta = {"keys": outcome.out.keys, "polished": polished, "intents": sorted(turn.intents),
            "booking_id": outcome.booking_id}
    return reply, meta, booking, outcome.handover
