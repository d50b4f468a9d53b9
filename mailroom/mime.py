"""Walk a MIME tree: the body a person reads (alternatives resolved) and everything else as attachments.

Why defensive everywhere: every accessor of ``email.message`` can raise on a malformed part, and
nesting can be absurd; a broken part degrades to "no body" or an empty attachment, never an
exception. ``sanitize_filename`` makes attachment names safe to show and to store under.
Pure; no I/O.
"""

from __future__ import annotations

import email
import email.header
import email.message
import email.utils
import re
import unicodedata
from dataclasses import dataclass
from email import policy
from typing import Iterator

from mailroom.decoding import clean_text, decode_bytes, fix_surrogates, unflow

__all__ = ["Walker", "part_filename", "payload_bytes", "safe_ctype", "sanitize_filename"]


def safe_ctype(part: email.message.Message) -> str:
    try:
        ctype = part.get_content_type()
    except Exception:
        return "application/octet-stream"
    return ctype if ctype and "/" in ctype else "application/octet-stream"


def _safe_param(part: email.message.Message, name: str, default: str | None = None) -> str | None:
    try:
        value = part.get_param(name, header="content-type")
    except Exception:
        return default
    if value is None:
        return default
    if isinstance(value, tuple):  # RFC 2231 (charset, language, value)
        try:
            value = email.utils.collapse_rfc2231_value(value)
        except Exception:
            value = value[2] if len(value) > 2 else ""
    return fix_surrogates(str(value))


def _disposition(part: email.message.Message) -> str:
    try:
        return (part.get_content_disposition() or "").lower()
    except Exception:
        return ""


def part_filename(part: email.message.Message) -> str | None:
    try:
        name = part.get_filename()
    except Exception:
        name = None
    if not name:
        name = _safe_param(part, "name")
    if not name:
        return None
    try:
        if "=?" in name:
            name = str(email.header.make_header(email.header.decode_header(name)))
    except Exception:
        pass
    return fix_surrogates(str(name))


def payload_bytes(part: email.message.Message) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except Exception:
        data = None
    if isinstance(data, bytes):
        return data
    try:
        raw = part.get_payload()
    except Exception:
        return b""
    if isinstance(raw, str):
        return raw.encode("utf-8", errors="surrogateescape")
    if isinstance(raw, list):  # message/* containers
        chunks = []
        for sub in raw:
            try:
                chunks.append(sub.as_bytes(policy=policy.compat32))
            except Exception:
                try:
                    chunks.append(str(sub).encode("utf-8", errors="replace"))
                except Exception:
                    pass
        return b"\n".join(chunks)
    return b""


_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)


def _decode_part(part: email.message.Message, max_chars: int) -> str:
    data = payload_bytes(part)
    charset = _safe_param(part, "charset")
    ctype = safe_ctype(part)
    if not charset and ctype == "text/html":
        m = _META_CHARSET_RE.search(data[:4096])
        if m:
            charset = m.group(1).decode("ascii", "replace")
    text = clean_text(decode_bytes(data, charset))
    if ctype == "text/plain" and (_safe_param(part, "format") or "").lower() == "flowed":
        delsp = (_safe_param(part, "delsp") or "").lower() == "yes"
        text = unflow(text, delsp=delsp)
    return text[:max_chars]


@dataclass
class _Segment:
    plain: str | None = None
    html: str | None = None


