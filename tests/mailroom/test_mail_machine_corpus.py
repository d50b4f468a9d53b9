"""Every real machine mail of the shared corpus is stored and never answered; a client after them is."""
from __future__ import annotations

import asyncio
import json
import re

from sqlalchemy import select

from mail_helpers import Sink, asend, client_mail, wait_until
from testkit.reply_templates import corpus_dir
from models import Database, InboundMail

MACHINE = corpus_dir() / "machine"
MANIFEST = json.loads((MACHINE / "manifest.json").read_text(encoding="utf-8"))


def _on_the_wire(raw: bytes) -> bytes:
    return re.sub(rb"\r?\n", b"\r\n", raw)


def _mails(db: Database) -> list[InboundMail]:
    with db.read() as session:
        return list(session.scalars(select(InboundMail).order_by(InboundMail.id)))


async def test_machine_mail_is_stored_and_never_answered_but_the_client_after_it_is(
        mailroom, db: Database, sink: Sink, any_agent) -> None:
    assert len(MANIFEST) == 37
    for entry in MANIFEST:
        raw = _on_the_wire((MACHINE / entry["file"]).read_bytes())
        await asend(mailroom.smtp_in_port, raw, mail_from=entry["envelope_from"], rcpt=[entry["envelope_to"]])

    await wait_until(lambda: all(m.status != "new" for m in _mails(db)) and len(_mails(db)) == 37, timeout=60,
                     what="all machine mail processed")
    stored = _mails(db)
    assert [(m.status, m.envelope_from) for m in stored] == [("ignored", e["envelope_from"]) for e in MANIFEST]
    assert all(m.verdict for m in stored)

    await asend(mailroom.smtp_in_port, client_mail("Hi! Is there a slot for headshots next week?"))
    await wait_until(lambda: sink.received, timeout=60, what="the answer to the client")
    await asyncio.sleep(0.5)
    assert [d.rcpt_tos for d in sink.received] == [["lena.fischer@example.com"]]
    assert _mails(db)[-1].status == "processed"
