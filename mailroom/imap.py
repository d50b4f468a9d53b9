"""IMAP poller (IMAPClient): fetch new mail from the studio's mailbox into the spool.

Why it tracks what it tracks: an IMAP message is identified by (folder, UIDVALIDITY, UID) and that
triple is the spool row's ``source_key`` (unique), so a message is fetched into the spool once, across
restarts, and the next fetch starts after the highest UID stored — nothing twice, nothing skipped (a
failed store stops the round so the gap is retried). When the server changes UIDVALIDITY every UID is
new: the folder is scanned again and messages we already have are recognised by their bytes (and by
the processor's Message-ID + sender + body dedupe). The first time a folder is seen only its unseen
messages are taken, so connecting a mailbox full of old mail does not answer years of it.
Handled messages are flagged ``\\Seen``; nothing is ever deleted. IDLE is used where the server
offers it, polling otherwise. IMAPClient is blocking, so the poller runs in a worker thread.
"""
from __future__ import annotations

import asyncio
import logging
import ssl
import threading
from typing import Callable, Optional

from imapclient import IMAPClient, SEEN
from sqlalchemy import select

from mailroom.spool import MAX_MESSAGE_BYTES, store
from models import Database, InboundMail
from models.repo.bookings import notify
from studiobook.config import Settings

log = logging.getLogger("studiobook.mail.imap")

FETCH_BATCH = 20
IDLE_SLICE_SECONDS = 2.0
IDLE_RENEW_SECONDS = 60.0
TIMEOUT_SECONDS = 30


