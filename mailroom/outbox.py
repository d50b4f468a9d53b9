"""The outbox sender: delivers queued ``outbox`` rows through the outbound relay, with retries.

Why it is shaped like this:

* Rows are claimed atomically (status ``sending`` plus a lease in ``next_attempt_at``) so a row is sent
  by one worker; a crash mid-send leaves the lease to run out and the row is sent again — the *same*
  mail, because its Message-ID was fixed when it was queued, so the recipient's mail program shows it
  once. Nothing is ever built from anything but the row.
* A 4xx answer or a connection problem is temporary: retried with exponential backoff (1, 2, 4 ... min,
  at most an hour apart) for two days, then failed. A 5xx answer is final: failed at once, and the
  owner is notified ("failed mail") so a client never waits for a mail that will not come.
* smtplib runs in a worker thread (the event loop stays free); one connection per batch.
* The clock here is the real one, even when ``STUDIOBOOK_NOW`` freezes the studio's: retries are real
  time passing.
"""
from __future__ import annotations

import asyncio
import base64
import hashlib
import logging
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime
from typing import Optional, Sequence

from sqlalchemy import select, update

from mailroom.compose import conversation_link
from mailroom.loop import pause
from models import Database, OutboxMail
from models.repo.bookings import notify
from studiobook.config import Settings

log = logging.getLogger("studiobook.mail.out")

LEASE = timedelta(minutes=10)
GIVE_UP_AFTER = timedelta(days=2)
MAX_BACKOFF = timedelta(hours=1)
BATCH = 20
POLL_SECONDS = 2.0
TIMEOUT_SECONDS = 30
#: CRLF, and headers folded only past 998 octets: the stdlib's folding at 78 puts a subject such as
#: "Confirmed: ..." on a continuation line, which some mail programs show with a leading space.
WIRE_POLICY = SMTP_POLICY.clone(max_line_length=998)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def backoff(attempts: int) -> timedelta:
    """1 min after the first failure, then 2, 4, 8 ... capped at one hour."""
    return min(timedelta(minutes=2 ** min(max(attempts - 1, 0), 16)), MAX_BACKOFF)


# ---- building -------------------------------------------------------------------------------

def build_message(row: OutboxMail) -> EmailMessage:
    """The MIME message for a row: text + HTML alternatives, attachments, the row's headers."""
    msg = EmailMessage(policy=WIRE_POLICY)
    msg["From"] = row.from_addr
    msg["To"] = row.to_addr
    if row.reply_to:
        msg["Reply-To"] = row.reply_to
    msg["Subject"] = row.subject
    msg["Date"] = format_datetime(row.created_at)
    msg["Message-ID"] = row.message_id
    if row.in_reply_to:
        msg["In-Reply-To"] = row.in_reply_to
    if row.references:
        msg["References"] = row.references
    for name, value in (row.headers or {}).items():
        msg[name] = value
    msg.set_content(row.body_text)
    if row.body_html:
        msg.add_alternative(row.body_html, subtype="html")
    for attachment in row.attachments or []:
        _attach(msg, attachment)
    # MIME boundaries from the Message-ID: a re-send is byte for byte the same mail.
    seed = hashlib.sha256(row.message_id.encode("utf-8")).hexdigest()[:24]
    for index, part in enumerate(p for p in msg.walk() if p.is_multipart()):
        part.set_boundary(f"=_studiobook_{seed}_{index}")
    for part in msg.walk():
        if part is not msg:  # the stdlib leaves MIME-Version on converted sub-parts
            del part["MIME-Version"]
    return msg


def _attach(msg: EmailMessage, attachment: dict) -> None:
    ctype, _, rest = str(attachment.get("content_type") or "application/octet-stream").partition(";")
    maintype, _, subtype = ctype.strip().lower().partition("/")
    params = {}
    for item in rest.split(";"):
        key, eq, value = item.strip().partition("=")
        if eq:
            params[key.strip().lower()] = value.strip().strip('"')
    filename = attachment.get("filename") or "attachment"
    if "content" in attachment and maintype == "text":
        msg.add_attachment(str(attachment["content"]), subtype=subtype or "plain", filename=filename,
                           params=params)
    else:
        data = base64.b64decode(attachment.get("content_b64") or b"") if "content_b64" in attachment \
            else str(attachment.get("content", "")).encode("utf-8")
        msg.add_attachment(data, maintype=maintype or "application", subtype=subtype or "octet-stream",
                           filename=filename, params=params)


# ---- claiming and recording -----------------------------------------------------------------

def recover_interrupted(db: Database) -> int:
    """At start-up (one sender per database): rows left "sending" by a crash are due again now."""
    with db.write() as session:
        result = session.execute(update(OutboxMail).where(OutboxMail.status == "sending")
                                 .values(status="queued", next_attempt_at=_now()))
        return int(result.rowcount or 0)


def claim(db: Database, now: datetime, limit: int = BATCH) -> list[OutboxMail]:
    """Due rows (queued, or sending with an expired lease), switched to ``sending`` under a new lease."""
    with db.write() as session:
        rows = session.scalars(select(OutboxMail).where(OutboxMail.status.in_(("queued", "sending")),
                                                        OutboxMail.next_attempt_at <= now)
                               .order_by(OutboxMail.next_attempt_at, OutboxMail.id).limit(limit)
                               .with_for_update(skip_locked=True)).all()
        for row in rows:
            row.status = "sending"
            row.next_attempt_at = now + LEASE
            row.attempts += 1
        return list(rows)


