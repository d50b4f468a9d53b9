"""Browser stories in Debian's Chromium (Playwright): what an owner and a client actually do."""
from __future__ import annotations

import os
import re
from datetime import datetime

import pytest
from sqlalchemy import select

from models import Booking, Client
from studiobook.links import portal_url

from .conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from .live import CHROMIUM, CHROMIUM_ARGS, LiveServer

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium (apt-get install chromium)")]


@pytest.fixture
def server(settings, db, admin):  # type: ignore[no-untyped-def]
    live = LiveServer(settings, db).start()
    yield live
    live.stop()


@pytest.fixture(scope="module")
def chromium():  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):  # type: ignore[no-untyped-def]
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def log_in(page, url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{url}/admin/calendar")
    assert "/admin/login" in page.url
    page.fill("#email", ADMIN_EMAIL)
    page.fill("#password", ADMIN_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/admin/calendar")


def test_log_in_and_see_the_demo_bookings_in_the_month_view(server, page):
    log_in(page, server.url)
    page.goto(f"{server.url}/admin/calendar?date=2026-12-01")
    entry = page.locator('a.ev[href="/admin/bookings/5"]')
    assert entry.get_attribute("title") == "10:00–11:00 Portrait Session · Priya Raman · Confirmed"
    page.goto(f"{server.url}/admin/calendar?date=2026-10-01")
    assert page.locator("a.ev.s-completed").count() == 2
    entry = page.locator('a.ev[href="/admin/bookings/2"]')
    entry.click()
    page.wait_for_url(f"{server.url}/admin/bookings/2")
    assert page.locator("h1").inner_text().strip() == "Portrait Session"


def test_approve_a_pending_booking(server, page, pending, db):
    log_in(page, server.url)
    page.click("text=Approvals")
    card = page.locator("article.q-item", has_text="Dana Whitfield")
    card.locator("button", has_text="Approve").click()
    page.wait_for_selector(".flash-success")
    assert page.locator(".flash-success").inner_text().startswith("Approved.")
    assert "All caught up" in page.content()
    with db.read() as s:
        assert s.get(Booking, pending).status == "confirmed"


def test_edit_a_service_and_see_the_slot_preview_change(server, page, db):
    log_in(page, server.url)
    page.goto(f"{server.url}/admin/services/portrait")
    total = page.locator("[data-preview-total]")
    before = int(total.get_attribute("data-preview-total"))
    page.fill("#duration", "300")
    page.wait_for_function(f"document.querySelector('[data-preview-total]').dataset.previewTotal != '{before}'")
    after = int(page.locator("[data-preview-total]").get_attribute("data-preview-total"))
    assert 0 < after < before
    page.click("text=Save service")
    page.wait_for_selector(".flash-success")
    with db.read() as s:
        assert s.scalar(select(Booking.id).limit(1)) is not None
        from models import Service

        assert s.scalars(select(Service.duration_minutes).where(Service.slug == "portrait")).one() == 300


def test_book_end_to_end_through_the_booking_page(server, page, db):
    page.goto(f"{server.url}/book")
    page.click('[data-service="portrait"]')
    page.wait_for_selector("button.avail")
    assert page.locator("[data-month-label]").inner_text() == "November 2026"
    page.locator("button.avail").first.click()
    first_slot = page.locator("[data-slot]").first
    start = first_slot.get_attribute("data-slot")
    first_slot.click()
    page.click('[data-next="extras"]')
    page.check('[data-addon="film-look"]')
    page.click('[data-next="details"]')
    page.fill("#b-name", "Robin Alvarez")
    page.fill("#b-email", "robin@example.com")
    page.fill("#bf-people", "2")
    page.click("text=Review booking")
    page.wait_for_selector("[data-summary] table.lines")
    assert "Film roll look" in page.locator("[data-summary]").inner_text()
    assert "$325.00" in page.locator("[data-summary]").inner_text()
    page.check('input[value="at_session"]')
    page.click("[data-submit]")
    page.wait_for_selector('[data-step="done"]:not([hidden])')
    assert page.locator("[data-done-title]").inner_text() == "Request received — thank you!"
    with db.read() as s:
        booking = s.scalars(select(Booking).join(Client).where(Client.email == "robin@example.com")).one()
        assert (booking.status, booking.payment_choice, booking.addon_slugs) == ("pending", "at_session", ["film-look"])
        assert booking.start_at == datetime.fromisoformat(start)
        assert booking.fields == {"people": 2}


def test_booking_errors_are_shown_inline_in_words(server, page):
    page.goto(f"{server.url}/book?service=wedding")
    page.wait_for_selector("button.avail")
    page.locator("button.avail").first.click()
    page.locator("[data-slot]").first.click()
    page.click('[data-next="extras"]')
    page.click('[data-next="details"]')
    error = page.locator('[data-err-for="location"]')
    assert error.inner_text() == "Please tell us where the session should take place."


def test_reschedule_through_a_portal_link(server, page, db):
    url = portal_url(server.settings, 5, "priya.raman@example.com")
    page.goto(url)
    assert "Tuesday 1 December 2026, 10:00–11:00" in page.locator("main").inner_text()
    page.locator("summary", has_text="Wednesday 2 December 2026").click()
    choice = page.locator('input[name="start"][value="2026-12-02T13:00:00-07:00"]')
    choice.check()
    page.click("text=Move my booking")
    page.wait_for_selector(".flash-success")
    assert re.search(r"now on Wednesday 2 December at 13:00", page.locator(".flash-success").inner_text())
    with db.read() as s:
        assert s.get(Booking, 5).start_at == datetime.fromisoformat("2026-12-02T13:00:00-07:00")


def test_drag_a_session_in_the_week_view(server, page, db):
    log_in(page, server.url)
    page.goto(f"{server.url}/admin/calendar?view=week&date=2026-12-01")
    block = page.locator('[data-move="5"]')
    top = float(block.evaluate("el => el.offsetTop"))
    page.drag_and_drop('[data-move="5"]', '[data-drop-date="2026-12-05"]', source_position={"x": 10, "y": 5},
                       target_position={"x": 10, "y": top + 5})
    dialog = page.locator("[data-move-dialog]")
    dialog.wait_for(state="visible")
    assert "The studio is closed on Saturdays" in dialog.inner_text()
    page.click("[data-move-cancel]")
    page.drag_and_drop('[data-move="5"]', '[data-drop-date="2026-12-02"]', source_position={"x": 10, "y": 5},
                       target_position={"x": 10, "y": top + 5})
    page.wait_for_selector(".flash-success")
    assert page.locator(".flash-success span").inner_text() == "Moved to Wednesday 2 December, 10:00."
    with db.read() as s:
        assert s.get(Booking, 5).start_at == datetime.fromisoformat("2026-12-02T10:00:00-07:00")


def test_ask_the_question_bot_from_any_admin_page(server, page):
    log_in(page, server.url)
    page.goto(f"{server.url}/admin/clients")
    page.click("[data-bot-open]")
    page.fill("#bot-q", "How much revenue in November 2026?")
    page.press("#bot-q", "Enter")
    answer = page.locator(".bot-a:not(.loading)").last
    answer.locator("table").wait_for()
    assert answer.inner_text().startswith("Revenue for November 2026: $325.00 from 1 booking")
    assert answer.locator("td").first.inner_text() == "325.00"