class ImapPoller:
    """One mailbox folder, polled or IDLEd until ``stop_flag`` is set."""

    def __init__(self, settings: Settings, db: Database, *, on_stored: Optional[Callable[[int], None]] = None,
                 stop_flag: Optional[threading.Event] = None, poll_seconds: float = 30.0) -> None:
        self.settings = settings
        self.db = db
        self.folder = settings.imap_folder
        self.on_stored = on_stored
        self.stop_flag = stop_flag or threading.Event()
        self.poll_seconds = poll_seconds
        self._cursor: Optional[tuple[int, int]] = None  # (uidvalidity, last stored uid)

    # ---- connection ----------------------------------------------------------------------
    def connect(self) -> IMAPClient:
        s = self.settings
        client = IMAPClient(s.imap_host, port=s.imap_port, ssl=s.imap_tls == "tls",
                            ssl_context=ssl.create_default_context() if s.imap_tls == "tls" else None,
                            timeout=TIMEOUT_SECONDS)
        try:
            if s.imap_tls == "starttls":
                client.starttls(ssl.create_default_context())
            client.login(s.imap_user or "", s.imap_password or "")
        except BaseException:
            client.shutdown()
            raise
        return client

    # ---- one round -----------------------------------------------------------------------
    def sync(self, client: IMAPClient) -> int:
        """Fetch every message after the cursor into the spool and flag it seen; the number stored."""
        selected = client.select_folder(self.folder)
        validity = int(selected[b"UIDVALIDITY"])
        if self._cursor is None or self._cursor[0] != validity:
            self._cursor = (validity, self._last_uid(validity))
        last = self._cursor[1]
        if last == 0 and self._folder_is_new():
            uids = sorted(client.search(["UNSEEN"]))
        else:
            uids = sorted(u for u in client.search(["UID", f"{last + 1}:*"]) if u > last)
        stored = 0
        for start in range(0, len(uids), FETCH_BATCH):
            batch = uids[start:start + FETCH_BATCH]
            sizes = client.fetch(batch, ["RFC822.SIZE"])
            wanted = [u for u in batch if int(sizes.get(u, {}).get(b"RFC822.SIZE", 0)) <= MAX_MESSAGE_BYTES]
            bodies = client.fetch(wanted, ["BODY.PEEK[]"]) if wanted else {}
            for uid in batch:
                key = f"{self.folder}/{validity}/{uid}"
                if uid in wanted:
                    raw = bodies.get(uid, {}).get(b"BODY[]")
                    if raw is None:  # expunged meanwhile: nothing to keep
                        continue
                    mail_id = store(self.settings, self.db, bytes(raw), envelope_to=[], source="imap",
                                    source_key=key)
                    if self.on_stored is not None:
                        self.on_stored(mail_id)
                    stored += 1
                else:
                    self._too_large(key, int(sizes.get(uid, {}).get(b"RFC822.SIZE", 0)))
                client.add_flags([uid], [SEEN])
                self._cursor = (validity, uid)
        return stored

    def _last_uid(self, validity: int) -> int:
        prefix = f"{self.folder}/{validity}/"
        with self.db.read() as session:
            keys = session.scalars(select(InboundMail.source_key)
                                   .where(InboundMail.source == "imap", InboundMail.source_key.like(f"{prefix}%")))
            return max((int(k[len(prefix):]) for k in keys if k and k[len(prefix):].isdigit()), default=0)

    def _folder_is_new(self) -> bool:
        with self.db.read() as session:
            return session.scalar(select(InboundMail.id).where(
                InboundMail.source == "imap", InboundMail.source_key.like(f"{self.folder}/%")).limit(1)) is None

    def _too_large(self, key: str, size: int) -> None:
        """Remember an oversized message (so it is not fetched again) and tell the owner."""
        with self.db.write() as session:
            if session.scalar(select(InboundMail.id).where(InboundMail.source_key == key)) is not None:
                return
            session.add(InboundMail(source="imap", source_key=key, raw_path="", raw_sha256="", size=size,
                                    status="ignored", verdict=f"too large ({size} bytes), left in the mailbox"))
            notify(session, "mail_too_large", "A mail in the mailbox is too large to process",
                   body=f"{size // (1024 * 1024)} MB in {self.folder}; it is still in the mailbox.",
                   dedupe_key=f"imap-too-large:{key}")

    # ---- the loop ------------------------------------------------------------------------
    def run_forever(self) -> None:
        """Connect, sync, wait (IDLE or poll), repeat; reconnect with backoff on errors."""
        delay = 2.0
        while not self.stop_flag.is_set():
            try:
                client = self.connect()
            except Exception as exc:
                log.warning("cannot connect to IMAP %s:%s: %s", self.settings.imap_host, self.settings.imap_port, exc)
                self.stop_flag.wait(delay)
                delay = min(delay * 2, 300.0)
                continue
            try:
                self._session(client)
                delay = 2.0
            except Exception as exc:
                log.warning("IMAP session ended: %s", exc)
                self.stop_flag.wait(delay)
                delay = min(delay * 2, 300.0)
            finally:
                try:
                    client.logout()
                except Exception:
                    client.shutdown()

    def _session(self, client: IMAPClient) -> None:
        idle = client.has_capability("IDLE")
        while not self.stop_flag.is_set():
            self.sync(client)
            if idle:
                # Mail that lands between the sync and IDLE is only announced when IDLE ends: ask first.
                if _announces_mail(client.noop()[1]):
                    continue
                self._idle(client)
            else:
                self.stop_flag.wait(self.poll_seconds)
                client.noop()

    def _idle(self, client: IMAPClient) -> None:
        client.idle()
        try:
            waited = 0.0
            while not self.stop_flag.is_set() and waited < IDLE_RENEW_SECONDS:
                responses = client.idle_check(timeout=IDLE_SLICE_SECONDS)
                waited += IDLE_SLICE_SECONDS
                if _announces_mail(responses):
                    break
        finally:
            client.idle_done()


def _announces_mail(responses: list) -> bool:  # type: ignore[type-arg]
    return any(isinstance(r, tuple) and len(r) > 1 and r[1] in (b"EXISTS", b"RECENT") for r in responses)


async def run(settings: Settings, db: Database, stop: asyncio.Event,
              on_stored: Optional[Callable[[int], None]] = None, poll_seconds: float = 30.0) -> None:
    """Poll the configured mailbox until ``stop`` (does nothing when ``STUDIOBOOK_IMAP_HOST`` is unset)."""
    if not settings.imap_host:
        return
    flag = threading.Event()
    poller = ImapPoller(settings, db, on_stored=on_stored, stop_flag=flag, poll_seconds=poll_seconds)
    worker = asyncio.create_task(asyncio.to_thread(poller.run_forever))
    stopped = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait([worker, stopped], return_when=asyncio.FIRST_COMPLETED)
    finally:
        flag.set()
        stopped.cancel()
        await asyncio.gather(worker, return_exceptions=True)
