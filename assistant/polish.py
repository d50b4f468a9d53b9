"""Let a model rephrase a template reply, and send the rephrasing only if every fact survived.

DESIGN.md: the default 135M model writes a fact-true reply 20 % of the time, so a rephrased reply is
a candidate, never the answer. The check is strict in both directions: every time, date, amount,
number, email, URL and capitalised name in the candidate must appear in the template or the facts
(nothing invented, no new links ever), and every such fact of the template must still be in the
candidate (nothing dropped), questions must stay questions and the language must not change.
Anything else, a timeout included, returns the template unchanged.
"""
from __future__ import annotations

import logging
import os
import re
from typing import Any, Iterable, Optional

from .extract.language import detect_language

log = logging.getLogger("studiobook.assistant")

TIME_RE = re.compile(r"\b\d{1,2}:\d{2}(?:\s?[AaPp]\.?[Mm]\.?)?")
MONEY_RE = re.compile(r"[$€£]\s?\d[\d,]*(?:\.\d+)?|\d[\d,.]*\s?(?:USD|EUR|GBP|CHF)")
NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")
EMAIL_RE = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
URL_RE = re.compile(r"(?i)\b(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|net|org|io|co|info|biz|me|app|dev|xyz)\b\S*")
WORD_RE = re.compile(r"\b[A-ZÄÖÜÁÉÍÓÚÑ][\wäöüßáéíóúñ'’-]+")
#: Capitalised words a rephrasing may add without adding a fact.
COMMON = {"I", "I'm", "I'd", "I'll", "I've", "Hi", "Hello", "Thanks", "Thank", "Please", "Sure", "Great", "Happy",
          "Of", "Yes", "No", "We", "We're", "You", "Your", "You're", "Our", "The", "A", "An", "It", "It's", "That",
          "This", "Would", "Could", "Shall", "Let", "Let's", "Just", "Which", "What", "When", "Here", "There",
          "Perfect", "Wonderful", "Lovely", "Absolutely", "Hola", "Gracias", "Hallo", "Danke", "Gerne", "Sie",
          "Ihr", "Ihre", "Ihnen", "Bitte", "Ich", "Wir", "Wann", "Welcher", "Welche", "Usted", "Su", "Por",
          "Qué", "Cuál", "Con", "Para", "Me", "Le", "Lo", "La", "El", "Es", "Und", "Aber", "Das", "Die", "Der"}


def _norm_time(value: str) -> str:
    return re.sub(r"[\s.]", "", value).upper()


def _facts(text: str) -> dict[str, set[str]]:
    return {
        "time": {_norm_time(t) for t in TIME_RE.findall(text)},
        "money": {re.sub(r"\s", "", m) for m in MONEY_RE.findall(text)},
        "number": set(NUMBER_RE.findall(text)),
        "email": {e.lower() for e in EMAIL_RE.findall(text)},
        "url": {u.lower().rstrip(".,)") for u in URL_RE.findall(text)},
    }


def fact_check(candidate: str, template: str, facts: Iterable[str] = ()) -> bool:
    """True only if ``candidate`` states exactly the template's facts (see module doc)."""
    if not candidate or not candidate.strip():
        return False
    allowed_text = template + "\n" + "\n".join(facts)
    have, allowed, needed = _facts(candidate), _facts(allowed_text), _facts(template)
    for kind in ("time", "money", "number", "email", "url"):
        if not have[kind] <= allowed[kind]:
            return False
        if kind != "url" and not needed[kind] <= have[kind]:
            return False
    if have["url"]:
        return False  # no links from a model, ever
    allowed_words = set(WORD_RE.findall(allowed_text)) | COMMON
    first_words = {m.group(1) for m in re.finditer(r"(?:^|[.!?¿¡]\s+)([A-ZÄÖÜÁÉÍÓÚÑ][\w'’-]*)", candidate)}
    for word in set(WORD_RE.findall(candidate)):
        if word not in allowed_words and word not in first_words:
            return False
    if "?" in template and "?" not in candidate:
        return False
    if not 0.5 <= len(candidate) / max(len(template), 1) <= 1.8:
        return False
    if detect_language(candidate) != detect_language(template):
        return False
    return True


SYSTEM = ("You rewrite a photo studio's chat reply so it sounds warm and natural. Keep every date, time, price, "
          "number, name and email exactly as written. Add no facts, no links, no promises. Reply in the same "
          "language, with the same questions, in at most two sentences more than the original.")


def polish(template: str, llm: Any, facts: Iterable[str] = (), *, timeout: float = 1.2,
           max_tokens: int = 120) -> tuple[str, bool]:
    """(reply, polished?) — the model's rephrasing if it passes ``fact_check``, else the template."""
    if llm is None or not template:
        return template, False
    try:
        candidate = llm.complete(SYSTEM, template, max_tokens=max_tokens, timeout=timeout, temperature=0.3)
    except Exception:
        log.exception("polish call failed")
        return template, False
    candidate = (candidate or "").strip().strip('"')
    if fact_check(candidate, template, facts):
        return candidate, True
    return template, False


def polish_enabled(model_path: str, default_model: Optional[str]) -> bool:
    """Rephrasing costs about a second per reply; with the default 135M model (20 % fact-true replies)
    it is off unless ``STUDIOBOOK_POLISH=on``; with a configured bigger model it is on unless ``off``."""
    flag = os.environ.get("STUDIOBOOK_POLISH", "").strip().lower()
    if flag in ("on", "1", "true", "yes"):
        return True
    if flag in ("off", "0", "false", "no"):
        return False
    return bool(model_path) and model_path != default_model
