"""Address handling for the mailroom: parse, validate, build reply and Message-ID addresses.

Why this module exists: a From header is attacker-controlled text. Parsing it with the legacy
``email.utils.parseaddr`` can yield a different address than the one a mail program shows
(CVE-2023-27043), so everything here goes through the modern ``email.policy.default`` header
objects and then through a strict addr-spec check. Anything ambiguous is rejected (``None``):
the callers treat "no valid sender" as "do not act on this mail automatically".

All functions are pure: no I/O, no clock (``make_message_id`` uses only a random UUID).
"""

from __future__ import annotations

import re
import secrets
import uuid
from email import errors as email_errors
from email import policy

__all__ = [
    "REPLY_LOCAL_PART",
    "TOKEN_RE",
    "extract_addr",
    "extract_addrs",
    "is_for_domain",
    "is_valid_addr_spec",
    "make_message_id",
    "make_reply_address",
    "new_reply_token",
    "normalize_domain",
    "reply_token",
]

#: Local part of the studio's booking address (``book@domain``); reply addresses are ``book+<token>@domain``.
REPLY_LOCAL_PART = "book"

#: A reply token: URL-safe alphabet, 8..64 characters.
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{8,64}")

# dot-atom local part (RFC 5322 atext, plus any non-ASCII for SMTPUTF8) or a quoted string without
# line breaks; domain: dot-separated labels (letters/digits/hyphen, non-ASCII allowed for IDN) or an
# address literal.
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~\-\u0080-\U0010ffff]"
_LOCAL_RE = re.compile(rf'(?:{_ATEXT}+(?:\.{_ATEXT}+)*|"(?:[^"\\\r\n]|\\[^\r\n])*")')
_LABEL = r"[A-Za-z0-9\u0080-\U0010ffff](?:[A-Za-z0-9\-\u0080-\U0010ffff]{0,61}[A-Za-z0-9\u0080-\U0010ffff])?"
_DOMAIN_RE = re.compile(rf"(?:{_LABEL}(?:\.{_LABEL})*|\[[A-Za-z0-9.:\-]+\])")
_CTRL_RE = re.compile(r"[\x00-\x1f\x7f]")


def _unfold(value: str) -> str:
    return re.sub(r"\r?\n[ \t]*", " ", value).strip()


def normalize_domain(domain: str) -> str:
    """Lower-case a domain, drop a trailing dot, and turn IDN labels into their ASCII (punycode) form."""
    d = (domain or "").strip().rstrip(".").lower()
    if not d or d.startswith("["):
        return d
    try:
        return d.encode("idna").decode("ascii")
    except (UnicodeError, ValueError):
        return d


def is_valid_addr_spec(addr: str) -> bool:
    """True for a syntactically sound ``local@domain`` (no display name, no angle brackets, no spaces)."""
    if not addr or len(addr) > 320 or _CTRL_RE.search(addr):
        return False
    local, sep, domain = addr.rpartition("@")
    if not sep or not local or not domain or len(local) > 64 * 4:
        return False
    if not _LOCAL_RE.fullmatch(local):
        return False
    if not _DOMAIN_RE.fullmatch(domain):
        return False
    return True


def _parse_address_header(header_value: str):
    """Return the header object of an address header, or None when the text cannot be parsed."""
    if header_value is None:
        return None
    value = _unfold(str(header_value))
    if not value or len(value) > 16 * 1024:
        return None
    try:
        return policy.default.header_factory("from", value)
    except (IndexError, ValueError, TypeError, AttributeError, email_errors.HeaderParseError):
        return None
    except Exception:  # the header parser has had odd failure modes on hostile input
        return None


def _has_invalid_defect(header) -> bool:
    return any(isinstance(d, email_errors.InvalidHeaderDefect) for d in getattr(header, "defects", ()))


def extract_addrs(header_value: str | None, *, strict: bool = False) -> list[tuple[str, str]]:
    """All ``(display_name, addr_spec)`` pairs of an address-list header (To, Cc...), addr lower-cased.

    Groups are flattened; entries whose addr-spec is not valid are skipped. With ``strict`` any
    parser defect that signals ambiguity empties the result.
    """
    header = _parse_address_header(header_value) if header_value is not None else None
    if header is None:
        return []
    if strict and _has_invalid_defect(header):
        return []
    out: list[tuple[str, str]] = []
    try:
        addresses = header.addresses
    except Exception:
        return []
    for a in addresses:
        try:
            spec = a.addr_spec
            name = a.display_name or ""
        except Exception:
            continue
        if not is_valid_addr_spec(spec):
            continue
        out.append((_CTRL_RE.sub("", name).strip(), spec.lower()))
    return out


