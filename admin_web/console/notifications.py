"""The notification centre: list, unread count, mark as read, and a live stream (server-sent events).

Notifications are rows written by every part of Studiobook (new booking, pending approval, payment
due, shoot in 24/48 h, review follow-up, failed mail) — in other threads and background components —
so the stream watches the table (a cheap indexed query every few seconds) rather than an in-process
signal that would miss rows written elsewhere.
"""
from __future__ import annotations

import asyncio
import json
from typing import Any, AsyncIterator

from quart import Blueprint, Response, flash, redirect, request
from sqlalchemy import func, select, update

from models import Notification
from models.base import utcnow

from ..auth import current_admin_id
from ..context import ctx
from ..pages import admin_page, render, safe_next

bp = Blueprint("console_notifications", __name__)

PAGE = 100
POLL_SECONDS = 3.0
#: A stream ends after this long; EventSource reconnects by itself (and re-checks the session).
STREAM_SECONDS = 300
ICONS = {"new_booking": "📅", "pending_approval": "◷", "payment_due": "$", "reminder": "⏰", "shoot_soon": "⏰",
         "review": "★", "review_follow_up": "★", "mail_failed": "⚠", "failed_mail": "⚠", "cancelled": "✕",
         "rescheduled": "↔"}


def _list(only_unread: bool) -> dict[str, Any]:
    with ctx().db.read() as s:
        query = select(Notification).order_by(Notification.created_at.desc(), Notification.id.desc()).limit(PAGE)
        if only_unread:
            query = query.where(Notification.read_at.is_(None))
        items = s.scalars(query).all()
        unread = s.scalar(select(func.count()).select_from(Notification).where(Notification.read_at.is_(None))) or 0
        return {"items": items, "unread": unread}


@bp.get("/admin/notifications")
@admin_page
async def index() -> Any:
    only_unread = request.args.get("show") == "unread"
    data = await ctx().run(_list, only_unread)
    return await render("console/notifications.html", section="notifications", page_title="Notifications",
                        only_unread=only_unread, icons=ICONS, **data)


def _mark(ids: list[int] | None) -> int:
    with ctx().db.write() as s:
        query = update(Notification).where(Notification.read_at.is_(None)).values(read_at=utcnow())
        if ids is not None:
            query = query.where(Notification.id.in_(ids))
        return s.execute(query).rowcount or 0


@bp.post("/admin/notifications/<int:notification_id>/read")
@admin_page
async def mark_read(notification_id: int) -> Any:
    await ctx().run(_mark, [notification_id])
    form = await request.form
    return redirect(safe_next(form.get("next"), "/admin/notifications"), 303)


@bp.post("/admin/notifications/read-all")
@admin_page
async def mark_all() -> Any:
    n = await ctx().run(_mark, None)
    await flash(f"Marked {n} notification{'s' if n != 1 else ''} as read." if n else "Nothing was unread.", "success")
    return redirect("/admin/notifications", 303)


def _since(db: Any, last_id: int) -> tuple[int, list[dict[str, Any]], int]:
    with db.read() as s:
        unread = s.scalar(select(func.count()).select_from(Notification).where(Notification.read_at.is_(None))) or 0
        rows = s.execute(select(Notification.id, Notification.title, Notification.kind, Notification.link)
                         .where(Notification.id > last_id).order_by(Notification.id).limit(20)).all()
        top = s.scalar(select(func.max(Notification.id))) or 0
        return unread, [{"id": r.id, "title": r.title, "kind": r.kind, "link": r.link} for r in rows], top


def _event(name: str, data: Any) -> bytes:
    return f"event: {name}\ndata: {json.dumps(data)}\n\n".encode()


@bp.get("/admin/notifications/stream")
async def stream() -> Any:
    """text/event-stream: ``unread`` {count} whenever it changes, ``notification`` for each new row."""
    if current_admin_id() is None:
        return Response("Admin login required.", status=401, content_type="text/plain; charset=utf-8")
    app = ctx()
    interval = POLL_SECONDS  # read per request so tests can shorten it
    polls = max(1, int(STREAM_SECONDS / interval))

    async def events() -> AsyncIterator[bytes]:
        unread, _rows, last_id = await app.run(_since, app.db, 1 << 62)
        yield b"retry: 5000\n\n" + _event("unread", {"count": unread})
        for _ in range(polls):
            await asyncio.sleep(interval)
            count, rows, top = await app.run(_since, app.db, last_id)
            for row in rows:
                yield _event("notification", row)
            last_id = max(last_id, top)
            if count != unread:
                unread = count
                yield _event("unread", {"count": unread})
            else:
                yield b": keep-alive\n\n"

    response = Response(events(), content_type="text/event-stream")
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Accel-Buffering"] = "no"
    response.timeout = None
    return response
