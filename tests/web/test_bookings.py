"""The booking page: details, reschedule with rules in words and a logged override, status and payments."""
from __future__ import annotations

import re
from datetime import datetime
from html import unescape

from sqlalchemy import select

from models import AuditEntry, Booking

from .conftest import flashes

PRIYA_DEC_1 = 5  # the demo's confirmed portrait on Tuesday 1 December, 10:00


def text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


async def test_booking_page_shows_client_money_and_answers(browser, pending):
    status, html = await browser.text(f"/admin/bookings/{pending}")
    assert status == 200
    page = text(html)
    assert "Portrait Session" in page
    assert "Thursday 3 December 2026, 10:00–11:00 (America/Denver)" in page
    assert "Email dana@example.com Phone +1 303 555 0188" in page
    assert "How many people? 3" in page
    assert "Client's notes Family portrait with our dog Pepper." in page
    assert "Total $250.00" in page and "Deposit $62.50" in page and "Balance due $250.00" in page
    assert "No chat or mail thread is linked to this booking." in page
    assert "◷ Pending" in page


async def test_an_unknown_booking_is_a_readable_404(browser):
    response = await browser.get("/admin/bookings/999")
    assert response.status_code == 404
    assert "Booking 999 does not exist." in await response.get_data(as_text=True)


async def test_reschedule_within_the_rules(browser, db):
    response = await browser.post(f"/admin/bookings/{PRIYA_DEC_1}/reschedule", {"date": "2026-12-02", "time": "11:00"})
    assert response.status_code == 303
    with db.read() as s:
        assert s.get(Booking, PRIYA_DEC_1).start_at == datetime.fromisoformat("2026-12-02T11:00:00-07:00")
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "booking.reschedule")).one()
        assert (entry.actor, entry.details["override"]) == ("admin:maya@juniperlight.example", False)
    _, html = await browser.text(response.headers["Location"])
    assert flashes(html) == ["Moved to Wednesday 2 December, 11:00."]


async def test_a_violation_is_shown_in_words_and_nothing_moves(browser, db):
    response = await browser.post(f"/admin/bookings/{PRIYA_DEC_1}/reschedule", {"date": "2026-12-08", "time": "10:00"})
    assert response.status_code == 422
    page = text(await response.get_data(as_text=True))
    assert "This time breaks the studio's rules: The studio is closed on Tue 8 Dec 2026 (Workshop)" in page
    assert "Override the rules for this booking." in page
    with db.read() as s:
        assert s.get(Booking, PRIYA_DEC_1).start_at == datetime.fromisoformat("2026-12-01T10:00:00-07:00")


async def test_an_override_needs_a_reason_and_is_logged(browser, db):
    refused = await browser.post(f"/admin/bookings/{PRIYA_DEC_1}/reschedule",
                                 {"date": "2026-12-05", "time": "10:00", "override": "1"})
    assert refused.status_code == 422
    assert "Give a short reason for overriding the rules" in text(await refused.get_data(as_text=True))
    response = await browser.post(f"/admin/bookings/{PRIYA_DEC_1}/reschedule",
                                  {"date": "2026-12-05", "time": "10:00", "override": "1",
                                   "reason": "Only Saturday works for her"})
    assert response.status_code == 303
    with db.read() as s:
        assert s.get(Booking, PRIYA_DEC_1).start_at == datetime.fromisoformat("2026-12-05T10:00:00-07:00")
        moved = s.scalars(select(AuditEntry).where(AuditEntry.action == "booking.reschedule")).one()
        assert moved.details["override"] is True
        logged = s.scalars(select(AuditEntry).where(AuditEntry.action == "booking.override")).one()
        assert logged.details == {"overridden": ["The studio is closed on Saturdays"],
                                  "reason": "Only Saturday works for her"}
    _, html = await browser.text(response.headers["Location"])
    assert flashes(html) == ["Moved to Saturday 5 December, 10:00, overriding: The studio is closed on Saturdays. "
                             "The override is in the log."]


async def test_reschedule_with_bad_input_is_a_422_with_the_field(browser):
    response = await browser.post(f"/admin/bookings/{PRIYA_DEC_1}/reschedule", {"date": "soon", "time": "10:00"})
    assert response.status_code == 422
    assert "The date must be a date like 2026-12-03, not 'soon'." in text(await response.get_data(as_text=True))


async def test_status_changes_go_through_the_rules(browser, db, pending):
    response = await browser.post(f"/admin/bookings/{pending}/status", {"status": "confirmed"})
    assert response.status_code == 303
    _, html = await browser.text(f"/admin/bookings/{pending}")
    assert flashes(html) == ["Booking approved."]
    refused = await browser.post(f"/admin/bookings/{pending}/status", {"status": "declined"})
    _, html = await browser.text(refused.headers["Location"])
    assert flashes(html) == ["A confirmed booking cannot become declined (only cancelled, completed or no show)"]
    bogus = await browser.post(f"/admin/bookings/{pending}/status", {"status": "deleted"})
    _, html = await browser.text(bogus.headers["Location"])
    assert flashes(html) == ["Choose one of the offered actions."]
    with db.read() as s:
        assert s.get(Booking, pending).status == "confirmed"


async def test_recording_a_payment(browser, db, pending):
    response = await browser.post(f"/admin/bookings/{pending}/payment", {"amount": "62.50", "kind": "deposit",
                                                                          "method": "card"})
    assert response.status_code == 303
    with db.read() as s:
        assert s.get(Booking, pending).payment_status == "deposit_paid"
    _, html = await browser.text(response.headers["Location"])
    assert flashes(html) == ["Payment recorded."]
    bad = await browser.post(f"/admin/bookings/{pending}/payment", {"amount": "lots", "kind": "deposit"})
    _, html = await browser.text(bad.headers["Location"])
    assert flashes(html) == ["The amount must be an amount like 250.00, not 'lots'."]


async def test_drag_and_drop_gets_the_same_answers_as_json(browser, db):
    headers = {"Accept": "application/json"}
    refused = await browser.post(f"/admin/bookings/{PRIYA_DEC_1}/reschedule", {"date": "2026-12-05", "time": "10:00"},
                                 headers=headers)
    assert refused.status_code == 422
    assert await refused.get_json() == {"error": "This time breaks the studio's rules:",
                                        "reasons": ["The studio is closed on Saturdays"], "field": None,
                                        "override_allowed": True}
    moved = await browser.post(f"/admin/bookings/{PRIYA_DEC_1}/reschedule", {"date": "2026-12-02", "time": "09:30"},
                               headers=headers)
    assert await moved.get_json() == {"ok": True, "message": "Moved to Wednesday 2 December, 9:30."}
    with db.read() as s:
        assert s.get(Booking, PRIYA_DEC_1).start_at == datetime.fromisoformat("2026-12-02T09:30:00-07:00")
