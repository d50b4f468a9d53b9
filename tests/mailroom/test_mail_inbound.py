"""What the inbound server accepts, and what becomes of each kind of mail it stores."""
from __future__ import annotations

import asyncio
import smtplib
from pathlib import Path

import pytest
from sqlalchemy import select

from mail_helpers import Sink, asend, client_mail, wait_until, wire
from mailroom import assistant_hook, processor
from models import Conversation, Database, File, InboundMail, Message, Notification


def _mails(db: Database) -> list[InboundMail]:
    with db.read() as session:
        return list(session.scalars(select(InboundMail).order_by(InboundMail.id)))


def _settled(db: Database, count: int) -> bool:
    mails = _mails(db)
    return len(mails) == count and all(m.status != "new" for m in mails)


async def test_mail_for_other_domains_is_refused_as_relaying(mailroom, db: Database) -> None:
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        await asend(mailroom.smtp_in_port, client_mail("hi", to="someone@example.org"), rcpt=["someone@example.org"])
    code, text = refused.value.recipients["someone@example.org"]
    assert code == 550
    assert b"only accepts mail for @studio.localhost" in text
    assert _mails(db) == []


async def test_any_address_at_the_studio_domain_is_accepted(mailroom, db: Database, fake_agent) -> None:
    await asend(mailroom.smtp_in_port, client_mail("hi", to="maya@studio.localhost"), rcpt=["MAYA@Studio.Localhost"])
    await wait_until(lambda: _settled(db, 1))
    assert _mails(db)[0].envelope_to == ["MAYA@Studio.Localhost"]


async def test_a_mail_above_25_mb_is_refused_with_552(mailroom, db: Database) -> None:
    big = client_mail("x", attachments=[("huge.pdf", "application/pdf", b"%PDF-" + b"0" * (26 * 1024 * 1024))])
    with pytest.raises(smtplib.SMTPException) as refused:
        await asend(mailroom.smtp_in_port, big)
    assert getattr(refused.value, "smtp_code", None) == 552 or "552" in str(refused.value)
    assert _mails(db) == []


async def test_when_the_message_cannot_be_stored_the_sender_is_told_to_retry(mailroom, db: Database) -> None:
    Path(mailroom.data_dir).mkdir(parents=True, exist_ok=True)
    (Path(mailroom.data_dir) / "mail").write_text("not a directory")  # the raw store is broken
    with pytest.raises(smtplib.SMTPDataError) as refused:
        await asend(mailroom.smtp_in_port, client_mail("Please keep this"))
    assert refused.value.smtp_code == 451
    assert b"try again later" in refused.value.smtp_error
    assert _mails(db) == []


async def test_the_same_mail_delivered_twice_is_processed_once(mailroom, db: Database, fake_agent,
                                                                 sink: Sink) -> None:
    mail = client_mail("Do you have time on Friday?", message_id="<retry-1@example.com>")
    await asend(mailroom.smtp_in_port, mail)
    await asend(mailroom.smtp_in_port, mail)  # the client's server retried after a lost 250
    await wait_until(lambda: _settled(db, 2))
    assert [(m.status, m.verdict) for m in _mails(db)] == [
        ("processed", "answered"), ("duplicate", f"re-delivery of mail {_mails(db)[0].id}")]
    await asyncio.sleep(0.3)
    assert len(fake_agent.calls) == 1
    assert len(sink.received) == 1


async def test_a_forged_message_id_with_another_body_is_still_processed(mailroom, db: Database, fake_agent,
                                                                          sink: Sink) -> None:
    await asend(mailroom.smtp_in_port, client_mail("Friday at 10, please.", message_id="<same@example.com>"))
    await wait_until(lambda: _settled(db, 1))
    forged = client_mail("Cancel everything!", message_id="<same@example.com>",
                         sender="Mallory <mallory@example.net>")
    await asend(mailroom.smtp_in_port, forged, mail_from="mallory@example.net")
    same_sender_other_body = client_mail("Actually, Monday.", message_id="<same@example.com>")
    await asend(mailroom.smtp_in_port, same_sender_other_body)
    await wait_until(lambda: _settled(db, 3))
    assert [m.status for m in _mails(db)] == ["processed", "processed", "processed"]
    assert [c["text"] for c in fake_agent.calls] == ["Friday at 10, please.", "Cancel everything!", "Actually, Monday."]
    assert [c["sender_email"] for c in fake_agent.calls] == ["lena.fischer@example.com", "mallory@example.net",
                                                              "lena.fischer@example.com"]


async def test_an_auto_reply_is_stored_and_never_answered(mailroom, db: Database, fake_agent, sink: Sink) -> None:
    vacation = client_mail("I am out of the office until Monday.", subject="Automatic reply: Your booking",
                           headers={"Auto-Submitted": "auto-replied"})
    await asend(mailroom.smtp_in_port, vacation)
    await wait_until(lambda: _settled(db, 1))
    mail = _mails(db)[0]
    assert mail.status == "ignored"
    assert mail.verdict.startswith("auto_reply: Auto-Submitted: auto-replied")
    assert Path(mailroom.data_dir, mail.raw_path).read_bytes() == wire(vacation)
    await asyncio.sleep(0.3)
    assert fake_agent.calls == [] and sink.received == []


