"""A client writes to book@, gets a threaded answer, replies, and stays in the same conversation."""
from __future__ import annotations

from sqlalchemy import select

from mail_helpers import STUDIO, Sink, asend, client_mail, wait_until
from models import Conversation, Database, InboundMail, Message, OutboxMail


def _replies(sink: Sink) -> list:
    """The studio's answers (booking notices the real assistant may cause are left aside)."""
    return [m for m in sink.messages() if m["X-Studiobook"] == "reply"]


def _inbound(db: Database) -> list[InboundMail]:
    with db.read() as session:
        return list(session.scalars(select(InboundMail).order_by(InboundMail.id)))


async def test_a_mail_is_stored_threaded_and_answered_as_a_proper_reply(mailroom, db: Database, sink: Sink,
                                                                         any_agent) -> None:
    first = client_mail("Hello,\n\nI'd like a portrait session on Wednesday December 2 at 1pm.\n\nLena",
                        message_id="<first-1@example.com>")
    await asend(mailroom.smtp_in_port, first)

    await wait_until(lambda: _replies(sink), what="the studio's answer at the relay")
    answer = _replies(sink)[0]
    stored = _inbound(db)
    assert [m.status for m in stored] == ["processed"]
    assert stored[0].message_id == "<first-1@example.com>"
    assert stored[0].sender == "lena.fischer@example.com"
    with db.read() as session:
        conversation = session.get(Conversation, stored[0].conversation_id)
        assert conversation.channel == "email" and conversation.email == "lena.fischer@example.com"
        token = conversation.reply_token
    assert sink.received[0].rcpt_tos == ["lena.fischer@example.com"]
    assert sink.received[0].mail_from == STUDIO
    assert answer["To"] == "lena.fischer@example.com"
    assert answer["From"].addresses[0].addr_spec == STUDIO
    assert answer["Reply-To"] == f"book+{token}@studio.localhost"
    assert answer["Subject"] == "Re: Portrait session?"
    assert answer["In-Reply-To"] == "<first-1@example.com>"
    assert answer["References"] == "<first-1@example.com>"
    assert answer["Auto-Submitted"] == "auto-replied"
    assert answer["X-Auto-Response-Suppress"] == "All"
    assert answer.get_content_type() == "multipart/alternative"
    assert answer.get_body(("plain",)).get_content().strip()
    assert answer.get_body(("html",)).get_content().lstrip().startswith("<!DOCTYPE html>")

    # Lena answers the answer, as a mail program does: to Reply-To, "Re: Re:" avoided, quoting it.
    second = client_mail("Yes, that's perfect, please confirm it.\n\nOn Tue, Maya wrote:\n> Thanks",
                         to=answer["Reply-To"], subject=f"Re: {answer['Subject']}",
                         message_id="<second-2@example.com>", in_reply_to=answer["Message-ID"],
                         references=[answer["References"], answer["Message-ID"]])
    await asend(mailroom.smtp_in_port, second, rcpt=[answer["Reply-To"]])

    await wait_until(lambda: len(_replies(sink)) == 2, timeout=60, what="the second answer")
    again = _replies(sink)[1]
    assert again["Subject"] == "Re: Portrait session?"
    assert again["In-Reply-To"] == "<second-2@example.com>"
    assert again["References"].split() == ["<first-1@example.com>", answer["Message-ID"], "<second-2@example.com>"]
    with db.read() as session:
        messages = session.scalars(select(Message).where(Message.conversation_id == conversation.id)
                                   .order_by(Message.id)).all()
        replies = [m for m in messages if m.direction == "in" or m.meta.get("kind") == "reply"]
        assert [(m.direction, m.mail_message_id) for m in replies] == [
            ("in", "<first-1@example.com>"), ("out", answer["Message-ID"]),
            ("in", "<second-2@example.com>"), ("out", again["Message-ID"])]
        messages = replies
        assert messages[2].body.startswith("Yes, that's perfect, please confirm it.")
        assert "> Thanks" not in messages[2].body  # only the new text is read
        assert messages[0].meta["verified"] is False and messages[2].meta["verified"] is True
        assert session.scalar(select(OutboxMail.status).where(OutboxMail.message_id == again["Message-ID"])) == "sent"


async def test_the_assistant_gets_only_the_new_text_and_whether_the_sender_is_proven(mailroom, fake_agent,
                                                                                       sink: Sink) -> None:
    await asend(mailroom.smtp_in_port, client_mail("Is Friday free?\n\n-- \nLena Fischer\nPhotographer's fan"))
    await wait_until(lambda: sink.received, what="the answer")
    assert len(fake_agent.calls) == 1
    call = fake_agent.calls[0]
    assert call["channel"] == "email"
    assert call["text"] == "Is Friday free?"
    assert call["sender_email"] == "lena.fischer@example.com"
    assert call["sender_name"] == "Lena Fischer"
    assert call["verified_sender"] is False
    assert sink.messages()[0].get_body(("plain",)).get_content().startswith(fake_agent.text)


async def test_a_dkim_pass_stamped_by_our_own_server_proves_the_sender(mailroom, fake_agent, sink: Sink) -> None:
    ours = "studio.localhost; dkim=pass header.d=example.com header.s=mail; spf=pass"
    forged = "mx.evil.example; dkim=pass header.d=example.com"
    other_domain = "studio.localhost; dkim=pass header.d=elsewhere.example"
    for n, value in enumerate((ours, forged, other_domain)):
        await asend(mailroom.smtp_in_port, client_mail(f"Mail {n}", subject=f"Subject {n}",
                                                       headers={"Authentication-Results": value}))
        await wait_until(lambda: len(fake_agent.calls) == n + 1, what=f"mail {n} at the assistant")
    assert [c["verified_sender"] for c in fake_agent.calls] == [True, False, False]
