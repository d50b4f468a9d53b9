"""Finding the studio's own names in a question: services, add-ons, clients (fuzzy) and tags.

Why here and not in the model: names decide which rows an answer is about, so they are matched against
the database itself — exact words first, then typo-tolerant matching with rapidfuzz — and a name that
fits several clients is reported as ambiguous rather than guessed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Sequence

from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AddOn, Client, ClientTag, Service

from .periods import MONTHS, WEEKDAYS

#: Words of service titles that do not identify one service.
GENERIC_WORDS = {"session", "sessions", "day", "coverage", "professional", "shoot", "shoots", "the", "and", "of",
                 "package", "hour", "look", "editing", "roll", "hours", "a", "an", "with", "extra", "extras", "second"}
#: Words never taken for a client's first or last name on their own.
VOCABULARY = {
    "what", "who", "whom", "when", "where", "which", "how", "many", "much", "the", "this", "that", "last", "next",
    "month", "week", "year", "today", "revenue", "booking", "bookings", "client", "clients", "phone", "email",
    "number", "session", "sessions", "booked", "most", "top", "best", "paid", "deposit", "gaps", "free", "vip",
    "tagged", "tag", "tags", "any", "all", "did", "does", "has", "have", "been", "was", "were", "are", "is", "for",
    "from", "with", "and", "about", "tell", "show", "give", "list", "my", "our", "their", "her", "his", "its",
    "portrait", "wedding", "branding", "headshots", "family", "mini", "drone", "contact", "details", "spent",
    "spend", "money", "total", "shoot", "shoots", "next", "upcoming", "since", "between", "average", "still",
    "outstanding", "balance", "owe", "owes", "pay", "not", "yet", "new", "returning", "repeat", "again",
}
#: Also names of people, so taken as a name only when the question needs a client ("June's phone").
NAME_OR_WORD = set(MONTHS) | set(WEEKDAYS) | {"mark", "will", "grace", "hope", "joy", "faith", "summer", "autumn",
                                               "bill", "rich", "sunny", "dawn", "holly", "ivy", "rose"}
NOT_NAMES = VOCABULARY | NAME_OR_WORD


def normalise(question: str) -> str:
    """Lower-case, straight apostrophes, single spaces, no trailing punctuation."""
    text = question.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    text = re.sub(r"\s+", " ", text.strip().lower())
    return text.rstrip(" ?!.")


def words(text: str) -> list[str]:
    return [w[:-2] if w.endswith("'s") else w.rstrip("'") for w in re.findall(r"[a-z0-9][a-z0-9'\-]*", text)]


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if len(word) > 4 and word.endswith("s") and not word.endswith("ss") else word


@dataclass(frozen=True)
class Named:
    id: int
    key: str  # slug, tag or email
    title: str


def _keyed_words(rows: Sequence[tuple[int, str, str]]) -> dict[str, set[int]]:
    """Identifying words of each title/slug -> ids (words shared by several titles are dropped)."""
    index: dict[str, set[int]] = {}
    for row_id, slug, title in rows:
        for w in set(words(title.lower())) | set(slug.split("-")) | {slug, slug.replace("-", " ")}:
            w = _stem(w)
            if w and w not in GENERIC_WORDS:
                index.setdefault(w, set()).add(row_id)
    return {w: ids for w, ids in index.items() if len(ids) == 1}


def _match_titles(text: str, rows: Sequence[tuple[int, str, str]]) -> list[Named]:
    index = _keyed_words(rows)
    by_id = {r[0]: Named(r[0], r[1], r[2]) for r in rows}
    found: dict[int, Named] = {}
    for row_id, slug, title in rows:  # whole titles and slugs first ("film roll look", "family-mini")
        if re.search(rf"\b{re.escape(title.lower())}\b", text) or re.search(rf"\b{re.escape(slug)}\b", text):
            found[row_id] = by_id[row_id]
    for w in words(text):
        s = _stem(w)
        if s in index:
            for row_id in index[s]:
                found[row_id] = by_id[row_id]
        elif len(s) >= 5 and s not in NOT_NAMES:
            best = process.extractOne(s, list(index), scorer=fuzz.ratio, score_cutoff=85)
            if best:
                for row_id in index[best[0]]:
                    found[row_id] = by_id[row_id]
    return list(found.values())


def find_services(session: Session, text: str) -> list[Named]:
    rows = [(r.id, r.slug, r.title) for r in session.execute(select(Service.id, Service.slug, Service.title))]
    return _match_titles(text, rows)


def find_addons(session: Session, text: str) -> list[Named]:
    rows = [(r.id, r.slug, r.title) for r in session.execute(select(AddOn.id, AddOn.slug, AddOn.title))]
    return _match_titles(text, rows)


def find_tag(session: Session, text: str) -> Optional[str]:
    """A client tag the question names: "VIP", "referral:instagram" (as "instagram" with a referral cue)."""
    tags = list(session.scalars(select(ClientTag.tag).distinct()))
    best: Optional[str] = None
    for tag in sorted(tags, key=len, reverse=True):
        low = tag.lower()
        if re.search(rf"(?<![\w-]){re.escape(low)}(?![\w-])", text):
            return tag
        if ":" in low:
            kind, value = low.split(":", 1)
            cue = r"\b(referr\w*|referral|came from|come from|found (?:us|me)|source|via|through|from)\b"
            if re.search(rf"\b{re.escape(value)}\b", text) and (re.search(cue, text) or kind in text):
                best = best or tag
    return best


@dataclass(frozen=True)
class ClientMatch:
    clients: list[Named]
    #: The words that looked like a name (for "I couldn't find X").
    asked: str = ""


def find_clients(session: Session, question: str, text: str, *, required: bool) -> ClientMatch:
    """Clients named in the question: by email, full name, a unique first/last name, or fuzzily.

    Single words must look like a name (capitalised in the question, or the intent needs a client) and
    may not be an ordinary word of the bot's vocabulary (months, "revenue"...).
    """
    emails = re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", text)
    if emails:
        rows = session.execute(select(Client.id, Client.email, Client.name).where(Client.email.in_(emails))).all()
        return ClientMatch([Named(r.id, r.email, r.name or r.email) for r in rows], emails[0])
    rows = session.execute(select(Client.id, Client.email, Client.name)).all()
    named = [(r.id, r.email, (r.name or "").strip()) for r in rows if (r.name or "").strip()]
    full = [Named(i, e, n) for i, e, n in named if re.search(rf"\b{re.escape(n.lower())}\b", text)]
    if full:
        longest = max(len(c.title) for c in full)
        return ClientMatch([c for c in full if len(c.title) == longest], full[0].title)
    capitalised = {w.lower().removesuffix("'s") for w in re.findall(r"\b[A-Z][a-zA-Z'\-]+", question)}
    first_word = (re.findall(r"[A-Za-z']+", question) or [""])[0].lower()
    excluded = VOCABULARY if required else NOT_NAMES
    tokens = [w for w in words(text) if len(w) >= 3 and w not in excluded
              and (required or (w in capitalised and w != first_word))]
    hits: dict[int, Named] = {}
    asked = ""
    for w in tokens:
        for i, e, n in named:
            parts = n.lower().split()
            if w in parts:
                hits[i] = Named(i, e, n)
                asked = asked or w
    if hits or not required or not tokens:
        return ClientMatch(list(hits.values()), asked)
    # typo-tolerant: "Pryia Raman", "Alisha"
    choices = {i: n.lower() for i, _, n in named}
    grams = tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:])]
    scored: dict[int, float] = {}
    for g in grams:
        for _, score, i in process.extract(g, choices, scorer=fuzz.WRatio if " " in g else _first_or_last,
                                           score_cutoff=86, limit=5):
            scored[i] = max(scored.get(i, 0), score)
    if not scored:
        return ClientMatch([], " ".join(tokens[:2]))
    top = max(scored.values())
    by_id = {i: Named(i, e, n) for i, e, n in named}
    return ClientMatch([by_id[i] for i, s in scored.items() if s >= top - 2], tokens[0])


def _first_or_last(word: str, name: str, **_: object) -> float:
    return max((fuzz.ratio(word, part) for part in name.split()), default=0.0)
