"""Turn raw RFC 5322 bytes into a ``ParsedMail``: the pure, I/O-free first step of the mailroom.

Why it is written this way:

* Real mail is messy and partly hostile. ``parse_message`` never raises: malformed headers, missing
  or truncated bodies, wrong charsets and broken transfer encodings all degrade to a best effort,
  so a stored message can always be processed (and shown to the owner) instead of crashing a worker.
* Addresses go through ``email.policy.default`` header objects (see ``addresses``), never
  ``email.utils.parseaddr`` (CVE-2023-27043). Header and body sizes are capped.
* ``text`` is what a person would read: the text/plain alternative when there is one, else the
  HTML converted to text (``html_to_text`` keeps the line structure and marks ``<blockquote>``
  quotes with ``>`` so that quote stripping works the same on both).
* ``body_hash`` is computed over a normalised form of the body so that a re-delivery (the same mail
  retried by the sender's server, possibly re-encoded) hashes the same.

The jobs live in their own modules: ``decoding`` (charsets, format=flowed), ``headers`` (header
block, Message-IDs, dates), ``addresses``, ``mime`` (body and attachments), ``html_text``; what the
sender wrote now, without quotes and signatures, is ``quotes.new_text``.
"""

from __future__ import annotations

import email
import email.message
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from email import policy

from mailroom.addresses import extract_addr, extract_addrs
from mailroom.decoding import clean_text, decode_bytes, fix_surrogates
from mailroom.headers import (
    SKIP_HEADERS,
    decode_header_value,
    parse_date,
    parse_id_list,
    parse_message_id,
    split_header_block,
)
from mailroom.html_text import html_to_text
from mailroom.mime import Walker, part_filename, payload_bytes, safe_ctype, sanitize_filename

__all__ = ["ParsedMail", "normalize_body_for_hash", "parse_message"]

MAX_HEADER_BYTES = 64 * 1024
MAX_BODY_CHARS = 200_000
MAX_PARTS = 1000


@dataclass(frozen=True)
class ParsedMail:
    """Everything the mailroom needs from one message; built only by ``parse_message``."""

    message_id: str | None
    in_reply_to: list[str]
    references: list[str]
    subject: str
    from_addr: str | None
    from_name: str | None
    to_addrs: list[str]
    reply_to: str | None
    date: datetime | None
    text: str
    html: str | None
    attachments: list[tuple[str, str, bytes]]
    headers: dict[str, str]
    auth_results: list[str]
    body_hash: str
    size: int
    # extensions (not required by the brief, useful to classify and thread)
    cc_addrs: list[str] = field(default_factory=list)
    content_type: str = "text/plain"
    part_types: list[str] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)
    truncated: bool = False

    def header(self, name: str, default: str | None = None) -> str | None:
        """A header value by case-insensitive name (several occurrences are joined by newlines)."""
        return self.headers.get(name.lower(), default)


def normalize_body_for_hash(text: str) -> str:
    """NFC, no zero-width/nbsp differences, whitespace runs collapsed: transport-stable body form."""
    text = unicodedata.normalize("NFC", text or "")
    text = text.replace("\xa0", " ").replace("\u200b", "").replace("\ufeff", "")
    return " ".join(text.split())


# --------------------------------------------------------------------------------------------
# the entry point


def parse_message(
    raw: bytes,
    *,
    max_header_bytes: int = MAX_HEADER_BYTES,
    max_body_chars: int = MAX_BODY_CHARS,
    max_parts: int = MAX_PARTS,
) -> ParsedMail:
    """Parse raw message bytes into a ``ParsedMail``. Never raises on malformed input."""
    if isinstance(raw, str):  # be forgiving with callers holding text
        raw = raw.encode("utf-8", errors="surrogateescape")
    if not isinstance(raw, (bytes, bytearray, memoryview)):
        raw = b""
    raw = bytes(raw)
    size = len(raw)
    defects: list[str] = []
    data, truncated = split_header_block(raw, max_header_bytes)
    if truncated:
        defects.append("HeaderBlockTruncated")
    try:
        msg = email.message_from_bytes(data, policy=policy.default)
    except Exception as exc:  # RecursionError on absurd nesting, or parser bugs
        defects.append(f"ParseError:{type(exc).__name__}")
        try:
            msg = email.message_from_bytes(data, policy=policy.compat32)
        except Exception:
            msg = email.message.EmailMessage(policy=policy.default)
    try:
        return _build(msg, size, max_body_chars, max_parts, defects, truncated)
    except RecursionError:
        defects.append("ParseError:RecursionError")
    except Exception as exc:  # pragma: no cover - defensive: keep the promise of never raising
        defects.append(f"ParseError:{type(exc).__name__}")
    return _fallback(raw, size, max_body_chars, defects)


