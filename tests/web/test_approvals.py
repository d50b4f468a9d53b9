"""The approvals queue: approve, decline, propose another time, and hand-overs."""
from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import select

from models import AuditEntry, Booking, ContactEvent, Conversation, Message, OutboxMail

from .conftest import flashes


def text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


@pytest.fixture
def mail_hook(settings):  # type: ignore[no-untyped-def]
    """The mailroom's lifecycle hook, as `studiobook serve` installs it."""
    from mailroom import lifecycle

    lifecycle.install(settings)
    yield
    lifecycle.uninstall()


@pytest.fixture
def handed_over(db):  # type: ignore[no-untyped-def]
    with db.write() as s:
        convo = Conversation(channel="email", email="sam@example.net", subject="Elopement in Estes Park?",
                             status="handed_over")
        s.add(convo)
        s.flush()
        s.add(Message(conversation_id=convo.id, direction="in", channel="email", sender="sam@example.net",
                      body="Do you do three-hour elopements?", mail_message_id="<m1@example.net>"))
        return convo.id


async def test_the_queue_lists_requests_and_hand_overs(browser, pending, handed_over):
    status, html = await browser.text("/admin/approvals")
    assert status == 200
    page = text(html)
    assert "Booking requests (1)" in page
    assert "Portrait Session · Dana Whitfield" in page
    assert "Thursday 3 December 2026, 10:00–11:00" in page
    assert "$250.00 total · $62.50 deposit (pays deposit)" in page
    assert "Handed over by the assistant (1)" in page
    assert "Do you do three-hour elopements?" in page


async def test_an_empty_queue_says_so(browser):
    _, html = await browser.text("/admin/approvals")
    assert "All caught up" in html and "No hand-overs" in html


async def test_approve_confirms_logs_and_queues_the_mail(browser, db, pending, mail_hook):
    response = await browser.post(f"/admin/approvals/{pending}/approve")
    assert response.status_code == 303
    with db.read() as s:
        assert s.get(Booking, pending).status == "confirmed"
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "booking.confirmed")).one()
        assert (entry.actor, entry.entity_id) == ("admin:maya@juniperlight.example", str(pending))
        mails = s.scalars(select(OutboxMail).where(OutboxMail.booking_id == pending).order_by(OutboxMail.id)).all()
        assert [m.to_addr for m in mails][-1] == "dana@example.com"
    _, html = await browser.text("/admin/approvals")
    assert flashes(html) == ["Approved. The client gets a confirmation by email."]


async def test_decline_keeps_the_reason(browser, db, pending):
    await browser.post(f"/admin/approvals/{pending}/decline", {"reason": "Fully booked that week"})
    with db.read() as s:
        assert s.get(Booking, pending).status == "declined"
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "booking.declined")).one()
        assert entry.details == {"old": "pending", "reason": "Fully booked that week"}


async def test_approving_twice_says_why_not(browser, pending):
    await browser.post(f"/admin/approvals/{pending}/approve")
    await browser.get("/admin/approvals")  # consume the first flash
    await browser.post(f"/admin/approvals/{pending}/approve")
    _, html = await browser.text("/admin/approvals")
    assert flashes(html) == ["The booking is already confirmed"]


async def test_propose_another_time_mails_the_client_and_logs_it(browser, db, pending):
    response = await browser.post(f"/admin/approvals/{pending}/propose",
                                  {"date": "2026-12-04", "time": "10:00", "message": "Friday light is lovely."})
    assert response.status_code == 303
    with db.read() as s:
        mail = s.scalars(select(OutboxMail).where(OutboxMail.kind == "proposal")).one()
        assert mail.to_addr == "dana@example.com"
        assert mail.subject == "Another time for your Portrait Session?"
        assert "we could do Friday 4 December 2026 at 10:00 instead." in mail.body_text
        assert "Friday light is lovely." in mail.body_text
        assert "/portal/" in mail.body_text
        assert mail.headers["Auto-Submitted"] == "auto-generated"
        assert s.get(Booking, pending).status == "pending"
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "booking.propose")).one()
        assert entry.details["proposed"] == "2026-12-04T10:00:00-07:00"
        assert s.scalars(select(ContactEvent.summary).where(ContactEvent.kind == "mail")).one() == \
            "Proposed another time: Friday 4 December 2026 at 10:00"
    _, html = await browser.text("/admin/approvals")
    assert "You proposed 2026-12-04 10:00" in html


async def test_a_proposal_must_follow_the_rules(browser, db, pending):
    await browser.post(f"/admin/approvals/{pending}/propose", {"date": "2026-12-05", "time": "10:00"})
    _, html = await browser.text("/admin/approvals")
    assert flashes(html) == ["That time cannot be offered: The studio is closed on Saturdays."]
    with db.read() as s:
        assert s.scalars(select(OutboxMail)).all() == []


async def test_a_proposal_with_a_bad_date_is_refused_in_words(browser, pending):
    await browser.post(f"/admin/approvals/{pending}/propose", {"date": "", "time": "10:00"})
    _, html = await browser.text("/admin/approvals")
    assert flashes(html) == ["The date is required."]


async def test_reply_to_a_hand_over_is_threaded(browser, db, handed_over):
    await browser.post(f"/admin/approvals/conversations/{handed_over}/reply",
                       {"message": "Yes! Three hours is $1,200."})
    with db.read() as s:
        mail = s.scalars(select(OutboxMail)).one()
        assert (mail.to_addr, mail.subject, mail.in_reply_to) == ("sam@example.net", "Re: Elopement in Estes Park?",
                                                                   "<m1@example.net>")
        convo = s.get(Conversation, handed_over)
        assert mail.reply_to == f"book+{convo.reply_token}@studio.localhost"
        out = s.scalars(select(Message).where(Message.direction == "out")).one()
        assert out.body == "Yes! Three hours is $1,200."


async def test_mark_a_hand_over_handled(browser, db, handed_over):
    await browser.post(f"/admin/approvals/conversations/{handed_over}/handled")
    with db.read() as s:
        assert s.get(Conversation, handed_over).status == "closed"
        assert s.scalars(select(AuditEntry.action).where(AuditEntry.entity == "conversation")).one() == \
            "conversation.handled"


async def test_unknown_items_are_readable_404s(browser):
    response = await browser.post("/admin/approvals/999/approve")
    assert response.status_code == 404
    assert "Booking 999 does not exist." in await response.get_data(as_text=True)
    response = await browser.post("/admin/approvals/conversations/nope/handled")
    assert response.status_code == 404