def extract_addr(header_value: str | None) -> tuple[str, str] | None:
    """The single ``(display_name, addr_spec)`` of a header like From, or None.

    None when the value holds no address, several addresses, a group, or anything the parser had
    to guess about (an ``InvalidHeaderDefect``): such a sender is not trusted with an identity.
    The addr-spec is lower-cased (mailbox names are case-insensitive at every provider we talk to).
    """
    header = _parse_address_header(header_value)
    if header is None or _has_invalid_defect(header):
        return None
    try:
        addresses = header.addresses
    except Exception:
        return None
    if len(addresses) != 1:
        return None
    try:
        spec = addresses[0].addr_spec
        name = addresses[0].display_name or ""
    except Exception:
        return None
    if not is_valid_addr_spec(spec):
        return None
    return _CTRL_RE.sub("", name).strip(), spec.lower()


def _bare_addr(addr: str) -> str | None:
    """Accept either a bare addr-spec or a header value ``Name <addr>``; return the addr-spec."""
    if addr is None:
        return None
    s = _unfold(str(addr))
    if s.startswith("<") and s.endswith(">") and s.count("<") == 1:
        s = s[1:-1].strip()
    if is_valid_addr_spec(s):
        return s
    parsed = extract_addr(s)
    return parsed[1] if parsed else None


def is_for_domain(addr: str | None, domain: str) -> bool:
    """True when ``addr`` is an address at exactly ``domain`` (case-insensitive; sub-domains do not count)."""
    spec = _bare_addr(addr) if addr else None
    if not spec or not domain:
        return False
    return normalize_domain(spec.rpartition("@")[2]) == normalize_domain(domain)


def reply_token(addr: str | None, domain: str, *, local: str = REPLY_LOCAL_PART) -> str | None:
    """The token of a secret reply address ``book+<token>@domain``, or None.

    The token keeps its case (it is a secret, compared exactly); the ``book`` part and the domain
    are compared case-insensitively.
    """
    spec = _bare_addr(addr) if addr else None
    if not spec or not is_for_domain(spec, domain):
        return None
    # _bare_addr lower-cases when it had to parse a header; recover the original spelling if possible
    raw = str(addr)
    m = re.search(re.escape(local) + r"\+([A-Za-z0-9_-]+)@", raw, flags=re.IGNORECASE)
    local_part = spec.rpartition("@")[0]
    base, plus, token = local_part.partition("+")
    if not plus or base.lower() != local.lower():
        return None
    if m and m.group(1).lower() == token.lower():
        token = m.group(1)
    return token if TOKEN_RE.fullmatch(token) else None


def make_reply_address(token: str, domain: str, *, local: str = REPLY_LOCAL_PART) -> str:
    """``book+<token>@domain``; raises ValueError for a token outside ``[A-Za-z0-9_-]{8,64}``."""
    if not isinstance(token, str) or not TOKEN_RE.fullmatch(token):
        raise ValueError("reply token must match [A-Za-z0-9_-]{8,64}")
    domain = (domain or "").strip().rstrip(".")
    if not domain or not _DOMAIN_RE.fullmatch(domain):
        raise ValueError(f"invalid mail domain: {domain!r}")
    return f"{local}+{token}@{domain}"


def new_reply_token(nbytes: int = 24) -> str:
    """A fresh unguessable reply token (``secrets.token_urlsafe``; 32 characters by default)."""
    token = secrets.token_urlsafe(nbytes)
    if not TOKEN_RE.fullmatch(token):  # pragma: no cover - token_urlsafe alphabet is [A-Za-z0-9_-]
        raise RuntimeError("unexpected token alphabet")
    return token


def make_message_id(domain: str) -> str:
    """A new Message-ID ``<uuid@domain>`` at the studio's domain (recognised later as our own)."""
    domain = (domain or "").strip().rstrip(".")
    if not domain or not _DOMAIN_RE.fullmatch(domain):
        raise ValueError(f"invalid mail domain: {domain!r}")
    return f"<{uuid.uuid4()}@{domain}>"
