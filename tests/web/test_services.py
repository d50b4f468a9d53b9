"""Services, add-ons and availability editors with the live slot preview (booking_core.find_slots)."""
from __future__ import annotations

import re
from html import unescape

from sqlalchemy import select

from models import AddOn, AvailabilityRule, Service, Studio

from .conftest import flashes

PORTRAIT = {"title": "Portrait Session", "description": "One hour.", "duration_minutes": "60", "pricing_kind": "fixed",
            "price": "250.00", "deposit_percent": "", "buffer_before": "15", "buffer_after": "15",
            "min_notice_hours": "", "max_per_day": "3", "color": "#4f86c6", "active": "1",
            "addons": ["extra-hour", "film-look"], "discount_kind": "", "discount_percent": "",
            "discount_weekdays": "", "discount_min_addons": "", "discount_label": "",
            "field_label": "How many people?", "field_type": "number", "field_required": "optional",
            "field_choices": "", "field_name": "people"}


def text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def preview_total(html: str) -> int:
    match = re.search(r'data-preview-total="(\d+)"', html)
    assert match, html[:500]
    return int(match.group(1))


async def test_services_list_and_editor(browser):
    status, html = await browser.text("/admin/services")
    assert status == 200
    assert "Wedding Day Coverage" in html and "Extra hour" in html
    status, html = await browser.text("/admin/services/branding")
    assert status == 200
    assert 'name="hours_fri" type="text" value="09:00–16:00"' in html
    assert preview_total(html) > 0


async def test_the_preview_follows_unsaved_changes(browser):
    short = await browser.post("/admin/services/preview", {**PORTRAIT, "slug": "portrait"})
    long = await browser.post("/admin/services/preview", {**PORTRAIT, "slug": "portrait", "duration_minutes": "300"})
    assert short.status_code == long.status_code == 200
    n_short, n_long = preview_total(await short.get_data(as_text=True)), preview_total(await long.get_data(as_text=True))
    assert n_short > n_long > 0
    fridays = await browser.post("/admin/services/preview", {**PORTRAIT, "slug": "portrait", "own_hours": "1",
                                                             "hours_fri": "10:00-12:00"})
    html = await fridays.get_data(as_text=True)
    assert re.findall(r'<span class="slot-pill">([^<]+)</span>', html) == ["10:00", "10:30", "11:00"] * 2


async def test_the_preview_matches_the_public_api(browser, client):
    html = await (await browser.post("/admin/services/preview", {**PORTRAIT, "slug": "portrait"})).get_data(as_text=True)
    body = await (await client.get("/api/availability?service=portrait&from=2026-11-24&to=2026-12-07")).get_json()
    assert preview_total(html) == len(body["slots"])


async def test_the_preview_explains_bad_input(browser):
    response = await browser.post("/admin/services/preview", {**PORTRAIT, "duration_minutes": "soon"})
    assert "The duration must be a whole number, not &#39;soon&#39;." in await response.get_data(as_text=True)


async def test_saving_a_service(browser, db):
    response = await browser.post("/admin/services/portrait", {**PORTRAIT, "price": "275", "duration_minutes": "90",
                                                               "discount_kind": "weekday", "discount_percent": "10",
                                                               "discount_weekdays": "mon, tue"})
    assert response.status_code == 303
    with db.read() as s:
        row = s.scalars(select(Service).where(Service.slug == "portrait")).one()
        assert (row.price_cents, row.duration_minutes, [a.slug for a in row.addons]) == (27500, 90, ["extra-hour", "film-look"])
        assert row.discounts == [{"kind": "weekday", "percent": 10, "weekdays": ["mon", "tue"]}]
        assert row.fields == [{"name": "people", "label": "How many people?", "type": "number", "required": False}]
    _, html = await browser.text("/admin/services/portrait")
    assert flashes(html) == ["Saved Portrait Session. New bookings follow the new rules at once."]


async def test_own_hours_replace_the_studios(browser, db, client):
    await browser.post("/admin/services/portrait", {**PORTRAIT, "own_hours": "1", "hours_sat": "10:00–14:00"})
    body = await (await client.get("/api/availability?service=portrait&from=2026-12-05&to=2026-12-05")).get_json()
    assert [s["start"][11:16] for s in body["slots"]][:2] == ["10:00", "10:30"]
    body = await (await client.get("/api/availability?service=portrait&from=2026-12-07&to=2026-12-07")).get_json()
    assert body["slots"] == []


