"""CRM queries: the clients list (search, tag filter, one page at a time) and one client's file.

The list is paged and its figures (sessions, money received, last and next session, tags) come from
grouped queries over the page's ids — a fixed number of queries whatever the page size, never one per
client.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Optional

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import Session

from models import Booking, Client, ClientTag, ContactEvent, Conversation, File, Message, Payment, Service

PER_PAGE = 50
ACTIVE_OR_DONE = ("pending", "confirmed", "completed")


@dataclass
class ClientRow:
    id: int
    name: str
    email: str
    phone: str
    tags: list[str] = field(default_factory=list)
    sessions: int = 0
    spent_cents: int = 0
    last_at: Optional[datetime] = None
    next_at: Optional[datetime] = None


def _paid_expr():  # type: ignore[no-untyped-def]
    return func.coalesce(func.sum(case((Payment.kind == "refund", -Payment.amount_cents), else_=Payment.amount_cents)), 0)


def list_clients(session: Session, now: datetime, q: str = "", tag: str = "", page: int = 1,
                 per_page: int = PER_PAGE) -> tuple[list[ClientRow], int]:
    query = select(Client.id, Client.name, Client.email, Client.phone)
    if q:
        like = f"%{q.strip()}%"
        query = query.where(or_(Client.name.ilike(like), Client.email.ilike(like), Client.phone.ilike(like)))
    if tag:
        query = query.where(exists().where(and_(ClientTag.client_id == Client.id, ClientTag.tag == tag)))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.execute(query.order_by(func.lower(Client.name), Client.id)
                           .offset((page - 1) * per_page).limit(per_page)).all()
    result = {r.id: ClientRow(r.id, r.name, r.email, r.phone) for r in rows}
    ids = list(result)
    if not ids:
        return [], total
    # One grouped query over the page's clients (by client, status and past/future). Filtering on the
    # status here would make SQLite pick the (status, start_at) index and scan most bookings.
    future = (Booking.start_at > now).label("future")
    for cid, status, is_future, count, first, last in session.execute(
            select(Booking.client_id, Booking.status, future, func.count(), func.min(Booking.start_at),
                   func.max(Booking.start_at))
            .where(Booking.client_id.in_(ids)).group_by(Booking.client_id, Booking.status, future)):
        row = result[cid]
        if not is_future and status in ACTIVE_OR_DONE:
            row.sessions += count
            last = _aware(last)
            row.last_at = max(row.last_at, last) if row.last_at and last else (last or row.last_at)
        elif is_future and status in ("pending", "confirmed"):
            first = _aware(first)
            row.next_at = min(row.next_at, first) if row.next_at and first else (first or row.next_at)
    for cid, paid in session.execute(
            select(Booking.client_id, _paid_expr()).join(Payment, Payment.booking_id == Booking.id)
            .where(Booking.client_id.in_(ids)).group_by(Booking.client_id)):
        result[cid].spent_cents = int(paid or 0)
    for cid, name in session.execute(select(ClientTag.client_id, ClientTag.tag)
                                     .where(ClientTag.client_id.in_(ids)).order_by(ClientTag.tag)):
        result[cid].tags.append(name)
    return [result[i] for i in ids], total


def _aware(value: Any) -> Optional[datetime]:
    """Aggregates bypass the column type on SQLite (naive strings come back): normalise to aware UTC."""
    from datetime import timezone

    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def popular_tags(session: Session, limit: int = 12) -> list[tuple[str, int]]:
    return [(t, n) for t, n in session.execute(
        select(ClientTag.tag, func.count()).group_by(ClientTag.tag).order_by(func.count().desc(), ClientTag.tag)
        .limit(limit))]


@dataclass
class HistoryItem:
    at: datetime
    kind: str  # mail, chat, booking, note, call...
    direction: str
    text: str
    link: str = ""


def client_file(session: Session, client_id: int, now: datetime) -> Optional[dict[str, Any]]:
    client = session.get(Client, client_id)
    if client is None:
        return None
    bookings = session.execute(
        select(Booking.id, Booking.start_at, Booking.end_at, Booking.status, Booking.payment_status,
               Booking.total_cents, Service.title, Service.color)
        .join(Service, Service.id == Booking.service_id).where(Booking.client_id == client_id)
        .order_by(Booking.start_at.desc())).all()
    upcoming = [b for b in bookings if b.start_at > now][::-1]
    past = [b for b in bookings if b.start_at <= now]
    spent = session.scalar(select(_paid_expr()).select_from(Payment).join(Booking, Booking.id == Payment.booking_id)
                           .where(Booking.client_id == client_id)) or 0
    booked_value = sum(b.total_cents for b in bookings if b.status in ACTIVE_OR_DONE)
    convo_ids = select(Conversation.id).where(or_(Conversation.client_id == client_id, Conversation.email == client.email))
    messages = session.execute(
        select(Message.id, Message.created_at, Message.channel, Message.direction, Message.body, Message.sender)
        .where(Message.conversation_id.in_(convo_ids)).order_by(Message.id.desc()).limit(150)).all()
    items = [HistoryItem(m.created_at, "mail" if m.channel == "email" else m.channel, m.direction, m.body)
             for m in messages]
    seen = {m.id for m in messages}
    for e in session.scalars(select(ContactEvent).where(ContactEvent.client_id == client_id)
                             .order_by(ContactEvent.at.desc()).limit(150)):
        if e.message_id and e.message_id in seen:
            continue
        items.append(HistoryItem(e.at, e.kind, e.direction, e.summary,
                                 f"/admin/bookings/{e.booking_id}" if e.booking_id else ""))
    items.sort(key=lambda i: i.at, reverse=True)
    files = session.scalars(select(File).where(File.client_id == client_id).order_by(File.created_at.desc())).all()
    no_shows = sum(1 for b in bookings if b.status == "no_show")
    return {"client": client, "tags": client.tag_names, "upcoming": upcoming, "past": past, "spent_cents": int(spent),
            "booked_cents": booked_value, "history": items[:150], "files": files, "no_shows": no_shows,
            "completed": sum(1 for b in bookings if b.status == "completed")}


def all_tags(session: Session) -> list[str]:
    return list(session.scalars(select(ClientTag.tag).distinct().order_by(ClientTag.tag).limit(200)))
