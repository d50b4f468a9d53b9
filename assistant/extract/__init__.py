"""Pure, deterministic extractors for client messages (no database, no LLM, no clock).

Everything here takes plain text (plus ``now``/``tz`` where dates are resolved) and returns plain
values, so the dialogue manager can trust it and tests can pin it down exactly.

Public API::

    detect_language(text) -> "en" | "es" | "de"
    parse_when(text, now, tz, lang=None) -> When
    match_services(text, services) -> list[Match]
    match_addons(text, addons) -> AddonMatches(positive, negated)
    extract_email(text) / extract_phone(text) / extract_name(text, lang) / extract_verification_code(text)
    classify_reply(text, lang) -> "yes" | "no" | "change" | None
    detect_intents(text, lang) -> set[str]
    extract_payment_choice(text) / extract_location(text) / extract_people_count(text)
    extract_children(text) / extract_guest_count(text) / extract_budget(text)
    extract_all(text, now, tz, services, addons) -> Extraction
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Sequence

from .catalog import AddonInfo, AddonMatches, Match, ServiceInfo, match_addons, match_services
from .contact import extract_email, extract_emails, extract_name, extract_phone, extract_verification_code
from .intents import (
    INTENTS,
    classify_reply,
    detect_intents,
    extract_budget,
    extract_children,
    extract_guest_count,
    extract_location,
    extract_payment_choice,
    extract_people_count,
)
from .language import detect_language
from .when import When, mentions_when, parse_when

__all__ = [
    "AddonInfo", "AddonMatches", "Extraction", "INTENTS", "Match", "ServiceInfo", "When",
    "classify_reply", "detect_intents", "detect_language", "extract_all", "extract_budget", "extract_children",
    "extract_email", "extract_emails", "extract_guest_count", "extract_location", "extract_name",
    "extract_payment_choice", "extract_people_count", "extract_phone", "extract_verification_code",
    "match_addons", "match_services", "mentions_when", "parse_when",
]


@dataclass(frozen=True)
class Extraction:
    """Everything the extractors found in one message."""

    lang: str
    when: When
    services: list[Match] = field(default_factory=list)
    addons: AddonMatches = field(default_factory=AddonMatches)
    email: str | None = None
    phone: str | None = None
    name: str | None = None
    code: str | None = None
    reply: str | None = None
    intents: frozenset[str] = frozenset()
    payment: str | None = None
    location: str | None = None
    people: int | None = None
    children: int | None = None
    guests: int | None = None
    budget: Decimal | None = None

    @property
    def service(self) -> str | None:
        """Slug of the best service match, if any."""
        return self.services[0].slug if self.services else None


def extract_all(text: str, now: datetime, tz: str, services: Sequence[ServiceInfo] = (),
                addons: Sequence[AddonInfo] = (), lang: str | None = None,
                owner_names: Sequence[str] = ()) -> Extraction:
    """Run every extractor on one client message."""
    text = text or ""
    lang = lang or detect_language(text)
    name = extract_name(text, lang)
    return Extraction(
        lang=lang,
        when=parse_when(text, now, tz, lang),
        services=match_services(text, services),
        addons=match_addons(text, addons),
        email=extract_email(text),
        phone=extract_phone(text),
        name=name,
        code=extract_verification_code(text),
        reply=classify_reply(text, lang),
        intents=frozenset(detect_intents(text, lang, owner_names=owner_names, own_name=name)),
        payment=extract_payment_choice(text),
        location=extract_location(text),
        people=extract_people_count(text),
        children=extract_children(text),
        guests=extract_guest_count(text),
        budget=extract_budget(text),
    )