class Walker:
    def __init__(self, max_body_chars: int, max_parts: int) -> None:
        self.max_body_chars = max_body_chars
        self.max_parts = max_parts
        self.body_parts: set[int] = set()
        self.count = 0
        self.part_types: list[str] = []
        self.defects: list[str] = []

    def iter_parts(self, part: email.message.Message) -> list[email.message.Message]:
        try:
            payload = part.get_payload()
        except Exception:
            return []
        if not isinstance(payload, list):
            return []
        return [p for p in payload if isinstance(p, email.message.Message)]

    def segments(self, part: email.message.Message, depth: int = 0, have_body: bool = False) -> list[_Segment]:
        """The body segments of ``part`` in reading order (alternatives resolved)."""
        self.count += 1
        if self.count > self.max_parts or depth > 40:
            return []
        ctype = safe_ctype(part)
        maintype, _, subtype = ctype.partition("/")
        disp = _disposition(part)
        if maintype == "multipart":
            children = self.iter_parts(part)
            if not children:
                return []
            if subtype == "alternative":
                return self._alternative(children, depth)
            if subtype == "related":
                start = _safe_param(part, "start")
                root = children[0]
                if start:
                    for c in children:
                        if (c.get("content-id") or "").strip() == start.strip():
                            root = c
                            break
                return self.segments(root, depth + 1, have_body)
            if subtype in ("signed",):
                return self.segments(children[0], depth + 1, have_body)
            if subtype == "encrypted":
                return []
            if subtype == "report":  # the first part is the human-readable notification
                return self.segments(children[0], depth + 1, have_body)
            out: list[_Segment] = []
            for child in children:
                out.extend(self.segments(child, depth + 1, have_body or bool(out)))
            return out
        if maintype != "text" or subtype not in ("plain", "html"):
            return []
        if disp == "attachment":
            return []
        if depth and part_filename(part) and (have_body or disp != "inline"):
            return []  # a named text file next to the body is an attachment
        self.body_parts.add(id(part))
        text = _decode_part(part, self.max_body_chars)
        if subtype == "plain":
            return [_Segment(plain=text)]
        return [_Segment(html=text)]

    def _alternative(self, children: list[email.message.Message], depth: int) -> list[_Segment]:
        plain: str | None = None
        html: str | None = None
        for child in children:
            segs = self.segments(child, depth + 1)
            if not segs:
                continue
            if plain is None and all(s.plain is not None for s in segs):
                joined = "\n\n".join(s.plain or "" for s in segs)
                if joined.strip():
                    plain = joined
            if any(s.html is not None for s in segs):
                html = "\n".join(s.html for s in segs if s.html is not None)  # last (richest) wins
        for child in children:  # every text alternative is a body part, chosen or not
            if safe_ctype(child) in ("text/plain", "text/html") and _disposition(child) != "attachment":
                self.body_parts.add(id(child))
        if plain is None and html is None:
            return []
        return [_Segment(plain=plain, html=html)]

    def leaves(self, part: email.message.Message, depth: int = 0) -> Iterator[email.message.Message]:
        """All leaf parts, not descending into attached messages (message/rfc822 is one leaf)."""
        if depth > 40:
            return
        ctype = safe_ctype(part)
        self.part_types.append(ctype)
        if len(self.part_types) > self.max_parts:
            return
        if ctype.startswith("multipart/"):
            for child in self.iter_parts(part):
                yield from self.leaves(child, depth + 1)
            return
        yield part


_DEFAULT_NAMES = {
    "message/rfc822": "message.eml",
    "message/global": "message.eml",
    "message/delivery-status": "delivery-status.txt",
    "message/global-delivery-status": "delivery-status.txt",
    "message/disposition-notification": "disposition-notification.txt",
    "text/rfc822-headers": "headers.txt",
    "text/calendar": "invite.ics",
}
_UNSAFE_NAME_RE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
_RESERVED_NAMES = {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(1, 10)} | {f"lpt{i}" for i in range(1, 10)}


def sanitize_filename(name: str | None, content_type: str = "application/octet-stream") -> str:
    """A filename safe to show and to store under: no directories, control or shell-special characters."""
    import mimetypes

    name = unicodedata.normalize("NFC", fix_surrogates(name or ""))
    name = name.replace("\\", "/").split("/")[-1]
    name = _UNSAFE_NAME_RE.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip().lstrip(".").strip()
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    if stem.lower() in _RESERVED_NAMES:
        stem = "_" + stem
    name = f"{stem}.{ext}" if ext else stem
    if not name or name in (".", ".."):
        ctype = (content_type or "").lower()
        if ctype in _DEFAULT_NAMES:
            name = _DEFAULT_NAMES[ctype]
        else:
            name = "attachment" + (mimetypes.guess_extension(ctype) or ".bin")
    encoded = name.encode("utf-8")
    if len(encoded) > 200:
        ext_part = ("." + ext)[:20] if ext else ""
        budget = 200 - len(ext_part.encode("utf-8"))
        stem_b = name[: len(name) - len(ext_part)].encode("utf-8")[:budget]
        name = stem_b.decode("utf-8", errors="ignore") + ext_part
    return name
