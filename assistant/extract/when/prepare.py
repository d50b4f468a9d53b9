"""Before the rules: mask what must never be read as a date or time, and repair typos of date words.

Masks (blanked, so positions still map back to the client's text): greetings ("good morning",
"buenas tardes", "guten Morgen"), e-mail addresses, URLs, phone numbers, prices, street addresses,
counts ("2 people", "120 guests", "2 hours") and picks from a list ("the 2nd one").
Repair: "thrusday", "decmber", "tomorow" -> the date word at an edit distance of 1 (2 for words of 8+
letters), same first letter, no tie between different words; texting abbreviations ("tmrw", "nxt").
"""

from __future__ import annotations

import re
from typing import Any

from .._text import Folded, osa_distance
from .dates import _R_DOT_Y, _R_ISO, _R_SLASH_Y
from .vocabulary import _COUNT_UNITS, _MONTH_ALT, _NUM_WORDS, MONTHS, WEEKDAYS

_GREETINGS = re.compile(
    r"\b(?:good|gd|great|nice|lovely|wonderful|have\s+a\s+(?:good|great|nice|lovely)|enjoy\s+your)\s+"
    r"(?:morning|afternoon|evening|night|day|weekend)\b"
    r"|\b(?:buenos|buenas|feliz|buen)\s+(?:dias|tardes|noches|fin\s+de\s+semana|finde)\b"
    r"|\b(?:guten|gute|schonen|schones|schoenen|einen\s+schonen|ein\s+schones|gutes)\s+"
    r"(?:morgen|tag|abend|nacht|wochenende|nachmittag)\b"
    r"|\bmorning\s*[!,]\s*(?=\w)|^\s*morning\b|^\s*(?:evening|afternoon)\s*[!,]"
)
_EMAIL = re.compile(r"[\w.+\-']+@[\w\-]+(?:\.[\w\-]+)+")
_URL = re.compile(r"\b(?:https?://|www\.)\S+")
_PHONES = [
    re.compile(r"(?<![\w])\+\d[\d\s().\-/]{6,}\d"),
    re.compile(r"(?<![\d\w])\(?\d{3}\)?[\s.\-]\d{3}[\s.\-]\d{4}(?!\d)"),
    re.compile(r"(?<![\d.:\w/])\d{3}[\-.]\d{4}(?![\d\w])"),
    re.compile(r"(?<![\d.:\w/])0\d{2,4}[\s/\-]?\d{5,8}(?!\d)"),
    re.compile(r"(?<![\d\w])00\d{2}[\s\d]{6,}\d"),
    re.compile(r"\d{5,}"),
]
_PRICE = re.compile(
    r"[$€£]\s?\d[\d,.]*(?:\s?k\b)?"
    r"|\b\d[\d,.]*\s?(?:k\b|usd\b|eur\b|euros?\b|dollars?\b|bucks\b|€|\$|pesos\b|cad\b|%|percent\b|por\s?ciento\b|prozent\b)"
)
_ADDRESS = re.compile(
    r"\b\d{1,5}\s+(?:[a-z]+\.?\s+){1,3}(?:st|street|ave|avenue|rd|road|blvd|boulevard|dr|drive|ln|lane|"
    r"way|pl|place|ct|court|pkwy|parkway|hwy|highway|trail|circle|cir|sq|square)\b\.?"
    r"|\b[a-z]+(?:strasse|str\.|weg|platz|allee|gasse|ring|damm)\s+\d{1,4}[a-z]?\b"
    r"|\b(?:calle|avenida|avda\.?|plaza|paseo|c/)\s+(?:[a-z]+\s+){1,4}\d{1,4}\b"
)
_COUNT = re.compile(
    r"(?<![\d:.,/])\d+(?:\s*-\s*\d+)?\s*-?\s*(?:" + _COUNT_UNITS + r")\b"
    r"|\b(?:family|party|group|familia|grupo|familie|gruppe|team|equipo)\s+(?:of|de|von|aus)\s+\d+\b"
    r"|\b(?:we\s+are|we're|there\s+are|there\s+will\s+be|somos|seremos|wir\s+sind|wir\s+werden)\s+\d+\b"
    r"|\b(?:top|no\.?|nr\.?|#|room|suite|unit|apt|apartment|floor|level|zimmer|piso|num(?:ero)?\.?)\s*\d+\b"
    r"|\b24/7\b|\b\d+\s*/\s*\d+\s*(?:stars?|rating)\b"
)


#: "December 1 session": a count right after a month name keeps the date.
_R_MONTH_END = re.compile(r"\b(?:" + _MONTH_ALT + r")\.?\s*$")
#: "the 2nd one", "the first option": a pick from a list, not a day of the month.
_PICK_ONE = re.compile(r"\b(?:the\s+)?(?:1st|2nd|3rd|4th|first|second|third|fourth|last)\s+(?:one|option|slot|choice)\b")


def _mask(f: Folded) -> Folded:
    s = f.text
    spans: list[tuple[int, int]] = []
    for rx in (_GREETINGS, _EMAIL, _URL, _PICK_ONE):
        spans += [(m.start(), m.end()) for m in rx.finditer(s)]
    for a, b in spans:
        f = f.blank(a, b)
    s = f.text
    spans = []
    # protect ISO / numeric dates from the phone masks
    protected = [(m.start(), m.end()) for m in _R_ISO.finditer(s)] + \
        [(m.start(), m.end()) for m in _R_SLASH_Y.finditer(s)] + [(m.start(), m.end()) for m in _R_DOT_Y.finditer(s)]

    def _prot(a: int, b: int) -> bool:
        return any(a < pb and pa < b for pa, pb in protected)

    for rx in _PHONES:
        for m in rx.finditer(s):
            if not _prot(m.start(), m.end()):
                # a time range such as "10:00-12:00" never reaches here (colons are not in the classes)
                spans.append((m.start(), m.end()))
    for rx in (_PRICE, _ADDRESS, _COUNT):
        for m in rx.finditer(s):
            if _prot(m.start(), m.end()):
                continue
            if rx is _COUNT and _R_MONTH_END.search(s, 0, m.start()):
                continue  # "December 1 session", "am 3. Dez 2 Personen" keeps the date
            spans.append((m.start(), m.end()))
    for a, b in spans:
        f = f.blank(a, b)
    return f


