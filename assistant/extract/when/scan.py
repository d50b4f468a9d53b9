"""The scan: the folded text, the spans already claimed by a rule, and the mentions found so far.

Rules run in a fixed order and each claims the characters it reads, so a later (looser) rule never
reads the same words again ("10.12." is a date, so the time rule does not see "10.12").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .._text import Folded


@dataclass
class _M:
    kind: str  # date | weekday | drange | time | trange | period
    start: int
    end: int
    value: Any
    info: dict = field(default_factory=dict)


class _Scan:
    def __init__(self, folded: Folded, today: date, lang: str):
        self.f = folded
        self.s = folded.text
        self.used = bytearray(len(self.s))
        self.today = today
        self.lang = lang
        self.mentions: list[_M] = []

    def free(self, a: int, b: int) -> bool:
        return not any(self.used[a:b])

    def claim(self, a: int, b: int) -> None:
        for i in range(a, b):
            self.used[i] = 1

    def add(self, kind: str, a: int, b: int, value: Any, **info: Any) -> _M:
        m = _M(kind, a, b, value, info)
        self.mentions.append(m)
        self.claim(a, b)
        return m

    def before(self, a: int, n: int = 30) -> str:
        return self.s[max(0, a - n):a]

    def after(self, b: int, n: int = 30) -> str:
        return self.s[b:b + n]
