"""Reminders, payment-due notices and review requests: each sent once, whenever and however often the scheduler runs."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from mail_helpers import Sink, plain
from mailroom import outbox, scheduler
from models import Booking, Database, Notification, OutboxMail
from models.repo.bookings import ClientInput, NewBooking, create_booking, reschedule_booking
from studiobook.config import Settings

DENVER = ZoneInfo("America/Denver")


def _at(day: int, hour: int, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=DENVER)


def _queued(db: Database) -> list[tuple[str, str, str]]:
    with db.read() as session:
        return [(m.kind, m.to_addr, m.dedupe_key) for m in session.scalars(select(OutboxMail).order_by(OutboxMail.id))]


def _priyas_december_session(db: Database) -> Booking:
    with db.read() as session:
        return session.scalars(select(Booking).where(Booking.start_at == _at(1, 10, month=12))).one()


def test_the_48_and_24_hour_reminders_go_out_once_across_runs_and_restarts(mail_settings: Settings, db: Database,
                                                                        sink: Sink) -> None:
    booking = _priyas_december_session(db)
    stamp = int(booking.start_at.timestamp())
    assert scheduler.run_once(mail_settings, db, _at(27, 9)).mails == 0  # four days ahead: nothing yet

    first = scheduler.run_once(mail_settings, db, _at(29, 12))
    again = scheduler.run_once(mail_settings, db, _at(29, 13))  # the next round, or the next start
    assert (first.mails, first.notices, again.mails, again.notices) == (1, 1, 0, 0)
    scheduler.run_once(mail_settings, db, _at(30, 11))
    scheduler.run_once(mail_settings, db, _at(30, 11))
    assert _queued(db) == [
        ("reminder-48h", "priya.raman@example.com", f"reminder-48h:booking:{booking.id}:{stamp}"),
        ("reminder-24h", "priya.raman@example.com", f"reminder-24h:booking:{booking.id}:{stamp}")]
    with db.read() as session:
        notices = session.scalars(select(Notification.title).where(Notification.kind == "upcoming")
                                  .order_by(Notification.id)).all()
    assert notices == ["Shoot in 48 h: Portrait Session with Priya Raman",
                       "Shoot in 24 h: Portrait Session with Priya Raman"]

    outbox.send_due(mail_settings, db)
    two_days, tomorrow = sink.messages()
    assert two_days["Subject"] == "Reminder: Portrait Session in two days, Tuesday, December 1, 2026 at 10:00 AM (MST)"
    assert tomorrow["Subject"] == "Reminder: Portrait Session tomorrow, Tuesday, December 1, 2026 at 10:00 AM (MST)"
    assert tomorrow["In-Reply-To"] == two_days["Message-ID"]
    assert "/portal/" in plain(tomorrow)
    assert scheduler.run_once(mail_settings, db, _at(1, 11, month=12)).mails == 0  # the session is over


def test_a_moved_session_is_reminded_again_at_its_new_time(mail_settings: Settings, db: Database) -> None:
    booking = _priyas_december_session(db)
    scheduler.run_once(mail_settings, db, _at(30, 11))
    reschedule_booking(db, booking.id, _at(3, 11, month=12), mail_settings.current_time(), actor="admin:maya")
    scheduler.run_once(mail_settings, db, _at(2, 12, month=12))
    assert [kind for kind, _, _ in _queued(db)] == ["reminder-24h", "reminder-24h"]


def test_an_unpaid_deposit_is_asked_for_three_days_before_once(mail_settings: Settings, db: Database,
                                                               sink: Sink) -> None:
    booking = create_booking(db, NewBooking(service="portrait", start=_at(3, 10, month=12), status="confirmed",
                                            client=ClientInput(name="Lena Fischer", email="lena.fischer@example.com"),
                                            payment="deposit"), mail_settings.current_time())
    scheduler.run_once(mail_settings, db, _at(29, 12))
    scheduler.run_once(mail_settings, db, _at(30, 12))
    assert [(k, to) for k, to, _ in _queued(db) if to == "lena.fischer@example.com"] == [
        ("payment_due", "lena.fischer@example.com")]
    outbox.send_due(mail_settings, db)
    [due] = [m for m in sink.messages() if m["To"] == "lena.fischer@example.com"]
    assert due["Subject"] == "Deposit due for your session on Thursday, December 3, 2026 at 10:00 AM (MST)"
    assert f"the deposit of ${booking.deposit_cents / 100:.2f} for your Portrait Session" in plain(due)


def test_a_review_is_requested_once_some_days_after_a_completed_shoot(mail_settings: Settings, db: Database,
                                                                      sink: Sink) -> None:
    scheduler.run_once(mail_settings, db, _at(13, 12))  # Priya's Nov 10 session ended less than 3 days ago
    assert _queued(db) == []
    scheduler.run_once(mail_settings, db, _at(14, 9))
    scheduler.run_once(mail_settings, db, _at(15, 9))
    [(kind, to, key)] = _queued(db)  # the October shoots are too long ago to ask about now
    assert (kind, to) == ("review", "priya.raman@example.com") and key.startswith("review:booking:")
    outbox.send_due(mail_settings, db)
    assert sink.messages()[0]["Subject"] == "How was your session with Juniper & Light Photography?"
