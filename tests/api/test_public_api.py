"""The public JSON API exactly as CONTRACT.md describes it, and its answers to bad input."""
from __future__ import annotations

import pytest

DANA = {"name": "Dana Whitfield", "email": "dana@example.com", "phone": "303-555-0188"}


async def test_services_list_prices_addons_and_fields(client):
    services = await (await client.get("/api/services")).get_json()
    by_slug = {s["slug"]: s for s in services}
    assert list(by_slug) == ["portrait", "family-mini", "branding", "headshots", "wedding"]
    assert by_slug["portrait"]["price"] == "250.00"
    assert by_slug["portrait"]["duration_minutes"] == 60
    assert by_slug["branding"]["pricing"] == {"kind": "per_hour", "price": "175.00"}
    assert by_slug["branding"]["price"] == "350.00"
    wedding_addons = {a["slug"]: (a["title"], a["price"]) for a in by_slug["wedding"]["addons"]}
    assert wedding_addons == {"drone": ("Drone aerials", "300.00"), "second-shooter": ("Second shooter", "600.00"),
                              "extra-hour": ("Extra hour", "150.00"), "film-look": ("Film roll look", "75.00")}
    assert by_slug["wedding"]["fields"][0] == {"name": "venue", "label": "Venue name", "type": "text", "required": True}


async def test_availability_is_in_the_studio_zone_with_the_offset_of_each_instant(client):
    body = await (await client.get("/api/availability?service=headshots&from=2027-03-12&to=2027-03-15")).get_json()
    starts = [s["start"] for s in body["slots"]]
    assert starts[0] == "2027-03-12T09:00:00-07:00"  # Friday, before the DST change
    assert "2027-03-15T09:00:00-06:00" in starts  # Monday, after it
    assert not any(s.startswith(("2027-03-13", "2027-03-14")) for s in starts)  # weekend


async def test_availability_respects_existing_bookings_and_buffers(client):
    body = await (await client.get("/api/availability?service=portrait&from=2026-12-01&to=2026-12-01")).get_json()
    starts = [s["start"][11:16] for s in body["slots"]]
    # Priya 10:00-11:00 (+15 min each side) blocks every start from 08:30+ that would reach 9:45..11:15
    assert starts == ["11:30", "12:00", "12:30", "13:00", "13:30", "14:00", "14:30", "15:00"]


async def test_availability_with_an_addon_that_extends_the_session(client):
    body = await (await client.get("/api/availability?service=portrait&from=2026-12-03&to=2026-12-03&addons=extra-hour")).get_json()
    assert body["slots"][-1] == {"start": "2026-12-03T14:00:00-07:00", "end": "2026-12-03T16:00:00-07:00"}


@pytest.mark.parametrize("query, message", [
    ("service=portrait&from=2026-13-01&to=2026-12-02", "'from' must be a date like 2026-12-03"),
    ("from=2026-12-01&to=2026-12-02", "'service' is required"),
    ("service=portrait&from=2026-12-05&to=2026-12-01", "'to' must not be before 'from'"),
    ("service=portrait&from=2026-01-01&to=2028-12-31", "at most 400 days"),
])
async def test_bad_availability_queries_get_400_with_a_reason(client, query, message):
    response = await client.get(f"/api/availability?{query}")
    assert response.status_code == 400
    assert message in (await response.get_json())["error"]


async def test_unknown_service_is_404(client):
    response = await client.get("/api/availability?service=boudoir&from=2026-12-01&to=2026-12-02")
    assert response.status_code == 404
    assert (await response.get_json())["error"] == "Unknown service 'boudoir'."


