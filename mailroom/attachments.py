"""Save what clients attach (moodboards, references, forms) to their files, safely.

Why the checks: an attachment's name, type and content are the sender's claims. A file is kept only
when its size is sensible, its extension is on a short allow-list and its first bytes match that
extension (a ``.jpg`` that is really an executable is dropped); it is stored under a generated name,
never the sender's. What is skipped is recorded with a reason so the owner can ask for it again.
"""
from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional, Sequence

from sqlalchemy.orm import Session

from mailroom.spool import write_durably
from models import File
from studiobook.config import Settings

MAX_ATTACHMENT_BYTES = 15 * 1024 * 1024
MAX_ATTACHMENTS = 20


def _ftyp(data: bytes, brands: Sequence[bytes]) -> bool:
    return data[4:8] == b"ftyp" and data[8:12] in brands


def _is_text(data: bytes) -> bool:
    try:
        data[:65536].decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\0" not in data[:65536]


#: extension -> (stored content type, magic check)
ALLOWED: dict[str, tuple[str, Callable[[bytes], bool]]] = {
    ".jpg": ("image/jpeg", lambda d: d.startswith(b"\xff\xd8\xff")),
    ".jpeg": ("image/jpeg", lambda d: d.startswith(b"\xff\xd8\xff")),
    ".png": ("image/png", lambda d: d.startswith(b"\x89PNG\r\n\x1a\n")),
    ".gif": ("image/gif", lambda d: d[:6] in (b"GIF87a", b"GIF89a")),
    ".webp": ("image/webp", lambda d: d[:4] == b"RIFF" and d[8:12] == b"WEBP"),
    ".heic": ("image/heic", lambda d: _ftyp(d, (b"heic", b"heix", b"mif1", b"msf1", b"hevc"))),
    ".tif": ("image/tiff", lambda d: d[:4] in (b"II*\0", b"MM\0*")),
    ".tiff": ("image/tiff", lambda d: d[:4] in (b"II*\0", b"MM\0*")),
    ".pdf": ("application/pdf", lambda d: d.startswith(b"%PDF-")),
    ".txt": ("text/plain", _is_text),
}


@dataclass(frozen=True)
class SavedFiles:
    file_ids: list[int]
    skipped: list[dict[str, str]]
    #: Written files, for the caller to remove if its transaction is rolled back.
    paths: list[Path]

    def discard(self) -> None:
        for path in self.paths:
            path.unlink(missing_ok=True)


def check(name: str, data: bytes) -> Optional[str]:
    """None when the file may be kept, else the reason it was not."""
    ext = Path(name).suffix.lower()
    if not data:
        return "empty file"
    if len(data) > MAX_ATTACHMENT_BYTES:
        return f"larger than {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB"
    if ext not in ALLOWED:
        return f"file type {ext or '(none)'} is not accepted"
    if not ALLOWED[ext][1](data):
        return f"content does not match {ext}"
    return None


def save_attachments(session: Session, settings: Settings, attachments: Sequence[tuple[str, str, bytes]], *,
                     client_id: Optional[int], conversation_id: str, inbound_mail_id: int) -> SavedFiles:
    """Write acceptable attachments under ``DATA_DIR/files`` and add ``File`` rows (``kind='email'``).

    ``client_id`` may be None (a new sender is not a client until they book); the rows then carry the
    conversation in ``meta`` and are linked to the client when a booking is made from that thread.
    """
    saved = SavedFiles([], [], [])
    directory = Path(settings.data_dir) / "files"
    try:
        for index, (name, ctype, data) in enumerate(attachments):
            if ctype in ("message/rfc822", "message/delivery-status", "text/rfc822-headers"):
                continue
            reason = check(name, data) if index < MAX_ATTACHMENTS else f"more than {MAX_ATTACHMENTS} attachments"
            if reason is not None:
                saved.skipped.append({"name": name, "reason": reason})
                continue
            ext = Path(name).suffix.lower()
            stored = f"{uuid.uuid4().hex}{ext}"
            saved.paths.append(write_durably(directory, stored, data))
            row = File(client_id=client_id, kind="email", original_name=name[:255], stored_name=stored,
                       content_type=ALLOWED[ext][0], size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                       meta={"conversation_id": conversation_id, "inbound_mail_id": inbound_mail_id,
                             "declared_type": ctype[:100]})
            session.add(row)
            session.flush()
            saved.file_ids.append(row.id)
    except BaseException:
        saved.discard()
        raise
    return saved
