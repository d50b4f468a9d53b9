"""Conversation cases in the fixture format (``../shared/fixtures/README.md``): loading and validation.

A malformed case is a bug in the case file, not a failure of the studio: it is reported before any
server starts, with the file, line and what is wrong.
"""
from __future__ import annotations

import glob
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Optional, Union

Message = Union[str, dict[str, str]]

EXPECT_KEYS = {"booking", "no_booking", "no_booking_at", "booking_still_at", "reply_contains_any",
               "reply_contains_all", "reply_not_contains", "no_reply"}
BOOKING_KEYS = {"service", "start", "addons", "client_email"}
CASE_KEYS = {"id", "channel", "now", "messages", "expect", "client", "subject", "headers", "verify_email",
             "note", "tags"}


class CaseError(ValueError):
    """A case that does not follow the format."""


@dataclass
class Case:
    id: str
    channel: str
    now: str
    messages: list[Message]
    expect: dict[str, Any]
    source: str = ""
    line: int = 0
    client: Optional[dict[str, str]] = None
    subject: Optional[str] = None
    headers: dict[str, str] = field(default_factory=dict)
    verify_email: Optional[str] = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}"


def parse_iso(value: str) -> datetime:
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError("needs a UTC offset")
    return parsed


def _strings(value: Any) -> bool:
    return isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))


def validate(data: dict[str, Any], where: str, template_names: Optional[set[str]] = None) -> Case:
    """A ``Case`` from one JSON object, or ``CaseError`` saying what is wrong."""
    def bad(msg: str) -> CaseError:
        return CaseError(f"{where}: case {data.get('id', '?')!r}: {msg}")

    if not isinstance(data, dict):
        raise CaseError(f"{where}: a case must be a JSON object")
    unknown = set(data) - CASE_KEYS
    if unknown:
        raise bad(f"unknown key(s) {sorted(unknown)}")
    for key in ("id", "channel", "now", "messages", "expect"):
        if key not in data:
            raise bad(f"missing {key!r}")
    if data["channel"] not in ("chat", "email"):
        raise bad("channel must be 'chat' or 'email'")
    try:
        parse_iso(data["now"])
    except (ValueError, AttributeError) as exc:
        raise bad(f"'now' is not an ISO datetime with offset ({exc})")
    messages = data["messages"]
    if not isinstance(messages, list) or not messages:
        raise bad("'messages' must be a non-empty list")
    for i, m in enumerate(messages):
        if isinstance(m, str):
            continue
        if not (isinstance(m, dict) and isinstance(m.get("text"), str) and isinstance(m.get("format"), str)
                and set(m) <= {"text", "format"}):
            raise bad(f"message {i + 1} must be a string or {{'text', 'format'}}")
        if data["channel"] != "email":
            raise bad(f"message {i + 1}: a mail-program format only makes sense for email")
        if i == 0:
            raise bad("the first message starts the thread: it cannot be a reply layout")
        if template_names is not None and m["format"] not in template_names:
            raise bad(f"message {i + 1}: unknown format {m['format']!r} (have {sorted(template_names)})")
    expect = data["expect"]
    if not isinstance(expect, dict) or not expect:
        raise bad("'expect' must be a non-empty object")
    unknown = set(expect) - EXPECT_KEYS
    if unknown:
        raise bad(f"unknown expectation(s) {sorted(unknown)}")
    if "booking" in expect:
        b = expect["booking"]
        if not isinstance(b, dict) or set(b) != BOOKING_KEYS:
            raise bad(f"expect.booking needs exactly {sorted(BOOKING_KEYS)}")
        if not isinstance(b["addons"], list):
            raise bad("expect.booking.addons must be a list")
        try:
            parse_iso(b["start"])
        except ValueError as exc:
            raise bad(f"expect.booking.start: {exc}")
        if "no_booking" in expect:
            raise bad("expect.booking and expect.no_booking contradict each other")
    for key in ("no_booking_at", "booking_still_at"):
        if key in expect:
            values = expect[key] if isinstance(expect[key], list) else [expect[key]]
            for v in values:
                try:
                    parse_iso(v)
                except (ValueError, AttributeError) as exc:
                    raise bad(f"expect.{key}: {exc}")
    for key in ("reply_contains_any", "reply_contains_all", "reply_not_contains"):
        if key in expect and not _strings(expect[key]):
            raise bad(f"expect.{key} must be a string or a list of strings")
    for key in ("no_booking", "no_reply"):
        if key in expect and expect[key] is not True:
            raise bad(f"expect.{key} must be true")
    if data["channel"] == "email":
        client = data.get("client")
        if not (isinstance(client, dict) and isinstance(client.get("email"), str) and "@" in client["email"]):
            raise bad("an email case needs client.email")
        if not isinstance(data.get("subject"), str):
            raise bad("an email case needs a subject")
        if "verify_email" in data:
            raise bad("verify_email is for chat cases")
    else:
        if "no_reply" in expect:
            raise bad("no_reply is for email cases")
        if any(k in data for k in ("client", "subject", "headers")):
            raise bad("client, subject and headers are for email cases")
    headers = data.get("headers") or {}
    if not (isinstance(headers, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in headers.items())):
        raise bad("'headers' must map header names to strings")
    return Case(id=data["id"], channel=data["channel"], now=data["now"], messages=list(messages),
                expect=dict(expect), client=data.get("client"), subject=data.get("subject"), headers=dict(headers),
                verify_email=data.get("verify_email"), raw=data)


def load_file(path: Path, template_names: Optional[set[str]] = None) -> list[Case]:
    cases = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip() or line.lstrip().startswith("//"):
                continue
            where = f"{path}:{n}"
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CaseError(f"{where}: not valid JSON: {exc}") from exc
            case = validate(data, where, template_names)
            case.source, case.line = str(path), n
            cases.append(case)
    return cases


def expand(patterns: list[str], base: Path, *, allow_empty_glob: bool = False) -> list[Path]:
    """Files for each pattern (a path or a glob, relative to ``base`` if not absolute), in order, once each."""
    out: list[Path] = []
    for pattern in patterns:
        p = Path(pattern)
        full = str(p if p.is_absolute() else base / p)
        matches = sorted(glob.glob(full)) if any(c in pattern for c in "*?[") else [full]
        if not matches and allow_empty_glob and any(c in pattern for c in "*?["):
            continue
        if not matches:
            raise CaseError(f"no case file matches {pattern!r}")
        for m in matches:
            mp = Path(m).resolve()
            if not mp.is_file():
                raise CaseError(f"no such case file: {m}")
            if mp not in out:
                out.append(mp)
    return out


def load_cases(paths: list[Path], template_names: Optional[set[str]] = None) -> list[Case]:
    cases: list[Case] = []
    seen: dict[str, str] = {}
    for path in paths:
        for case in load_file(path, template_names):
            if case.id in seen:
                raise CaseError(f"{case.where}: duplicate case id {case.id!r} (first in {seen[case.id]})")
            seen[case.id] = case.where
            cases.append(case)
    return cases
