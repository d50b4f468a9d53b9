"""The public booking page, the client portal and the iCal feed."""
from __future__ import annotations

import re
from datetime import datetime
from html import unescape

import pytest
from icalendar import Calendar
from sqlalchemy import select

from models import Admin, AuditEntry, Booking
from studiobook import links

from .conftest import flashes


def text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


# ---- /book ----------------------------------------------------------------------------------------
async def test_book_page_offers_the_services_and_the_chat_widget(client):
    response = await client.get("/book")
    assert response.status_code == 200
    html = await response.get_data(as_text=True)
    assert '<script src="/widget.js" defer></script>' in html
    assert '<script src="/static/js/book.js" defer></script>' in html
    assert re.findall(r'data-service="([\w-]+)"', html) == ["portrait", "family-mini", "branding", "headshots", "wedding"]
    assert "Times are in the studio's time zone (America/Denver)." in unescape(html)


async def test_book_page_preselects_a_known_service_only(client):
    assert 'data-chosen="wedding"' in await (await client.get("/book?service=wedding")).get_data(as_text=True)
    assert 'data-chosen=""' in await (await client.get("/book?service=<script>")).get_data(as_text=True)


async def test_the_quote_matches_the_booking_core(client):
    response = await client.get("/book/quote?service=branding&addons=drone&start=2026-12-04T10:00:00-07:00",
                                headers={"Accept": "application/json"})
    assert await response.get_json() == {
        "items": [{"label": "Branding Session (2 h × $175.00)", "amount": "350.00", "kind": "service"},
                  {"label": "Drone aerials", "amount": "300.00", "kind": "addon"}],
        "total": "650.00", "deposit": "162.50", "deposit_percent": "25", "currency": "USD", "duration_minutes": 120}


async def test_the_quote_refuses_bad_input_in_words(client):
    response = await client.get("/book/quote?service=portrait&addons=drone", headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert await response.get_json() == {"error": "Add-on(s) not offered with Portrait Session: drone.", "field": "addons"}


# ---- portal ----------------------------------------------------------------------------------------
@pytest.fixture
def portal(settings):  # type: ignore[no-untyped-def]
    return links.portal_url(settings, 5, "priya.raman@example.com").removeprefix(settings.base_url)


async def test_the_portal_shows_the_booking_and_free_times(visitor, portal):
    status, html = await visitor.text(portal)
    assert status == 200
    page = text(html)
    assert "Portrait Session ● Confirmed" in page
    assert "Tuesday 1 December 2026, 10:00–11:00" in page
    assert "Choose another time" in page
    assert 'value="2026-12-01T10:00:00-07:00"' in html  # its own time is offered (the booking is excluded)


async def test_the_portal_moves_a_booking_within_the_rules(visitor, portal, db):
    response = await visitor.post(f"{portal}/reschedule", {"start": "2026-12-02T13:00:00-07:00"})
    assert response.status_code == 303
    with db.read() as s:
        assert s.get(Booking, 5).start_at == datetime.fromisoformat("2026-12-02T13:00:00-07:00")
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "booking.reschedule")).one()
        assert entry.actor == "client:priya.raman@example.com"
    _, html = await visitor.text(portal)
    assert flashes(html) == ["Done — your session is now on Wednesday 2 December at 13:00. A confirmation email is on its way."]


async def test_the_portal_refuses_a_time_the_rules_forbid(visitor, portal, db):
    response = await visitor.post(f"{portal}/reschedule", {"start": "2026-12-05T10:00:00-07:00"})
    assert response.status_code == 422
    assert "Your booking was not moved: The studio is closed on Saturdays" in text(await response.get_data(as_text=True))
    response = await visitor.post(f"{portal}/reschedule", {"start": "whenever"})
    assert response.status_code == 422
    assert "Please choose one of the free times below." in await response.get_data(as_text=True)
    with db.read() as s:
        assert s.get(Booking, 5).start_at == datetime.fromisoformat("2026-12-01T10:00:00-07:00")


