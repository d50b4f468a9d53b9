"""benchmarks.history: a seeded, known history that both backends accept (PostgreSQL's exclusion
constraint included), and the bot's figures on it agree with figures computed from the records."""
from __future__ import annotations

from collections import Counter
from datetime import datetime

import pytest
from zoneinfo import ZoneInfo
from sqlalchemy import func, select

from assistant.admin_bot import answer_question
from benchmarks.eval_admin import Truth, check
from benchmarks.history import generate_history
from models import Booking, Client, Payment

from ..conftest import demo_data


def test_history_is_inserted_as_returned(db):
    history = generate_history(db, seed=3, clients=40, bookings=300)
    with db.read() as s:
        assert s.scalar(select(func.count(Booking.id))) == 300 + 6  # plus the demo's six
        assert s.scalar(select(func.count(Client.id))) == 40 + 3
        assert s.scalar(select(func.count(Payment.id))) == len(history.payments) + 5
        total = s.scalar(select(func.sum(Booking.total_cents)).where(Booking.source == "history"))
    assert total == sum(b["total_cents"] for b in history.bookings)
    statuses = Counter(b["status"] for b in history.bookings)
    assert set(statuses) <= {"completed", "cancelled", "no_show", "declined", "confirmed", "pending"}
    assert all(b["status"] in ("confirmed", "pending", "cancelled") for b in history.bookings if b["start"] >= history.now)


def test_same_seed_same_history(db, tmp_path):
    from models import Database
    from models.migrate import upgrade
    from models.repo.loader import load_studio

    other = Database(f"sqlite:///{tmp_path}/other.db")
    upgrade(other)
    load_studio(other, demo_data())
    a = generate_history(db, seed=5, clients=20, bookings=50)
    b = generate_history(other, seed=5, clients=20, bookings=50)
    other.dispose()
    assert [(x["service"], x["start"], x["total_cents"], x["status"]) for x in a.bookings] == \
           [(x["service"], x["start"], x["total_cents"], x["status"]) for x in b.bookings]


def test_a_second_call_adds_more_history(db):
    generate_history(db, seed=1, clients=10, bookings=20)
    generate_history(db, seed=1, clients=10, bookings=20)
    with db.read() as s:
        assert s.scalar(select(func.count(Client.id))) == 3 + 20


def _active_blocks_overlap(blocks: list[tuple[datetime, datetime]]) -> bool:
    blocks.sort()
    return any(b[0] < a[1] for a, b in zip(blocks, blocks[1:]))


def test_active_bookings_never_overlap_on_postgresql(pg_db):
    """A dense history (many future sessions) goes through the EXCLUDE constraint untouched."""
    generate_history(pg_db, seed=2, clients=100, bookings=2000)
    with pg_db.read() as s:
        rows = s.execute(select(Booking.block_start, Booking.block_end)
                         .where(Booking.status.in_(("pending", "confirmed")))).all()
    assert len(rows) > 50
    assert not _active_blocks_overlap([(r[0], r[1]) for r in rows])


@pytest.mark.parametrize("question, spec", [
    ("What was revenue last month?", {"kind": "revenue", "from": "2026-10-01", "to": "2026-10-31"}),
    ("Who booked most last month?", {"kind": "top_bookings", "from": "2026-10-01", "to": "2026-10-31"}),
    ("Which weekdays are busiest for portraits?", {"kind": "busiest_weekday", "service": "portrait"}),
    ("What's the total outstanding balance?", {"kind": "outstanding"}),
    ("What's the chat to booking conversion rate?", {"kind": "conversion"}),
])
def test_bot_agrees_with_the_records_on_both_backends(any_db, settings, question, spec):
    history = generate_history(any_db, seed=1, clients=60, bookings=400)
    # the demo's own bookings are in the database too: count them into the truth as history records
    truth = Truth(_with_demo(any_db, history), ZoneInfo("America/Denver"),
                  {s["slug"]: s["title"] for s in demo_data()["services"]},
                  {a["slug"]: a["title"] for a in demo_data()["addons"]})
    result = answer_question(any_db, settings, question, llm=None)
    assert check(result.answer, truth.expect(spec)) == [], result.answer


def _with_demo(db, history):
    """Add the demo studio's rows (loaded by the fixture) to the generator's records, read plainly."""
    from models import Conversation

    with db.read() as s:
        for b in s.scalars(select(Booking).where(Booking.source == "import")):
            history.bookings.append({"id": b.id, "client_id": b.client_id, "service": b.service.slug,
                                     "start": b.start_at, "status": b.status, "total_cents": b.total_cents,
                                     "deposit_cents": b.deposit_cents, "payment_status": b.payment_status,
                                     "payment_choice": b.payment_choice, "addons": b.addon_slugs,
                                     "created_at": b.created_at, "conversation_id": b.conversation_id})
            for p in b.payments:
                history.payments.append({"booking_id": b.id, "kind": p.kind, "amount_cents": p.amount_cents,
                                         "received_at": p.received_at})
        known = {c["id"] for c in history.clients}
        for c in s.scalars(select(Client)):
            if c.id not in known:
                history.clients.append({"id": c.id, "name": c.name, "email": c.email, "phone": c.phone,
                                        "tags": c.tag_names, "created_at": c.created_at})
        assert s.scalar(select(func.count(Conversation.id))) == len(history.conversations)
    return history