@dataclass(frozen=True)
class Outcome:
    row_id: int
    result: str  # sent, retry, failed
    detail: str = ""


def record(db: Database, outcome: Outcome, now: datetime) -> str:
    """Store what happened to one row; returns its new status."""
    with db.write() as session:
        row = session.get(OutboxMail, outcome.row_id)
        if row is None or row.status != "sending":
            return row.status if row is not None else "gone"
        if outcome.result == "sent":
            row.status, row.sent_at, row.last_error = "sent", now, ""
            return row.status
        row.last_error = outcome.detail[:2000]
        if outcome.result == "retry" and now - row.created_at < GIVE_UP_AFTER:
            row.status, row.next_attempt_at = "queued", now + backoff(row.attempts)
            return row.status
        row.status = "failed"
        why = outcome.detail if outcome.result == "failed" else f"gave up after {row.attempts} attempts: {outcome.detail}"
        notify(session, "mail_failed", f"Mail to {row.to_addr} could not be delivered",
               body=f"\u201c{row.subject}\u201d: {why}"[:1000],
               link=conversation_link(row.conversation_id) if row.conversation_id else "",
               booking_id=row.booking_id, dedupe_key=f"outbox-failed:{row.id}")
        return row.status


# ---- delivering -----------------------------------------------------------------------------

def connect(settings: Settings) -> smtplib.SMTP:
    """An SMTP session with the relay as configured: plain, STARTTLS or TLS, optional login."""
    host, port = settings.smtp_out_host, settings.smtp_out_port
    if settings.smtp_out_tls == "tls":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(host, port, local_hostname=settings.mail_domain,
                                              timeout=TIMEOUT_SECONDS, context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(host, port, local_hostname=settings.mail_domain, timeout=TIMEOUT_SECONDS)
    try:
        smtp.ehlo()
        if settings.smtp_out_tls == "starttls":
            smtp.starttls(context=ssl.create_default_context())
            smtp.ehlo()
        if settings.smtp_out_user:
            smtp.login(settings.smtp_out_user, settings.smtp_out_password or "")
    except BaseException:
        smtp.close()
        raise
    return smtp


def _classify(exc: Exception) -> tuple[str, str]:
    """(result, detail) for an exception from sending one message."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()), (450, b"recipient refused"))
    elif isinstance(exc, smtplib.SMTPResponseException):
        code, text = exc.smtp_code, exc.smtp_error
    else:
        return "retry", f"{type(exc).__name__}: {exc}"
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    detail = f"{code} {text}".strip()
    return ("failed" if 500 <= int(code) < 600 else "retry"), detail


def deliver(settings: Settings, rows: Sequence[OutboxMail]) -> list[Outcome]:
    """Send the rows over one relay session; every row gets an outcome, whatever happens."""
    outcomes: list[Outcome] = []
    try:
        smtp: Optional[smtplib.SMTP] = connect(settings)
    except Exception as exc:  # relay down, TLS or login trouble: all of them later
        detail = f"relay {settings.smtp_out_host}:{settings.smtp_out_port} unavailable: {type(exc).__name__}: {exc}"
        return [Outcome(row.id, "retry", detail) for row in rows]
    try:
        for row in rows:
            if smtp is None:
                try:
                    smtp = connect(settings)
                except Exception as exc:
                    outcomes.append(Outcome(row.id, "retry", f"reconnect failed: {type(exc).__name__}: {exc}"))
                    continue
            try:
                smtp.send_message(build_message(row), from_addr=settings.book_address, to_addrs=[row.to_addr])
                outcomes.append(Outcome(row.id, "sent"))
            except Exception as exc:
                result, detail = _classify(exc)
                outcomes.append(Outcome(row.id, result, detail))
                smtp = _reset(smtp)
    finally:
        if smtp is not None:
            try:
                smtp.quit()
            except Exception:
                smtp.close()
    return outcomes


def _reset(smtp: smtplib.SMTP) -> Optional[smtplib.SMTP]:
    """After a refused message the session is reusable after RSET; a broken one is dropped."""
    try:
        smtp.rset()
        return smtp
    except Exception:
        smtp.close()
        return None


@dataclass
class Report:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def send_due(settings: Settings, db: Database, now: Optional[datetime] = None) -> Report:
    """Claim the due rows, send them, record each outcome (one round; blocking)."""
    now = now or _now()
    report = Report()
    rows = claim(db, now)
    if not rows:
        return report
    for outcome in deliver(settings, rows):
        status = record(db, outcome, now)
        if status == "sent":
            report.sent += 1
        elif status == "failed":
            report.failed += 1
        else:
            report.retried += 1
        if outcome.result != "sent":
            log.warning("mail %s not delivered (%s): %s", outcome.row_id, status, outcome.detail)
    return report


async def run(settings: Settings, db: Database, stop: asyncio.Event, wake: asyncio.Event) -> None:
    """Send due mail until ``stop``; ``wake`` is set when something was queued."""
    await asyncio.to_thread(recover_interrupted, db)
    while not stop.is_set():
        wake.clear()
        try:
            report = await asyncio.to_thread(send_due, settings, db)
        except Exception:
            log.exception("the outbox round failed")
            report = Report()
        if report.sent + report.retried + report.failed == 0:
            await pause(stop, wake, POLL_SECONDS)
