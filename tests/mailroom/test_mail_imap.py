"""The studio's IMAP mailbox (a real Dovecot): new mail handled once, across restarts and UIDVALIDITY changes."""
from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Iterator

import pytest
from imapclient import IMAPClient
from sqlalchemy import select

from dovecot import PASSWORD, USER, Dovecot
from mail_helpers import Sink, client_mail, free_port, running_mailroom, wait_until, wire
from mailroom import processor
from mailroom.imap import ImapPoller
from models import Database, InboundMail
from studiobook.config import Settings


@pytest.fixture
def dovecot() -> Iterator[Dovecot]:
    server = Dovecot(free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def imap_settings(mail_settings: Settings, dovecot: Dovecot) -> Settings:
    return replace(mail_settings, imap_host="127.0.0.1", imap_port=dovecot.port, imap_user=USER,
                   imap_password=PASSWORD, imap_tls="none", imap_folder="INBOX", smtp_in_port=free_port())


def _mailbox(dovecot: Dovecot) -> IMAPClient:
    client = IMAPClient("127.0.0.1", port=dovecot.port, ssl=False)
    client.login(USER, PASSWORD)
    return client


def _deliver(dovecot: Dovecot, folder: str, *messages: bytes) -> None:
    """The provider drops mail into the mailbox (IMAP APPEND, unseen)."""
    with _mailbox(dovecot) as box:
        for raw in messages:
            box.append(folder, raw)


def _flags(dovecot: Dovecot, folder: str) -> list[tuple[bytes, ...]]:
    with _mailbox(dovecot) as box:
        box.select_folder(folder, readonly=True)
        return [v[b"FLAGS"] for _, v in sorted(box.fetch(box.search(["ALL"]), ["FLAGS"]).items())]


def _mails(db: Database) -> list[InboundMail]:
    with db.read() as session:
        return list(session.scalars(select(InboundMail).order_by(InboundMail.id)))


def _answers(sink: Sink) -> list[str]:
    return sorted(m["In-Reply-To"] for m in sink.messages() if m["X-Studiobook"] == "reply")


async def test_new_mail_is_handled_once_across_a_poller_restart(imap_settings: Settings, db: Database,
                                                               dovecot: Dovecot, sink: Sink, any_agent) -> None:
    old = wire(client_mail("An old mail, read before Studiobook was connected", message_id="<old@example.com>"))
    _deliver(dovecot, "INBOX", old)
    with _mailbox(dovecot) as box:
        box.select_folder("INBOX")
        box.add_flags([1], [b"\\Seen"])

    async with running_mailroom(imap_settings, db):
        _deliver(dovecot, "INBOX", wire(client_mail("Hello, are you free on Friday?", message_id="<a@example.com>")))
        await wait_until(lambda: _answers(sink) == ["<a@example.com>"], timeout=60, what="the answer to mail A")

    _deliver(dovecot, "INBOX", wire(client_mail("And what about Monday?", subject="Monday",
                                                message_id="<b@example.com>")))
    async with running_mailroom(imap_settings, db):  # the restart
        await wait_until(lambda: _answers(sink) == ["<a@example.com>", "<b@example.com>"], timeout=60,
                         what="the answer to mail B")
        await asyncio.sleep(1.0)

    mails = _mails(db)
    assert [(m.source, m.message_id, m.status) for m in mails] == [
        ("imap", "<a@example.com>", "processed"), ("imap", "<b@example.com>", "processed")]
    validity = mails[0].source_key.split("/")[1]
    assert [m.source_key for m in mails] == [f"INBOX/{validity}/2", f"INBOX/{validity}/3"]
    assert _answers(sink) == ["<a@example.com>", "<b@example.com>"]
    assert [b"\\Seen" in flags for flags in _flags(dovecot, "INBOX")] == [True, True, True]  # nothing deleted


async def test_a_uidvalidity_change_rescans_without_answering_twice(imap_settings: Settings, db: Database,
                                                                    dovecot: Dovecot, fake_agent) -> None:
    settings = replace(imap_settings, imap_folder="Bookings")
    a = wire(client_mail("Mail A", subject="A", message_id="<uv-a@example.com>"))
    b = wire(client_mail("Mail B", subject="B", message_id="<uv-b@example.com>"))
    with _mailbox(dovecot) as box:
        box.create_folder("Bookings")
    _deliver(dovecot, "Bookings", a)
    poller = ImapPoller(settings, db)
    with poller.connect() as client:
        assert poller.sync(client) == 1
    await processor.process_one(settings, db, _mails(db)[0].id)

    with _mailbox(dovecot) as box:  # the server rebuilds the folder: every UID and the UIDVALIDITY change
        box.delete_folder("Bookings")
        box.create_folder("Bookings")
    _deliver(dovecot, "Bookings", a, b)
    with poller.connect() as client:
        assert poller.sync(client) == 2
    for mail in _mails(db):
        await processor.process_one(settings, db, mail.id)

    mails = _mails(db)
    assert [(m.message_id, m.status) for m in mails] == [
        ("<uv-a@example.com>", "processed"), ("<uv-a@example.com>", "duplicate"), ("<uv-b@example.com>", "processed")]
    first, again, _ = (m.source_key.split("/") for m in mails)
    assert first[1] != again[1] and again[2] == "1"
    assert mails[1].raw_path == mails[0].raw_path  # the same bytes are not stored twice
    assert [c["text"] for c in fake_agent.calls] == ["Mail A", "Mail B"]
    with poller.connect() as client:
        assert poller.sync(client) == 0  # and a later round finds nothing new