# typo repair ---------------------------------------------------------------------------------------
_FUZZY_TARGETS = sorted({
    *(w for w in WEEKDAYS if len(w) >= 5),
    *(m for m in MONTHS if len(m) >= 5),
    "tomorrow", "today", "tonight", "morning", "mornings", "afternoon", "afternoons", "evening",
    "evenings", "weekend", "midday", "lunchtime", "fortnight", "ubermorgen", "nachmittag",
    "nachmittags", "vormittag", "vormittags", "nachste", "nachsten", "nachster", "nachstes",
    "kommenden", "semana", "semanas", "proximo", "proxima", "manana", "wochenende", "morgens",
    "abends",
})
_FUZZY_BY_LETTER: dict[str, list[str]] = {}
for _w in _FUZZY_TARGETS:
    _FUZZY_BY_LETTER.setdefault(_w[0], []).append(_w)
_KNOWN_WORDS = set(_FUZZY_TARGETS) | set(WEEKDAYS) | set(MONTHS) | set(_NUM_WORDS) | {
    "morgen", "heute", "woche", "wochen", "tage", "tagen", "monat", "month", "months", "week",
    "weeks", "days", "next", "this", "that", "with", "thanks", "monthly", "weekly", "weekday",
    "weekdays", "semanal", "tardes", "noches", "mananas", "wochentag", "abend", "mittag", "mittags",
}
# real words that sit one edit away from a date word
_FUZZY_STOP = {
    "montage", "montana", "monde", "money", "morgan", "morgans", "marche", "marcher", "marco",
    "martin", "junior", "julia", "julian", "juliet", "mourning", "sunny", "sundae", "satur",
    "sundry", "friendly", "fridge", "todays", "toddy", "tonights", "tonite", "eventing",
    "evenly", "weekends", "weekender", "morning's", "domino", "dominos", "semanal", "proxima",
    "proximity", "marzipan", "mayor", "mayors", "maybe", "april's", "august", "augusta",
    "mitten", "sonntagsbraten", "manage", "manana", "mania", "marina", "marian", "marine",
    "morale", "moral", "montag", "janet", "janie", "febre", "octal", "octane", "sabbath",
    "martes", "marte", "martha", "juice", "jules", "junie", "lunch", "lunar", "lunes",
    "mariana", "novel", "novels", "noviembre", "decem", "decent", "decently", "decimal",
    "tuesdays", "thurs", "today's", "tomorrow's", "morrow", "sonnen", "samt", "samstag",
    "freitag", "freitags", "viernes", "jueves", "dienst", "dienste", "eventide",
}
_ABBREV = {
    "nxt": "next", "tmrw": "tomorrow", "tmr": "tomorrow", "tmrow": "tomorrow", "tmro": "tomorrow",
    "tmw": "tomorrow", "tomoz": "tomorrow", "tmmrw": "tomorrow", "tommorow": "tomorrow",
    "tommorrow": "tomorrow", "2morrow": "tomorrow", "2moro": "tomorrow", "2morow": "tomorrow",
    "2mrw": "tomorrow", "2mro": "tomorrow", "2day": "today", "2nite": "tonight",
    "tonite": "tonight", "2night": "tonight", "wknd": "weekend", "wkend": "weekend",
    "wk": "week", "arvo": "afternoon", "aftn": "afternoon", "mornin": "morning",
    "naechste": "nachste", "naechsten": "nachsten", "naechster": "nachster",
    "naechstes": "nachstes", "uebermorgen": "ubermorgen", "maerz": "marz", "proxmo": "proximo",
    "prox": "proximo", "wochenend": "wochenende", "pm's": "pm",
}


_TOKEN = re.compile(r"2(?:morrow|moro|morow|mrw|mro|day|nite|night)\b|[a-z]+(?:'s)?")


def _canon(word: str) -> Any:
    if word in MONTHS:
        return ("m", MONTHS[word])
    if word in WEEKDAYS:
        return ("w", WEEKDAYS[word])
    return word.rstrip("s")


def _repair(f: Folded) -> Folded:
    repl: list[tuple[int, int, str]] = []
    for m in _TOKEN.finditer(f.text):
        w = m[0]
        if w in _ABBREV:
            repl.append((m.start(), m.end(), _ABBREV[w]))
            continue
        if len(w) < 5 or w in _KNOWN_WORDS or w in _FUZZY_STOP or "'" in w:
            continue
        cands = _FUZZY_BY_LETTER.get(w[0])
        if not cands:
            continue
        best, best_d, tie = None, 3, False
        for c in cands:
            limit = 2 if (len(w) >= 8 or (len(w) >= 6 and len(c) >= 9)) else 1
            if abs(len(c) - len(w)) > limit:
                continue
            d = osa_distance(w, c, limit)
            if d > limit:
                continue
            if d < best_d:
                best, best_d, tie = c, d, False
            elif d == best_d and best is not None and _canon(c) != _canon(best):
                tie = True
        if best is not None and not tie:
            repl.append((m.start(), m.end(), best))
    for a, b, new in reversed(repl):
        f = f.replace(a, b, new)
    return f

