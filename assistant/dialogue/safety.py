"""Untrusted input, trusted output: what a reply may contain, and how refusals are worded.

Every client message is untrusted. The tools are an allow-list, so no message can widen what the
assistant does; this module adds the last line on the way out: a reply may carry only the studio's
own links and addresses and the client's own email and phone. Anything else that looks like a URL,
an email address or a phone number (e.g. echoed from a "business name" that was really a link) is
removed before the reply leaves, so replies cannot be used to exfiltrate data or to spread links.
"""
from __future__ import annotations

import re
from typing import Iterable

from ..extract._text import fold_str

URL_RE = re.compile(r"(?i)\b(?:https?://|ftp://|www\.)[^\s<>\"')\]]+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|io|"
                    r"co|info|biz|ru|cn|xyz|top|me|ly|gl|app|dev|site|online|link|click)/[^\s<>\"')\]]*")
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+'\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
PHONE_RE = re.compile(r"(?<![\w$€£.,:/#])(?:\+?\d[\d ()\-]{6,}\d)(?![\d%])")

PAYMENT_RE = re.compile(r"\b(paid|pay(ment)?s?|refund\w*|bezahlt|pagad[oa]|free of charge|for free|gratis|"
                        r"kostenlos|discount|descuento|rabatt)\b")
SYSTEM_RE = re.compile(r"\b(system prompt|(your|the) (initial |original |hidden |full )?(instructions|prompt|configuration|"
                       r"rules)|instructions above|tus instrucciones|deine anweisungen|ihre anweisungen)\b")
OTHER_DATA_RE = re.compile(r"\b(all (the )?bookings|every booking|other clients?|other customers?|"
                           r"everyone'?s|(phone|email|address|number) of|'s (phone|email|address|number|booking)|"
                           r"client list|customer list|todas las reservas|otros clientes|alle buchungen|"
                           r"andere kunden)\b")


def refusal_key(text: str, intents: Iterable[str]) -> str:
    """Which refusal fits a message flagged as injection / other client's data."""
    folded = fold_str(text)
    intents = set(intents)
    if PAYMENT_RE.search(folded) and re.search(r"\b(mark|set|make|change|record|update|as|marca\w*|markier\w*)\b", folded):
        return "refuse_payment"
    if "other_client_data" in intents or OTHER_DATA_RE.search(folded):
        return "refuse_other"
    if SYSTEM_RE.search(folded):
        return "refuse_system"
    return "refuse_injection"


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value or "")


def scrub_reply(text: str, *, allowed_emails: Iterable[str] = (), allowed_urls: Iterable[str] = (),
                allowed_phones: Iterable[str] = ()) -> str:
    """Remove every URL, email address and phone number that is not explicitly allowed."""
    emails = {e.lower() for e in allowed_emails if e}
    urls = [u.rstrip("/") for u in allowed_urls if u]
    phones = {_digits(p)[-10:] for p in allowed_phones if p and len(_digits(p)) >= 7}

    def url(m: re.Match[str]) -> str:
        value = m.group(0)
        return value if any(value.startswith(u) for u in urls) else "[link removed]"

    def mail(m: re.Match[str]) -> str:
        return m.group(0) if m.group(0).lower().rstrip(".") in emails else "[address removed]"

    def phone(m: re.Match[str]) -> str:
        digits = _digits(m.group(0))
        if len(digits) < 7:
            return m.group(0)
        return m.group(0) if digits[-10:] in phones else "[number removed]"

    text = URL_RE.sub(url, text)
    text = EMAIL_RE.sub(mail, text)
    return PHONE_RE.sub(phone, text)


def scrub_value(value: str, max_len: int = 200) -> str:
    """A client-supplied value we will echo (business name, venue): no links or addresses, bounded."""
    value = URL_RE.sub("", value or "")
    value = EMAIL_RE.sub("", value)
    return re.sub(r"\s+", " ", value).strip()[:max_len]
