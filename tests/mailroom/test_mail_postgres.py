"""The same mail stories on PostgreSQL: spool, threading, answer, booking mail and a reminder, exactly once."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from mail_helpers import Sink, asend, client_mail, running_mailroom, wait_until
from mailroom import lifecycle, outbox, scheduler
from models import Booking, Database, InboundMail, OutboxMail
from models.repo.bookings import set_status
from studiobook.config import Settings

DENVER = ZoneInfo("America/Denver")


async def test_mail_is_answered_once_and_booking_mail_and_reminders_work_on_postgresql(
        mail_settings: Settings, pg_settings: Settings, pg_db: Database, sink: Sink, fake_agent) -> None:
    settings = replace(mail_settings, database_url=pg_settings.database_url)
    mail = client_mail("Is Friday free?", message_id="<pg-1@example.com>")
    async with running_mailroom(settings, pg_db):
        await asend(settings.smtp_in_port, mail)
        await asend(settings.smtp_in_port, mail)  # a re-delivery
        await wait_until(lambda: [m for m in sink.messages() if m["In-Reply-To"] == "<pg-1@example.com>"])
    with pg_db.read() as session:
        assert session.scalars(select(InboundMail.status).order_by(InboundMail.id)).all() == ["processed", "duplicate"]

    lifecycle.install(settings)
    try:
        with pg_db.read() as session:
            priya = session.scalars(select(Booking).where(
                Booking.start_at == datetime(2026, 12, 1, 10, tzinfo=DENVER))).one()
        set_status(pg_db, priya.id, "cancelled", actor="client:priya.raman@example.com")
    finally:
        lifecycle.uninstall()
    scheduler.run_once(settings, pg_db, datetime(2027, 6, 10, 13, tzinfo=DENVER))  # the wedding in 47 h
    scheduler.run_once(settings, pg_db, datetime(2027, 6, 10, 14, tzinfo=DENVER))
    assert outbox.send_due(settings, pg_db).sent == 2
    with pg_db.read() as session:
        rows = session.scalars(select(OutboxMail).order_by(OutboxMail.id)).all()
    assert [(r.kind, r.to_addr, r.status) for r in rows] == [
        ("reply", "lena.fischer@example.com", "sent"), ("cancelled", "priya.raman@example.com", "sent"),
        ("reminder-48h", "alicia@gomezbakery.example", "sent")]
