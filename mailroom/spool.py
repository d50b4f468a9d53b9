"""The durable raw store for inbound mail: bytes on disk (fsynced), then an ``InboundMail`` row.

Why: a mail server may only say "250 OK" once the message can no longer be lost, because the sender
then forgets it. So the raw bytes go to a file that is fsynced (and renamed into place, so no
half-written file ever carries a final name), the directory entry is fsynced too, and only then is the
row committed; any failure removes the file and raises, and the SMTP server answers 451 so the sender
retries later. The processor (processor.py) works only from these rows, by their id.
"""
from __future__ import annotations

import hashlib
import os
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional, Sequence

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from models import Database, InboundMail
from studiobook.config import Settings

#: Largest message the studio accepts (SMTP answers 552 above it; IMAP messages above it are skipped).
MAX_MESSAGE_BYTES = 25 * 1024 * 1024


class SpoolError(RuntimeError):
    """The message could not be stored durably; nothing was kept, the sender must retry."""


def mail_dir(settings: Settings) -> Path:
    return Path(settings.data_dir) / "mail"


def raw_file(settings: Settings, raw_path: str) -> Path:
    """The absolute path of a stored message (rows keep paths relative to the data directory)."""
    return Path(settings.data_dir) / raw_path


def read_raw(settings: Settings, mail: InboundMail) -> bytes:
    return raw_file(settings, mail.raw_path).read_bytes()


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_durably(directory: Path, name: str, data: bytes) -> Path:
    """Write ``data`` to ``directory/name`` so that it survives a crash the moment this returns."""
    missing = [d for d in (directory, *directory.parents) if not d.exists()]
    directory.mkdir(parents=True, exist_ok=True)
    for created in reversed(missing):  # a new directory's entry lives in its parent
        _fsync_dir(created.parent)
    final = directory / name
    tmp = directory / f".{name}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        tmp.unlink(missing_ok=True)
        raise
    os.close(fd)
    os.replace(tmp, final)
    _fsync_dir(directory)
    return final


def store(settings: Settings, db: Database, raw: bytes, *, envelope_from: str = "",
          envelope_to: Sequence[str] = (), source: str = "smtp", source_key: Optional[str] = None,
          now: Optional[datetime] = None) -> int:
    """Store one received message durably and return its spool id (``InboundMail.id``).

    ``source_key`` (IMAP: ``folder/UIDVALIDITY/UID``) makes storing idempotent: a key already stored
    returns the existing id. A message whose exact bytes were already fetched from IMAP under another
    key (the server changed UIDVALIDITY) is recorded as a duplicate without a second copy on disk.
    """
    if len(raw) > MAX_MESSAGE_BYTES:
        raise SpoolError(f"message of {len(raw)} bytes exceeds the {MAX_MESSAGE_BYTES} byte limit")
    received = now or datetime.now(timezone.utc)
    digest = hashlib.sha256(raw).hexdigest()
    if source_key is not None:
        existing = _already_stored(db, source_key, digest, source)
        if existing is not None:
            return existing
    relative = Path("mail") / received.strftime("%Y-%m-%d") / f"{uuid.uuid4().hex}.eml"
    path = write_durably(Path(settings.data_dir) / relative.parent, relative.name, raw)
    try:
        with db.write() as session:
            row = InboundMail(source=source, source_key=source_key, raw_path=str(relative), raw_sha256=digest,
                              size=len(raw), envelope_from=(envelope_from or "")[:400],
                              envelope_to=[str(a)[:320] for a in envelope_to][:100], status="new",
                              received_at=received)
            session.add(row)
            session.flush()
            return row.id
    except IntegrityError:  # the same IMAP message stored concurrently: keep the first
        path.unlink(missing_ok=True)
        with db.read() as session:
            found = session.scalar(select(InboundMail.id).where(InboundMail.source_key == source_key))
        if found is None:
            raise
        return found
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def _already_stored(db: Database, source_key: str, digest: str, source: str) -> Optional[int]:
    """An id for a key seen before; for identical bytes under a new key a ``duplicate`` row pointing at the old file."""
    with db.write() as session:
        found = session.scalar(select(InboundMail.id).where(InboundMail.source_key == source_key))
        if found is not None:
            return found
        twin = session.scalars(select(InboundMail).where(InboundMail.raw_sha256 == digest,
                                                         InboundMail.source == source)
                               .order_by(InboundMail.id).limit(1)).first()
        if twin is None:
            return None
        row = InboundMail(source=source, source_key=source_key, raw_path=twin.raw_path, raw_sha256=digest,
                          size=twin.size, envelope_from=twin.envelope_from, envelope_to=list(twin.envelope_to),
                          message_id=twin.message_id, sender=twin.sender, body_sha256=twin.body_sha256,
                          subject=twin.subject, status="duplicate", verdict=f"same bytes as mail {twin.id}",
                          conversation_id=twin.conversation_id, processed_at=datetime.now(timezone.utc))
        session.add(row)
        session.flush()
        return row.id
