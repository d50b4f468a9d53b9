"""The Foundation's "done when" story, through the public API on the demo studio."""
from __future__ import annotations


async def test_portrait_slots_start_at_nine_on_december_3(client):
    response = await client.get("/api/availability?service=portrait&from=2026-12-03&to=2026-12-03")
    assert response.status_code == 200
    body = await response.get_json()
    assert body["timezone"] == "America/Denver"
    assert body["slots"][0] == {"start": "2026-12-03T09:00:00-07:00", "end": "2026-12-03T10:00:00-07:00"}


async def test_no_slots_in_the_holiday_break(client):
    body = await (await client.get("/api/availability?service=portrait&from=2026-12-28&to=2026-12-28")).get_json()
    assert body["slots"] == []


async def test_branding_never_on_a_wednesday(client):
    body = await (await client.get("/api/availability?service=branding&from=2026-12-09&to=2026-12-09")).get_json()
    assert body["slots"] == []


async def test_booking_tomorrow_is_refused_for_notice(client):
    response = await client.post("/api/bookings", json={
        "service": "portrait", "start": "2026-11-25T10:00:00-07:00",
        "client": {"name": "Dana Whitfield", "email": "dana@example.com", "phone": ""}})
    assert response.status_code == 422
    assert "notice" in (await response.get_json())["error"]
