"""The calendar's month, week and day views."""
from __future__ import annotations

import re
from html import unescape


async def test_month_view_shows_the_demo_sessions_with_their_status_in_words(browser):
    status, html = await browser.text("/admin/calendar?view=month&date=2026-12-01")
    assert status == 200
    assert "<h1>December 2026</h1>" in html
    entry = re.search(r'<a class="ev s-confirmed" style="--svc: #4f86c6" href="/admin/bookings/5" title="([^"]+)"', html)
    assert entry and entry.group(1) == "10:00–11:00 Portrait Session · Priya Raman · Confirmed"
    assert html.count("Holiday break") == 11  # 23 December to 2 January, all inside the grid


async def test_month_view_marks_closed_days_and_today(browser):
    _, html = await browser.text("/admin/calendar?date=2026-11-01")
    assert re.search(r'class="day today"[^>]*>\s*<a class="num" href="/admin/calendar\?view=day&date=2026-11-24"', html)
    assert 'aria-label="Tuesday 10 November 2026, 1 session"' in html


async def test_week_view_places_sessions_on_the_time_grid(browser):
    status, html = await browser.text("/admin/calendar?view=week&date=2026-12-02")
    assert status == 200
    assert "<h1>30 Nov – 6 Dec 2026</h1>" in html
    block = re.search(r'<a class="blk s-confirmed" href="/admin/bookings/5" draggable="true" data-move="5" '
                      r'title="Drag to move, or open to edit" style="--svc: #4f86c6; top: ([\d.]+)px; height: ([\d.]+)px', html)
    assert block and block.groups() == ("104.0", "50.0")  # 10:00 on a grid from 8:00, 52 px per hour
    assert "● Confirmed" in html


async def test_day_view_lists_sessions_and_opening_hours(browser):
    status, html = await browser.text("/admin/calendar?view=day&date=2026-12-01")
    assert status == 200
    assert "Open 9:00–16:00." in html
    assert "1 session." in html
    assert '<span class="when">10:00–11:00</span>' in html


async def test_day_view_says_why_a_day_is_closed(browser):
    _, html = await browser.text("/admin/calendar?view=day&date=2026-12-08")
    assert "Closed: Workshop." in html


async def test_a_bad_view_or_date_is_a_readable_400(browser):
    response = await browser.get("/admin/calendar?view=year")
    assert response.status_code == 400
    assert "The calendar view must be month, week or day." in await response.get_data(as_text=True)
    response = await browser.get("/admin/calendar?date=2026-13-45")
    assert response.status_code == 400
    assert "'date' must be a date like 2026-12-03, got '2026-13-45'." in unescape(await response.get_data(as_text=True))


async def test_pending_bookings_are_dashed_and_labelled(browser, pending):
    _, html = await browser.text("/admin/calendar?date=2026-12-01")
    assert re.search(rf'<a class="ev s-pending" style="--svc: #4f86c6" href="/admin/bookings/{pending}" title="10:00–11:00 Portrait Session · Dana Whitfield · Pending"', html)