def _fallback(raw: bytes, size: int, max_body_chars: int, defects: list[str]) -> ParsedMail:
    m = re.search(rb"\r?\n\r?\n", raw)
    body = raw[m.end() :] if m else b""
    text = clean_text(decode_bytes(body, None))[:max_body_chars]
    return ParsedMail(
        message_id=None, in_reply_to=[], references=[], subject="", from_addr=None, from_name=None,
        to_addrs=[], reply_to=None, date=None, text=text, html=None, attachments=[], headers={},
        auth_results=[], body_hash=hashlib.sha256(normalize_body_for_hash(text).encode("utf-8")).hexdigest(),
        size=size, defects=defects, truncated=True,
    )


def _build(
    msg: email.message.Message, size: int, max_body_chars: int, max_parts: int, defects: list[str], truncated: bool
) -> ParsedMail:
    # headers: raw values first (parsing them may fail individually)
    try:
        raw_items = list(msg.raw_items()) if hasattr(msg, "raw_items") else list(msg._headers)  # noqa: SLF001
    except Exception:
        raw_items = []
    headers: dict[str, str] = {}
    raw_by_name: dict[str, list[str]] = {}
    auth_results: list[str] = []
    for name, value in raw_items:
        if not isinstance(name, str):
            continue
        lname = name.strip().lower()
        if not lname or not isinstance(value, str):
            continue
        raw_by_name.setdefault(lname, []).append(value)
        if lname in SKIP_HEADERS:
            continue
        decoded = decode_header_value(name, value)
        if lname == "authentication-results":
            auth_results.append(decoded)
        headers[lname] = f"{headers[lname]}\n{decoded}" if lname in headers else decoded

    def first(name: str) -> str | None:
        values = raw_by_name.get(name)
        return values[0] if values else None

    def first_decoded(name: str) -> str | None:
        v = first(name)
        return decode_header_value(name, v) if v is not None else None

    subject = " ".join((first_decoded("subject") or "").split())
    # address headers are parsed from their raw text (8-bit bytes repaired) by the header registry
    frm = first("from")
    parsed_from = extract_addr(fix_surrogates(frm)) if frm and len(raw_by_name["from"]) == 1 else None
    to_addrs = [a for v in raw_by_name.get("to", []) for _, a in extract_addrs(fix_surrogates(v))]
    cc_addrs = [a for v in raw_by_name.get("cc", []) for _, a in extract_addrs(fix_surrogates(v))]
    rt = first("reply-to")
    parsed_rt = extract_addr(fix_surrogates(rt)) if rt else None

    # body
    walker = Walker(max_body_chars, max_parts)
    try:
        segments = walker.segments(msg)
    except RecursionError:
        segments = []
        defects.append("BodyRecursionError")
    texts: list[str] = []
    htmls: list[str] = []
    for seg in segments:
        if seg.plain is not None and seg.plain.strip():
            texts.append(seg.plain)
        elif seg.html is not None:
            texts.append(html_to_text(seg.html))
        if seg.html is not None:
            htmls.append(seg.html)
    text = "\n\n".join(t.strip("\n") for t in texts if t is not None)[:max_body_chars]
    html = "\n".join(htmls)[:max_body_chars] if htmls else None

    attachments: list[tuple[str, str, bytes]] = []
    try:
        leaves = list(walker.leaves(msg))
    except RecursionError:
        leaves = []
        defects.append("AttachmentRecursionError")
    if msg.is_multipart() or id(msg) not in walker.body_parts:
        for leaf in leaves:
            if id(leaf) in walker.body_parts:
                continue
            if leaf is msg and not leaf.is_multipart() and safe_ctype(leaf).startswith("text/") and not part_filename(leaf):
                continue  # a single-part mail whose only part could not serve as body (e.g. text/enriched)
            ctype = safe_ctype(leaf)
            data = payload_bytes(leaf)
            if not data and not part_filename(leaf):
                continue
            attachments.append((sanitize_filename(part_filename(leaf), ctype), ctype, data))

    try:
        for d in getattr(msg, "defects", []) or []:
            defects.append(type(d).__name__)
    except Exception:
        pass

    hasher = hashlib.sha256(normalize_body_for_hash(text).encode("utf-8", errors="replace"))
    for _, _, data in attachments:  # a forged "re-delivery" with other attachments must not dedupe
        hasher.update(b"\0" + hashlib.sha256(data).digest())

    return ParsedMail(
        message_id=parse_message_id(first("message-id")),
        in_reply_to=parse_id_list(first("in-reply-to")),
        references=parse_id_list(" ".join(raw_by_name.get("references", []))),
        subject=subject,
        from_addr=parsed_from[1] if parsed_from else None,
        from_name=(parsed_from[0] or None) if parsed_from else None,
        to_addrs=to_addrs,
        reply_to=parsed_rt[1] if parsed_rt else None,
        date=parse_date(first("date")),
        text=text,
        html=html,
        attachments=attachments,
        headers=headers,
        auth_results=auth_results,
        body_hash=hasher.hexdigest(),
        size=size,
        cc_addrs=cc_addrs,
        content_type=safe_ctype(msg),
        part_types=walker.part_types,
        defects=defects,
        truncated=truncated,
    )
