"""Client files (moodboards, contracts): checked on the way in, stored under generated names.

Three independent checks, because each alone is easy to fool: the size (before anything is written),
the extension against an allow-list, and the first bytes against the signature that extension must
have (a renamed ``.html`` or executable is refused). The stored name is random, so a client-chosen
name never reaches the file system; the original name is kept only for the download's
Content-Disposition. Downloads go to admins only, as attachments, with ``nosniff`` and a sandboxing
CSP, so a file can never run as a page of this site.
"""
from __future__ import annotations

import hashlib
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from models.repo.errors import InvalidInput

MAX_BYTES = 20 * 1024 * 1024


def _zip(head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04")


def _heic(head: bytes) -> bool:
    return head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"hevc", b"mif1", b"msf1")


#: extension -> (content type, signature check, what people call it)
ALLOWED: dict[str, tuple[str, Callable[[bytes], bool], str]] = {
    ".jpg": ("image/jpeg", lambda h: h.startswith(b"\xff\xd8\xff"), "JPEG image"),
    ".jpeg": ("image/jpeg", lambda h: h.startswith(b"\xff\xd8\xff"), "JPEG image"),
    ".png": ("image/png", lambda h: h.startswith(b"\x89PNG\r\n\x1a\n"), "PNG image"),
    ".gif": ("image/gif", lambda h: h[:6] in (b"GIF87a", b"GIF89a"), "GIF image"),
    ".webp": ("image/webp", lambda h: h[:4] == b"RIFF" and h[8:12] == b"WEBP", "WebP image"),
    ".heic": ("image/heic", _heic, "HEIC photo"),
    ".pdf": ("application/pdf", lambda h: h.startswith(b"%PDF-"), "PDF document"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _zip, "Word document"),
}


class UploadRejected(InvalidInput):
    """The file fails a check; the message says which and what would be accepted."""


@dataclass
class StoredFile:
    stored_name: str
    original_name: str
    content_type: str
    size: int
    sha256: str


def clean_name(name: str) -> str:
    """A display name safe for a header: no path, no control characters, bounded length."""
    name = unicodedata.normalize("NFC", os.path.basename((name or "").replace("\\", "/")))
    name = re.sub(r"[\x00-\x1f\x7f\"]", "", name).strip() or "file"
    stem, ext = os.path.splitext(name)
    return stem[:120] + ext[:10]


def accepted_list() -> str:
    return ", ".join(sorted({e.lstrip(".").upper() for e in ALLOWED if e != ".jpeg"}))


def check(original_name: str, content: bytes) -> tuple[str, str]:
    """(extension, content type) if the file passes every check, else UploadRejected."""
    if not content:
        raise UploadRejected("The file is empty.", "file")
    if len(content) > MAX_BYTES:
        raise UploadRejected(f"The file is {len(content) / 1048576:.1f} MB; the limit is {MAX_BYTES // 1048576} MB.", "file")
    ext = os.path.splitext(original_name or "")[1].lower()
    if ext not in ALLOWED:
        raise UploadRejected(f"Files of type '{ext or 'none'}' are not accepted. Accepted: {accepted_list()}.", "file")
    content_type, signature_ok, label = ALLOWED[ext]
    if not signature_ok(content[:16]):
        raise UploadRejected(f"'{clean_name(original_name)}' is not really a {label} (its content does not match "
                             f"its name), so it was not saved.", "file")
    return ext, content_type


def files_dir(data_dir: str) -> Path:
    path = Path(data_dir) / "files"
    path.mkdir(parents=True, exist_ok=True)
    return path


def store(data_dir: str, original_name: str, content: bytes) -> StoredFile:
    """Check, then write under a random name (exclusive create: never overwrites)."""
    ext, content_type = check(original_name, content)
    stored = f"{secrets.token_hex(16)}{ext}"
    target = files_dir(data_dir) / stored
    with open(target, "xb") as fh:
        fh.write(content)
        fh.flush()
        os.fsync(fh.fileno())
    return StoredFile(stored, clean_name(original_name), content_type, len(content), hashlib.sha256(content).hexdigest())


def path_of(data_dir: str, stored_name: str) -> Optional[Path]:
    """The stored file's path, refusing anything that is not one of our generated names."""
    if not re.fullmatch(r"[0-9a-f]{32}\.[a-z0-9]{2,5}", stored_name or ""):
        return None
    path = files_dir(data_dir) / stored_name
    return path if path.is_file() else None
