"""POST /api/chat exactly as CONTRACT.md, its input errors, rate limit, and the widget files."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from agent_support import _no_model  # noqa: E402,F401

from admin_web.chat_api import SlidingWindow  # noqa: E402


async def test_a_new_conversation_gets_an_id_a_reply_and_no_booking(client) -> None:
    response = await client.post("/api/chat", json={"conversation_id": None, "message": "How much is a portrait?"})
    assert response.status_code == 200
    body = await response.get_json()
    assert list(body) == ["conversation_id", "reply", "booking"]
    assert len(body["conversation_id"]) == 32 and body["booking"] is None
    assert body["reply"] == ("The Portrait Session costs $250.00 in total. The deposit is $62.50 (25 %). "
                             "Would you like me to look for a date?")


async def test_the_conversation_id_carries_the_context(client) -> None:
    first = await (await client.post("/api/chat", json={"conversation_id": None, "message": "headshots please"})).get_json()
    second = await (await client.post("/api/chat", json={"conversation_id": first["conversation_id"],
                                                         "message": "Monday December 7 at 2pm"})).get_json()
    assert second["conversation_id"] == first["conversation_id"]
    assert second["reply"].startswith("Monday, December 7 at 2:00 PM is free.")


async def test_an_unknown_or_foreign_conversation_id_starts_afresh_and_reveals_nothing(client, db) -> None:
    from models import Conversation

    with db.write() as session:
        mail_thread = Conversation(channel="email", email="priya.raman@example.com",
                                   state={"service": "portrait", "email": "priya.raman@example.com"})
        session.add(mail_thread)
        session.flush()
        foreign = mail_thread.id
    for cid in ("does-not-exist", foreign):
        body = await (await client.post("/api/chat", json={"conversation_id": cid, "message": "yes"})).get_json()
        assert body["conversation_id"] not in (cid, foreign)
        assert "priya" not in body["reply"].lower() and body["booking"] is None


async def test_malformed_json_is_a_400_with_a_readable_error(client) -> None:
    response = await client.post("/api/chat", data="{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert await response.get_json() == {"error": "The request body must be valid JSON."}


async def test_a_missing_message_is_a_400(client) -> None:
    response = await client.post("/api/chat", json={"conversation_id": None})
    assert response.status_code == 400
    assert await response.get_json() == {"error": "'message' is required: the client's text as a non-empty string.",
                                         "field": "message"}


async def test_a_non_string_conversation_id_is_a_400(client) -> None:
    response = await client.post("/api/chat", json={"conversation_id": 7, "message": "hi"})
    assert response.status_code == 400
    assert (await response.get_json())["field"] == "conversation_id"


async def test_a_too_long_message_is_a_422(client) -> None:
    response = await client.post("/api/chat", json={"conversation_id": None, "message": "a" * 4001})
    assert response.status_code == 422
    assert await response.get_json() == {"error": "The message is too long (4000 characters at most).",
                                         "field": "message"}


async def test_a_flood_from_one_conversation_gets_429_with_retry_after(client) -> None:
    first = await (await client.post("/api/chat", json={"conversation_id": None, "message": "hi"})).get_json()
    statuses = []
    for _ in range(21):
        response = await client.post("/api/chat", json={"conversation_id": first["conversation_id"], "message": "hi"})
        statuses.append(response.status_code)
    assert statuses[:20] == [200] * 20 and statuses[20] == 429
    assert int(response.headers["Retry-After"]) >= 1
    assert "wait" in (await response.get_json())["error"]


def test_sliding_window_forgets_old_hits() -> None:
    window = SlidingWindow(2, 10.0)
    assert [window.hit("k", 0.0), window.hit("k", 1.0), window.hit("k", 2.0)] == [None, None, 8]
    assert window.hit("k", 10.5) is None


async def test_widget_script_and_styles_are_served(client) -> None:
    js = await client.get("/widget.js")
    assert js.status_code == 200 and js.headers["Content-Type"].startswith("application/javascript")
    source = await js.get_data(as_text=True)
    for needle in ('"/api/chat"', "sessionStorage", 'role: "log"', '"aria-live": "polite"', '"aria-expanded"',
                   "Escape", "textContent"):
        assert needle in source
    assert "innerHTML" not in source
    css = await client.get("/widget.css")
    assert css.status_code == 200 and css.headers["Content-Type"].startswith("text/css")
    assert "@media (max-width: 480px)" in await css.get_data(as_text=True)


async def test_many_conversations_from_one_outside_address_are_throttled_but_loopback_is_not(client) -> None:
    """60 new conversations a minute per address; the studio's own machine (loopback) is never throttled."""
    outside = {"client": ("203.0.113.9", 40000)}
    statuses = [(await client.post("/api/chat", json={"conversation_id": None, "message": "hi"},
                                   scope_base=outside)).status_code for _ in range(61)]
    assert statuses[:60] == [200] * 60 and statuses[60] == 429
    local = {"client": ("127.0.0.1", 40000)}
    statuses = [(await client.post("/api/chat", json={"conversation_id": None, "message": "hi"},
                                   scope_base=local)).status_code for _ in range(70)]
    assert set(statuses) == {200}
