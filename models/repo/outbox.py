"""Queue an outgoing mail as an ``outbox`` row inside the caller's transaction.

The row is the mail: the sender (mailroom/outbox.py) only delivers what is here. Its Message-ID is
fixed now, so a retry after a crash is the same mail to the recipient's server and mail program.
Recipients always come from the database (client rows, conversations), never from model output.
"""
from __future__ import annotations

import uuid
from typing import Any, Mapping, Optional, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..messaging import OutboxMail

MARKER_HEADER = "X-Studiobook"


def make_message_id(domain: str) -> str:
    return f"<{uuid.uuid4().hex}@{domain}>"


def queue_mail(session: Session, *, domain: str, to_addr: str, subject: str, body_text: str,
               body_html: Optional[str] = None, kind: str = "reply", from_addr: Optional[str] = None,
               reply_to: Optional[str] = None, in_reply_to: Optional[str] = None,
               references: Optional[Sequence[str]] = None, attachments: Sequence[Mapping[str, Any]] = (),
               booking_id: Optional[int] = None, conversation_id: Optional[str] = None,
               dedupe_key: Optional[str] = None, auto_reply: bool = True,
               extra_headers: Optional[Mapping[str, str]] = None) -> Optional[OutboxMail]:
    """Add one mail to the outbox; returns None if ``dedupe_key`` was already queued (idempotent)."""
    if dedupe_key and session.scalar(select(OutboxMail.id).where(OutboxMail.dedupe_key == dedupe_key)):
        return None
    headers = {
        # RFC 3834: answers to a client are auto-replied, notices we start are auto-generated.
        "Auto-Submitted": "auto-replied" if auto_reply else "auto-generated",
        "X-Auto-Response-Suppress": "All",
        MARKER_HEADER: kind,
    }
    headers.update(extra_headers or {})
    refs = " ".join(r for r in (references or ()) if r)
    mail = OutboxMail(
        message_id=make_message_id(domain), dedupe_key=dedupe_key, kind=kind, to_addr=to_addr,
        from_addr=from_addr or f"book@{domain}", reply_to=reply_to, subject=subject[:400], body_text=body_text,
        body_html=body_html, in_reply_to=in_reply_to, references=refs or None, headers=headers,
        attachments=[dict(a) for a in attachments], booking_id=booking_id, conversation_id=conversation_id,
    )
    session.add(mail)
    session.flush()
    return mail
