"""The email channel: the client writes to the inbound SMTP port and answers the studio's mails.

The first message starts a thread with the case's subject and headers. Every next message is a proper
reply to the studio's LAST mail to the client: to its ``Reply-To`` (or ``From``), ``Re:`` subject,
``In-Reply-To`` and ``References`` set. A ``{"text", "format"}`` message is laid out by the reply
renderer (``testkit.reply_templates.render_reply``) as that mail program does, quoting the studio's
last mail. The case's extra headers go on every message; ``Return-Path: <>`` among them means the
null envelope sender (``MAIL FROM:<>``), as bounces have.

Mail dates follow the frozen clock (the case's ``now`` plus a few minutes per message), so a studio
that reads "tomorrow" against the mail's Date sees the same day as its own clock.
"""
from __future__ import annotations

import email.policy
import email.utils
import smtplib
import time
import uuid
from datetime import datetime, timedelta
from email.header import Header
from email.message import EmailMessage
from typing import Optional

from .cases import Case, parse_iso
from .server import StudioServer
from .sink import CapturedMail, MailSink
from .transcript import Transcript, Turn

STUDIO_NAME = "Juniper & Light Photography"


def _render_reply():  # type: ignore[no-untyped-def]
    """The mail-program renderer from ``testkit`` (imported lazily: a harness import never breaks)."""
    from testkit.reply_templates import render_reply

    return render_reply


def reply_subject(subject: str) -> str:
    s = (subject or "").strip()
    return s if s.lower().startswith("re:") else f"Re: {s}"


def address_of(value: str) -> tuple[str, str]:
    """(display name, addr-spec) of a single address header value, via the modern header parser."""
    msg = EmailMessage()
    msg["To"] = value
    addrs = msg["To"].addresses
    if not addrs:
        raise ValueError(f"no address in {value!r}")
    return addrs[0].display_name, addrs[0].addr_spec


def crlf(raw: bytes) -> bytes:
    """SMTP wants CRLF line ends throughout (bare LFs are exactly what smuggling checks look for)."""
    return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def _header_lines(headers: dict[str, str]) -> bytes:
    lines = []
    for name, value in headers.items():
        if name.lower() == "return-path" and value.strip() == "<>":
            continue
        if not value.isascii():
            value = Header(value, "utf-8", header_name=name).encode()
        lines.append(f"{name}: {value}\r\n")
    return "".join(lines).encode("ascii")


class EmailClient:
    """One client writing to the studio; remembers its own Message-IDs and the studio's mails."""

    def __init__(self, case: Case, server: StudioServer, sink: MailSink, *, smtp_timeout: float = 30.0) -> None:
        self.case = case
        self.server = server
        self.sink = sink
        client = case.client or {}
        self.addr = client["email"]
        self.name = client.get("name") or ""
        self.smtp_timeout = smtp_timeout
        self.sent_ids: list[str] = []
        self.start = parse_iso(case.now)
        self.count = 0

    @property
    def from_header(self) -> str:
        return email.utils.formataddr((self.name, self.addr)) if self.name else self.addr

    def _date(self) -> datetime:
        return self.start + timedelta(minutes=3 * self.count)

    def _new_id(self) -> str:
        return f"<{uuid.uuid4().hex}@{self.addr.rpartition('@')[2] or 'client.example'}>"

    def _null_sender(self) -> bool:
        return any(k.lower() == "return-path" and v.strip() == "<>" for k, v in self.case.headers.items())

    # ---- building mails -----------------------------------------------------------------------
    def first_mail(self, text: str) -> tuple[bytes, str, str]:
        msg = EmailMessage()
        msg["From"] = self.from_header
        msg["To"] = self.server.book_address
        msg["Subject"] = self.case.subject or ""
        msg["Date"] = email.utils.format_datetime(self._date())
        mid = self._new_id()
        msg["Message-ID"] = mid
        msg.set_content(text)
        return _header_lines(self.case.headers) + msg.as_bytes(policy=email.policy.SMTP), self.server.book_address, mid

    def reply_mail(self, text: str, fmt: Optional[str], last: CapturedMail) -> tuple[bytes, str, str]:
        target = last.reply_target() or self.server.book_address
        _name, rcpt = address_of(target)
        refs = [r for r in last.references]
        if last.message_id and last.message_id not in refs:
            refs.append(last.message_id)
        mid = self._new_id()
        if fmt:
            try:
                quoted_date = email.utils.parsedate_to_datetime(last.header("Date"))
            except (TypeError, ValueError):
                quoted_date = self._date() - timedelta(minutes=1)
            raw = _render_reply()(fmt, text, last.text, last.subject, last.message_id or None, refs,
                                  self.from_header, target, date=self._date(), quoted_date=quoted_date,
                                  message_id=mid)
            return _header_lines(self.case.headers) + raw, rcpt, mid
        msg = EmailMessage()
        msg["From"] = self.from_header
        msg["To"] = target
        msg["Subject"] = reply_subject(last.subject)
        msg["Date"] = email.utils.format_datetime(self._date())
        msg["Message-ID"] = mid
        if last.message_id:
            msg["In-Reply-To"] = last.message_id
        if refs:
            msg["References"] = " ".join(refs)
        msg.set_content(text)
        return _header_lines(self.case.headers) + msg.as_bytes(policy=email.policy.SMTP), rcpt, mid

    def follow_up_without_answer(self, text: str) -> tuple[bytes, str, str]:
        """A next message when the studio never answered: the client replies to its own last mail."""
        raw, rcpt, mid = self.first_mail(text)
        if self.sent_ids:
            extra = f"In-Reply-To: {self.sent_ids[-1]}\r\nReferences: {' '.join(self.sent_ids)}\r\n".encode()
            raw = extra + raw.replace(f"Subject: {self.case.subject}".encode(),
                                      f"Subject: {reply_subject(self.case.subject or '')}".encode(), 1)
        return raw, rcpt, mid

    # ---- sending ------------------------------------------------------------------------------
    def send(self, raw: bytes, rcpt: str) -> None:
        """Deliver over SMTP like an MTA: retry a temporary (4xx) refusal twice, raise on anything else."""
        sender = "" if self._null_sender() else self.addr
        for attempt in range(3):
            try:
                with smtplib.SMTP("127.0.0.1", self.server.smtp_in_port, timeout=self.smtp_timeout) as smtp:
                    smtp.sendmail(sender, [rcpt], crlf(raw))
                return
            except smtplib.SMTPResponseException as exc:
                if 400 <= exc.smtp_code < 500 and attempt < 2:
                    time.sleep(2)
                    continue
                raise
            except smtplib.SMTPRecipientsRefused as exc:
                codes = [c for c, _m in exc.recipients.values()]
                if all(400 <= c < 500 for c in codes) and attempt < 2:
                    time.sleep(2)
                    continue
                raise


