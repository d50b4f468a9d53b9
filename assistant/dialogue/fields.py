"""Answers to a service's intake questions ("Business name", "Venue name", "Number of guests").

Why here and not in ``assistant.extract``: the questions are per studio (they live in the database),
so the patterns are built from each field's own name and label at run time. Two ways to answer: say it
("the business is Hilltop Coffee", "venue: Chautauqua", "about 120 guests"), or reply to the question
when it was just asked (then the whole short message is the answer).
"""
from __future__ import annotations

import re
from typing import Any, Optional, Sequence

import booking_core as core

from ..extract._text import fold_str

STOP = {"name", "the", "of", "number", "approximate", "how", "many", "your", "what", "is", "a", "an",
        "de", "del", "la", "el", "nombre", "numero", "der", "die", "das", "anzahl", "name"}
#: Extra words clients use for common field names (any studio may have these).
SYNONYMS = {
    "business": ("business", "company", "shop", "store", "brand", "cafe", "restaurant", "negocio", "empresa",
                 "tienda", "marca", "firma", "unternehmen", "geschaft", "laden"),
    "venue": ("venue", "location", "place", "lugar", "sitio", "ort", "location", "lokal", "saal"),
    "guests": ("guests", "people", "invitados", "personas", "gaste", "personen", "leute"),
    "children": ("children", "kids", "child", "ninos", "hijos", "kinder"),
    "people": ("people", "persons", "of us", "personas", "personen", "leute"),
}
IS_WORDS = (r"(?:'s)?(?:\s+name)?\s*(?:(?:is|was|will be|es|ist)\s+(?:called\s+|named\s+)?|:\s*|=\s*|-\s+|"
            r"(?:called|named|se llama|heisst|heißt|lautet)\s+)")
TRAILING = re.compile(r"\s*(?:[.;!?\n,]|\s(?:and|y|und)\s).*$", re.I | re.S)
NUMBER = re.compile(r"\b(\d{1,4})\b")
WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5,
                "zwei": 2, "drei": 3, "vier": 4, "funf": 5}


def field_nouns(f: core.IntakeField) -> list[str]:
    """Words that name this field in a message: its name, its label's content words, synonyms."""
    words = [f.name.lower()] + [w for w in re.findall(r"[a-z]+", fold_str(f.label)) if w not in STOP]
    out: list[str] = []
    for w in words:
        for candidate in (w,) + SYNONYMS.get(w, ()):
            if candidate not in out and len(candidate) > 2:
                out.append(candidate)
    return out


def _clean_text_answer(value: str) -> Optional[str]:
    value = TRAILING.sub("", value).strip(" \"'“”‘’,.:;")
    if not value or len(value) > 120:
        return None
    return value


def _number_near(text: str, nouns: Sequence[str]) -> Optional[int]:
    folded = fold_str(text)
    for noun in nouns:
        m = re.search(rf"\b(\d{{1,4}}|{'|'.join(WORD_NUMBERS)})\s+(?:\w+\s+)?{re.escape(noun)}\b", folded)
        if m:
            raw = m.group(1)
            return int(raw) if raw.isdigit() else WORD_NUMBERS[raw]
    return None


GENERIC_NAMED = re.compile(r"(?:\b(?:is|it'?s|we'?re|are|es|ist)\s+)?\b(?:called|named|se llama|heisst|heißt|nennt sich)\s+(.+)",
                           re.I | re.S)


#: "The reception is at Devil's Thumb Ranch", "Die Feier ist im Wedgewood Boulder Creek": a named place.
EVENT_AT = re.compile(r"\b(?i:ceremony|reception|wedding|party|event|celebration|feier|trauung|hochzeit|boda|ceremonia|"
                      r"fiesta|celebraci[oó]n)\b[^.\n]{0,30}?\b(?i:at|in|im|in der|en|en el|en la)\s+(?i:the\s+)?"
                      r"((?:[A-ZÄÖÜ][\w'’&-]*)(?:\s+(?:[A-ZÄÖÜ][\w'’&-]*|&|de|del|la|am|an der))*)")


def extract_fields(text: str, fields: Sequence[core.IntakeField], asked: Optional[str] = None,
                   missing_text_field: Optional[str] = None) -> dict[str, Any]:
    """Field name -> raw answer found in ``text`` (validated later by ``booking_core.validate_fields``).

    ``asked``: the field just asked for (a short reply is its answer). ``missing_text_field``: the
    required text field still open, which takes a bare "it's called X" ("The gym is called Boulder
    Crag" names the business even though "gym" is not one of its words).
    """
    found: dict[str, Any] = {}
    for f in fields:
        nouns = field_nouns(f)
        if f.type == "number":
            value = _number_near(text, nouns)
            if value is None and asked == f.name:
                m = NUMBER.search(text)
                value = int(m.group(1)) if m else None
            if value is not None:
                found[f.name] = value
            continue
        for noun in nouns:
            m = re.search(rf"\b{re.escape(noun)}\b{IS_WORDS}(.+)", text, re.I | re.S)
            if m is None:
                m = re.search(rf"\b{re.escape(noun)}\b{IS_WORDS}(.+)", fold_str(text), re.I | re.S)
                if m is not None:  # map the folded match back onto the original text (same length mostly)
                    start = m.start(1)
                    m = None if start >= len(text) else re.match(r"(.+)", text[start:], re.S)
            if m is not None:
                value = _clean_text_answer(m.group(1))
                if value:
                    found[f.name] = value
                    break
        if f.name not in found and f.type == "text" and set(nouns) & {"venue", "location", "place", "ort", "lugar"}:
            m = EVENT_AT.search(text)
            value = _clean_text_answer(m.group(1)) if m else None
            if value:
                found[f.name] = value
        if f.name not in found and f.name == missing_text_field:
            m = GENERIC_NAMED.search(text)
            value = _clean_text_answer(m.group(1)) if m else None
            if value:
                found[f.name] = value
        if f.name not in found and asked == f.name:
            value = _clean_text_answer(text.strip().split("\n")[0])
            if value and len(value.split()) <= 12:
                found[f.name] = value
    return found
