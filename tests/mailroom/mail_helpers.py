"""Helpers for mail stories: a loopback SMTP sink, a client's mail, smtplib sending, waiting."""
from __future__ import annotations

import asyncio
import contextlib
import email
import smtplib
import socket
import threading
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY, default as default_policy
from email.utils import format_datetime, make_msgid
from datetime import datetime, timezone
from typing import Any, AsyncIterator, Callable, Optional, Sequence

from aiosmtpd.controller import Controller

STUDIO = "book@studio.localhost"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Delivered:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        return email.message_from_bytes(self.raw, policy=default_policy)  # type: ignore[return-value]


class _SinkHandler:
    def __init__(self, sink: "Sink") -> None:
        self.sink = sink

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if self.sink.answer_rcpt:
            return self.sink.answer_rcpt
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.sink.lock:
            self.sink.received.append(Delivered(envelope.mail_from, list(envelope.rcpt_tos),
                                                bytes(envelope.original_content)))
        return "250 2.0.0 OK"


class Sink:
    """A real SMTP server on loopback standing in for the studio's outbound relay."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.received: list[Delivered] = []
        self.lock = threading.Lock()
        #: Set to e.g. "550 5.1.1 No such user" to refuse every recipient.
        self.answer_rcpt: Optional[str] = None
        self._controller: Optional[Controller] = None

    def start(self) -> None:
        self._controller = Controller(_SinkHandler(self), hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def messages(self) -> list[EmailMessage]:
        with self.lock:
            return [d.message for d in self.received]


def plain(message: EmailMessage) -> str:
    """The text/plain body as a reader sees it (line ends normalised)."""
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


def html(message: EmailMessage) -> str:
    return message.get_body(("html",)).get_content().replace("\r\n", "\n")


def client_mail(body: str, *, sender: str = "Lena Fischer <lena.fischer@example.com>", to: str = STUDIO,
                subject: str = "Portrait session?", message_id: Optional[str] = None,
                in_reply_to: Optional[str] = None, references: Sequence[str] = (),
                headers: Optional[dict[str, str]] = None,
                attachments: Sequence[tuple[str, str, bytes]] = ()) -> EmailMessage:
    """A client's mail as a mail program writes it."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(datetime.now(timezone.utc))
    msg["Message-ID"] = message_id or make_msgid(domain="example.com")
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
    if references:
        msg["References"] = " ".join(references)
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(body)
    for filename, ctype, data in attachments:
        maintype, subtype = ctype.split("/", 1)
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return msg


def send(port: int, message: EmailMessage | bytes, *, mail_from: str = "lena.fischer@example.com",
         rcpt: Sequence[str] = (STUDIO,)) -> None:
    """Deliver over SMTP to the studio's inbound port; raises smtplib errors on refusal."""
    raw = message if isinstance(message, bytes) else wire(message)
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
        smtp.sendmail(mail_from, list(rcpt), raw)


def wire(message: EmailMessage) -> bytes:
    """The message as it travels over SMTP (CRLF line ends)."""
    return message.as_bytes(policy=SMTP_POLICY)


async def asend(port: int, message: EmailMessage | bytes, **kwargs: Any) -> None:
    await asyncio.to_thread(send, port, message, **kwargs)


async def wait_until(predicate: Callable[[], Any], timeout: float = 20.0, what: str = "condition") -> Any:
    """Poll ``predicate`` (run in a thread: it may query the database) until it is truthy."""
    deadline = time.monotonic() + timeout
    while True:
        value = await asyncio.to_thread(predicate)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(0.05)


@contextlib.asynccontextmanager
async def running_mailroom(settings: Any, db: Any) -> AsyncIterator[Any]:
    """The whole mailroom in the current event loop, as ``studiobook serve`` runs it, until the block ends."""
    from mailroom import service

    stop = asyncio.Event()
    task = asyncio.create_task(service.run(settings, db, stop))
    try:
        for _ in range(500):
            if task.done():
                task.result()
            try:
                with socket.create_connection(("127.0.0.1", settings.smtp_in_port), timeout=0.2):
                    break
            except OSError:
                await asyncio.sleep(0.02)
        else:
            raise RuntimeError(f"the inbound SMTP server did not start on port {settings.smtp_in_port}")
        yield settings
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=30)


@dataclass
class FakeAgent:
    """Answers every mail with ``text`` (and ``html``); records what it was given."""

    calls: list[dict[str, Any]] = field(default_factory=list)
    text: str = "Thanks for your message! Maya will have a look at the calendar."
    html: Optional[str] = None
    handover: bool = False

    def __call__(self, db: Any, settings: Any, **kwargs: Any) -> dict[str, Any]:
        self.calls.append(kwargs)
        return {"conversation_id": kwargs["conversation_id"], "text": self.text, "html": self.html, "booking": None,
                "handover": self.handover, "language": "en"}
