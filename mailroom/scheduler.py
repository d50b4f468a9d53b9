"""Scheduled client mails and owner notices: reminders, payment due, review requests.

Why it keeps no schedule of its own: every round looks at the bookings as they are now and queues what
is due, keyed by ``OutboxMail.dedupe_key`` / ``Notification.dedupe_key`` (the key includes the start
time, so a moved session is reminded again at its new time). The keys make each notice happen once,
across restarts, overlapping rounds and even two processes (the unique index decides). The studio's
clock (``settings.current_time()``, frozen by ``STUDIOBOOK_NOW``) says what is due.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable, Optional

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mailroom import compose
from mailroom.lifecycle import booking_conversation
from mailroom.loop import pause
from models import Booking, Database, Notification, OutboxMail, Studio
from models.repo.bookings import notify
from studiobook.config import Settings

log = logging.getLogger("studiobook.mail.scheduler")

REMINDER_HOURS = (24, 48)
PAYMENT_DUE_BEFORE = timedelta(hours=72)
#: Review requests are not sent for shoots that ended long before the studio started using this.
REVIEW_GRACE = timedelta(days=7)
INTERVAL_SECONDS = 60.0


@dataclass
class Round:
    mails: int = 0
    notices: int = 0


def _stamp(moment: datetime) -> str:
    return str(int(moment.timestamp()))


def due_jobs(db: Database, now: datetime) -> list[tuple[str, int, int]]:
    """(job, booking id, hours) for everything that may be due; dedupe keys decide what is new."""
    jobs: list[tuple[str, int, int]] = []
    with db.read() as session:
        studio = session.scalars(select(Studio).limit(1)).first()
        review_days = studio.review_after_days if studio else 3
        horizon = now + timedelta(hours=max(REMINDER_HOURS))
        soon = session.scalars(select(Booking).where(Booking.status == "confirmed", Booking.start_at > now,
                                                     Booking.start_at <= horizon)).all()
        for booking in soon:
            left = booking.start_at - now
            hours = min(h for h in REMINDER_HOURS if left <= timedelta(hours=h))
            jobs.append(("reminder", booking.id, hours))
        unpaid = session.scalars(select(Booking).where(
            Booking.status == "confirmed", Booking.payment_choice == "deposit", Booking.payment_status == "unpaid",
            Booking.deposit_cents > 0, Booking.start_at > now, Booking.start_at <= now + PAYMENT_DUE_BEFORE)).all()
        jobs.extend(("payment_due", b.id, 0) for b in unpaid)
        reviewed_until = now - timedelta(days=review_days)
        done = session.scalars(select(Booking).where(Booking.status == "completed",
                                                     Booking.end_at <= reviewed_until,
                                                     Booking.end_at > reviewed_until - REVIEW_GRACE)).all()
        jobs.extend(("review", b.id, 0) for b in done)
    return jobs


def run_job(settings: Settings, db: Database, job: str, booking_id: int, hours: int) -> Round:
    """Queue one job's mail (and owner notice) unless its key was used before; one transaction."""
    done = Round()
    try:
        with db.write() as session:
            booking = session.get(Booking, booking_id)
            if booking is None:
                return done
            key = _key(job, booking, hours)
            if not _used(session, OutboxMail.dedupe_key, key):
                conversation = booking_conversation(session, booking)
                lang = compose.language(booking.client.language, conversation.language)
                context = compose.booking_context(settings, session, booking, lang)
                rendered = compose.render(job, lang, links=compose.portal_links(context), hours=hours, **context)
                compose.queue_to_conversation(session, settings, conversation, compose.Outgoing(
                    kind=job if job != "reminder" else f"reminder-{hours}h", rendered=rendered,
                    booking_id=booking.id, dedupe_key=key))
                done.mails += 1
            notice_key = f"shoot-{hours}h:booking:{booking.id}:{_stamp(booking.start_at)}"
            if job == "reminder" and not _used(session, Notification.dedupe_key, notice_key):
                when = compose.format_when(booking.start_at, compose.get_studio(session).timezone, "en")
                notify(session, "upcoming", f"Shoot in {hours} h: {booking.service.title} with {booking.client.name}",
                       body=when, link=f"/admin/bookings/{booking.id}", booking_id=booking.id, dedupe_key=notice_key)
                done.notices += 1
    except IntegrityError:  # another round used the same key at the same moment
        return Round()
    return done


def _used(session: Session, column: Any, key: str) -> bool:
    return session.scalar(select(column).where(column == key).limit(1)) is not None


def _key(job: str, booking: Booking, hours: int) -> str:
    if job == "reminder":
        return f"reminder-{hours}h:booking:{booking.id}:{_stamp(booking.start_at)}"
    if job == "payment_due":
        return f"payment-due:booking:{booking.id}:{_stamp(booking.start_at)}"
    return f"review:booking:{booking.id}"


def run_once(settings: Settings, db: Database, now: Optional[datetime] = None) -> Round:
    """One scheduler round at ``now`` (the studio's clock by default)."""
    now = now or settings.current_time()
    total = Round()
    for job, booking_id, hours in due_jobs(db, now):
        try:
            result = run_job(settings, db, job, booking_id, hours)
        except Exception:
            log.exception("scheduled %s for booking %s failed", job, booking_id)
            continue
        total.mails += result.mails
        total.notices += result.notices
    return total


async def run(settings: Settings, db: Database, stop: asyncio.Event,
              on_queued: Optional[Callable[[], None]] = None) -> None:
    """A round at start and every minute until ``stop``; ``on_queued`` wakes the outbox sender."""
    while not stop.is_set():
        try:
            result = await asyncio.to_thread(run_once, settings, db)
            if result.mails and on_queued is not None:
                on_queued()
        except Exception:
            log.exception("the scheduler round failed")
        await pause(stop, None, INTERVAL_SECONDS)
