"""Everything the extractors can read from one client message, as one typed ``Turn``.

This is the only module that calls ``assistant.extract``; the policy works on the ``Turn``. An extractor
that raises (a bug on some odd input) yields "nothing found" for that piece, so the policy asks a
clarifying question instead of the conversation failing.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Optional

import booking_core as core

from ..extract import contact
from ..extract import intents as _intents
from ..extract._text import fold_str
from ..extract.catalog import AddonInfo, ServiceInfo, match_addons, match_services
from ..extract.language import detect_language, language_scores
from ..extract.when import When, parse_when
from .fields import extract_fields

MAX_TEXT = 4000
log = logging.getLogger("studiobook.assistant")


@dataclass
class Turn:
    text: str
    lang: str
    intents: set[str] = field(default_factory=set)
    reply: Optional[str] = None              # yes / no / change / None
    when: When = field(default_factory=When)
    services: list[str] = field(default_factory=list)
    addons: list[str] = field(default_factory=list)
    negated_addons: list[str] = field(default_factory=list)
    email: Optional[str] = None
    phone: Optional[str] = None
    name: Optional[str] = None
    code: Optional[str] = None
    payment: Optional[str] = None            # deposit / at_session
    location: Optional[str] = None
    location_cued: Optional[str] = None      # only a clear cue or a street address (for studio services)
    people: Optional[int] = None
    budget: Optional[Decimal] = None
    ordinal: Optional[int] = None            # "the first one" -> 0, "the second" -> 1, "the last" -> -1
    fields: dict[str, Any] = field(default_factory=dict)
    same_time: bool = False                  # "same time" (a reschedule keeping the time of day)

    @property
    def has_booking_info(self) -> bool:
        """Something that changes *what* would be booked (not who, not how they pay)."""
        return bool(self.services or self.addons or self.negated_addons or not self.when.is_empty
                    or self.ordinal is not None)


def choose_language(previous: Optional[str], text: str) -> str:
    """Keep the conversation's language unless this message clearly speaks another one.

    Short replies ("ok", "Confirm", "sí") carry little signal; they must not flip a Spanish chat to
    English, nor an English one to Spanish because of "no".
    """
    detected = detect_language(text)
    if not previous:
        return detected
    if detected == previous:
        return previous
    # (names and addresses carry no language: detect_language does not score them)
    scores = language_scores(text)
    if scores.get(detected, 0) >= 3 and scores.get(detected, 0) >= scores.get(previous, 0) + 2:
        return detected
    return previous


def catalog_infos(services: list[core.Service], addons: dict[str, core.AddOn]) -> tuple[list[ServiceInfo], list[AddonInfo]]:
    return ([ServiceInfo(s.slug, s.title, s.description) for s in services if s.active],
            [AddonInfo(a.slug, a.title) for a in addons.values()])


ORDINALS = [
    (re.compile(r"\b(first|1st|earliest|primer[oa]?|erste[nrm]?|fruheste[nrm]?)\b(?:\s+(one|option|time|slot|uno|una|termin))?"), 0),
    (re.compile(r"\b(second|2nd|segund[oa]|zweite[nrm]?)\b(?:\s+(one|option|time|slot))?"), 1),
    (re.compile(r"\b(third|3rd|tercer[oa]?|dritte[nrm]?)\b(?:\s+(one|option|time|slot))?"), 2),
    (re.compile(r"\b(last|latest|ultim[oa]|letzte[nrm]?)\s+(one|option|time|slot|uno|una|termin)\b"), -1),
    # "the earlier one" / "the later one" (two proposals): not "a later time", which asks for another
    (re.compile(r"\bthe (earlier)\s+(one|option|slot)\b"), 0),
    (re.compile(r"\bthe (later)\s+(one|option|slot)\b"), -1),
]


def _ordinal(folded: str) -> Optional[int]:
    # "second shooter" is an add-on, "first thing in the morning" is a time: not a pick.
    if re.search(r"\bsecond (shooter|photographer)|first thing|first time\b", folded):
        folded = re.sub(r"\bsecond (shooter|photographer)|first thing|first time\b", " ", folded)
    for pattern, value in ORDINALS:
        m = pattern.search(folded)
        if m and (m.group(2) or re.search(r"\b(the|option|el|la|den|die|der)\s+" + re.escape(m.group(1)), folded)
                  or folded.strip(" .!") == m.group(1)):
            return value
    return None


def _safe(fn: Any, *args: Any, default: Any = None, **kwargs: Any) -> Any:
    try:
        return fn(*args, **kwargs)
    except Exception:  # an extractor bug must not break a conversation; the policy asks instead
        log.exception("extractor %s failed", getattr(fn, "__name__", fn))
        return default


def understand(text: str, lang: str, now: datetime, tz: str, services: list[core.Service],
               addons: dict[str, core.AddOn], *, service_fields: tuple[core.IntakeField, ...] = (),
               asked_field: Optional[str] = None, owner_names: tuple[str, ...] = (),
               own_name: Optional[str] = None) -> Turn:
    text = (text or "")[:MAX_TEXT]
    folded = fold_str(text)
    s_infos, a_infos = catalog_infos(services, addons)
    turn = Turn(text=text, lang=lang)
    turn.intents = set(_safe(_intents.detect_intents, text, lang, owner_names, own_name, default=set()) or ())
    turn.reply = _safe(_intents.classify_reply, text, lang)
    turn.when = _safe(parse_when, text, now, tz, lang, default=When()) or When()
    turn.services = [m.slug for m in _safe(match_services, text, s_infos, default=[]) or []]
    matches = _safe(match_addons, text, a_infos)
    if matches is not None:
        def position(m: Any) -> int:
            at = folded.find(fold_str(m.matched))
            return at if at >= 0 else len(folded)

        turn.addons = [m.slug for m in sorted(matches.positive, key=position)]
        turn.negated_addons = [m.slug for m in matches.negated]
    turn.email = _safe(contact.extract_email, text)
    turn.phone = _safe(contact.extract_phone, text)
    turn.name = _safe(contact.extract_name, text, lang)
    turn.code = _safe(contact.extract_verification_code, text)
    turn.payment = _safe(_intents.extract_payment_choice, text)
    turn.location = _safe(_intents.extract_location, text)
    turn.location_cued = _safe(_intents.extract_location, text, strict=True)
    turn.people = _safe(_intents.extract_people_count, text)
    turn.budget = _safe(_intents.extract_budget, text)
    turn.ordinal = _ordinal(folded)
    if service_fields:
        turn.fields = _safe(extract_fields, text, service_fields, asked_field, default={}) or {}
    _repair(turn, folded, now, tz, lang, services, addons)
    return turn


# -- workarounds for what the extractors miss (kept here, not in assistant/extract, which is shared) ---

SAME_TIME = re.compile(r"\b(same time|same hour|misma hora|gleichen? (?:uhrzeit|zeit)|selbe[nr]? (?:uhrzeit|zeit))\b")
EXTRAS_Q = re.compile(r"\b(extras?|add-?ons?|upgrades?|options|opciones|zusatze|zusatzoptionen)\b")


def _repair(turn: Turn, folded: str, now: datetime, tz: str, lang: str, services: list[core.Service],
            addons: dict[str, core.AddOn]) -> None:
    from ..recommend import EVENTS, WISHES, _concept_hit, detect_events, detect_wishes

    turn.same_time = bool(SAME_TIME.search(folded))
    # A service named only by its event ("Hochzeitsreportage") or add-ons named only by a wish.
    if not turn.services:
        hits = [s.slug for s in services for e in detect_events(turn.text)
                if _concept_hit(EVENTS[e][0], s.slug, s.title)]
        if len(set(hits)) == 1:
            turn.services = hits[:1]
    if not turn.addons:
        for wish in detect_wishes(turn.text):
            if wish in ("aerial", "two", "film"):
                turn.addons += [a.slug for a in addons.values() if _concept_hit(WISHES[wish][0], a.slug, a.title)
                                and a.slug not in turn.negated_addons]
    if EXTRAS_Q.search(folded) and "?" in turn.text and not turn.addons:
        turn.intents.add("addons_info")