async def test_booking_created_with_total_and_status(client, admin_headers):
    response = await client.post("/api/bookings", json={
        "service": "wedding", "start": "2027-06-19T12:00:00-06:00", "addons": ["drone", "second-shooter"],
        "client": DANA, "fields": {"venue": "Chautauqua", "guests": "80"}, "location": "Chautauqua Park",
        "payment": "deposit", "notes": None})
    assert response.status_code == 201
    body = await response.get_json()
    assert (body["status"], body["total"], body["deposit"]) == ("pending", "4100.00", "1230.00")
    assert body["end"] == "2027-06-19T20:00:00-06:00"
    listed = await (await client.get("/admin/api/bookings?from=2027-06-19&to=2027-06-19", headers=admin_headers)).get_json()
    assert [(b["id"], b["addons"], b["client"]["email"], b["location"]) for b in listed] == [
        (body["id"], ["drone", "second-shooter"], "dana@example.com", "Chautauqua Park")]


async def test_start_without_offset_is_studio_local_and_z_is_accepted(client):
    local = await client.post("/api/bookings", json={"service": "headshots", "start": "2026-12-03T09:00:00", "client": DANA})
    assert (await local.get_json())["start"] == "2026-12-03T09:00:00-07:00"
    utc = await client.post("/api/bookings", json={"service": "headshots", "start": "2026-12-03T17:00:00Z", "client": DANA})
    assert (await utc.get_json())["start"] == "2026-12-03T10:00:00-07:00"


@pytest.mark.parametrize("payload, status, field", [
    ({"service": "portrait", "start": "next tuesday", "client": DANA}, 400, "start"),
    ({"service": "portrait", "start": "2026-12-03", "client": DANA}, 400, "start"),
    ({"service": "portrait", "start": "2026-12-03T10:00:00-07:00"}, 400, "client"),
    ({"service": "portrait", "start": "2026-12-03T10:00:00-07:00", "client": {"name": "A", "email": "not-an-email"}}, 422, "client.email"),
    ({"service": "portrait", "start": "2026-12-03T10:00:00-07:00", "client": {"email": "a@b.co"}}, 422, "client.name"),
    ({"service": "portrait", "start": "2026-12-03T10:00:00-07:00", "client": DANA, "payment": "bitcoin"}, 422, "payment"),
    ({"service": "portrait", "start": "2026-12-03T10:00:00-07:00", "client": DANA, "addons": "drone"}, 400, "addons"),
    ({"service": "portrait", "start": "2026-12-03T10:15:00-07:00", "client": DANA}, 422, "start"),
    ({"service": "portrait", "start": "2026-12-03T17:00:00-07:00", "client": DANA}, 422, "start"),
    ({"service": "nope", "start": "2026-12-03T10:00:00-07:00", "client": DANA}, 422, "service"),
    ({"service": "wedding", "start": "2026-12-12T12:00:00-07:00", "client": DANA, "fields": {"venue": "X"}}, 422, "start"),
])
async def test_bad_bookings_are_refused_with_a_reason_and_nothing_stored(client, admin_headers, payload, status, field):
    before = await (await client.get("/admin/api/bookings", headers=admin_headers)).get_json()
    response = await client.post("/api/bookings", json=payload)
    assert response.status_code == status
    body = await response.get_json()
    assert body["field"] == field and body["error"]
    after = await (await client.get("/admin/api/bookings", headers=admin_headers)).get_json()
    assert after == before


async def test_malformed_json_is_400(client):
    response = await client.post("/api/bookings", data=b"{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert (await response.get_json())["error"] == "The request body must be valid JSON."


async def test_taken_slot_is_409(client):
    first = await client.post("/api/bookings", json={"service": "portrait", "start": "2026-12-03T10:00:00-07:00", "client": DANA})
    assert first.status_code == 201
    second = await client.post("/api/bookings", json={"service": "portrait", "start": "2026-12-03T10:30:00-07:00",
                                                     "client": {**DANA, "email": "other@example.com"}})
    assert second.status_code == 409


async def test_admin_api_needs_the_token(client):
    assert (await client.get("/admin/api/bookings")).status_code == 401
    wrong = await client.get("/admin/api/bookings", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401


async def test_unknown_routes_are_json_404(client):
    response = await client.get("/api/nothing-here")
    assert response.status_code == 404
    assert (await response.get_json()) == {"error": "Not found."}
