"""Which conversation an inbound mail belongs to, and whether its sender is proven.

Why this order: ``In-Reply-To``/``References`` name the exact mail being answered (ours or the
client's), so they win; a reply token in a recipient address (``book+<token>@domain``) survives mail
programs that drop those headers; the sender's recent open thread with the same subject catches a
client who writes "Re:" by hand. Anything else starts a new email conversation. A From header alone
never proves who wrote: only the thread's secret reply address or a DKIM pass stamped by our own
server (``Authentication-Results`` with our authserv-id) does.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterable, Optional, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from mailroom.addresses import reply_token
from mailroom.parsing import ParsedMail
from models import Client, Conversation, Message

#: How long a sender's open thread is continued by subject alone.
RECENT_THREAD = timedelta(days=14)

_PREFIX_RE = re.compile(r"^\s*(?:(?:re|aw|sv|vs|antw|antwort|r|rif|ref|odp|res|wg|fw|fwd|tr|rv|enc)"
                        r"(?:\s*\[\d+\]|\s*\(\d+\))?\s*[:：]\s*)+", re.IGNORECASE)
_REPLY_PREFIX_RE = re.compile(r"^\s*(?:(?:re|aw|sv|vs|antw|antwort|r|rif|ref|odp|res)"
                              r"(?:\s*\[\d+\]|\s*\(\d+\))?\s*[:：]\s*)+", re.IGNORECASE)


def base_subject(subject: str) -> str:
    """The subject without reply/forward prefixes ("Re: AW: Fwd: x" -> "x")."""
    s = " ".join((subject or "").split())
    while True:
        stripped = _PREFIX_RE.sub("", s, count=1)
        if stripped == s:
            return s
        s = stripped


def subject_family(subject: str) -> str:
    """A key under which "Re: Portrait session?" and "portrait  session?" are the same thread."""
    return base_subject(subject).casefold()


def reply_subject(subject: str) -> str:
    """"Re: " + the subject without its reply prefixes: never "Re: Re:" (forward prefixes are kept)."""
    s = " ".join((subject or "").split())
    s = _REPLY_PREFIX_RE.sub("", s).strip()
    return f"Re: {s}" if s else "Re: your message"


def bracket(message_id: str) -> str:
    """Message-IDs are stored the RFC 5322 way, with angle brackets (the parser returns them bare)."""
    mid = message_id.strip()
    return mid if mid.startswith("<") else f"<{mid}>"


@dataclass(frozen=True)
class Thread:
    conversation: Conversation
    how: str  # references, token, sender, new
    #: The mail arrived on this conversation's secret reply address.
    via_token: bool


def find_thread(session: Session, parsed: ParsedMail, sender: str, recipients: Iterable[str], domain: str,
                now: datetime) -> Thread:
    """The conversation this mail continues, or a new email conversation (added to the session)."""
    tokens = {t for t in (reply_token(a, domain) for a in recipients) if t}
    by_token = None
    if tokens:
        by_token = session.scalars(select(Conversation).where(Conversation.reply_token.in_(tokens))).first()
    by_refs = _by_references(session, parsed)
    # A thread is continued only by its own correspondent: a stranger quoting a Message-ID or writing
    # to a forwarded reply address starts a thread of their own and learns nothing of the other.
    by_token = by_token if by_token is not None and by_token.email == sender else None
    by_refs = by_refs if by_refs is not None and by_refs.email == sender else None
    if by_refs is not None:
        return Thread(by_refs, "references", by_token is not None and by_token.id == by_refs.id)
    if by_token is not None:
        return Thread(by_token, "token", True)
    recent = _recent_thread(session, sender, parsed.subject, now)
    if recent is not None:
        return Thread(recent, "sender", False)
    client = session.scalars(select(Client).where(Client.email == sender)).first()
    conversation = Conversation(channel="email", email=sender, subject=base_subject(parsed.subject)[:400],
                                client_id=client.id if client else None,
                                language=client.language if client else "en", status="open")
    session.add(conversation)
    session.flush()
    return Thread(conversation, "new", False)


def _by_references(session: Session, parsed: ParsedMail) -> Optional[Conversation]:
    ids = [bracket(i) for i in reversed([*parsed.references, *parsed.in_reply_to]) if i]
    if not ids:
        return None
    rows = session.execute(select(Message.mail_message_id, Message.conversation_id)
                           .where(Message.mail_message_id.in_(ids[:100]))).all()
    found = {mid: conv for mid, conv in rows}
    for mid in dict.fromkeys(ids):  # the most recent reference that we know wins
        if mid in found:
            return session.get(Conversation, found[mid])
    return None


def _recent_thread(session: Session, sender: str, subject: str, now: datetime) -> Optional[Conversation]:
    family = subject_family(subject)
    if not family:
        return None
    candidates = session.scalars(
        select(Conversation).where(Conversation.channel == "email", Conversation.email == sender,
                                   Conversation.status != "closed",
                                   Conversation.last_message_at >= now - RECENT_THREAD)
        .order_by(Conversation.last_message_at.desc()).limit(5)).all()
    for conversation in candidates:
        if subject_family(conversation.subject) == family:
            return conversation
    return None


def dkim_verified(auth_results: Sequence[str], domain: str, sender: str) -> bool:
    """A DKIM pass for the sender's domain stamped by our own server (authserv-id == our mail domain).

    Headers added by anyone else (a forger can write any Authentication-Results) are ignored because
    their authserv-id is not ours; an inbound MTA in front of us removes forged ones with our id.
    """
    sender_domain = sender.rpartition("@")[2].lower()
    for value in auth_results:
        authserv, _, rest = value.partition(";")
        words = authserv.split()  # "authserv-id [version]"
        if not words or words[0].lower().rstrip(".") != domain.lower().rstrip("."):
            continue
        for clause in rest.split(";"):
            m = re.match(r"\s*dkim\s*=\s*pass\b(.*)", clause, re.IGNORECASE | re.DOTALL)
            if not m:
                continue
            d = re.search(r"header\.[di]\s*=\s*@?([A-Za-z0-9.-]+)", m.group(1))
            if d and (sender_domain == d.group(1).lower() or sender_domain.endswith("." + d.group(1).lower())):
                return True
    return False
