"""A crash between accepting a mail and answering it: after the restart the mail is answered exactly once."""
from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import select

from mail_helpers import Sink, client_mail, free_port, running_mailroom, send, wait_until
from mailroom import processor, spool
from models import Database, InboundMail, Message, OutboxMail

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT.parent / "shared" / "fixtures" / "demo-studio.json"


def _mails(db: Database) -> list[InboundMail]:
    with db.read() as session:
        return list(session.scalars(select(InboundMail).order_by(InboundMail.id)))


def _replies(sink: Sink, message_id: str) -> list:
    return [m for m in sink.messages() if m["In-Reply-To"] == message_id]


async def test_a_mail_stored_before_a_crash_is_processed_after_the_restart(mail_settings, db: Database,
                                                                          any_agent, sink: Sink) -> None:
    mail = client_mail("Hello, do you do family mini sessions in December?", message_id="<crash-1@example.com>")
    mail_id = spool.store(mail_settings, db, mail.as_bytes(), envelope_from="lena.fischer@example.com",
                          envelope_to=["book@studio.localhost"])  # accepted (250), then the process died
    assert [m.status for m in _mails(db)] == ["new"]

    async with running_mailroom(mail_settings, db):  # the restart
        await wait_until(lambda: _replies(sink, "<crash-1@example.com>"), timeout=60, what="the answer")
        await asyncio.sleep(0.5)
    assert [(m.id, m.status) for m in _mails(db)] == [(mail_id, "processed")]
    assert len(_replies(sink, "<crash-1@example.com>")) == 1


async def test_a_crash_after_threading_but_before_the_answer_answers_once(mail_settings, db: Database,
                                                                         fake_agent, sink: Sink) -> None:
    mail_id = spool.store(mail_settings, db, client_mail("Is Friday free?", message_id="<crash-2@example.com>")
                          .as_bytes(), envelope_from="lena.fischer@example.com")
    staged = processor.stage(mail_settings, db, mail_id)  # threaded and stored; the assistant never ran
    assert staged is not None and _mails(db)[0].status == "new"

    async with running_mailroom(mail_settings, db):
        await wait_until(lambda: _replies(sink, "<crash-2@example.com>"), what="the answer")
        await asyncio.sleep(0.3)
    with db.read() as session:
        received = session.scalars(select(Message).where(Message.direction == "in")).all()
        replies = session.scalars(select(OutboxMail).where(OutboxMail.kind == "reply")).all()
    assert [(m.inbound_mail_id, m.conversation_id) for m in received] == [(mail_id, staged.conversation_id)]
    assert len(replies) == 1 and len(fake_agent.calls) == 1
    assert _mails(db)[0].status == "processed"


def _serve(tmp: Path, smtp_port: int, relay_port: int) -> subprocess.Popen:
    env = dict(os.environ, STUDIOBOOK_DATA_DIR=str(tmp / "data"), STUDIOBOOK_DATABASE_URL=f"sqlite:///{tmp}/db.sqlite",
               STUDIOBOOK_HTTP_PORT=str(free_port()), STUDIOBOOK_SMTP_IN_PORT=str(smtp_port),
               STUDIOBOOK_SMTP_OUT_PORT=str(relay_port), STUDIOBOOK_NOW="2026-11-24T09:00:00-07:00",
               STUDIOBOOK_SECRET_KEY="test-secret", STUDIOBOOK_CONFIG=str(tmp / "none.toml"),
               STUDIOBOOK_LOG_LEVEL="WARNING", PYTHONFAULTHANDLER="1",
               # The rules read this mail without the model; with the model loaded, serve sometimes dies
               # with SIGSEGV while exiting (llama.cpp teardown), which is not what this story is about.
               STUDIOBOOK_LLM="off")
    return subprocess.Popen([sys.executable, "-m", "studiobook.cli", "serve", "--load-if-empty", str(DEMO)],
                            cwd=tmp, env=env, stdout=subprocess.DEVNULL, stderr=open(tmp / "serve.err", "ab"))


def _wait_listening(proc: subprocess.Popen, port: int, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"serve exited: {proc.stderr.read().decode() if proc.stderr else ''}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError("serve did not start listening for mail")


def test_studiobook_serve_killed_right_after_250_answers_once_after_restart(tmp_path: Path, sink: Sink) -> None:
    smtp_port = free_port()
    first = _serve(tmp_path, smtp_port, sink.port)
    try:
        _wait_listening(first, smtp_port)
        send(smtp_port, client_mail("Hi, can I book headshots on Monday November 30 at 10am?",
                                    message_id="<killed-1@example.com>"))
        first.send_signal(signal.SIGKILL)  # right after the 250
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
    second = _serve(tmp_path, smtp_port, sink.port)
    try:
        _wait_listening(second, smtp_port)
        deadline = time.monotonic() + 90
        while not _replies(sink, "<killed-1@example.com>") and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.0)
        assert len(_replies(sink, "<killed-1@example.com>")) == 1
    finally:
        second.send_signal(signal.SIGTERM)
        assert second.wait(timeout=30) == 0
    db = Database(f"sqlite:///{tmp_path}/db.sqlite")
    try:
        assert [m.status for m in _mails(db)] == ["processed"]
    finally:
        db.dispose()
