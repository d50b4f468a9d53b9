"""Helpers for the client-assistant tests: talk to the chat API or the agent, read what the DB holds.

Each test builds its own demo studio (conftest's ``db``/``app``/``client``) and reads like a short
conversation: ``await chat.say("...")`` returns the studio's reply, ``active_bookings(db)`` what is
booked afterwards.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from assistant.agent import AgentReply, handle_message
from models import Booking, Conversation, Database, OutboxMail
from studiobook.config import Settings

DENVER = ZoneInfo("America/Denver")
SHARED = Path(os.environ.get("STUDIOBOOK_SHARED_DIR", Path(__file__).resolve().parents[3] / "shared"))
#: The demo studio's active bookings before any test adds one (start, service, client).
DEMO_ACTIVE = {("2026-12-01T10:00:00-07:00", "portrait", "priya.raman@example.com"),
               ("2027-06-12T12:00:00-06:00", "wedding", "alicia@gomezbakery.example")}


@pytest.fixture(autouse=True)
def _no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """The rules must carry every test on their own; the model is tested where it is named."""
    monkeypatch.setenv("STUDIOBOOK_LLM", "off")
    monkeypatch.delenv("STUDIOBOOK_POLISH", raising=False)


@dataclass
class Chat:
    """A chat client talking to POST /api/chat through the Quart test client."""

    client: Any
    conversation_id: Optional[str] = None
    replies: list[str] = field(default_factory=list)
    last: dict[str, Any] = field(default_factory=dict)

    async def say(self, text: str) -> str:
        response = await self.client.post("/api/chat", json={"conversation_id": self.conversation_id,
                                                              "message": text})
        assert response.status_code == 200, await response.get_data(as_text=True)
        body = await response.get_json()
        assert set(body) == {"conversation_id", "reply", "booking"}
        self.conversation_id = body["conversation_id"]
        self.replies.append(body["reply"])
        self.last = body
        return body["reply"]

    @property
    def transcript(self) -> str:
        return "\n".join(self.replies)


@dataclass
class EmailThread:
    """A client writing to the studio by email, handed to the agent as the mailroom does."""

    db: Database
    settings: Settings
    email: str
    name: str = ""
    conversation_id: Optional[str] = None
    replies: list[str] = field(default_factory=list)

    def write(self, text: str, *, verified: bool) -> AgentReply:
        if self.conversation_id is None:
            with self.db.write() as session:
                conv = Conversation(channel="email", email=self.email, subject="Booking")
                session.add(conv)
                session.flush()
                self.conversation_id = conv.id
        reply = handle_message(self.db, self.settings, channel="email", text=text,
                               conversation_id=self.conversation_id, sender_email=self.email,
                               sender_name=self.name, verified_sender=verified)
        self.replies.append(reply.text)
        return reply


def active_bookings(db: Database) -> set[tuple[str, str, str]]:
    """(start ISO in Denver, service slug, client email) of every pending/confirmed booking."""
    with db.read() as session:
        rows = session.scalars(select(Booking).where(Booking.status.in_(("pending", "confirmed")))).all()
        return {(b.start_at.astimezone(DENVER).isoformat(), b.service.slug, b.client.email) for b in rows}


def new_bookings(db: Database) -> set[tuple[str, str, str]]:
    return active_bookings(db) - DEMO_ACTIVE


def booking_at(db: Database, start_iso: str) -> Optional[Booking]:
    with db.read() as session:
        for b in session.scalars(select(Booking).where(Booking.status.in_(("pending", "confirmed")))).all():
            if b.start_at.astimezone(DENVER).isoformat() == start_iso:
                _ = (b.addon_slugs, b.client.email, b.service.slug)
                return b
    return None


def mails_to(db: Database, address: str) -> list[OutboxMail]:
    with db.read() as session:
        return list(session.scalars(select(OutboxMail).where(OutboxMail.to_addr == address).order_by(OutboxMail.id)))


def latest_code(db: Database, address: str) -> str:
    """What the evaluation does: the last 4-8 digit number in the newest mail to ``address``."""
    mails = mails_to(db, address)
    assert mails, f"no mail was sent to {address}"
    return re.findall(r"\b\d{4,8}\b", mails[-1].body_text)[-1]
