"""The expectations of the fixture format, as pure functions over what the harness observed.

Inputs are plain data: the bookings from ``GET /admin/api/bookings`` before the first message and after
the last one, the text of every studio reply the client saw, and (email) the mails that answered the
client. Times are compared as instants, so ``10:00-06:00`` and ``10:00-07:00`` are different bookings
(the DST cases depend on it); add-ons as sets; e-mail addresses and reply text case-insensitively.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable, Optional, Sequence

from .cases import parse_iso

ACTIVE = ("pending", "confirmed")


@dataclass
class CheckResult:
    name: str
    ok: bool
    reason: str = ""


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _instant(value: str) -> Optional[datetime]:
    try:
        return parse_iso(value)
    except (ValueError, TypeError, AttributeError):
        return None


def normalise_text(text: str) -> str:
    """Case-folded text with the spaces and quotes mail and chat use folded to plain ones."""
    text = unicodedata.normalize("NFKC", text or "")
    text = re.sub(r"[\u00a0\u2007\u2009\u202f]", " ", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return text.casefold()


def is_active(b: dict[str, Any]) -> bool:
    return b.get("status") in ACTIVE


def describe(b: dict[str, Any]) -> str:
    client = (b.get("client") or {}).get("email", "?")
    addons = ",".join(sorted(b.get("addons") or [])) or "-"
    return f"#{b.get('id')} {b.get('service')} {b.get('start')} +[{addons}] {client} {b.get('status')}"


def _key(b: dict[str, Any]) -> tuple[Any, Any, Any]:
    return (b.get("id"), b.get("service"), _instant(str(b.get("start"))))


def new_active(before: Sequence[dict[str, Any]], after: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Active bookings afterwards that were not active, with that service and start, before."""
    old = {_key(b) for b in before if is_active(b)}
    return [b for b in after if is_active(b) and _key(b) not in old]


def booking_matches(b: dict[str, Any], want: dict[str, Any]) -> bool:
    start, want_start = _instant(str(b.get("start"))), _instant(want["start"])
    return (is_active(b) and b.get("service") == want["service"] and start is not None and start == want_start
            and set(b.get("addons") or []) == set(want.get("addons") or [])
            and str((b.get("client") or {}).get("email", "")).casefold() == str(want["client_email"]).casefold())


def check_booking(want: dict[str, Any], before: Sequence[dict[str, Any]], after: Sequence[dict[str, Any]]) -> CheckResult:
    if any(booking_matches(b, want) for b in after):
        return CheckResult("booking", True)
    wanted = (f"{want['service']} {want['start']} +[{','.join(sorted(want.get('addons') or [])) or '-'}] "
              f"{want['client_email']}")
    changed = new_active(before, after)
    found = "; ".join(describe(b) for b in changed) if changed else "no new or changed active booking"
    return CheckResult("booking", False, f"wanted {wanted}; found {found}")


def check_no_booking(before: Sequence[dict[str, Any]], after: Sequence[dict[str, Any]]) -> CheckResult:
    changed = new_active(before, after)
    if not changed:
        return CheckResult("no_booking", True)
    return CheckResult("no_booking", False, "new or changed active booking: " + "; ".join(describe(b) for b in changed))


def check_no_booking_at(when: Any, after: Sequence[dict[str, Any]]) -> CheckResult:
    bad = []
    for value in _list(when):
        t = _instant(value)
        bad += [b for b in after if is_active(b) and _instant(str(b.get("start"))) == t]
    if not bad:
        return CheckResult("no_booking_at", True)
    return CheckResult("no_booking_at", False, "still active: " + "; ".join(describe(b) for b in bad))


def check_booking_still_at(when: Any, after: Sequence[dict[str, Any]]) -> CheckResult:
    missing = [v for v in _list(when)
               if not any(is_active(b) and _instant(str(b.get("start"))) == _instant(v) for b in after)]
    if not missing:
        return CheckResult("booking_still_at", True)
    return CheckResult("booking_still_at", False, f"no active booking starts at {', '.join(missing)} any more")


def _short(text: str, n: int = 160) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= n else text[: n - 1] + "…"


def check_replies(kind: str, wanted: Any, replies: Sequence[str]) -> CheckResult:
    hay = normalise_text("\n".join(replies))
    needles = [str(w) for w in _list(wanted)]
    hits = [w for w in needles if normalise_text(w) in hay]
    last = _short(replies[-1]) if replies else "(no reply at all)"
    if kind == "reply_contains_any":
        if hits:
            return CheckResult(kind, True)
        return CheckResult(kind, False, f"none of {needles} in the replies; last reply: {last!r}")
    if kind == "reply_contains_all":
        missing = [w for w in needles if w not in hits]
        if not missing:
            return CheckResult(kind, True)
        return CheckResult(kind, False, f"missing {missing} in the replies; last reply: {last!r}")
    if kind == "reply_not_contains":
        if not hits:
            return CheckResult(kind, True)
        return CheckResult(kind, False, f"the replies contain {hits}")
    raise ValueError(kind)


def check_no_reply(answers: Sequence[Any]) -> CheckResult:
    if not answers:
        return CheckResult("no_reply", True)
    subjects = [getattr(m, "subject", str(m)) for m in answers]
    return CheckResult("no_reply", False, f"the studio answered {len(answers)} time(s): {subjects}")


def evaluate(expect: dict[str, Any], *, replies: Sequence[str], before: Sequence[dict[str, Any]],
             after: Sequence[dict[str, Any]], answers: Optional[Sequence[Any]] = None,
             errors: Iterable[str] = ()) -> list[CheckResult]:
    """Every expectation of one case, in the format's order, plus the conversation itself."""
    results: list[CheckResult] = []
    errors = list(errors)
    if errors:
        results.append(CheckResult("conversation", False, "; ".join(errors)))
    if "booking" in expect:
        results.append(check_booking(expect["booking"], before, after))
    if expect.get("no_booking"):
        results.append(check_no_booking(before, after))
    if "no_booking_at" in expect:
        results.append(check_no_booking_at(expect["no_booking_at"], after))
    if "booking_still_at" in expect:
        results.append(check_booking_still_at(expect["booking_still_at"], after))
    for kind in ("reply_contains_any", "reply_contains_all", "reply_not_contains"):
        if kind in expect:
            results.append(check_replies(kind, expect[kind], replies))
    if expect.get("no_reply"):
        results.append(check_no_reply(answers or []))
    return results
