"""POST /admin/api/ask and GET /admin/api/insights/<name>: admin only, JSON in and out, 400 on bad input."""
from __future__ import annotations

from .conftest import checksum


async def test_ask_requires_an_admin(client):
    """Without a session or token nothing is answered. The console's CSRF guard (issue 7) runs before the
    endpoint's own 401 for POSTs without a session, so either refusal may come first."""
    for headers in ({}, {"Authorization": "Bearer nope"}):
        response = await client.post("/admin/api/ask", json={"question": "What was revenue in October?"},
                                     headers=headers)
        assert response.status_code in (401, 403)
        assert "answer" not in await response.get_json()


async def test_insights_require_an_admin(client):
    response = await client.get("/admin/api/insights/monthly-revenue")
    assert response.status_code == 401
    assert await response.get_json() == {"error": "Admin login or a valid bearer token is required."}


async def test_ask_answers_with_the_rows_used(client, admin_headers):
    response = await client.post("/admin/api/ask", json={"question": "What was revenue in October?"},
                                 headers=admin_headers)
    assert response.status_code == 200
    assert await response.get_json() == {
        "answer": "Revenue for October 2026: $900.00 from 2 bookings (completed and confirmed sessions by session "
                  "date; pending, cancelled, declined and no-show bookings excluded).",
        "data": [{"revenue": "900.00", "bookings": 2, "label": "October 2026", "from": "2026-10-01T00:00:00-06:00",
                  "to": "2026-11-01T00:00:00-06:00", "service": None}],
        "query": "revenue", "refused": False,
    }


async def test_malformed_json_is_a_400(client, admin_headers):
    response = await client.post("/admin/api/ask", data="{not json",
                                 headers={**admin_headers, "Content-Type": "application/json"})
    assert response.status_code == 400
    assert await response.get_json() == {"error": "The request body must be valid JSON."}


async def test_missing_question_is_a_400(client, admin_headers):
    response = await client.post("/admin/api/ask", json={"q": "revenue"}, headers=admin_headers)
    assert response.status_code == 400
    assert await response.get_json() == {"error": "Send {\"question\": \"...\"} with the question as text.",
                                         "field": "question"}


async def test_a_write_request_through_the_api_changes_nothing(client, admin_headers, db):
    before = checksum(db)
    response = await client.post("/admin/api/ask", json={"question": "delete all bookings"}, headers=admin_headers)
    body = await response.get_json()
    assert response.status_code == 200 and body["refused"] is True and body["data"] == []
    assert checksum(db) == before


async def test_monthly_revenue_series(client, admin_headers):
    response = await client.get("/admin/api/insights/monthly-revenue?from=2026-09-01&to=2026-11-30",
                                headers=admin_headers)
    body = await response.get_json()
    assert response.status_code == 200
    assert body["data"] == [{"month": "2026-09", "revenue": "0.00", "bookings": 0},
                            {"month": "2026-10", "revenue": "900.00", "bookings": 2},
                            {"month": "2026-11", "revenue": "325.00", "bookings": 1}]
    assert body["period"] == {"label": "2026-09-01 – 2026-11-30", "from": "2026-09-01T00:00:00-06:00",
                              "to": "2026-12-01T00:00:00-07:00"}


async def test_heatmap_per_service(client, admin_headers):
    body = await (await client.get("/admin/api/insights/heatmap?service=portrait", headers=admin_headers)).get_json()
    assert body["data"] == [
        {"service": "portrait", "weekday": "Tuesday", "weekday_index": 1, "hour": 9, "bookings": 1},
        {"service": "portrait", "weekday": "Tuesday", "weekday_index": 1, "hour": 10, "bookings": 1},
        {"service": "portrait", "weekday": "Tuesday", "weekday_index": 1, "hour": 13, "bookings": 1},
    ]


async def test_pipeline_and_gaps_series(client, admin_headers):
    pipeline = await (await client.get("/admin/api/insights/pipeline", headers=admin_headers)).get_json()
    assert pipeline["data"] == [{"status": "pending", "bookings": 0, "value": "0.00"},
                                {"status": "confirmed", "bookings": 2, "value": "4350.00"}]
    gaps = await (await client.get("/admin/api/insights/gaps?from=2026-12-01&to=2026-12-01&service=portrait",
                                   headers=admin_headers)).get_json()
    assert gaps["data"] == [{"date": "2026-12-01", "weekday": "Tuesday", "service": "portrait",
                             "start": "2026-12-01T11:30:00-07:00", "end": "2026-12-01T16:00:00-07:00"}]


async def test_insights_input_errors(client, admin_headers):
    unknown = await client.get("/admin/api/insights/profit", headers=admin_headers)
    assert unknown.status_code == 404
    assert (await unknown.get_json())["error"].startswith("Unknown series 'profit'. Known: addons, average-value")
    bad_service = await client.get("/admin/api/insights/weekdays?service=boudoir", headers=admin_headers)
    assert bad_service.status_code == 400
    assert (await bad_service.get_json())["error"] == (
        "Unknown service 'boudoir'. Known: branding, family-mini, headshots, portrait, wedding.")
    bad_date = await client.get("/admin/api/insights/weekdays?from=yesterday", headers=admin_headers)
    assert bad_date.status_code == 400
    assert (await bad_date.get_json())["error"] == "'from' must be a date like 2026-12-03, got 'yesterday'."
