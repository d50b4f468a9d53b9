"""The mailroom's part of ``studiobook serve``: inbound SMTP, IMAP, processor, outbox, scheduler.

Why one component with parts: the parts wake each other (a stored mail wakes the processor, a queued
reply wakes the sender) through events of the running loop, so a client's answer leaves within
moments instead of the next poll; each part also polls on its own, so nothing depends on a wake-up.
Booking changes queue their client mails through ``lifecycle.install`` for as long as this runs.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable

from mailroom import imap, lifecycle, outbox, processor, scheduler, smtp_in
from models import Database
from studiobook.config import Settings

log = logging.getLogger("studiobook.mail")


@dataclass
class Wakeups:
    """Events of the running loop; ``*_soon`` are safe to call from worker threads."""

    loop: asyncio.AbstractEventLoop
    inbound: asyncio.Event = field(default_factory=asyncio.Event)
    outbound: asyncio.Event = field(default_factory=asyncio.Event)

    def inbound_soon(self, _mail_id: Any = None) -> None:
        self.loop.call_soon_threadsafe(self.inbound.set)

    def outbound_soon(self) -> None:
        self.loop.call_soon_threadsafe(self.outbound.set)


async def run(settings: Settings, db: Database, stop: asyncio.Event) -> None:
    """Run every mail part until ``stop`` is set; a part that crashes is logged and restarted."""
    wake = Wakeups(asyncio.get_running_loop())
    lifecycle.install(settings, on_queued=wake.outbound_soon)
    server = await smtp_in.start_server(settings, db, on_stored=wake.inbound_soon)
    parts: dict[str, Callable[[], Awaitable[None]]] = {
        "mail-processor": lambda: processor.run(settings, db, stop, wake.inbound, on_queued=wake.outbound_soon),
        "mail-outbox": lambda: outbox.run(settings, db, stop, wake.outbound),
        "mail-scheduler": lambda: scheduler.run(settings, db, stop, on_queued=wake.outbound_soon),
        "mail-imap": lambda: imap.run(settings, db, stop, on_stored=wake.inbound_soon),
    }
    try:
        await asyncio.gather(*(_keep_running(name, part, stop) for name, part in parts.items()))
    finally:
        lifecycle.uninstall()
        if server is not None:
            server.close()
            await server.wait_closed()


async def _keep_running(name: str, part: Callable[[], Awaitable[None]], stop: asyncio.Event) -> None:
    while not stop.is_set():
        try:
            await part()
            return
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("%s stopped with an error; restarting it in 5 s", name)
            try:
                await asyncio.wait_for(stop.wait(), timeout=5)
            except asyncio.TimeoutError:
                pass


#: Imported by ``studiobook.serve``: background components ``(name, run(settings, db, stop_event))``.
COMPONENTS = [("mailroom", run)]