def run_email(case: Case, server: StudioServer, sink: MailSink, *, reply_timeout: float = 120.0,
              no_reply_grace: float = 6.0, settle: float = 1.0) -> Transcript:
    transcript = Transcript("email")
    client = EmailClient(case, server, sink)
    expect_silence = bool(case.expect.get("no_reply"))
    if not server.wait_smtp(15.0):
        transcript.errors.append(f"the inbound SMTP port {server.smtp_in_port} never accepted a connection "
                                 "(is the mailroom running?)")
        return transcript
    for i, message in enumerate(case.messages):
        text, fmt = (message, None) if isinstance(message, str) else (message["text"], message["format"])
        studio_mails = sink.to(client.addr)
        try:
            if i == 0:
                raw, rcpt, mid = client.first_mail(text)
            elif studio_mails:
                raw, rcpt, mid = client.reply_mail(text, fmt, studio_mails[-1])
            else:
                raw, rcpt, mid = client.follow_up_without_answer(text)
        except Exception as exc:  # a renderer or address problem is a harness-visible failure
            transcript.errors.append(f"message {i + 1}: could not build the mail: {exc.__class__.__name__}: {exc}")
            return transcript
        started = time.monotonic()
        turn = Turn(sent=text, detail={"to": rcpt, "message_id": mid, **({"format": fmt} if fmt else {})})
        transcript.turns.append(turn)
        try:
            client.send(raw, rcpt)
        except (smtplib.SMTPException, OSError) as exc:
            transcript.errors.append(f"message {i + 1}: SMTP delivery to {rcpt} failed: {exc}")
            return transcript
        client.sent_ids.append(mid)
        client.count += 1
        baseline = len(studio_mails)
        if expect_silence:
            time.sleep(no_reply_grace)
        else:
            if not sink.wait_for(client.addr, baseline + 1, reply_timeout):
                turn.seconds = time.monotonic() - started
                transcript.errors.append(f"message {i + 1}: no mail from the studio to {client.addr} "
                                         f"within {reply_timeout:.0f} s")
                return transcript
            sink.wait_quiet(client.addr, settle, 15.0)
        turn.seconds = time.monotonic() - started
        new = sink.to(client.addr)[baseline:]
        if new:
            turn.reply = "\n\n".join(m.text for m in new)
            turn.detail["studio_mails"] = [{"subject": m.subject, "from": m.header("From"),
                                            "reply_to": m.header("Reply-To"),
                                            "attachments": m.attachment_types()} for m in new]
    transcript.replies = [m.text for m in sink.to(client.addr)]
    return transcript


def answers_to(sink: MailSink, client_addr: str, sent_ids: list[str]) -> list[CapturedMail]:
    """Mails that answer the client: sent to its address, or threaded onto one of its messages."""
    ids = set(sent_ids)
    out = []
    for m in sink.all():
        irt = m.header("In-Reply-To").strip()
        if client_addr.lower() in m.rcpt_tos or (irt and irt in ids) or ids & set(m.references):
            out.append(m)
    return out
