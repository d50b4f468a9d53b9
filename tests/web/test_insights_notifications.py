"""Insights charts and the notification centre (list, mark read, live stream)."""
from __future__ import annotations

import asyncio
import json
import re
from html import unescape

from sqlalchemy import select

from admin_web.console import notifications as notes
from models import Notification
from models.repo.bookings import notify

from .conftest import flashes


def text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


async def test_insights_show_real_charts_with_printed_values(browser):
    status, html = await browser.text("/admin/insights")
    assert status == 200
    assert html.count('<svg class="chart"') == 2
    assert '<title>Revenue per month</title>' in html
    assert '<title>Sessions per month by status</title>' in html
    page = text(html)
    # demo: completed Oct 16 branding ($350 + drone $300) and Oct 20 portrait ($250); Nov 10 portrait + film look
    assert "2026-10 $900.00 2" in page
    assert "2026-11 $325.00 1" in page
    assert "Repeat clients 33.3 % 1 of 3 clients booked twice or more" in page  # Priya; Alicia and Tom once
    assert "Unpaid deposits $0.00" in page
    assert "free " in page  # upcoming gaps listed


async def test_insights_for_one_service_and_an_unknown_one(browser):
    assert (await browser.get("/admin/insights?service=portrait")).status_code == 200
    response = await browser.get("/admin/insights?service=nope")
    assert response.status_code == 400
    assert "Unknown service &#39;nope&#39;." in await response.get_data(as_text=True)


async def test_unpaid_deposits_are_listed(browser, pending):
    _, html = await browser.text("/admin/insights")
    page = text(html)
    assert "Unpaid deposits $62.50 1 upcoming booking" in page
    assert f'href="/admin/bookings/{pending}"' in html


async def test_notifications_list_and_mark_read(browser, db, pending):
    status, html = await browser.text("/admin/notifications")
    assert status == 200
    assert "New booking request: Portrait Session for Dana Whitfield" in html
    assert "1 unread" in html
    with db.read() as s:
        note_id = s.scalars(select(Notification.id)).one()
    response = await browser.post(f"/admin/notifications/{note_id}/read", {"next": "https://evil.example/"})
    assert response.headers["Location"] == "/admin/notifications"
    with db.read() as s:
        assert s.get(Notification, note_id).read_at is not None
    _, html = await browser.text("/admin/notifications?show=unread")
    assert "Nothing unread" in html


async def test_mark_all_read(browser, db):
    with db.write() as s:
        notify(s, "payment_due", "Deposit due: Wedding for Alicia")
        notify(s, "shoot_soon", "Tomorrow 10:00: Priya")
    await browser.post("/admin/notifications/read-all")
    _, html = await browser.text("/admin/notifications")
    assert flashes(html) == ["Marked 2 notifications as read."]
    assert "0 unread" in html


async def test_the_unread_count_is_in_the_sidebar(browser, pending):
    _, html = await browser.text("/admin/calendar")
    assert '<span class="badge-dot" data-unread-badge >1</span>' in html


async def test_the_stream_pushes_the_count_and_new_notifications(app, browser, db, monkeypatch):
    monkeypatch.setattr(notes, "POLL_SECONDS", 0.05)
    monkeypatch.setattr(notes, "STREAM_SECONDS", 0.5)
    async with browser.client.request("/admin/notifications/stream") as connection:
        await connection.send_complete()
        first = await asyncio.wait_for(connection.receive(), 5)
        assert b'event: unread\ndata: {"count": 0}' in first
        with db.write() as s:
            notify(s, "new_booking", "New booking: Headshots for Ana")
        received = b""
        while b"event: notification" not in received:
            received += await asyncio.wait_for(connection.receive(), 5)
    event = re.search(rb"event: notification\ndata: (.*)\n", received)
    assert json.loads(event.group(1))["title"] == "New booking: Headshots for Ana"


async def test_the_stream_needs_a_login(app, admin):
    response = await app.test_client().get("/admin/notifications/stream")
    assert response.status_code == 401