async def test_the_portal_cancels(visitor, portal, db):
    response = await visitor.post(f"{portal}/cancel", {"reason": "Moving away"})
    assert response.status_code == 303
    with db.read() as s:
        assert s.get(Booking, 5).status == "cancelled"
    _, html = await visitor.text(portal)
    assert "This booking is cancelled." in text(html)


async def test_a_tampered_link_shows_a_clear_page_and_changes_nothing(visitor, portal, db):
    bad = portal[:-3] + ("aaa" if not portal.endswith("aaa") else "bbb")
    status, html = await visitor.text(bad)
    assert status == 400
    assert "This link is not valid" in html
    response = await visitor.post(f"{bad}/cancel")
    assert response.status_code == 400
    with db.read() as s:
        assert s.get(Booking, 5).status == "confirmed"


async def test_an_expired_link_shows_a_clear_page_and_changes_nothing(visitor, portal, db, monkeypatch):
    monkeypatch.setattr(links, "PORTAL_MAX_AGE", -1)
    status, html = await visitor.text(portal)
    assert status == 410
    assert "This link has expired" in html
    response = await visitor.post(f"{portal}/reschedule", {"start": "2026-12-02T13:00:00-07:00"})
    assert response.status_code == 410
    with db.read() as s:
        assert s.get(Booking, 5).start_at == datetime.fromisoformat("2026-12-01T10:00:00-07:00")


async def test_the_portal_needs_the_csrf_token(app, portal, db):
    response = await app.test_client().post(f"{portal}/cancel", form={})
    assert response.status_code == 403
    with db.read() as s:
        assert s.get(Booking, 5).status == "confirmed"


async def test_a_past_session_cannot_be_changed_in_the_portal(visitor, settings):
    past = links.portal_url(settings, 2, "priya.raman@example.com").removeprefix(settings.base_url)
    _, html = await visitor.text(past)
    assert "This session can no longer be changed online." in html


async def test_another_clients_link_does_not_open_a_booking(visitor, settings):
    wrong = links.portal_url(settings, 5, "tom.becker@example.org").removeprefix(settings.base_url)
    status, html = await visitor.text(wrong)
    assert status == 404
    assert "We could not find this booking any more." in html


# ---- iCal -------------------------------------------------------------------------------------------
async def ical_token(db) -> str:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return s.scalars(select(Admin.ical_token)).one()


async def test_the_ical_feed_has_events_with_the_studio_tzid(client, db, admin):
    response = await client.get(f"/calendar.ics?token={await ical_token(db)}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    body = await response.get_data(as_text=True)
    cal = Calendar.from_ical(body)
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["America/Denver"]
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    priya = events["booking-5@studio.localhost"]
    assert str(priya["SUMMARY"]) == "Portrait Session – Priya Raman"
    assert priya["DTSTART"].dt == datetime.fromisoformat("2026-12-01T10:00:00-07:00")
    assert "DTSTART;TZID=America/Denver:20261201T100000" in body
    assert str(priya["STATUS"]) == "CONFIRMED"


async def test_the_ical_feed_refuses_missing_and_wrong_tokens(client, admin):
    assert (await client.get("/calendar.ics")).status_code == 401
    response = await client.get("/calendar.ics?token=guess")
    assert response.status_code == 404
    assert "This calendar link is not valid" in await response.get_data(as_text=True)


async def test_regenerating_the_token_revokes_the_old_link(browser, client, db):
    old = await ical_token(db)
    await browser.post("/admin/settings/ical")
    assert (await client.get(f"/calendar.ics?token={old}")).status_code == 404
    new = await ical_token(db)
    assert new != old
    assert (await client.get(f"/calendar.ics?token={new}")).status_code == 200
    _, html = await browser.text("/admin/settings")
    assert f"/calendar.ics?token={new}" in html


async def test_the_ical_feed_is_read_only(client, db, admin):
    response = await client.post(f"/calendar.ics?token={await ical_token(db)}")
    assert response.status_code == 405
