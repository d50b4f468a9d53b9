"""The shared scripted conversations (../shared/fixtures/conversations.jsonl) through our agent.

Chat cases go through POST /api/chat with the test client, email cases through ``handle_message``
as the mailroom calls it (the first mail of a thread is unverified, replies on our thread are
verified). A reply that mentions a code makes the client read the newest mail to ``verify_email``
and send "The code is NNNNNN" first, as the evaluation does. Expectations are checked in the DB.
"""
from __future__ import annotations

import json
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # the helpers module beside this file (no package here)
from agent_support import SHARED, Chat, EmailThread, _no_model, active_bookings, latest_code  # noqa: F401

CASES = [json.loads(line) for line in (SHARED / "fixtures" / "conversations.jsonl").read_text().splitlines()
         if line.strip()]


def _text(message: Any) -> str:
    return message["text"] if isinstance(message, dict) else message


def _check(case: dict[str, Any], db: Any, replies: list[str]) -> None:
    expect = case["expect"]
    rows = active_bookings(db)
    transcript = "\n".join(replies).lower()
    if "booking" in expect:
        b = expect["booking"]
        from agent_support import booking_at

        booking = booking_at(db, b["start"])
        assert booking is not None, f"no booking at {b['start']}; replies:\n{transcript}"
        assert (booking.service.slug, sorted(booking.addon_slugs), booking.client.email) == \
               (b["service"], sorted(b["addons"]), b["client_email"])
    if expect.get("no_booking"):
        assert len(rows) == 2, rows
    if "no_booking_at" in expect:
        assert all(r[0] != expect["no_booking_at"] for r in rows)
    if "reply_contains_any" in expect:
        assert any(w.lower() in transcript for w in expect["reply_contains_any"]), transcript
    if "reply_contains_all" in expect:
        assert all(w.lower() in transcript for w in expect["reply_contains_all"]), transcript
    for w in expect.get("reply_not_contains", []):
        assert w.lower() not in transcript


@pytest.mark.parametrize("case", [c for c in CASES if c["channel"] == "chat"], ids=lambda c: c["id"])
async def test_chat_case(case: dict[str, Any], settings, db) -> None:  # type: ignore[no-untyped-def]
    from admin_web.app import create_app

    app = create_app(replace(settings, now=case["now"]), db)
    chat = Chat(app.test_client())
    timings = []
    for message in case["messages"]:
        started = time.perf_counter()
        reply = await chat.say(_text(message))
        timings.append(time.perf_counter() - started)
        if case.get("verify_email") and "code" in reply.lower():
            await chat.say(f"The code is {latest_code(db, case['verify_email'])}")
    _check(case, db, chat.replies)
    assert max(timings) < 2.5, timings


@pytest.mark.parametrize("case", [c for c in CASES if c["channel"] == "email"], ids=lambda c: c["id"])
def test_email_case(case: dict[str, Any], settings, db) -> None:  # type: ignore[no-untyped-def]
    thread = EmailThread(db, replace(settings, now=case["now"]), case["client"]["email"], case["client"]["name"])
    for i, message in enumerate(case["messages"]):
        thread.write(_text(message), verified=i > 0)  # replies arrive on our thread's secret address
    _check(case, db, thread.replies)


def test_every_shared_case_is_replayed() -> None:
    assert len(CASES) >= 11
    assert {c["channel"] for c in CASES} == {"chat", "email"}
