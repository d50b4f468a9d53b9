"""Match client wording to a studio's services and add-ons (English, Spanish, German).

Concepts, not slugs: the built-in vocabulary is a table ``concept -> (catalog keys, client phrases)``.
A concept applies to a service/add-on of *any* studio when one of its keys occurs in that item's
slug or title (full weight) or description (weaker). Client phrases of applicable concepts, the
item's own title, slug, title bigrams, distinctive title words and the item's ``synonyms`` are then
searched in the folded message, exactly (with an optional plural ``s``) and with typo tolerance
(optimal-string-alignment distance 1, 2 for long words; same first letter; words of 6+ letters only;
a list of real words that sit one edit away, such as "welding", is never corrected).

Scores: own title/slug/synonym 1.0, concept phrase 0.9, title bigram 0.95, distinctive title word
0.85, weak (description-only) concepts x0.85, fuzzy x0.9, generic phrases ("photo shoot",
"Fotoshooting", bare "business") 0.5-0.6. Generic-only service matches are dropped when a specific one
exists. "family" used as an adjective ("family business", "family restaurant", "family dinner") is
scored 0.4.

Add-ons are split into ``positive`` and ``negated`` ("without the drone", "no rush editing",
"sin dron", "ohne Drohne", "film look is not needed"; "swap/replace X for/with Y" declines X). "no rush" as an idiom ("no rush, whenever
suits") is ignored, and bare "rush"/"film"/"express" are not add-on requests on their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Sequence

from ._text import fold, fold_str, osa_distance

__all__ = ["ServiceInfo", "AddonInfo", "Match", "AddonMatches", "match_services", "match_addons",
           "SERVICE_CONCEPTS", "ADDON_CONCEPTS"]


@dataclass(frozen=True)
class ServiceInfo:
    slug: str
    title: str
    description: str = ""
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class AddonInfo:
    slug: str
    title: str
    description: str = ""
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Match:
    slug: str
    score: float
    matched: str


@dataclass(frozen=True)
class AddonMatches:
    positive: list[Match] = field(default_factory=list)
    negated: list[Match] = field(default_factory=list)

    @property
    def slugs(self) -> list[str]:
        return [m.slug for m in self.positive]

    @property
    def negated_slugs(self) -> list[str]:
        return [m.slug for m in self.negated]


@dataclass(frozen=True)
class Concept:
    keys: tuple[str, ...]  # words that identify a catalog item as this concept (folded)
    phrases: tuple[str, ...]  # what clients say (folded)
    weak: tuple[str, ...] = ()  # generic phrases (low score)


def _c(keys: str, phrases: str, weak: str = "") -> Concept:
    split = lambda s: tuple(fold_str(x.strip()) for x in s.split("|") if x.strip())  # noqa: E731
    return Concept(split(keys), split(phrases), split(weak))


SERVICE_CONCEPTS: dict[str, Concept] = {
    "portrait": _c(
        "portrait|retrato|porträt|portraet|portrat",
        "portrait|portraits|portrait session|portrait shoot|portrait photos|retrato|retratos|sesión de retrato|"
        "porträt|porträts|porträtfotos|portraitfotos|porträtshooting|portraitshooting|portraet|"
        "individual portrait|solo portrait|senior portraits|senior photos|personal portrait",
        "photo shoot|photoshoot|photo session|photography session|shoot|fotoshooting|shooting|"
        "sesión de fotos|sesion fotografica|sesión fotográfica|fotosession|fotositzung|photos of me|"
        "fotos de mí|fotos von mir"),
    "family": _c(
        "family|familia|familie|kids|children|kinder|niños",
        "family|families|family photos|family session|family shoot|family portrait|family pictures|my kids|"
        "the kids|our kids|kids|children|our children|familia|fotos familiares|sesión familiar|"
        "fotos de familia|niños|hijos|familie|familien|familienfotos|familienshooting|familienbilder|"
        "kinder|kinderfotos|mini session|mini-session|minisession|mini sesión|mini",
    ),
    "branding": _c(
        "branding|brand|business|marca|marke|commercial|unternehmen",
        "branding|brand|brand photos|brand shoot|brand photography|personal branding|business photos|"
        "business photography|photos for my business|pictures for my business|images for my business|"
        "content for my business|small business|social media content|content for instagram|"
        "website photos|photos for my website|marketing photos|commercial|marca|marca personal|"
        "fotos para mi negocio|fotos de negocio|fotos para mi empresa|fotos de empresa|fotos corporativas|"
        "marke|business-fotos|businessfotos|business fotos|firmenfotos|fotos für mein unternehmen|"
        "fotos für meine firma|unternehmensfotos|branding-shooting|brandingshooting|markenfotos",
        "business|negocio|empresa|unternehmen|firma|my shop|my cafe|my restaurant|my store|my studio"),
    "headshots": _c(
        "headshot|head shot|linkedin|profile photo|bewerbungsfoto",
        "headshot|headshots|head shot|head shots|linkedin|linked in|profile photo|profile picture|profile pic|"
        "corporate headshot|professional headshot|actor headshot|cv photo|resume photo|résumé photo|"
        "bewerbungsfoto|bewerbungsfotos|bewerbungsbild|bewerbungsbilder|profilbild|profilfoto|"
        "foto de perfil|fotos de perfil|foto para linkedin|retrato profesional|retrato corporativo|"
        "foto para mi cv|foto para el cv",
    ),
    "wedding": _c(
        "wedding|boda|hochzeit|elopement|bridal|marriage|nupcial",
        "wedding|weddings|getting married|get married|got married|married|marry|marrying|elopement|elope|"
        "eloping|bride|groom|our big day|wedding day|tying the knot|tie the knot|getting hitched|get hitched|"
        "our nuptials|boda|bodas|casamos|casarnos|nos casamos|me caso|"
        "matrimonio|novia|novios|hochzeit|hochzeiten|heiraten|wir heiraten|trauung|standesamt|brautpaar|"
        "hochzeitsfotos|hochzeitsfotograf|hochzeitsfotografie|hochzeitsreportage|hochzeitsshooting|hochzeitsbilder|"
        "fotos de boda|wedding photos|wedding photographer",
    ),
    "engagement": _c("engagement|compromiso|verlobung",
                     "engagement|engagement photos|engagement session|engaged|proposal|compromiso|pedida|"
                     "verlobung|verlobungsfotos|verlobt"),
    "newborn": _c("newborn|recien nacido|neugeboren|baby",
                  "newborn|newborns|new baby|our baby|recién nacido|bebé|neugeborenen|neugeborene|"
                  "babyfotos|baby photos"),
    "maternity": _c("maternity|embarazo|schwangerschaft|babybauch",
                    "maternity|pregnancy|pregnant|bump|embarazo|embarazada|schwangerschaft|schwanger|babybauch"),
    "event": _c("event|evento|veranstaltung",
                "event|events|party|birthday party|corporate event|evento|fiesta|cumpleaños|veranstaltung|"
                "feier|geburtstag|firmenfeier"),
    "product": _c("product|producto|produkt",
                  "product photos|product photography|product shots|fotos de producto|produktfotos|produktfotografie"),
    "pet": _c("pet|mascota|haustier", "pet|pets|my dog|our dog|my cat|mascota|mascotas|mi perro|haustier|mein hund|hundefotos"),
    "real_estate": _c("real estate|inmobiliaria|immobilien",
                      "real estate|listing photos|property photos|inmobiliaria|immobilienfotos|immobilien"),
}

ADDON_CONCEPTS: dict[str, Concept] = {
    "extra_hour": _c(
        "extra hour|additional hour|extra-hour|hora extra|hora adicional|zusätzliche stunde|zusatzstunde|overtime|extra time",
        "extra hour|additional hour|another hour|one more hour|1 more hour|an extra hour|1 extra hour|"
        "more time|overtime|extra time|hora extra|horas extra|hora adicional|una hora más|otra hora|"
        "zusätzliche stunde|zusatzstunde|extra stunde|weitere stunde|eine stunde mehr|eine stunde länger|"
        "verlängerung"),
    "drone": _c(
        "drone|aerial|dron|drohne|luftaufnahme|luftbild",
        "drone|drones|drone shots|drone footage|drone photos|aerial|aerials|aerial shots|aerial photos|"
        "aerial photography|aerial views|dron|con dron|fotos aéreas|tomas aéreas|vista aérea|drohne|"
        "drohnen|drohnenaufnahmen|drohnenfotos|drohnenbilder|luftaufnahmen|luftbilder|luftaufnahme"),
    "film_look": _c(
        "film|analog",
        "film look|film roll|film roll look|film-look|film style|film grain|film photos|shot on film|"
        "analog look|analogue look|analog style|35mm|vintage look|film simulation|look analógico|"
        "efecto película|estilo película|look de película|look de carrete|analog-look|analoger look|"
        "film-optik|filmlook|analogfilm|analoglook"),
    "rush": _c(
        "rush|express|expedited|priority|urgent|eil",
        "rush editing|rush edit|rush edits|rush delivery|rush turnaround|rush option|rush service|"
        "rush fee|rush processing|rush job|rush add-on|rush addon|the rush|with rush|add rush|plus rush|"
        "and rush|rush it|rush please|rushed editing|express editing|express delivery|express service|"
        "express option|the express|with express|fast turnaround|quick turnaround|fast delivery|"
        "quick delivery|faster delivery|faster turnaround|expedited|priority editing|priority delivery|"
        "72-hour rush|72 hour rush|72h rush|72-hour turnaround|72 hour turnaround|72h turnaround|"
        "72-hour editing|72 hour editing|72-hour delivery|72 hour delivery|in 72 hours|within 72 hours|"
        "urgente|edición urgente|entrega rápida|entrega urgente|edición rápida|express-bearbeitung|"
        "expressbearbeitung|express bearbeitung|expresslieferung|eilbearbeitung|schnelle lieferung|"
        "schnelle bearbeitung|eilzustellung|eilauftrag"),
    "second_shooter": _c(
        "second shooter|second photographer|2nd shooter|shooter|assistant photographer|segundo fotografo|zweite",
        "second shooter|second photographer|2nd shooter|2nd photographer|another photographer|"
        "additional photographer|extra photographer|two photographers|2 photographers|assistant photographer|"
        "segundo fotógrafo|segunda fotógrafa|otro fotógrafo|dos fotógrafos|zweiter fotograf|"
        "zweite fotografin|zweiten fotografen|zweitem fotografen|zweiter fotografin|zweiten fotografin|"
        "zwei fotografen|zweitfotograf|zweitfotografen|zweitfotografin"),
    "hair_makeup": _c("makeup|make-up|maquillaje|styling",
                      "makeup|make-up|make up|hair and makeup|maquillaje|peinado|visagistin|styling"),
    "album": _c("album", "album|photo album|álbum|fotoalbum|fotobuch|photo book"),
    "prints": _c("print", "prints|printed photos|copias impresas|abzüge|ausdrucke"),
}

_GENERIC_TITLE_WORDS = {
    "session", "sessions", "day", "coverage", "professional", "look", "roll", "hour", "hours", "extra",
    "editing", "second", "the", "and", "of", "for", "with", "photo", "photos", "photography", "package",
    "shoot", "shooting", "mini", "full", "half", "basic", "premium", "standard", "deluxe", "add", "on",
    "addon", "sesion", "sitzung", "paket", "de", "la", "el", "y", "und", "mit", "a", "an", "in",
    "studio", "outdoor", "images", "edited", "online", "gallery", "hora", "stunde", "time",
}
# real words one edit away from catalog words: never "corrected"
_PROTECTED = {
    "welding", "wending", "weeding", "wedging", "bedding", "braiding", "branching", "bonding", "portal",
    "portray", "portals", "familiar", "famine", "drove", "droves", "drones", "headset", "headsets",
    "hotshot", "shooters", "shorter", "shouter", "mortgage", "married", "carried", "marries", "wedded",
    "bidding", "boding", "boarding", "branded", "brandy", "brands", "drawing", "driving", "shooting",
    "express", "expressed", "expresso", "address", "session", "sessions", "possible", "pleased",
}
_FAMILY_ADJ_NEXT = re.compile(
    r"[\s-]*(?:business|restaurant|dinner|lunch|company|owned|bakery|shop|farm|firm|friendly|name|reunion|"
    r"event|brewery|winery|cafe|practice|office|store|recipe|tradition|doctor|car|trip|holiday|vacation|"
    r"emergency|matters|stuff|thing|member|friend|empresa|negocio|restaurante|unternehmen|betrieb|"
    r"feier|essen)\b")
_NEG_BEFORE = re.compile(
    r"(?:\b(?:no|not|without|w/o|skip|skipping|minus|except|excluding|exclude|remove|drop|cancel|"
    r"swap|swapping|replace|replacing|exchange|trade\s+in|instead\s+of|rather\s+than|en\s+lugar\s+de|en\s+vez\s+de|"
    r"statt|anstatt|anstelle\s+von|"  # "swap the rush editing for the film look"

    r"(?:don'?t|do\s+not|won'?t|doesn'?t|didn'?t|dont)\s+(?:need|want|include|add|require|care\s+about)|"
    r"no\s+need\s+for|not\s+interested\s+in|rather\s+not\s+have|leave\s+out|take\s+off|forget|"
    r"sin|nada\s+de|no\s+quiero|no\s+necesito|no\s+hace\s+falta|no\s+queremos|no\s+necesitamos|quitar|quita|"
    r"quitad|excepto|salvo|ohne|kein|keine|keinen|keiner|nicht|brauche\s+keine?n?|brauchen\s+keine?n?|"
    r"verzichten\s+auf|verzichte\s+auf|auf\s+die|auf\s+den)\b)"
    r"(?:\s+(?:the|a|an|any|that|this|el|la|los|las|un|una|die|der|das|den|dem|extra|additional|"
    r"adicional|zusatzliche|zusatzlichen))*\s*$")
_NEG_AFTER = re.compile(
    r"^\s*(?:(?:is|are)\s+not|isn'?t|aren'?t|not|no)\s+(?:needed|necessary|required|wanted|important)"
    r"|^\s*[?:,-]?\s*(?:no\s+thanks|no\s+thank\s+you|not\s+needed|nope)\b"
    r"|^\s*[:,-]?\s*(?:no|nope|nein|nah)\s*(?:[.,!;]|$)"
    r"|^\s*(?:\w+\s+){0,2}(?:weglassen|streichen|entfernen|nicht\s+notig|nicht\s+noetig|nicht\s+notwendig|brauche\s+ich\s+nicht|brauchen\s+wir\s+nicht)\b"
    r"|^\s*(?:no\s+es\s+necesari[oa]|no\s+hace\s+falta|no\s+la\s+necesito|no\s+lo\s+necesito)")
_NEG_BREAK = re.compile(r"[.;!?]|\bbut\b|\bpero\b|\baber\b|\band\b|\by\b|\bund\b|\bwith\b|\bcon\b|\bmit\b|\bplus\b")
_NO_RUSH_IDIOM = re.compile(r"(?:\bno|\bnot\s+in\s+a|\bin\s+no|\bin\s+a|\bnot\s+a)\s+(?:big\s+)?rush\b(?!\s+(?:edit|deliver|turnaround|option|service|fee|processing|job|add))")


@dataclass(frozen=True)
class _Phrase:
    text: str  # folded
    score: float
    generic: bool = False
    fuzzy: bool = True


def _words(s: str) -> list[str]:
    return re.findall(r"[a-z0-9]+(?:'[a-z]+)?", s)


def _concepts_for(item_slug: str, title: str, description: str,
                  concepts: dict[str, Concept]) -> list[tuple[Concept, float]]:
    strong = " " + fold_str(item_slug.replace("-", " ").replace("_", " ") + " " + title) + " "
    weak = " " + fold_str(description) + " "
    out: list[tuple[Concept, float]] = []
    for c in concepts.values():
        factor = 0.0
        for k in c.keys:
            pat = r"(?<![a-z])" + re.escape(k)
            if re.search(pat, strong):
                factor = 1.0
                break
            if re.search(pat, weak):
                factor = max(factor, 0.85)
        if factor:
            out.append((c, factor))
    return out


@lru_cache(maxsize=2048)
def _phrases_for(slug: str, title: str, description: str, synonyms: tuple[str, ...],
                 kind: str) -> tuple[_Phrase, ...]:
    concepts = SERVICE_CONCEPTS if kind == "service" else ADDON_CONCEPTS
    phrases: dict[str, _Phrase] = {}

    def add(text: str, score: float, generic: bool = False, fuzzy: bool = True) -> None:
        text = re.sub(r"\s+", " ", text.strip())
        if len(text) < 3:
            return
        old = phrases.get(text)
        if old is None or old.score < score:
            phrases[text] = _Phrase(text, score, generic, fuzzy)

    clean_title = fold_str(re.sub(r"\(.*?\)", " ", title))
    add(clean_title, 1.0)
    add(fold_str(slug.replace("-", " ").replace("_", " ")), 1.0)
    for syn in synonyms:
        add(fold_str(syn), 1.0)
    tw = _words(clean_title)
    for a, b in zip(tw, tw[1:]):
        if a in _GENERIC_TITLE_WORDS and b in _GENERIC_TITLE_WORDS:
            continue
        if a.isdigit() or b.isdigit():
            continue
        add(f"{a} {b}", 0.95)
    for w in tw:
        if w not in _GENERIC_TITLE_WORDS and len(w) >= 5 and not w.isdigit():
            add(w, 0.85)
    for concept, factor in _concepts_for(slug, title, description, concepts):
        for p in concept.phrases:
            add(p, 0.9 * factor, fuzzy=len(p) >= 6)
        for p in concept.weak:
            add(p, 0.5 * factor, generic=True, fuzzy=False)
    return tuple(phrases.values())


class _Text:
    def __init__(self, text: str):
        self.f = fold(text)
        self.s = self.f.text
        self.tokens = [(m.start(), m.end(), m[0]) for m in re.finditer(r"[a-z0-9]+(?:[-'][a-z0-9]+)*", self.s)]
        self.grams: dict[tuple[int, str], list[tuple[int, int, str]]] = {}
        for n in (1, 2):
            for i in range(len(self.tokens) - n + 1):
                part = self.tokens[i:i + n]
                cand = " ".join(tok[2] for tok in part)
                self.grams.setdefault((n, cand[0]), []).append((part[0][0], part[-1][1], cand))


@lru_cache(maxsize=8192)
def _phrase_rx(text: str) -> re.Pattern:
    return re.compile(r"(?<![a-z0-9])" + re.escape(text).replace(r"\ ", r"[\s-]+") + r"(?:s|es)?(?![a-z0-9])")


def _find(t: _Text, ph: _Phrase) -> list[tuple[int, int, float]]:
    """All occurrences of a phrase: (start, end, similarity)."""
    out: list[tuple[int, int, float]] = []
    for m in _phrase_rx(ph.text).finditer(t.s):
        out.append((m.start(), m.end(), 1.0))
    if out or not ph.fuzzy:
        return out
    n = len(ph.text.split())
    if n > 2:
        return out
    target = ph.text
    if len(target.replace(" ", "")) < 6:
        return out
    for a, b, cand in t.grams.get((n, target[0]), ()):
        if cand in _PROTECTED or (n == 1 and len(cand) < 5):
            continue
        for variant in (cand, cand[:-1] if cand.endswith("s") else None):
            if not variant:
                continue
            limit = 2 if len(target) >= 9 else 1
            if abs(len(variant) - len(target)) > limit:
                continue
            d = osa_distance(variant, target, limit)
            if d <= limit and variant != target:
                out.append((a, b, 0.9))
                break
    return out


def _match(text: str, items: Sequence[ServiceInfo | AddonInfo], kind: str,
           negation: bool) -> tuple[list[Match], list[Match]]:
    t = _Text(text)
    pos: dict[str, Match] = {}
    neg: dict[str, Match] = {}
    pos_generic: set[str] = set()
    idiom_spans = [(m.start(), m.end()) for m in _NO_RUSH_IDIOM.finditer(t.s)] if negation else []
    for item in items:
        best: tuple[float, int, int, bool] | None = None
        best_neg: tuple[float, int, int] | None = None
        for ph in _phrases_for(item.slug, item.title, item.description or "", tuple(item.synonyms or ()), kind):
            for a, b, sim in _find(t, ph):
                if any(a < ib and ia < b for ia, ib in idiom_spans):
                    continue
                score = ph.score * sim
                if ph.text in ("family", "familia", "familie", "families") and _FAMILY_ADJ_NEXT.match(t.s[b:]):
                    score = min(score, 0.4)
                is_neg = False
                if negation:
                    before = t.s[max(0, a - 40):a]
                    brk = list(_NEG_BREAK.finditer(before))
                    if brk:
                        before = before[brk[-1].end():]
                    is_neg = bool(_NEG_BEFORE.search(before)) or bool(_NEG_AFTER.match(t.s[b:b + 40]))
                if is_neg:
                    if best_neg is None or score > best_neg[0]:
                        best_neg = (score, a, b)
                elif best is None or score > best[0] or (score == best[0] and b - a > best[2] - best[1]):
                    best = (score, a, b, ph.generic)
        if best is not None:
            pos[item.slug] = Match(item.slug, round(best[0], 3), t.f.orig(best[1], best[2]))
            if best[3]:
                pos_generic.add(item.slug)
        if best_neg is not None and (best is None or best_neg[0] >= best[0] or best_neg[1] > best[1]):
            neg[item.slug] = Match(item.slug, round(best_neg[0], 3), t.f.orig(best_neg[1], best_neg[2]))
            pos.pop(item.slug, None)
    # generic-only matches step aside when something specific matched
    if any(s not in pos_generic and m.score >= 0.6 for s, m in pos.items()):
        for s in pos_generic:
            pos.pop(s, None)
    order = lambda m: (-m.score, m.slug)  # noqa: E731
    return sorted(pos.values(), key=order), sorted(neg.values(), key=order)


def match_services(text: str, services: Sequence[ServiceInfo]) -> list[Match]:
    """Services the text refers to, best first."""
    if not text or not services:
        return []
    return _match(text, services, "service", negation=False)[0]


def match_addons(text: str, addons: Sequence[AddonInfo]) -> AddonMatches:
    """Add-ons the text asks for (``positive``) or declines (``negated``)."""
    if not text or not addons:
        return AddonMatches([], [])
    pos, neg = _match(text, addons, "addon", negation=True)
    return AddonMatches(pos, neg)
