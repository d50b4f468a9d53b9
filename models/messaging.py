"""Conversations (chat and mail threads), stored inbound mail, the outbox and notifications."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Optional

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow


def new_id() -> str:
    return uuid.uuid4().hex


class Conversation(Base):
    __tablename__ = "conversations"

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=new_id)
    channel: Mapped[str] = mapped_column(String(10))  # chat, email
    client_id: Mapped[Optional[int]] = mapped_column(ForeignKey("clients.id", ondelete="SET NULL"), nullable=True, index=True)
    #: Secret part of the thread's reply address ``book+<token>@domain``.
    reply_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_id)
    email: Mapped[Optional[str]] = mapped_column(String(320), nullable=True, index=True)
    subject: Mapped[str] = mapped_column(String(400), default="")
    language: Mapped[str] = mapped_column(String(5), default="en")
    status: Mapped[str] = mapped_column(String(20), default="open")  # open, waiting, handed_over, closed
    #: The dialogue manager's slot-filling state (JSON).
    state: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    last_message_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    messages: Mapped[list["Message"]] = relationship(
        back_populates="conversation", cascade="all, delete-orphan", order_by="Message.id"
    )


class Message(Base):
    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    direction: Mapped[str] = mapped_column(String(5))  # in, out
    channel: Mapped[str] = mapped_column(String(10))
    sender: Mapped[str] = mapped_column(String(320), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    #: RFC 5322 Message-ID for mail (ours or the client's), used for threading.
    mail_message_id: Mapped[Optional[str]] = mapped_column(String(400), nullable=True, index=True)
    inbound_mail_id: Mapped[Optional[int]] = mapped_column(ForeignKey("inbound_mail.id", ondelete="SET NULL"), nullable=True)
    meta: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    conversation: Mapped[Conversation] = relationship(back_populates="messages")


class InboundMail(Base):
    """Every received mail, stored raw and durably before it is acknowledged (the spool)."""

    __tablename__ = "inbound_mail"
    __table_args__ = (Index("ix_inbound_mail_dedupe", "message_id", "sender", "body_sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(10), default="smtp")  # smtp, imap
    #: For IMAP: "mailbox/UIDVALIDITY/UID", unique so a message is fetched into the spool once.
    source_key: Mapped[Optional[str]] = mapped_column(String(400), unique=True, nullable=True)
    raw_path: Mapped[str] = mapped_column(String(400))
    raw_sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer, default=0)
    envelope_from: Mapped[str] = mapped_column(String(400), default="")
    envelope_to: Mapped[list[Any]] = mapped_column(default=list)
    message_id: Mapped[Optional[str]] = mapped_column(String(400), nullable=True)
    sender: Mapped[str] = mapped_column(String(320), default="")
    body_sha256: Mapped[str] = mapped_column(String(64), default="")
    subject: Mapped[str] = mapped_column(String(400), default="")
    status: Mapped[str] = mapped_column(String(20), default="new", index=True)  # new, processed, ignored, duplicate, failed
    verdict: Mapped[str] = mapped_column(String(200), default="")
    error: Mapped[str] = mapped_column(Text, default="")
    conversation_id: Mapped[Optional[str]] = mapped_column(ForeignKey("conversations.id", ondelete="SET NULL"), nullable=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    processed_at: Mapped[Optional[datetime]] = mapped_column(nullable=True)


class OutboxMail(Base):
    """A mail to send; written in the same transaction as the change that causes it."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stable across retries, so a re-send after a crash is recognisable as the same mail.
    message_id: Mapped[str] = mapped_column(String(400), unique=True)
    #: Idempotency key for scheduled mails ("reminder-24h:booking:12").
    dedupe_key: Mapped[Optional[str]] = mapped_column(String(200), unique=True, nullable=True)
    kind: Mapped[str] = mapped_column(String(30), default="reply")
    to_addr: Mapped[str] = mapped_column(String(320))
    from_addr: Mapped[str] = mapped_column(String(320))
    reply_to: Mapped[Optional[str]] = mapped_column(String(320), nullable=True)
    subject: Mapped[str] = mapped_column(String(400))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[Optional[str]] = mapped_column(Text, nullable=True)
    in_reply_to: Mapped[Optional[str]] = mapped_column(String(400), nullable=True)
    references: Mapped[Optional[str]] = mapped_column(Text, nullable=True)
    headers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: [{"filename", "content_type", "content" (text)}] e.g. the .ics invitation.
    attachments: Mapped[list[Any]] = mapped_column(default=list)
    status: Mapped[str] = mapped_column(String(20), default="queued", index=True)  # queued, sending, sent, failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")
    booking_id: Mapped[Optional[int]] = mapped_column(ForeignKey("bookings.id", ondelete="SET NULL"), nullable=True)
    conversation_id: Mapped[Optional[str]] = mapped_column(ForeignKey("conversations.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[Optional[datetime]] = mapped_column(nullable=True)


class Notification(Base):
    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(String(400), default="")
    booking_id: Mapped[Optional[int]] = mapped_column(ForeignKey("bookings.id", ondelete="SET NULL"), nullable=True)
    dedupe_key: Mapped[Optional[str]] = mapped_column(String(200), unique=True, nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    read_at: Mapped[Optional[datetime]] = mapped_column(nullable=True)
