"""Package recommender: from what a client tells us, rank services + add-ons, each with its reason.

Rules first (DESIGN.md: the small model cannot be trusted with decisions): the event comes from the
catalogue matcher and a few event words, wishes map to add-on concepts ("aerial shots" -> drone, "film
look", "fast delivery" -> rush editing, "two photographers" -> second shooter, "longer" -> extra hour),
a place outside the studio favours on-location services, a budget drops what does not fit. Prices come
from ``booking_core.quote``. A configured LLM may only reorder close candidates, never add one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional, Sequence

import booking_core as core

from .extract._text import fold_str

#: Wish -> (add-on concept words looked for in an add-on's slug/title, client phrases as regexes).
WISHES: dict[str, tuple[tuple[str, ...], str]] = {
    "aerial": (("drone", "aerial"), r"\b(aerials?|drones?|dron|drohne\w*|from above|bird'?s[- ]eye|desde el aire|"
                                    r"luftaufnahme\w*|luftbild\w*|von oben|vista aerea|aereas?)\b"),
    "film": (("film",), r"\b(film (look|roll|style)|analog(ue)?|vintage|filmic|35 ?mm|pelicula|analogico)\b"),
    "fast": (("rush", "express"), r"\b(fast|fastest|quick(ly|est)?|asap|rush|urgent(ly)?|soon as possible|express|"
                                  r"next day|within (a few|\d+|two|three) days|rapido|urgente|schnell\w*|eilig|dringend)\b"),
    "two": (("second", "shooter"), r"\b(two photographers|2 photographers|second (photographer|shooter)|"
                                   r"dos fotografos|segundo fotografo|zwei fotografen|zweite[mnrs]? fotografen)\b"),
    "longer": (("extra", "hour"), r"\b(longer|extra hour|more time|all day|whole day|mas tiempo|hora extra|"
                                  r"langer|mehr zeit|zusatzliche stunde)\b"),
}
#: Event words -> service concept words (matched against a service's slug, title and description).
EVENTS: dict[str, tuple[tuple[str, ...], str]] = {
    "wedding": (("wedding", "boda", "hochzeit"),
                r"\b(wedding|married|marry|bride|groom|elop\w*|boda|casamos|casarnos|hochzeit\w*|heiraten)\b"),
    "business": (("branding", "business", "brand"),
                 r"\b(business|brand(ing)?|company|shop|cafe|coffee|restaurant|website|instagram|social media|"
                 r"negocio|empresa|marca|firma|unternehmen|geschaft|laden)\b"),
    "headshot": (("headshot",), r"\b(headshots?|linkedin|profile (photo|picture)|cv|resume|corporate|"
                                r"foto de perfil|bewerbungs\w*|business portrait)\b"),
    "family": (("family",), r"\b(family|families|kids|children|child|baby|familia|ninos|hijos|familie|kinder)\b"),
    "portrait": (("portrait",), r"\b(portraits?|couple|engagement|senior|retrato|pareja|portrat|paar)\b"),
}
LOCATION_RE = re.compile(r"\b(venue|mountains?|beach|park|outdoors?|outside|on location|lake|forest|"
                         r"barn|church|montana|playa|parque|bergen?|strand|see|wald|kirche)\b")
MOUNTAIN_RE = re.compile(r"\b(mountains?|montana|bergen?|alm)\b")

#: How a reason reads in each language ("you mentioned a mountain venue and aerial shots").
REASON_WORDS: dict[str, dict[str, str]] = {
    "en": {"lead": "you mentioned", "wedding": "your wedding", "business": "your business",
           "headshot": "professional headshots", "family": "your family", "portrait": "portraits",
           "mountain": "a mountain venue", "location": "a venue away from the studio", "aerial": "aerial shots",
           "film": "a film look", "fast": "fast delivery", "two": "two photographers", "longer": "more time",
           "people": "{n} people", "budget": "a budget of {amount}", "default": "it is our most booked session",
           "and": "and"},
    "es": {"lead": "mencionó", "wedding": "su boda", "business": "su negocio", "headshot": "fotos de perfil profesionales",
           "family": "su familia", "portrait": "retratos", "mountain": "un lugar en la montaña",
           "location": "un lugar fuera del estudio", "aerial": "tomas aéreas", "film": "un estilo de película",
           "fast": "entrega rápida", "two": "dos fotógrafos", "longer": "más tiempo", "people": "{n} personas",
           "budget": "un presupuesto de {amount}", "default": "es nuestra sesión más reservada", "and": "y"},
    "de": {"lead": "Sie erwähnten", "wedding": "Ihre Hochzeit", "business": "Ihr Unternehmen",
           "headshot": "professionelle Bewerbungsfotos", "family": "Ihre Familie", "portrait": "Porträts",
           "mountain": "einen Ort in den Bergen", "location": "einen Ort außerhalb des Studios",
           "aerial": "Luftaufnahmen", "film": "einen Film-Look", "fast": "schnelle Lieferung",
           "two": "zwei Fotografen", "longer": "mehr Zeit", "people": "{n} Personen",
           "budget": "ein Budget von {amount}", "default": "es ist unser meistgebuchter Termin", "and": "und"},
}


@dataclass
class Recommendation:
    service: str
    addons: list[str]
    total: Decimal
    reasons: list[str] = field(default_factory=list)  # REASON_WORDS keys, in the order they matter
    score: float = 0.0
    people: Optional[int] = None
    budget: Optional[Decimal] = None

    def reason_text(self, lang: str, currency: str) -> str:
        words = REASON_WORDS.get(lang, REASON_WORDS["en"])
        parts = []
        for key in self.reasons:
            if key == "people" and self.people:
                parts.append(words["people"].format(n=self.people))
            elif key == "budget" and self.budget is not None:
                parts.append(words["budget"].format(amount=core.format_money(self.budget, currency)))
            elif key in words:
                parts.append(words[key])
        if not parts:
            return words["default"]
        joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + f" {words['and']} " + parts[-1]
        return f"{words['lead']} {joined}"


def _concept_hit(words: Sequence[str], *texts: str) -> bool:
    folded = " ".join(fold_str(t) for t in texts)
    return any(w in folded for w in words)


def detect_wishes(text: str) -> list[str]:
    folded = fold_str(text)
    return [name for name, (_, pattern) in WISHES.items() if re.search(pattern, folded)]


def detect_events(text: str) -> list[str]:
    folded = fold_str(text)
    return [name for name, (_, pattern) in EVENTS.items() if re.search(pattern, folded)]


def recommend(text: str, services: Sequence[core.Service], addons: dict[str, core.AddOn], rules: core.StudioRules,
              *, matched_services: Sequence[str] = (), matched_addons: Sequence[str] = (),
              negated_addons: Sequence[str] = (), people: Optional[int] = None,
              budget: Optional[Decimal] = None, location: Optional[str] = None, limit: int = 2) -> list[Recommendation]:
    """Ranked packages for what the client said; never empty when the studio offers anything."""
    folded = fold_str(text)
    events = detect_events(text)
    wishes = detect_wishes(text)
    on_site_hint = bool(location) or bool(LOCATION_RE.search(folded))
    mountain = bool(MOUNTAIN_RE.search(folded))
    recs: list[Recommendation] = []
    for order, service in enumerate(services):
        if not service.active:
            continue
        score = 0.0
        reasons: list[str] = []
        if service.slug in matched_services:
            score += 3.0
        for event in events:
            if _concept_hit(EVENTS[event][0], service.slug, service.title, service.description):
                score += 2.5
                reasons.append(event)
        if on_site_hint and service.on_location:
            score += 1.0
            reasons.append("mountain" if mountain else "location")
        if people and people >= 3 and _concept_hit(("family",), service.slug, service.title):
            score += 0.5
            reasons.append("people")
        chosen: list[str] = []
        for slug in service.addons:
            addon = addons.get(slug)
            if addon is None or slug in negated_addons:
                continue
            wanted = slug in matched_addons
            for wish in wishes:
                if _concept_hit(WISHES[wish][0], addon.slug, addon.title):
                    wanted = True
                    if wish not in reasons:
                        reasons.append(wish)
            if wanted:
                chosen.append(slug)
                score += 0.8
        unmet = [w for w in wishes if w not in reasons]
        score -= 0.3 * len(unmet)
        score -= order * 0.01  # the studio's own order breaks ties
        q = core.quote(service, [addons[a] for a in chosen], rules)
        total = q.total
        if budget is not None:
            # Over budget: drop add-ons (most expensive first) until it fits, else rank it lower.
            while total > budget and chosen:
                chosen.remove(max(chosen, key=lambda a: core.quote(service, [addons[a]], rules).total))
                total = core.quote(service, [addons[a] for a in chosen], rules).total
            if total > budget:
                score -= 2.0
            else:
                reasons.append("budget")
        recs.append(Recommendation(service=service.slug, addons=chosen, total=total, reasons=reasons, score=score,
                                   people=people, budget=budget))
    recs.sort(key=lambda r: -r.score)
    if recs and recs[0].score <= 0:
        # Nothing the client said points anywhere: offer the studio's first two services plainly.
        return recs[:limit]
    best = recs[0].score
    top = [r for r in recs if r.score > 0 and r.score >= best * 0.5]
    return top[:limit]


def rerank_with_llm(recs: list[Recommendation], text: str, llm: object, titles: dict[str, str]) -> list[Recommendation]:
    """Let a model pick which of two close candidates to show first; it can never add or drop one."""
    if llm is None or len(recs) < 2 or recs[0].score - recs[1].score > 1.0:
        return recs
    labels = [r.service for r in recs]
    system = ("You help a photo studio. Pick the session that best fits the client's message. Options: "
              + "; ".join(f"{r.service} = {titles.get(r.service, r.service)}" for r in recs))
    try:
        choice = llm.choose(system, text[:600], labels, timeout=1.5)  # type: ignore[attr-defined]
    except Exception:
        return recs
    if choice is None:
        return recs
    return sorted(recs, key=lambda r: r.service != choice.label)
