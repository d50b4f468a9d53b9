"""Booking changes mail the client in the same transaction: received, confirmed (+ .ics), moved, cancelled."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar
from sqlalchemy import select

from mail_helpers import Sink, html, plain
from mailroom import outbox
from models import Client, Conversation, Database, OutboxMail
from models.repo.bookings import ClientInput, NewBooking, create_booking, reschedule_booking, set_status
from studiobook.config import Settings
from studiobook.links import read_portal_token

DENVER = ZoneInfo("America/Denver")


def _book(db: Database, settings: Settings, email: str = "lena.fischer@example.com") -> int:
    booking = create_booking(db, NewBooking(service="portrait", start=datetime(2026, 12, 2, 13, 0, tzinfo=DENVER),
                                            client=ClientInput(name="Lena Fischer", email=email),
                                            addons=["film-look"]), settings.current_time())
    return booking.id


def _deliver(settings: Settings, db: Database, sink: Sink) -> list:
    before = len(sink.received)
    outbox.send_due(settings, db)
    return [d.message for d in sink.received[before:]]


def _invite(message) -> Calendar:  # type: ignore[no-untyped-def]
    [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    return Calendar.from_ical(part.get_content())


def test_a_booking_request_confirmation_move_and_cancellation_each_reach_the_client(
        booking_mails: Settings, db: Database, sink: Sink) -> None:
    settings = booking_mails
    booking_id = _book(db, settings)
    [received] = _deliver(settings, db, sink)
    assert received["To"] == "lena.fischer@example.com"
    assert received["Subject"] == ("We received your booking request: Portrait Session on "
                                   "Wednesday, December 2, 2026 at 1:00 PM (MST)")
    assert received["Auto-Submitted"] == "auto-generated"
    text = plain(received)
    assert text.startswith("Hi Lena,\n\nthank you for your booking request.")
    portal = next(line for line in text.splitlines() if "/portal/" in line)
    assert read_portal_token(settings, portal.rsplit("/", 1)[1]) == (booking_id, "lena.fischer@example.com")
    assert f'href="{portal}"' in html(received)
    assert not [p for p in received.walk() if p.get_content_type() == "text/calendar"]

    set_status(db, booking_id, "confirmed", actor="admin:maya@studio.localhost")
    [confirmed] = _deliver(settings, db, sink)
    assert confirmed["Subject"] == "Confirmed: Portrait Session on Wednesday, December 2, 2026 at 1:00 PM (MST)"
    assert confirmed["In-Reply-To"] == received["Message-ID"]  # one thread per booking
    assert confirmed["Reply-To"] == received["Reply-To"]
    cal = _invite(confirmed)
    assert cal["METHOD"] == "REQUEST"
    [event] = cal.walk("VEVENT")
    [zone] = cal.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "America/Denver"
    assert event["DTSTART"].params["TZID"] == "America/Denver"
    assert event.decoded("DTSTART") == datetime(2026, 12, 2, 13, 0, tzinfo=DENVER)
    assert event.decoded("DTEND") == datetime(2026, 12, 2, 14, 0, tzinfo=DENVER)
    assert str(event["UID"]) == f"booking-{booking_id}@studio.localhost"
    assert event["SEQUENCE"] == 0
    assert str(event["ORGANIZER"]) == "mailto:book@studio.localhost"
    assert str(event["ATTENDEE"]) == "mailto:lena.fischer@example.com"
    assert "BEGIN:VTIMEZONE" in _invite(confirmed).to_ical().decode()

    reschedule_booking(db, booking_id, datetime(2026, 12, 3, 10, 0, tzinfo=DENVER), settings.current_time(),
                       actor="admin:maya@studio.localhost")
    [moved] = _deliver(settings, db, sink)
    assert moved["Subject"] == "Your session has moved: Portrait Session on Thursday, December 3, 2026 at 10:00 AM (MST)"
    assert "Previously: Wednesday, December 2, 2026 at 1:00 PM (MST)" in plain(moved)
    [event] = _invite(moved).walk("VEVENT")
    assert (str(event["UID"]), event["SEQUENCE"]) == (f"booking-{booking_id}@studio.localhost", 1)
    assert event.decoded("DTSTART") == datetime(2026, 12, 3, 10, 0, tzinfo=DENVER)

    set_status(db, booking_id, "cancelled", actor="client:lena.fischer@example.com")
    [cancelled] = _deliver(settings, db, sink)
    cal = _invite(cancelled)
    assert cal["METHOD"] == "CANCEL"
    [event] = cal.walk("VEVENT")
    assert (event["SEQUENCE"], str(event["STATUS"])) == (2, "CANCELLED")
    with db.read() as session:
        conversations = session.scalars(select(Conversation)).all()
        kinds = session.scalars(select(OutboxMail.kind).order_by(OutboxMail.id)).all()
    assert [(c.channel, c.email, c.client_id is not None) for c in conversations] == [
        ("email", "lena.fischer@example.com", True)]
    assert kinds == ["received", "confirmed", "rescheduled", "cancelled"]


def test_a_declined_request_is_a_polite_mail_without_an_invitation(booking_mails: Settings, db: Database,
                                                                   sink: Sink) -> None:
    booking_id = _book(db, booking_mails)
    set_status(db, booking_id, "declined", actor="admin:maya@studio.localhost")
    _received, declined = _deliver(booking_mails, db, sink)
    assert declined["Subject"] == ("About your request for Portrait Session on "
                                   "Wednesday, December 2, 2026 at 1:00 PM (MST)")
    assert [p.get_content_type() for p in declined.walk()] == ["multipart/alternative", "text/plain", "text/html"]


def test_a_spanish_speaking_client_gets_spanish_mail(booking_mails: Settings, db: Database, sink: Sink) -> None:
    with db.write() as session:
        session.add(Client(name="Lucía Gómez", email="lucia@example.es", language="es"))
    _book(db, booking_mails, email="lucia@example.es")
    [received] = _deliver(booking_mails, db, sink)
    assert received["Subject"] == ("Hemos recibido tu solicitud: Portrait Session, "
                                   "miércoles 2 de diciembre de 2026, 13:00 (MST)")
    assert plain(received).startswith("Hola Lucía:\n")


def test_without_the_mailroom_running_booking_changes_queue_nothing(settings: Settings, db: Database) -> None:
    _book(db, settings)
    with db.read() as session:
        assert session.scalars(select(OutboxMail)).all() == []
