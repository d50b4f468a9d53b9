"""The outbox sender: retries while the relay is away, gives up loudly on a final refusal, never changes a mail."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from mail_helpers import Sink, free_port
from mailroom import outbox
from models import Database, Notification, OutboxMail
from models.repo.outbox import queue_mail
from studiobook.config import Settings


def _queue(db: Database, to: str = "lena.fischer@example.com") -> int:
    with db.write() as session:
        mail = queue_mail(session, domain="studio.localhost", to_addr=to, subject="Your session",
                          body_text="See you on Wednesday.", body_html="<p>See you on Wednesday.</p>",
                          attachments=[{"filename": "invite.ics", "content_type": "text/calendar; method=REQUEST",
                                        "content": "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"}])
        return mail.id


def _row(db: Database, row_id: int) -> OutboxMail:
    with db.read() as session:
        return session.get(OutboxMail, row_id)


def test_relay_down_the_mail_is_retried_later_and_delivered_once_it_is_back(mail_settings: Settings,
                                                                               db: Database) -> None:
    port = free_port()
    settings = replace(mail_settings, smtp_out_port=port)  # nothing listens there yet
    row_id = _queue(db)
    start = datetime.now(timezone.utc)

    report = outbox.send_due(settings, db, now=start)
    assert (report.sent, report.retried, report.failed) == (0, 1, 0)
    first = _row(db, row_id)
    assert first.status == "queued" and first.attempts == 1
    assert first.next_attempt_at == start + timedelta(minutes=1)
    assert "unavailable: ConnectionRefusedError" in first.last_error

    assert outbox.send_due(settings, db, now=start + timedelta(seconds=30)).retried == 0  # not due yet
    outbox.send_due(settings, db, now=start + timedelta(minutes=1))
    assert _row(db, row_id).next_attempt_at == start + timedelta(minutes=1) + timedelta(minutes=2)

    relay = Sink(port)
    relay.start()
    try:
        report = outbox.send_due(settings, db, now=start + timedelta(minutes=3))
        assert (report.sent, report.retried, report.failed) == (1, 0, 0)
        assert outbox.send_due(settings, db, now=start + timedelta(hours=1)).sent == 0
        [delivered] = relay.received
    finally:
        relay.stop()
    row = _row(db, row_id)
    assert (row.status, row.attempts, row.last_error) == ("sent", 3, "")
    msg = delivered.message
    assert msg["Message-ID"] == row.message_id
    assert msg["Auto-Submitted"] == "auto-replied" and msg["X-Auto-Response-Suppress"] == "All"
    assert [p.get_content_type() for p in msg.walk()] == ["multipart/mixed", "multipart/alternative", "text/plain",
                                                          "text/html", "text/calendar"]
    invite = next(p for p in msg.walk() if p.get_content_type() == "text/calendar")
    assert invite.get_param("method") == "REQUEST" and invite.get_filename() == "invite.ics"


def test_a_550_fails_the_mail_at_once_and_tells_the_owner(mail_settings: Settings, db: Database,
                                                           sink: Sink) -> None:
    sink.answer_rcpt = "550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown"
    row_id = _queue(db, to="nobody@example.com")
    report = outbox.send_due(mail_settings, db)
    assert (report.sent, report.retried, report.failed) == (0, 0, 1)
    row = _row(db, row_id)
    assert row.status == "failed"
    assert row.last_error == "550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown"
    with db.read() as session:
        notice = session.scalars(select(Notification).where(Notification.kind == "mail_failed")).one()
    assert notice.title == "Mail to nobody@example.com could not be delivered"
    assert notice.body == "\u201cYour session\u201d: 550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown"
    assert outbox.send_due(mail_settings, db, now=datetime.now(timezone.utc) + timedelta(days=1)).failed == 0


def test_a_4xx_is_retried_and_after_two_days_given_up_with_a_notice(mail_settings: Settings, db: Database,
                                                                     sink: Sink) -> None:
    sink.answer_rcpt = "451 4.7.1 Greylisted, try again later"
    row_id = _queue(db)
    moment = _row(db, row_id).created_at
    delays = []
    while _row(db, row_id).status == "queued":
        outbox.send_due(mail_settings, db, now=moment)
        row = _row(db, row_id)
        delays.append(row.next_attempt_at - moment)
        moment = row.next_attempt_at
    assert [d for d in delays[:8]] == [timedelta(minutes=m) for m in (1, 2, 4, 8, 16, 32, 60, 60)]
    row = _row(db, row_id)
    assert row.status == "failed" and row.attempts == len(delays)
    assert moment - row.created_at >= outbox.GIVE_UP_AFTER - timedelta(hours=1)
    assert row.last_error.startswith("451 4.7.1 Greylisted")
    assert sink.received == []
    with db.read() as session:
        assert session.scalars(select(Notification.body)).one().startswith(
            f"\u201cYour session\u201d: gave up after {row.attempts} attempts: 451 4.7.1 Greylisted")


def test_a_crash_while_sending_resends_the_same_mail_not_another(mail_settings: Settings, db: Database,
                                                                  sink: Sink) -> None:
    row_id = _queue(db)
    now = datetime.now(timezone.utc)
    [claimed] = outbox.claim(db, now)  # the process dies right after handing the mail to the relay
    outbox.deliver(mail_settings, [claimed])
    assert outbox.send_due(mail_settings, db, now=now + timedelta(minutes=1)).sent == 0  # still leased
    assert outbox.recover_interrupted(db) == 1  # the next start
    assert outbox.send_due(mail_settings, db).sent == 1
    first, second = sink.received
    assert first.raw == second.raw  # byte for byte the same mail, same Message-ID and Date
    assert _row(db, row_id).status == "sent"
