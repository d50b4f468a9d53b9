"""Header fields of a raw mail: capped header block, decoded values, Message-ID lists, dates.

Why: headers are where hostile or broken mail hurts first -- megabytes of header lines, 8-bit bytes
in encoded words, unparseable dates, thousands of References. Each helper caps, repairs or drops
instead of raising. Addresses are parsed in ``mailroom.addresses``. Pure; no I/O.
"""

from __future__ import annotations

import email.header
import email.utils
import re
from datetime import datetime, timezone
from email import policy

from mailroom.decoding import CTRL_RE, fix_surrogates

__all__ = [
    "MAX_IDS",
    "SKIP_HEADERS",
    "decode_header_value",
    "parse_date",
    "parse_id_list",
    "parse_message_id",
    "split_header_block",
]

MAX_IDS = 100

#: Headers that carry no information for the mailroom and can be huge; left out of ``headers``.
SKIP_HEADERS = frozenset(
    {
        "received",
        "dkim-signature",
        "domainkey-signature",
        "arc-seal",
        "arc-message-signature",
        "arc-authentication-results",
        "x-google-dkim-signature",
        "x-gm-message-state",
        "x-google-smtp-source",
        "x-received",
        "x-microsoft-antispam",
        "x-microsoft-antispam-message-info",
        "x-microsoft-antispam-mailbox-delivery",
        "x-forefront-antispam-report",
        "x-message-info",
        "x-ms-exchange-antispam-messagedata-chunkcount",
        "x-ms-exchange-antispam-messagedata-0",
    }
)


def _unfold(value: str) -> str:
    return re.sub(r"[\r\n]+", " ", re.sub(r"\r?\n(?=[ \t])", "", value)).strip()


_MSGID_RE = re.compile(r"<\s*([^<>\s]+?)\s*>")
_BARE_ID_RE = re.compile(r"[^<>\s@]+@[^<>\s@]+")


def _clean_id(value: str) -> str | None:
    value = value.strip()
    if not value or len(value) > 500 or "@" not in value:
        return None
    if any(c.isspace() for c in value) or CTRL_RE.search(value):
        return None
    left, _, right = value.rpartition("@")
    if not left or not right:
        return None
    return value


def parse_id_list(value: str | None, limit: int = MAX_IDS) -> list[str]:
    """Message-ids in a References/In-Reply-To value: ``<id>`` tokens, else bare ``local@domain`` words."""
    if not value:
        return []
    found = [m.group(1) for m in _MSGID_RE.finditer(value)]
    if not found:
        found = _BARE_ID_RE.findall(value)
    out: list[str] = []
    seen: set[str] = set()
    for raw in found:
        cid = _clean_id(raw)
        if cid and cid not in seen:
            seen.add(cid)
            out.append(cid)
    return out[-limit:]


def parse_message_id(value: str | None) -> str | None:
    if not value:
        return None
    m = _MSGID_RE.search(value)
    if m:
        return _clean_id(m.group(1))
    stripped = value.strip()
    if _BARE_ID_RE.fullmatch(stripped):
        return _clean_id(stripped)
    return None


def decode_header_value(name: str, raw: str) -> str:
    """Decoded, unfolded text of one header (encoded words resolved; 8-bit bytes repaired)."""
    raw = fix_surrogates(raw)  # before the registry turns undecodable bytes into U+FFFD
    try:
        value = str(policy.default.header_fetch_parse(name, raw))
    except Exception:
        try:
            value = str(email.header.make_header(email.header.decode_header(raw)))
        except Exception:
            value = raw
    return _unfold(fix_surrogates(value))


def split_header_block(raw: bytes, max_header_bytes: int) -> tuple[bytes, bool]:
    """Cap the header block at ``max_header_bytes`` (cut at a line boundary), keep the body."""
    m = re.search(rb"\r?\n\r?\n", raw)
    head_end = m.start() if m else len(raw)
    if head_end <= max_header_bytes:
        return raw, False
    head = raw[:max_header_bytes]
    nl = head.rfind(b"\n")
    head = head[: nl if nl > 0 else 0]
    # drop a dangling continuation so the cut header does not swallow the separator
    body = raw[m.end() :] if m else b""
    return head.rstrip(b"\r\n") + b"\n\n" + body, True


def parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        dt = email.utils.parsedate_to_datetime(value)
    except Exception:
        return None
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    if not (1970 <= dt.year <= 9999):
        return None
    return dt
