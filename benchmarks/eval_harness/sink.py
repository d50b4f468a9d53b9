"""An SMTP sink: the studio's outbound relay during an evaluation, capturing every mail per recipient.

Why our own asyncio server instead of ``aiosmtpd.controller.Controller``: the controller needs a fixed
port to probe for readiness; binding port 0 ourselves avoids the race of "find a free port, then bind".
The sink accepts everything (250) and never relays. Mails are kept as raw bytes plus a parsed view.
"""
from __future__ import annotations

import asyncio
import email
import email.policy
import html
import re
import threading
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Optional

from aiosmtpd.smtp import SMTP, Envelope, Session


@dataclass
class CapturedMail:
    """One mail as the studio handed it to the relay."""

    seq: int
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes
    received_at: float
    message: EmailMessage = field(repr=False)

    @classmethod
    def parse(cls, seq: int, mail_from: str, rcpt_tos: list[str], raw: bytes) -> "CapturedMail":
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        return cls(seq, mail_from, [r.lower() for r in rcpt_tos], raw, time.monotonic(), msg)  # type: ignore[arg-type]

    # ---- header views -------------------------------------------------------------------------
    def header(self, name: str) -> str:
        try:
            value = self.message.get(name)
        except Exception:  # a malformed header must not crash the harness
            value = None
        return str(value) if value is not None else ""

    @property
    def subject(self) -> str:
        return self.header("Subject")

    @property
    def message_id(self) -> str:
        return self.header("Message-ID").strip()

    @property
    def references(self) -> list[str]:
        return re.findall(r"<[^<>\s]+>", self.header("References"))

    def reply_target(self) -> str:
        """Where a mail program sends the answer: ``Reply-To`` if present, else ``From``."""
        return self.header("Reply-To") or self.header("From")

    # ---- body views ---------------------------------------------------------------------------
    @property
    def text(self) -> str:
        """The text a person reads: the inline text/plain parts, else the text/html parts as text."""
        plain, htmls = [], []
        for part in self.message.walk():
            if part.is_multipart():
                continue
            if (part.get_content_disposition() or "inline") == "attachment":
                continue
            ctype = part.get_content_type()
            if ctype not in ("text/plain", "text/html"):
                continue
            try:
                content = part.get_content()
            except Exception:
                payload = part.get_payload(decode=True) or b""
                content = payload.decode("utf-8", "replace")
            (plain if ctype == "text/plain" else htmls).append(str(content))
        if plain:
            return "\n".join(plain)
        return "\n".join(html_to_text(h) for h in htmls)

    def attachment_types(self) -> list[str]:
        return [p.get_content_type() for p in self.message.walk()
                if not p.is_multipart() and (p.get_content_disposition() == "attachment"
                                             or p.get_content_type() == "text/calendar")]


def html_to_text(markup: str) -> str:
    """A rough HTML-to-text for checks (tags dropped, block ends as line breaks, entities decoded)."""
    markup = re.sub(r"(?is)<(script|style|head)\b.*?</\1>", " ", markup)
    markup = re.sub(r"(?i)<br\s*/?>|</(p|div|tr|li|h[1-6]|blockquote)>", "\n", markup)
    markup = re.sub(r"<[^>]+>", "", markup)
    return html.unescape(markup)


class _Handler:
    def __init__(self, sink: "MailSink") -> None:
        self.sink = sink

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        raw = envelope.original_content or envelope.content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        self.sink._add(envelope.mail_from or "", list(envelope.rcpt_tos), raw)
        return "250 OK captured"


class MailSink:
    """Accepts mail on 127.0.0.1:<free port> in a background thread; ``port`` is known after ``start``."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self.port = 0
        self._mails: list[CapturedMail] = []
        self._cond = threading.Condition()
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._server: Optional[asyncio.base_events.Server] = None
        self._thread: Optional[threading.Thread] = None

    # ---- lifecycle ----------------------------------------------------------------------------
    def start(self) -> "MailSink":
        ready = threading.Event()
        errors: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            handler = _Handler(self)
            try:
                self._server = loop.run_until_complete(loop.create_server(
                    lambda: SMTP(handler, hostname="sink.localhost", decode_data=False,
                                 data_size_limit=50 * 1024 * 1024),
                    host=self.host, port=0))
                self.port = self._server.sockets[0].getsockname()[1]
            except BaseException as exc:  # pragma: no cover - reported to start()
                errors.append(exc)
                ready.set()
                return
            ready.set()
            loop.run_forever()
            self._server.close()
            loop.run_until_complete(self._server.wait_closed())
            loop.close()

        self._thread = threading.Thread(target=run, name="eval-smtp-sink", daemon=True)
        self._thread.start()
        ready.wait(10)
        if errors:
            raise errors[0]
        return self

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
        self._loop = self._thread = None

    def __enter__(self) -> "MailSink":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- capture ------------------------------------------------------------------------------
    def _add(self, mail_from: str, rcpt_tos: list[str], raw: bytes) -> None:
        with self._cond:
            self._mails.append(CapturedMail.parse(len(self._mails), mail_from, rcpt_tos, raw))
            self._cond.notify_all()

    def all(self) -> list[CapturedMail]:
        with self._cond:
            return list(self._mails)

    def to(self, address: str) -> list[CapturedMail]:
        """Every mail whose envelope recipients include ``address`` (case-insensitive), oldest first."""
        address = address.strip().lower()
        with self._cond:
            return [m for m in self._mails if address in m.rcpt_tos]

    def wait_for(self, address: str, count: int, timeout: float) -> bool:
        """Block until at least ``count`` mails went to ``address``; False on timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while len([m for m in self._mails if address.lower() in m.rcpt_tos]) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
            return True

    def wait_quiet(self, address: str, quiet: float, limit: float) -> None:
        """Wait until no new mail to ``address`` arrived for ``quiet`` seconds (at most ``limit``)."""
        end = time.monotonic() + limit
        seen = len(self.to(address))
        last_change = time.monotonic()
        with self._cond:
            while True:
                now = time.monotonic()
                if now - last_change >= quiet or now >= end:
                    return
                self._cond.wait(min(quiet - (now - last_change), end - now))
                count = len([m for m in self._mails if address.lower() in m.rcpt_tos])
                if count != seen:
                    seen, last_change = count, time.monotonic()
