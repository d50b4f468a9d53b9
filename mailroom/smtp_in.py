"""The inbound SMTP server (aiosmtpd): accepts mail for the studio's domain and spools it durably.

Why the answers are what they are: "250" only once ``spool.store`` has fsynced the bytes and committed
the row (a sender forgets a message after 250); "451" when storing failed, so the sender's server
retries; "550" for recipients outside the studio's domain (we are not a relay); "552" above the size
limit (aiosmtpd enforces ``data_size_limit`` while reading, without buffering the excess).
"""
from __future__ import annotations

import asyncio
import logging
from functools import partial
from typing import Callable, Optional

from aiosmtpd.smtp import SMTP, Envelope, Session

from mailroom.addresses import is_for_domain
from mailroom.spool import MAX_MESSAGE_BYTES, store
from models import Database
from studiobook.config import Settings

log = logging.getLogger("studiobook.mail.in")

MAX_RECIPIENTS = 50


class InboundHandler:
    """aiosmtpd handler: recipient policy at RCPT, durable storage at DATA."""

    def __init__(self, settings: Settings, db: Database, on_stored: Optional[Callable[[int], None]] = None) -> None:
        self.settings = settings
        self.db = db
        self.on_stored = on_stored

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope, address: str,
                          rcpt_options: list[str]) -> str:
        if not is_for_domain(address, self.settings.mail_domain):
            return f"550 5.7.1 Relaying denied: this server only accepts mail for @{self.settings.mail_domain}"
        if len(envelope.rcpt_tos) >= MAX_RECIPIENTS:
            return "452 4.5.3 Too many recipients"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        if isinstance(raw, str):  # pragma: no cover - decode_data is off
            raw = raw.encode("utf-8", errors="surrogateescape")
        mail_from = "" if envelope.mail_from in (None, "", "<>") else envelope.mail_from  # null sender -> ""
        try:
            mail_id = await asyncio.to_thread(store, self.settings, self.db, raw, envelope_from=mail_from,
                                              envelope_to=list(envelope.rcpt_tos))
        except Exception:
            log.exception("could not store a message from %r", envelope.mail_from)
            return "451 4.3.0 The message could not be stored right now; please try again later"
        if self.on_stored is not None:
            self.on_stored(mail_id)
        return f"250 2.0.0 Message accepted (queued as {mail_id})"


def smtp_factory(settings: Settings, handler: InboundHandler) -> Callable[[], SMTP]:
    """A protocol factory for ``loop.create_server``: one aiosmtpd ``SMTP`` per connection."""
    return partial(SMTP, handler, data_size_limit=MAX_MESSAGE_BYTES, enable_SMTPUTF8=True, decode_data=False,
                   hostname=settings.mail_domain, ident="Studiobook ESMTP", timeout=120)


async def start_server(settings: Settings, db: Database,
                       on_stored: Optional[Callable[[int], None]] = None) -> Optional[asyncio.AbstractServer]:
    """Listen on ``STUDIOBOOK_SMTP_IN_HOST/PORT`` in the running loop; None when the port is 0 (disabled)."""
    if not settings.smtp_in_port:
        return None
    loop = asyncio.get_running_loop()
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command at INFO
    handler = InboundHandler(settings, db, on_stored)
    try:
        server = await loop.create_server(smtp_factory(settings, handler), host=settings.smtp_in_host,
                                          port=settings.smtp_in_port)
    except OSError as exc:
        raise RuntimeError(f"cannot listen for mail on {settings.smtp_in_host}:{settings.smtp_in_port}: "
                           f"{exc.strerror or exc}") from exc
    log.info("accepting mail for @%s on %s:%s", settings.mail_domain, settings.smtp_in_host, settings.smtp_in_port)
    return server

