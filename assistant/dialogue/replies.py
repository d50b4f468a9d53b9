"""Build a reply from templates in the client's language, and remember the facts it states.

Why templates: every fact a client reads (a time, a price, a name) comes from code, never from the
model; the facts collected here are what ``assistant.polish`` checks a rephrased reply against.
"""
from __future__ import annotations

from typing import Any

from .. import replies_de, replies_en, replies_es

TEMPLATES: dict[str, dict[str, str]] = {"en": replies_en.TEXTS, "es": replies_es.TEXTS, "de": replies_de.TEXTS}
WEEKDAY_PLURALS = {"en": replies_en.WEEKDAY_PLURAL, "es": replies_es.WEEKDAY_PLURAL, "de": replies_de.WEEKDAY_PLURAL}
LANGUAGES = tuple(TEMPLATES)


def template(key: str, lang: str) -> str:
    """The template in ``lang``, else the English one (every key exists in English)."""
    return TEMPLATES.get(lang, replies_en.TEXTS).get(key) or replies_en.TEXTS[key]


def render(key: str, lang: str, **params: Any) -> str:
    return template(key, lang).format(**params)


class ReplyBuilder:
    """Sentences go into paragraphs; ``block`` lines (lists, summaries) each stand on their own line."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in TEMPLATES else "en"
        self.paragraphs: list[list[str]] = [[]]
        self.facts: list[str] = []
        self.keys: list[str] = []

    def say(self, key: str, **params: Any) -> "ReplyBuilder":
        self.paragraphs[-1].append(render(key, self.lang, **params))
        self._note(key, params)
        return self

    def para(self, key: str, **params: Any) -> "ReplyBuilder":
        """Start a new paragraph with this sentence."""
        self.break_()
        return self.say(key, **params)

    def block(self, lines: list[str]) -> "ReplyBuilder":
        """Lines shown one under the other (already rendered)."""
        self.break_()
        self.paragraphs[-1].append("\n".join(lines))
        self.break_()
        return self

    def raw(self, text: str) -> "ReplyBuilder":
        self.paragraphs[-1].append(text)
        return self

    def break_(self) -> None:
        if self.paragraphs[-1]:
            self.paragraphs.append([])

    def _note(self, key: str, params: dict[str, Any]) -> None:
        self.keys.append(key)
        for value in params.values():
            if value not in (None, ""):
                self.facts.append(str(value))

    def fact(self, *values: Any) -> None:
        self.facts.extend(str(v) for v in values if v not in (None, ""))

    @property
    def empty(self) -> bool:
        return not any(self.paragraphs)

    def text(self) -> str:
        return "\n\n".join(" ".join(p) for p in self.paragraphs if p).strip()
