"""Booking use cases on both backends: rules enforced, one transaction, no double booking."""
from __future__ import annotations

import threading
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from models import AuditEntry, Booking, Client, Notification
from models.repo import bookings as repo
from models.repo.errors import BookingRejected, InvalidInput, NotAllowed, SlotTaken

DENVER = ZoneInfo("America/Denver")
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=DENVER)


def new_booking(start: datetime, email: str = "dana@example.com", **kw) -> repo.NewBooking:
    defaults = dict(service="portrait", start=start, client=repo.ClientInput("Dana Whitfield", email, "303-555-0188"))
    defaults.update(kw)
    return repo.NewBooking(**defaults)


def active_count(db) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(Booking).where(Booking.status.in_(("pending", "confirmed"))))


def test_a_booking_is_stored_with_its_quote_client_audit_and_notification(any_db):
    booking = repo.create_booking(any_db, new_booking(datetime(2026, 12, 3, 10, tzinfo=DENVER), addons=["film-look"]), NOW)
    assert booking.status == "pending"  # the demo studio approves bookings by hand
    assert (booking.total_cents, booking.deposit_cents) == (32500, 8125)
    assert booking.end_at == datetime(2026, 12, 3, 11, tzinfo=DENVER)
    with any_db.read() as s:
        assert s.scalar(select(Client.name).where(Client.email == "dana@example.com")) == "Dana Whitfield"
        assert s.scalar(select(AuditEntry.action).where(AuditEntry.entity_id == str(booking.id))) == "booking.create"
        assert s.scalar(select(Notification.kind).where(Notification.booking_id == booking.id)) == "pending_approval"


def test_rule_violations_come_back_in_words_and_store_nothing(any_db):
    before = active_count(any_db)
    with pytest.raises(BookingRejected) as exc:
        repo.create_booking(any_db, new_booking(datetime(2026, 12, 9, 10, tzinfo=DENVER), service="branding",
                                                fields={"business": "Hilltop"}), NOW)
    assert "Fridays" in exc.value.message
    assert active_count(any_db) == before


def test_required_intake_fields_are_enforced(any_db):
    with pytest.raises(InvalidInput) as exc:
        repo.create_booking(any_db, new_booking(datetime(2026, 12, 11, 10, tzinfo=DENVER), service="branding"), NOW)
    assert exc.value.field == "fields.business"
    assert "Business name" in exc.value.message


def test_an_addon_the_service_does_not_offer_is_refused(any_db):
    with pytest.raises(InvalidInput, match="Drone aerials is not available with Portrait Session"):
        repo.create_booking(any_db, new_booking(datetime(2026, 12, 3, 10, tzinfo=DENVER), addons=["drone"]), NOW)


def test_overlap_with_buffers_is_a_conflict(any_db):
    # Priya's portrait on Dec 1 10:00-11:00 blocks 9:45-11:15; a 9:00 portrait blocks 8:45-10:15.
    with pytest.raises(SlotTaken):
        repo.create_booking(any_db, new_booking(datetime(2026, 12, 1, 9, tzinfo=DENVER)), NOW)
    ok = repo.create_booking(any_db, new_booking(datetime(2026, 12, 1, 11, 30, tzinfo=DENVER)), NOW)
    assert ok.id


@pytest.mark.parametrize("workers", [24])
def test_concurrent_requests_for_one_slot_make_exactly_one_booking(any_db, workers):
    start = datetime(2026, 12, 4, 13, tzinfo=DENVER)
    barrier = threading.Barrier(workers)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(i: int) -> None:
        barrier.wait()
        try:
            repo.create_booking(any_db, new_booking(start, email=f"racer{i}@example.com"), NOW)
            result = "ok"
        except SlotTaken:
            result = "taken"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(set(outcomes)) == ["ok", "taken"]
    assert outcomes.count("ok") == 1
    with any_db.read() as s:
        assert s.scalar(select(func.count()).select_from(Booking).where(Booking.start_at == start)) == 1


def test_postgres_itself_refuses_overlapping_active_bookings(pg_db):
    """The exclusion constraint holds even for writers that skip the rules."""
    from sqlalchemy.exc import IntegrityError

    with pg_db.read() as s:
        existing = s.scalars(select(Booking).where(Booking.status == "confirmed")).first()
        data = {c.name: getattr(existing, c.name) for c in Booking.__table__.columns if c.name != "id"}
    with pytest.raises(IntegrityError, match="bookings_no_overlap"):
        with pg_db.write() as s:
            s.add(Booking(**data))


def test_reschedule_only_for_the_owner_and_within_the_rules(any_db):
    with any_db.read() as s:
        priya = s.scalars(select(Booking).join(Client).where(Client.email == "priya.raman@example.com",
                                                              Booking.status == "confirmed")).first()
    with pytest.raises(NotAllowed):
        repo.reschedule_booking(any_db, priya.id, datetime(2026, 12, 10, 11, tzinfo=DENVER), NOW,
                                actor="client", client_email="tom.becker@example.org")
    with pytest.raises(BookingRejected, match="closed"):
        repo.reschedule_booking(any_db, priya.id, datetime(2026, 12, 8, 11, tzinfo=DENVER), NOW,
                                actor="client", client_email="priya.raman@example.com")
    moved = repo.reschedule_booking(any_db, priya.id, datetime(2026, 12, 10, 11, tzinfo=DENVER), NOW,
                                    actor="client", client_email="PRIYA.RAMAN@example.com")
    assert moved.start_at == datetime(2026, 12, 10, 11, tzinfo=DENVER)


def test_owner_override_is_allowed_and_audited(any_db):
    with any_db.read() as s:
        priya = s.scalars(select(Booking).where(Booking.status == "confirmed")).first()
    moved = repo.reschedule_booking(any_db, priya.id, datetime(2026, 12, 8, 11, tzinfo=DENVER), NOW,
                                    actor="admin:maya@example.com", override=True)
    assert moved.start_at.astimezone(DENVER).day == 8
    with any_db.read() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "booking.reschedule")).one()
    assert entry.details["override"] is True and entry.actor == "admin:maya@example.com"


def test_status_and_payment_follow_the_state_machines(any_db):
    booking = repo.create_booking(any_db, new_booking(datetime(2026, 12, 3, 10, tzinfo=DENVER)), NOW)
    with pytest.raises(InvalidInput, match="pending"):
        repo.set_status(any_db, booking.id, "completed", actor="admin")
    repo.set_status(any_db, booking.id, "confirmed", actor="admin")
    paid = repo.record_payment(any_db, booking.id, Decimal("62.50"), "deposit", actor="admin")
    assert paid.payment_status == "deposit_paid"
    paid = repo.record_payment(any_db, booking.id, Decimal("187.50"), "balance", actor="admin")
    assert paid.payment_status == "paid"
    cancelled = repo.set_status(any_db, booking.id, "cancelled", actor="client:dana@example.com")
    assert cancelled.status == "cancelled"
    # the freed slot can be booked again
    assert repo.create_booking(any_db, new_booking(datetime(2026, 12, 3, 10, tzinfo=DENVER), email="x@example.com"), NOW)