async def test_our_own_mail_coming_back_is_not_answered(mailroom, db: Database, fake_agent, sink: Sink) -> None:
    await asend(mailroom.smtp_in_port, client_mail("Hello"))
    await wait_until(lambda: sink.received, what="the answer")
    echoed = sink.received[0].raw  # e.g. a forwarding rule sends our answer back to us
    await asend(mailroom.smtp_in_port, echoed, mail_from="lena.fischer@example.com")
    await wait_until(lambda: _settled(db, 2))
    assert _mails(db)[1].status == "ignored"
    await asyncio.sleep(0.3)
    assert len(sink.received) == 1 and len(fake_agent.calls) == 1


async def test_without_the_assistant_the_owner_is_told_and_the_thread_waits(mailroom, db: Database, no_agent,
                                                                              sink: Sink) -> None:
    await asend(mailroom.smtp_in_port, client_mail("Can I book a headshot?"))
    await wait_until(lambda: _settled(db, 1))
    with db.read() as session:
        conversation = session.scalars(select(Conversation)).one()
        notice = session.scalars(select(Notification).where(Notification.kind == "new_mail")).one()
    assert conversation.status == "waiting"
    assert notice.title == "New mail from lena.fischer@example.com"
    assert notice.link == f"/admin/approvals#conversation-{conversation.id}"
    assert _mails(db)[0].status == "processed"
    assert sink.received == []


async def test_a_sender_past_five_answers_an_hour_is_handed_to_the_owner(mailroom, db: Database, fake_agent,
                                                                           sink: Sink, monkeypatch) -> None:
    monkeypatch.setattr(processor, "AUTO_ANSWERS_PER_HOUR", 5)  # the limit is a setting; five keeps this quick
    for n in range(7):
        await asend(mailroom.smtp_in_port, client_mail(f"Question number {n}", subject="Questions"))
        await wait_until(lambda: _settled(db, n + 1))
    assert len(fake_agent.calls) == processor.AUTO_ANSWERS_PER_HOUR
    await wait_until(lambda: len(sink.received) == processor.AUTO_ANSWERS_PER_HOUR)
    with db.read() as session:
        handed = session.scalars(select(Conversation).where(Conversation.status == "handed_over")).all()
        notices = session.scalars(select(Notification).where(Notification.kind.in_(("handover", "new_mail")))).all()
    assert len(handed) == 1
    assert [n.title for n in notices] == ["Mail from lena.fischer@example.com needs you",
                                          "New mail from lena.fischer@example.com"]
    assert [m.status for m in _mails(db)] == ["processed"] * 7


async def test_attachments_are_kept_in_the_clients_files_when_they_are_what_they_claim(
        mailroom, db: Database, fake_agent, sink: Sink) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    mail = client_mail("My moodboard is attached.", sender="Priya Raman <priya.raman@example.com>",
                       attachments=[("mood board.png", "image/png", png),
                                    ("invoice.pdf", "application/pdf", b"MZ\x90\0 not a pdf"),
                                    ("tool.exe", "application/octet-stream", b"MZ\x90\0")])
    await asend(mailroom.smtp_in_port, mail, mail_from="priya.raman@example.com")
    await wait_until(lambda: _settled(db, 1))
    with db.read() as session:
        files = session.scalars(select(File)).all()
        message = session.scalars(select(Message).where(Message.direction == "in")).one()
        priya = session.get(Conversation, message.conversation_id).client_id
    assert [(f.original_name, f.content_type, f.size, f.client_id) for f in files] == [
        ("mood board.png", "image/png", len(png), priya)]
    assert priya is not None
    assert Path(mailroom.data_dir, "files", files[0].stored_name).read_bytes() == png
    assert files[0].stored_name != "mood board.png"
    assert message.meta["files"] == [files[0].id]
    assert message.meta["skipped_files"] == [{"name": "invoice.pdf", "reason": "content does not match .pdf"},
                                             {"name": "tool.exe", "reason": "file type .exe is not accepted"}]


async def test_a_new_subject_from_the_same_sender_is_a_new_conversation_but_re_keeps_it(
        mailroom, db: Database, fake_agent, sink: Sink) -> None:
    await asend(mailroom.smtp_in_port, client_mail("First question", subject="Wedding in June"))
    await wait_until(lambda: _settled(db, 1))
    # a mail program that drops In-Reply-To, to the plain address: same subject family -> same thread
    await asend(mailroom.smtp_in_port, client_mail("One more thing", subject="RE: Wedding in June"))
    await asend(mailroom.smtp_in_port, client_mail("Other topic", subject="Headshots"))
    await wait_until(lambda: _settled(db, 3))
    convs = [m.conversation_id for m in _mails(db)]
    assert convs[0] == convs[1] != convs[2]



async def test_when_the_assistant_breaks_the_mail_is_kept_for_the_owner(mailroom, db: Database, sink: Sink,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(db, settings, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("model file vanished")

    monkeypatch.setattr(assistant_hook, "load_handler", lambda: broken)
    await asend(mailroom.smtp_in_port, client_mail("Can I book a headshot?"))
    await wait_until(lambda: _settled(db, 1))
    mail = _mails(db)[0]
    assert (mail.status, mail.verdict) == ("failed", "the assistant could not answer")
    assert mail.error == "The assistant could not answer this mail (RuntimeError); please answer it yourself."
    with db.read() as session:
        notice = session.scalars(select(Notification).where(Notification.kind == "mail_failed")).one()
        waiting = session.scalars(select(Conversation)).one()
        stored = session.scalars(select(Message)).one()
    assert notice.title == "A mail from lena.fischer@example.com could not be processed"
    assert waiting.status == "waiting"
    assert stored.body == "Can I book a headshot?"
    await asyncio.sleep(0.3)
    assert sink.received == []