async def test_a_bad_service_form_is_a_422_that_keeps_what_was_typed(browser):
    response = await browser.post("/admin/services/portrait", {**PORTRAIT, "title": "Portraits!", "color": "blue"})
    assert response.status_code == 422
    html = await response.get_data(as_text=True)
    assert "The colour must look like #4f86c6." in html
    assert 'value="Portraits!"' in html
    response = await browser.post("/admin/services/portrait", {**PORTRAIT, "own_hours": "1", "hours_mon": "9-5"})
    assert "Monday: &#39;9-5&#39; is not a time range like 09:00–16:00." in await response.get_data(as_text=True)


async def test_creating_a_service(browser, db, client):
    response = await browser.post("/admin/services/new", {**PORTRAIT, "title": "Pet Portraits", "addons": []})
    assert response.headers["Location"] == "/admin/services/pet-portraits"
    services = await (await client.get("/api/services")).get_json()
    assert "pet-portraits" in [s["slug"] for s in services]


async def test_unknown_service_is_a_404(browser):
    assert (await browser.get("/admin/services/nope")).status_code == 404


async def test_add_ons_can_be_edited_and_added(browser, db):
    await browser.post("/admin/addons/drone", {"title": "Drone aerials", "pricing_kind": "fixed", "price": "350",
                                               "extends_minutes": "0", "active": "1"})
    await browser.post("/admin/addons/new", {"title": "Hair & make-up", "pricing_kind": "fixed", "price": "120",
                                             "extends_minutes": "30", "active": "1"})
    with db.read() as s:
        assert s.scalars(select(AddOn.price_cents).where(AddOn.slug == "drone")).one() == 35000
        assert s.scalars(select(AddOn.extends_minutes).where(AddOn.slug == "hair-make-up")).one() == 30
    bad = await browser.post("/admin/addons/drone", {"title": "", "pricing_kind": "fixed", "price": "1"})
    _, html = await browser.text(bad.headers["Location"])
    assert "The add-on title is required." in flashes(html)


STUDIO = {"hours_mon": "09:00–16:00", "hours_tue": "09:00–16:00", "hours_wed": "09:00–16:00",
          "hours_thu": "09:00–16:00", "hours_fri": "09:00–16:00", "hours_sat": "", "hours_sun": "",
          "slot_step_minutes": "30", "min_notice_hours": "48", "max_horizon_days": "365", "daily_hours_limit": "8",
          "max_bookings_per_day": "", "travel_minutes": "0", "deposit_percent": "25", "approval_required": "1"}


async def test_availability_page_and_preview(browser):
    status, html = await browser.text("/admin/availability")
    assert status == 200
    assert "Holiday break" in html
    base = preview_total(await (await browser.post("/admin/availability/preview",
                                                    {**STUDIO, "preview_service": "portrait"})).get_data(as_text=True))
    saturdays = preview_total(await (await browser.post("/admin/availability/preview",
                                                         {**STUDIO, "hours_sat": "10:00-12:00",
                                                          "preview_service": "portrait"})).get_data(as_text=True))
    assert saturdays == base + 6  # two Saturdays, three starts each


async def test_saving_opening_hours(browser, db, client):
    response = await browser.post("/admin/availability", {**STUDIO, "hours_sat": "10:00-12:00", "min_notice_hours": "24"})
    assert response.status_code == 303
    with db.read() as s:
        assert s.scalars(select(Studio.min_notice_hours)).one() == 24
    body = await (await client.get("/api/availability?service=portrait&from=2026-12-05&to=2026-12-05")).get_json()
    assert [x["start"][11:16] for x in body["slots"]] == ["10:00", "10:30", "11:00"]


async def test_bad_opening_hours_are_explained(browser):
    response = await browser.post("/admin/availability", {**STUDIO, "hours_mon": "16:00-09:00"})
    assert response.status_code == 422
    assert "Monday: 16:00-09:00 ends before it starts." in unescape(await response.get_data(as_text=True))


async def test_blackouts_can_be_added_and_removed(browser, db, client):
    response = await browser.post("/admin/availability/blackouts", {"start": "2026-12-14", "end": "2026-12-15",
                                                                   "reason": "Family visit"})
    assert response.status_code == 303
    body = await (await client.get("/api/availability?service=portrait&from=2026-12-14&to=2026-12-15")).get_json()
    assert body["slots"] == []
    with db.read() as s:
        rule_id = s.scalars(select(AvailabilityRule.id).where(AvailabilityRule.reason == "Family visit")).one()
    await browser.post(f"/admin/availability/blackouts/{rule_id}/delete")
    body = await (await client.get("/api/availability?service=portrait&from=2026-12-14&to=2026-12-14")).get_json()
    assert body["slots"] != []
    await browser.get("/admin/availability")  # read the earlier flashes
    bad = await browser.post("/admin/availability/blackouts", {"start": "2026-12-15", "end": "2026-12-14"})
    _, html = await browser.text(bad.headers["Location"])
    assert flashes(html) == ["The last day is before the first day."]
