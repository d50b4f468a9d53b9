"""A client's name when the extractor found none: the words right before their email, or the email itself.

Why: people answer "may I have your name and email?" in every shape ("im marcus reed, marcus@...",
"WALT KRAMER, WALT.KRAMER@...", "We're Emma and Luis Ortega, emma@..."). ``assistant.extract.contact``
only trusts clear cues; here the context (we asked, an email follows) makes the guess safe, and the
summary shows the name before anything is booked, so a wrong guess is corrected, not stored silently.
"""
from __future__ import annotations

import re
from typing import Optional

from ..extract._text import fold_str

CUES = re.compile(r"^(?:(?:hi|hello|hey|hola|hallo)[,!]?\s+)?(?:i'?m|im|i am|we'?re|we are|this is|it'?s|its|my name is|"
                  r"our names are|name|names|contact|from|soy|me llamo|somos|mi nombre es|ich bin|wir sind|"
                  r"ich heisse|ich heiße|mein name ist|hier ist|hier sind)\b[:,]?\s*", re.I)
NOT_NAME = set("""yes yeah yep ok okay sure please book booking it the a an venue session shoot portrait wedding
headshots branding family mini deposit pay at thanks thank you email mail phone and or for with is our my we i
si sí gracias por favor ja bitte danke und oder y o""".split())
CONNECTORS = {"&", "and", "y", "und"}
WORD = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ'’-]*$")


def _title(word: str) -> str:
    if word.islower() or word.isupper():
        return "-".join(p[:1].upper() + p[1:].lower() for p in word.split("-"))
    return word


def name_before_email(text: str, email: Optional[str]) -> Optional[str]:
    """"Emma and Luis Ortega" from "The venue is X. We're Emma and Luis Ortega, emma@...", else None."""
    if not email:
        return None
    at = text.lower().find(email.lower())
    if at <= 0:
        return None
    clause = re.split(r"[.;!?\n]+\s*", text[:at].strip())[-1]
    clause = re.split(r"\s+(?:-|–|—)\s+", clause)[-1]
    clause = CUES.sub("", clause.strip()).strip(" ,:;()-–—<")
    words = clause.replace(",", " ").split()
    if not 1 <= len(words) <= 5:
        return None
    if words[0].lower() in CONNECTORS or words[-1].lower() in CONNECTORS:
        return None
    for w in words:
        if w.lower() in CONNECTORS:
            continue
        if not WORD.match(w) or fold_str(w) in NOT_NAME:
            return None
    return " ".join(w if w.lower() in CONNECTORS else _title(w) for w in words)


def name_from_email(email: Optional[str]) -> Optional[str]:
    """"Marcus Reed" from marcus.reed@example.com; None when the local part is not two or three words."""
    if not email or "@" not in email:
        return None
    parts = [p for p in re.split(r"[._-]+", email.split("@", 1)[0]) if p]
    if not 2 <= len(parts) <= 3 or not all(p.isalpha() and len(p) > 1 for p in parts):
        return None
    return " ".join(p[:1].upper() + p[1:].lower() for p in parts)
