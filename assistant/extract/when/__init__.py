"""Deterministic date and time extraction for English, Spanish and German client messages.

``parse_when(text, now, tz, lang=None) -> When``

Pure function: no clock, no I/O. ``now`` is resolved in the studio time zone ``tz``.

Pipeline (all on a folded copy of the text: lower case, no diacritics, with a map back to the
original characters so that ``matched_text`` quotes the client's own words):

1. mask what must never be read as a date or time: greetings ("good morning", "buenas tardes",
   "guten Morgen"), e-mail addresses, URLs, phone numbers, prices, street addresses, counts
   ("2 people", "120 guests", "2 hours");
2. repair typos of date words ("thrusday", "decmber", "tomorow", "nxt", "tmrw") by an edit distance
   of 1 (2 for words of 8+ letters) against a small vocabulary, same first letter required;
3. run ordered regular-expression rules that claim non-overlapping spans (calendar dates first, then
   relative days, ranges, weekdays, times, parts of the day);
4. combine the mentions: a weekday next to a date is checked against it (the date wins, ``ambiguous``
   is set when they disagree), a weekday next to "next week" is resolved inside that week, am/pm is
   decided, a primary date/time is chosen when several are given (the one after "to"/"instead"/"auf"/
   "al", else the one next to a time, else the first, with ``ambiguous``).

Conventions (documented heuristics):

* Dates without a year resolve to the next occurrence that is not in the past (today counts).
* A bare weekday ("thursday", "am Freitag", "el jueves") is the next such day strictly after today
  (``ambiguous`` when it is today's weekday). "this thursday" may be today.
* English "next Thursday" is the Thursday of next calendar week (weeks start on Monday); if that
  weekday is still ahead in the current week, ``ambiguous`` is set because some people mean that
  one. Spanish "el próximo jueves"/"el jueves que viene" and German "nächsten Freitag"/"kommenden
  Freitag" are the nearest such day after today (``ambiguous`` when it falls in the current week).
* Hours without am/pm, without a 24-hour form and without a part of the day: 1..7 are afternoon
  (13:00..19:00), 8..11 are morning, 12 is noon (a studio books daytime sessions; "at 4" is 16:00).
  A part of the day anywhere in the message ("in the morning", "de la tarde", "nachmittags") decides
  instead. "08:30" (leading zero) and hours 13..23 are taken as 24-hour times.
* German "halb drei" is 2:30 (then the rule above makes it 14:30); British "half two" likewise.
* Numeric dates: "12/3" is month/day for English, day/month for Spanish and German; "3.12." and
  "3.12.2026" are always day.month; "10.30" without a trailing dot is a time.
* Parts of the day: morning 09:00-12:00, early morning / first thing 08:00-10:00, mid-morning
  10:00-11:30, late morning 10:30-12:00, lunchtime 11:30-13:30, early afternoon 12:00-14:00,
  mid-afternoon 14:00-16:00, late afternoon 15:00-17:00, afternoon 12:00-17:00, evening 17:00-21:00.
  "after X" is X-21:00 and "before X" is 07:00-X. "from X" ("ab 12 Uhr", "a partir de las 3", "from 2 until
  10") is a start time X; the range is kept as ``time_range`` (a soft bound).
* "1pm instead of 10am", "3pm rather than 11am": the mention after "instead of"/"rather than"/"en vez de"/
  "statt" is the old value and goes to ``other_times``/``other_dates``.
* "the 2nd one", "the first option" pick from a list and are not dates.
* Week ranges run Monday..Sunday; "this week" starts today; "this weekend" is the coming
  Saturday..Sunday; "early/mid/late <month>" are days 1-10, 11-20, 21-end.
* ``explicit`` is True when the chosen date was written as a calendar date (month name + day,
  numeric or ISO date), as opposed to relative or weekday-derived dates.

``dateparser`` is used only when ``fallback=True`` is passed (it costs ~100-500 ms per call and
misses most of the texting-style and German/Spanish forms the rules here cover).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Iterable
from zoneinfo import ZoneInfo

from ._text import Folded, fold, osa_distance

__all__ = ["When", "parse_when", "mentions_when"]


# --------------------------------------------------------------------------------------------------
# Result type
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class When:
    date: date | None = None
    time: time | None = None
    time_range: tuple[time, time] | None = None
    date_range: tuple[date, date] | None = None
    weekday_only: int | None = None
    explicit: bool = False
    matched_text: list[str] = field(default_factory=list)
    ambiguous: bool = False
    # extras
    approximate: bool = False  # "10ish", "around noon", "gegen 10", "sobre las 10"
    other_dates: tuple[date, ...] = ()  # further distinct dates mentioned (e.g. the old date in a reschedule)
    other_times: tuple[time, ...] = ()

    @property
    def is_empty(self) -> bool:
        return (self.date is None and self.time is None and self.time_range is None
                and self.date_range is None and self.weekday_only is None)

    def start(self, tz: str) -> datetime | None:
        """The aware start datetime when both a date and a time are known."""
        if self.date is None or self.time is None:
            return None
        return datetime.combine(self.date, self.time, tzinfo=ZoneInfo(tz))


# --------------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------------

WEEKDAYS: dict[str, int] = {}
for _i, _names in enumerate([
    "monday mondays mon montag montags lunes",
    "tuesday tuesdays tue tues dienstag dienstags martes",
    "wednesday wednesdays wed weds mittwoch mittwochs miercoles",
    "thursday thursdays thu thur thurs donnerstag donnerstags jueves",
    "friday fridays fri freitag freitags viernes",
    "saturday saturdays sat samstag samstags sonnabend sabado sabados",
    "sunday sundays sun sonntag sonntags domingo domingos",
]):
    for _n in _names.split():
        WEEKDAYS[_n] = _i
# weekday words that need context (they are ordinary words too)
_WD_CONTEXT = {"sat", "sun"}
_DE_WD_ABBR = {"mo": 0, "di": 1, "mi": 2, "do": 3, "fr": 4, "sa": 5, "so": 6}

MONTHS: dict[str, int] = {}
for _i, _names in enumerate([
    "january jan januar janner enero ene",
    "february feb februar febrero",
    "march mar marz maerz marzo",
    "april apr abril",
    "may mai mayo",
    "june jun juni junio",
    "july jul juli julio",
    "august aug agosto ago",
    "september sep sept septiembre setiembre",
    "october oct oktober okt octubre",
    "november nov noviembre",
    "december dec dezember dez diciembre dic",
], start=1):
    for _n in _names.split():
        MONTHS[_n] = _i
# month words that may stand alone ("in December", "December works") - the rest need a day number
# or a preposition because they are ordinary words or first names.
_MONTH_ALONE_OK = {
    "january", "januar", "enero", "february", "februar", "febrero", "marzo", "maerz", "marz",
    "abril", "junio", "juni", "juli", "september", "septiembre", "setiembre", "october",
    "oktober", "octubre", "november", "noviembre", "december", "dezember", "diciembre", "agosto",
}
_MONTH_PREP_OK = _MONTH_ALONE_OK | {"may", "march", "june", "july", "april", "august", "mayo", "mai",
                                    "julio", "jan", "feb", "apr", "jun", "jul", "aug", "sep",
                                    "sept", "oct", "nov", "dec", "dez", "okt", "dic", "ene"}

_NUM_WORDS: dict[str, int] = {
    # en
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    # es
    "una": 1, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
    "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12,
    # de
    "eins": 1, "ein": 1, "zwei": 2, "zwo": 2, "drei": 3, "vier": 4, "funf": 5, "fuenf": 5,
    "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11, "zwolf": 12, "zwoelf": 12,
}
_MIN_WORDS = {
    "oh five": 5, "o five": 5, "oh-five": 5, "five": 5, "ten": 10, "fifteen": 15, "twenty": 20,
    "twenty five": 25, "twenty-five": 25, "thirty": 30, "thirty five": 35, "thirty-five": 35,
    "forty": 40, "forty five": 45, "forty-five": 45, "fifty": 50, "fifty five": 55, "fifty-five": 55,
}
_COUNT_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "couple of": 2, "couple": 2,
    "un": 1, "una": 1, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
    "einer": 1, "einem": 1, "eine": 1, "zwei": 2, "drei": 3, "vier": 4, "funf": 5, "sechs": 6,
}

_EN_ORD = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}
for _k, _v in list(_EN_ORD.items()):
    if 1 <= _v <= 9:
        _EN_ORD[f"twenty {_k}"] = 20 + _v
        _EN_ORD[f"twenty-{_k}"] = 20 + _v
_EN_ORD["thirty first"] = 31
_EN_ORD["thirty-first"] = 31

_ES_DAYNUM = {
    "primero": 1, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
    "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12, "trece": 13, "catorce": 14,
    "quince": 15, "dieciseis": 16, "diecisiete": 17, "dieciocho": 18, "diecinueve": 19,
    "veinte": 20, "veintiuno": 21, "veintidos": 22, "veintitres": 23, "veinticuatro": 24,
    "veinticinco": 25, "veintiseis": 26, "veintisiete": 27, "veintiocho": 28, "veintinueve": 29,
    "treinta": 30, "treinta y uno": 31,
}
_DE_ORD_STEMS = {
    "erst": 1, "zweit": 2, "dritt": 3, "viert": 4, "funft": 5, "fuenft": 5, "sechst": 6, "siebt": 7,
    "acht": 8, "neunt": 9, "zehnt": 10, "elft": 11, "zwolft": 12, "zwoelft": 12, "dreizehnt": 13,
    "vierzehnt": 14, "funfzehnt": 15, "sechzehnt": 16, "siebzehnt": 17, "achtzehnt": 18,
    "neunzehnt": 19, "zwanzigst": 20, "einundzwanzigst": 21, "zweiundzwanzigst": 22,
    "dreiundzwanzigst": 23, "vierundzwanzigst": 24, "funfundzwanzigst": 25,
    "sechsundzwanzigst": 26, "siebenundzwanzigst": 27, "achtundzwanzigst": 28,
    "neunundzwanzigst": 29, "dreissigst": 30, "einunddreissigst": 31,
}
_DE_ORD = {f"{stem}{end}": v for stem, v in _DE_ORD_STEMS.items() for end in ("e", "en", "er")}


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


_WD_ALT = _alt(WEEKDAYS)
_MONTH_ALT = _alt(MONTHS)
_HOURW_ALT = _alt(_NUM_WORDS)
_MINW_ALT = _alt(_MIN_WORDS)
_DAYW_ALT = _alt(list(_EN_ORD) + list(_ES_DAYNUM) + list(_DE_ORD))
_COUNT_ALT = _alt(_COUNT_WORDS)

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


# --------------------------------------------------------------------------------------------------
# Masks
# --------------------------------------------------------------------------------------------------

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
_COUNT_UNITS = (
    r"people|persons?|pax|guests?|kids?|children|child|adults?|babies|baby|toddlers?|teens?|images?|photos?|"
    r"pictures?|pics?|looks?|outfits?|edits?|shots?|prints?|albums?|hours?|hrs?|minutes?|mins?|min|"
    r"personas?|ninos?|ninas?|hijos?|hijas?|invitados?|adultos?|fotos?|imagenes|horas?|minutos?|"
    r"personen|gaste|gasten|kinder|kindern|kind|erwachsene|bilder|leute|stunden?|minuten|"
    r"years?\s+old|anos|jahre|months?\s+old|of\s+us|stars?|dogs?|cats?|pets?|x\b|ppl|"
    r"times|veces|mal\b|members?|employees?|team\s+members|miembros|mitarbeiter|"
    r"sq\s*ft|miles?|mi\b|km\b|kilometers?|meters?|m\b|percent"
)
_COUNT = re.compile(
    r"(?<![\d:.,/])\d+(?:\s*-\s*\d+)?\s*-?\s*(?:" + _COUNT_UNITS + r")\b"
    r"|\b(?:family|party|group|familia|grupo|familie|gruppe|team|equipo)\s+(?:of|de|von|aus)\s+\d+\b"
    r"|\b(?:we\s+are|we're|there\s+are|there\s+will\s+be|somos|seremos|wir\s+sind|wir\s+werden)\s+\d+\b"
    r"|\b(?:top|no\.?|nr\.?|#|room|suite|unit|apt|apartment|floor|level|zimmer|piso|num(?:ero)?\.?)\s*\d+\b"
    r"|\b24/7\b|\b\d+\s*/\s*\d+\s*(?:stars?|rating)\b"
)


# --------------------------------------------------------------------------------------------------
# Mentions
# --------------------------------------------------------------------------------------------------


@dataclass
class _M:
    kind: str  # date | weekday | drange | time | trange | period
    start: int
    end: int
    value: Any
    info: dict = field(default_factory=dict)


class _Scan:
    def __init__(self, folded: Folded, today: date, lang: str):
        self.f = folded
        self.s = folded.text
        self.used = bytearray(len(self.s))
        self.today = today
        self.lang = lang
        self.mentions: list[_M] = []

    def free(self, a: int, b: int) -> bool:
        return not any(self.used[a:b])

    def claim(self, a: int, b: int) -> None:
        for i in range(a, b):
            self.used[i] = 1

    def add(self, kind: str, a: int, b: int, value: Any, **info: Any) -> _M:
        m = _M(kind, a, b, value, info)
        self.mentions.append(m)
        self.claim(a, b)
        return m

    def before(self, a: int, n: int = 30) -> str:
        return self.s[max(0, a - n):a]

    def after(self, b: int, n: int = 30) -> str:
        return self.s[b:b + n]


# --------------------------------------------------------------------------------------------------
# Date helpers
# --------------------------------------------------------------------------------------------------


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _next_md(today: date, month: int, day: int) -> date | None:
    """Next occurrence of month/day that is not in the past."""
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    for y in range(today.year, today.year + 9):
        d = _safe_date(y, month, day)
        if d is not None and d >= today:
            return d
    return None


def _ymd(today: date, y: int | None, month: int, day: int) -> date | None:
    if y is None:
        return _next_md(today, month, day)
    if y < 100:
        y += 2000
    if not (1900 <= y <= 2200):
        return None
    return _safe_date(y, month, day)


def _month_end(y: int, m: int) -> date:
    return (date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1))


def _next_weekday(today: date, wd: int, include_today: bool = False) -> date:
    ahead = (wd - today.weekday()) % 7
    if ahead == 0 and not include_today:
        ahead = 7
    return today + timedelta(days=ahead)


def _week_start(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _nearest_dom(today: date, day: int, month_hint: tuple[int, int] | None = None) -> date | None:
    if not 1 <= day <= 31:
        return None
    if month_hint is not None:
        return _safe_date(month_hint[0], month_hint[1], day)
    y, m = today.year, today.month
    for _ in range(13):
        d = _safe_date(y, m, day)
        if d is not None and d >= today:
            return d
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return None


def _month_range(today: date, month: int, part: str = "all", year: int | None = None,
                 force_next: bool = False) -> tuple[date, date] | None:
    if year is None:
        year = today.year
        if month < today.month or (force_next and month == today.month):
            year += 1
    start, end = date(year, month, 1), _month_end(year, month)
    if part == "early":
        end = date(year, month, 10)
    elif part == "mid":
        start, end = date(year, month, 11), date(year, month, 20)
    elif part == "late":
        start = date(year, month, 21)
    if end < today and year == today.year:
        return _month_range(today, month, part, year + 1)
    if start < today <= end:
        start = today
    return start, end


# --------------------------------------------------------------------------------------------------
# Rules: dates
# --------------------------------------------------------------------------------------------------

_DAY_SUFFIX = r"(?:st|nd|rd|th|\.|o|er|eme)?"
_YEAR = r"(?:20\d\d|19\d\d)"

_R_ISO = re.compile(r"(?<![\d\w])(20\d\d|19\d\d)-(\d{1,2})-(\d{1,2})(?![\d])")
_R_SLASH_Y = re.compile(r"(?<![\d/\w.])(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?![\d/])")
_R_DOT_Y = re.compile(r"(?<![\d.\w])(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4}|\d{2})(?![\d.:])")
_R_DOT = re.compile(r"(?<![\d.\w])(\d{1,2})\.(\d{1,2})\.(?!\d)")
_R_DOT_CTX = re.compile(r"(?<![\d.\w])(\d{1,2})\.(\d{1,2})(?![\d.:])")
_R_SLASH = re.compile(r"(?<![\d/\w.$])(\d{1,2})/(\d{1,2})(?![\d/])")
_R_DAY_MONTH = re.compile(
    r"(?<![\d.,:$])(\d{1,2})" + _DAY_SUFFIX + r"\s*(?:of\s+|de\s+|-|\s)?\s*(" + _MONTH_ALT + r")\b\.?"
    r"(?:\s*,?\s*(?:de\s+|del\s+)?(" + _YEAR + r"))?(?![\d:])"
)
_R_DAYW_MONTH = re.compile(
    r"\b(?:the\s+)?(" + _DAYW_ALT + r")\s+(?:of\s+|de\s+)?(" + _MONTH_ALT + r")\b"
    r"(?:\s*,?\s*(?:de\s+|del\s+)?(" + _YEAR + r"))?"
)
_R_MONTH_DAY = re.compile(
    r"\b(" + _MONTH_ALT + r")\.?\s*(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?\b"
    r"(?!\s*(?:am\b|pm\b|a\.m|p\.m|h\b|hrs|uhr|:\d|\.\d|ish))"
    r"(?:\s*,?\s*(" + _YEAR + r")(?![\d:]))?"
)
_R_MONTH_DAYW = re.compile(r"\b(" + _MONTH_ALT + r")\s+(?:the\s+)?(" + _alt(_EN_ORD) + r")\b")
_R_MONTH_YEAR = re.compile(r"\b(" + _MONTH_ALT + r")\.?\s*,?\s*(?:de\s+|del\s+)?(" + _YEAR + r")\b")


def _lang_dm(scan: _Scan, a: int, b: int) -> tuple[int, int] | None:
    """Order of two numbers in a slash date: returns (month, day)."""
    if a > 12 and b <= 12:
        return b, a
    if b > 12 and a <= 12:
        return a, b
    if a > 12 and b > 12:
        return None
    return (a, b) if scan.lang == "en" else (b, a)


def _rule_numeric_dates(sc: _Scan) -> None:
    s = sc.s
    for m in _R_ISO.finditer(s):
        if sc.free(m.start(), m.end()):
            d = _safe_date(int(m[1]), int(m[2]), int(m[3]))
            if d:
                sc.add("date", m.start(), m.end(), d, src="calendar")
    for m in _R_SLASH_Y.finditer(s):
        if sc.free(m.start(), m.end()):
            md = _lang_dm(sc, int(m[1]), int(m[2]))
            if md:
                d = _ymd(sc.today, int(m[3]), md[0], md[1])
                if d:
                    sc.add("date", m.start(), m.end(), d, src="calendar")
    for m in _R_DOT_Y.finditer(s):
        if sc.free(m.start(), m.end()):
            d = _ymd(sc.today, int(m[3]), int(m[2]), int(m[1]))
            if d:
                sc.add("date", m.start(), m.end(), d, src="calendar")
    for m in _R_DOT.finditer(s):
        if sc.free(m.start(), m.end()):
            d = _ymd(sc.today, None, int(m[2]), int(m[1]))
            if d:
                sc.add("date", m.start(), m.end(), d, src="calendar")
    for m in _R_DOT_CTX.finditer(s):
        if not sc.free(m.start(), m.end()):
            continue
        ctx = sc.before(m.start(), 20)
        if re.search(r"(?:\b(?:am|den|el|on|vom|bis|zum|ab|del|dia)|" + _WD_ALT + r")\W{0,3}$", ctx):
            d = _ymd(sc.today, None, int(m[2]), int(m[1]))
            if d:
                sc.add("date", m.start(), m.end(), d, src="calendar")
    for m in _R_SLASH.finditer(s):
        if sc.free(m.start(), m.end()):
            md = _lang_dm(sc, int(m[1]), int(m[2]))
            if md:
                d = _ymd(sc.today, None, md[0], md[1])
                if d:
                    sc.add("date", m.start(), m.end(), d, src="calendar")


def _rule_month_dates(sc: _Scan) -> None:
    s = sc.s
    for m in _R_DAY_MONTH.finditer(s):
        if not sc.free(m.start(), m.end()):
            continue
        mon = MONTHS[re.sub(r"\s+", " ", m[2])]
        year = int(m[3]) if m[3] else None
        d = _ymd(sc.today, year, mon, int(m[1]))
        if d:
            sc.add("date", m.start(), m.end(), d, src="calendar")
    for m in _R_DAYW_MONTH.finditer(s):
        if not sc.free(m.start(), m.end()):
            continue
        w = re.sub(r"\s+", " ", m[1])
        day = _EN_ORD.get(w) or _ES_DAYNUM.get(w) or _DE_ORD.get(w)
        if not day:
            continue
        d = _ymd(sc.today, int(m[3]) if m[3] else None, MONTHS[m[2]], day)
        if d:
            sc.add("date", m.start(), m.end(), d, src="calendar")
    for m in _R_MONTH_DAY.finditer(s):
        if not sc.free(m.start(), m.end()):
            continue
        word = m[1]
        if word in ("may", "march", "mar") and not re.search(r"(?:st|nd|rd|th)\b", m[0]) \
                and re.match(r"\s+(?:i|we|you|be|have|also|need|want)\b", s[m.start(1) + len(word):] or ""):
            continue
        if word == "mar" and sc.lang == "es" and not re.search(r"\d", m[0]):
            continue
        year = int(m[3]) if m[3] else None
        d = _ymd(sc.today, year, MONTHS[word], int(m[2]))
        if d:
            sc.add("date", m.start(), m.end(), d, src="calendar")
    for m in _R_MONTH_DAYW.finditer(s):
        if sc.free(m.start(), m.end()):
            d = _ymd(sc.today, None, MONTHS[m[1]], _EN_ORD[re.sub(r"\s+", " ", m[2])])
            if d:
                sc.add("date", m.start(), m.end(), d, src="calendar")
    for m in _R_MONTH_YEAR.finditer(s):
        if sc.free(m.start(), m.end()):
            r = _month_range(sc.today, MONTHS[m[1]], year=int(m[2]))
            if r:
                sc.add("drange", m.start(), m.end(), r, src="month", month=(int(m[2]), MONTHS[m[1]]))


# relative days -----------------------------------------------------------------------------------

_R_DAY_AFTER = re.compile(
    r"\b(?:the\s+)?day\s+after\s+tomorrow\b|\bpasado\s+manana\b|\bubermorgen\b|\bovermorrow\b")
_R_TOMORROW = re.compile(r"\btomorrow\b|\bmanana\b|\bmorgen\b(?!\s*(?:fruh|frueh)\s*um\b(?=x)x)")
_R_TODAY = re.compile(
    r"\b(?:today|tonight|hoy|heute|esta\s+noche|esta\s+tarde|esta\s+manana|this\s+(?:morning|afternoon|evening))\b")
_R_WEEK_FROM = re.compile(
    r"\b(?:(" + _COUNT_ALT + r"|\d)\s+weeks?|(" + _COUNT_ALT + r"|\d)\s+days?)\s+from\s+"
    r"(today|tomorrow|now|(?:next\s+|this\s+)?(?:" + _WD_ALT + r"))\b")
_R_IN_N = re.compile(
    r"\b(?:in|within|en|dentro\s+de|in\s+about|in\s+around|en\s+unas?|in\s+ca\.?)\s+"
    r"(?:(" + _COUNT_ALT + r"|\d{1,2})\s+)?(days?|weeks?|fortnight|dias|semanas?|tagen|tage|wochen|woche)\b(?:'?\s*time)?"
    r"|\b(" + _COUNT_ALT + r"|\d{1,2})\s+(days?|weeks?)\s+from\s+(?:now|today)\b"
    r"|\bheute\s+in\s+(einer|zwei|drei|\d)\s+(woche|wochen)\b"
)


def _count_val(w: str | None) -> int | None:
    if w is None:
        return 1
    w = re.sub(r"\s+", " ", w)
    if w.isdigit():
        return int(w)
    return _COUNT_WORDS.get(w)


def _rule_relative_days(sc: _Scan) -> None:
    s, today = sc.s, sc.today
    for m in _R_DAY_AFTER.finditer(s):
        if sc.free(m.start(), m.end()):
            sc.add("date", m.start(), m.end(), today + timedelta(days=2), src="relative")
    for m in _R_WEEK_FROM.finditer(s):
        if not sc.free(m.start(), m.end()):
            continue
        n_weeks = _count_val(m[1]) if m[1] is not None else None
        n_days = _count_val(m[2]) if m[2] is not None else None
        if m[1] is None and m[2] is None:
            continue
        delta = timedelta(weeks=n_weeks) if n_weeks else timedelta(days=n_days or 0)
        base_word = re.sub(r"\s+", " ", m[3])
        if base_word in ("today", "now"):
            base = today
        elif base_word == "tomorrow":
            base = today + timedelta(days=1)
        else:
            parts = base_word.split()
            wd = WEEKDAYS[parts[-1]]
            base = _next_weekday(today, wd)
            if parts[0] == "next" and wd > today.weekday():
                base += timedelta(days=7)
        sc.add("date", m.start(), m.end(), base + delta, src="relative")
    for m in _R_IN_N.finditer(s):
        if not sc.free(m.start(), m.end()):
            continue
        if m[2] is not None:
            n = _count_val(m[1])
            unit = m[2]
        elif m[4] is not None:
            n = _count_val(m[3])
            unit = m[4]
        else:
            n = _count_val(m[5])
            unit = m[6]
        if not n:
            continue
        if unit == "fortnight":
            days = 14 * n
        elif unit.startswith(("week", "semana", "woche")):
            days = 7 * n
        else:
            days = n
        if days > 400:
            continue
        sc.add("date", m.start(), m.end(), today + timedelta(days=days), src="relative")
    for m in _R_TOMORROW.finditer(s):
        if not sc.free(m.start(), m.end()):
            continue
        word = m[0]
        pre = sc.before(m.start(), 12)
        if word == "manana" and re.search(r"\b(?:la|pasado|media|cada|las|toda|esta|una)\s+$", pre):
            continue
        if word == "morgen" and re.search(r"\b(?:am|heute|den|jeden|vom|guten|schonen|einen|der|diesen|am\s+fruhen)\s+$", pre):
            continue
        sc.add("date", m.start(), m.end(), today + timedelta(days=1), src="relative")
    for m in _R_TODAY.finditer(s):
        if sc.free(m.start(), m.end()):
            w = m[0]
            period = None
            if "morning" in w or "manana" in w:
                period = "morning"
            elif "afternoon" in w or "tarde" in w:
                period = "afternoon"
            elif "evening" in w or "tonight" in w or "noche" in w:
                period = "evening"
            sc.add("date", m.start(), m.end(), today, src="relative")
            if period:
                sc.mentions[-1].info["period"] = period


# ranges ------------------------------------------------------------------------------------------

_R_WEEKS = [
    (re.compile(r"\b(?:the\s+)?week\s+after\s+next\b|\bubernachste\w*\s+woche\b|\bin\s+zwei\s+wochen\s+die\s+woche\b"), "week+2"),
    (re.compile(r"\b(?:early|earlier)\s+(?:in\s+)?(?:the\s+)?next\s+week\b|\banfang\s+(?:der\s+)?(?:nachste[nr]?|kommende[nr]?)\s+woche\b"
                r"|\ba\s+principios\s+de\s+la\s+(?:proxima\s+semana|semana\s+que\s+viene)\b"), "next_early"),
    (re.compile(r"\b(?:late|later)\s+(?:in\s+)?(?:the\s+)?next\s+week\b|\bend\s+of\s+next\s+week\b|\bende\s+(?:der\s+)?(?:nachste[nr]?|kommende[nr]?)\s+woche\b"
                r"|\ba\s+finales\s+de\s+la\s+(?:proxima\s+semana|semana\s+que\s+viene)\b"), "next_late"),
    (re.compile(r"\b(?:the\s+)?(?:next|following|coming)\s+week\b"
                r"|\b(?:la\s+)?semana\s+(?:que\s+viene|proxima|siguiente)\b|\b(?:la\s+)?(?:proxima|siguiente)\s+semana\b"
                r"|\b(?:in\s+der\s+)?(?:nachste[nr]?|kommende[nr]?)\s+woche\b"), "next"),
    (re.compile(r"\b(?:later|late)\s+this\s+week\b|\bend\s+of\s+(?:the|this)\s+week\b|\bende\s+(?:der|dieser)\s+woche\b"
                r"|\ba\s+finales\s+de\s+(?:la|esta)\s+semana\b"), "this_late"),
    (re.compile(r"\bthis\s+week\b|\besta\s+semana\b|\b(?:diese|dieser)\s+woche\b"), "this"),
]
_R_WEEKEND = [
    (re.compile(r"\b(?:next|following)\s+weekend\b|\b(?:el\s+)?(?:proximo|siguiente)\s+fin\s+de\s+semana\b"
                r"|\bel\s+fin\s+de\s+semana\s+que\s+viene\b|\b(?:nachste[ns]?|kommende[ns]?)\s+wochenende\b"), "next"),
    (re.compile(r"\b(?:this|the|this\s+coming|on\s+the|over\s+the|at\s+the|coming)\s+weekend\b|\bweekend\b"
                r"|\b(?:este|el)\s+fin\s+de\s+semana\b|\bfinde\b"
                r"|\b(?:dieses|am|ubers|uber\s+das|das)\s+wochenende\b|\bwochenende\b"), "this"),
]
_PART_EARLY = (r"early|earlier\s+in|(?:la\s+)?primera\s+semana\s+de|in\s+der\s+ersten\s+woche\s+im|beginning\s+of|the\s+beginning\s+of|start\s+of|the\s+start\s+of|"
               r"first\s+week\s+of|the\s+first\s+week\s+of|a\s+principios\s+de|principios\s+de|"
               r"a\s+comienzos\s+de|comienzos\s+de|inicios\s+de|a\s+inicios\s+de|anfang|fruh\s+im|zu\s+beginn\s+des")
_PART_MID = r"mid|mid-|middle\s+of|the\s+middle\s+of|a\s+mediados\s+de|mediados\s+de|mitte"
_PART_LATE = (r"late|later\s+in|(?:la\s+)?ultima\s+semana\s+de|in\s+der\s+letzten\s+woche\s+im|end\s+of|the\s+end\s+of|last\s+week\s+of|the\s+last\s+week\s+of|"
              r"a\s+finales\s+de|finales\s+de|a\s+fines\s+de|fines\s+de|ende|spat\s+im|gegen\s+ende")
_PART_ALL = (r"in|during|sometime\s+in|some\s+time\s+in|for|this|next|en|durante|para|el\s+mes\s+de|"
             r"en\s+el\s+mes\s+de|im|in\s+the\s+month\s+of|im\s+monat|im\s+laufe\s+des|next\s+year\s+in")
_R_MONTH_PART = re.compile(
    r"\b(?:(" + _PART_EARLY + r")|(" + _PART_MID + r")|(" + _PART_LATE + r")|(" + _PART_ALL + r"))\s*-?\s*"
    r"(?:(next|this|proximo|nachsten|kommenden)\s+)?(" + _MONTH_ALT + r")\b(?!\s*\d)")
_R_MONTH_ALONE = re.compile(r"\b(" + _MONTH_ALT + r")\b(?!\s*\d)")
_R_REL_MONTH = [
    (re.compile(r"\b(?:next|following)\s+month\b|\bel\s+(?:mes\s+que\s+viene|proximo\s+mes)\b|\b(?:nachste[nr]?|kommende[nr]?)\s+monat\b"), "next"),
    (re.compile(r"\b(?:end|the\s+end)\s+of\s+(?:the|this)\s+month\b|\ba\s+finales\s+de(?:l|\s+este)\s+mes\b|\bende\s+(?:des|dieses)\s+monats\b"), "this_late"),
    (re.compile(r"\bthis\s+month\b|\beste\s+mes\b|\b(?:diesen|diesem)\s+monat\b"), "this"),
]


def _rule_ranges(sc: _Scan) -> None:
    s, today = sc.s, sc.today
    ws = _week_start(today)
    for rx, kind in _R_WEEKEND:
        for m in rx.finditer(s):
            if not sc.free(m.start(), m.end()):
                continue
            if today.weekday() >= 5:
                sat = today - timedelta(days=today.weekday() - 5)
                this = (today, sat + timedelta(days=1))
            else:
                sat = _next_weekday(today, 5)
                this = (sat, sat + timedelta(days=1))
            if kind == "next":
                nxt_sat = sat + timedelta(days=7)
                sc.add("drange", m.start(), m.end(), (nxt_sat, nxt_sat + timedelta(days=1)),
                       src="weekend", ambiguous=today.weekday() < 5)
            else:
                sc.add("drange", m.start(), m.end(), this, src="weekend")
    for rx, kind in _R_WEEKS:
        for m in rx.finditer(s):
            if not sc.free(m.start(), m.end()):
                continue
            if kind == "next":
                r = (ws + timedelta(days=7), ws + timedelta(days=13))
            elif kind == "week+2":
                r = (ws + timedelta(days=14), ws + timedelta(days=20))
            elif kind == "next_early":
                r = (ws + timedelta(days=7), ws + timedelta(days=9))
            elif kind == "next_late":
                r = (ws + timedelta(days=10), ws + timedelta(days=13))
            elif kind == "this_late":
                r = (max(today + timedelta(days=1), ws + timedelta(days=3)), ws + timedelta(days=6))
            else:
                r = (today, ws + timedelta(days=6))
            if r[0] > r[1]:
                r = (r[1], r[1])
            sc.add("drange", m.start(), m.end(), r, src="week", week=kind)
    for rx, kind in _R_REL_MONTH:
        for m in rx.finditer(s):
            if not sc.free(m.start(), m.end()):
                continue
            if kind == "next":
                y, mo = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
                r = (date(y, mo, 1), _month_end(y, mo))
            elif kind == "this_late":
                r = (max(today, date(today.year, today.month, 21)), _month_end(today.year, today.month))
            else:
                r = (today, _month_end(today.year, today.month))
            sc.add("drange", m.start(), m.end(), r, src="month", month=(r[0].year, r[0].month))
    for m in _R_MONTH_PART.finditer(s):
        if not sc.free(m.start(), m.end()):
            continue
        word = m[6]
        if word not in _MONTH_PREP_OK and not (m[1] or m[2] or m[3]):
            continue
        if word in ("may", "march", "mar", "mai") and m[4] in ("this", "for"):
            continue
        part = "early" if m[1] else "mid" if m[2] else "late" if m[3] else "all"
        force_next = bool(m[5]) or (m[4] or "").strip() == "next"
        r = _month_range(today, MONTHS[word], part, force_next=force_next)
        if r:
            sc.add("drange", m.start(), m.end(), r, src="month", month=(r[0].year, r[0].month))
    for m in _R_MONTH_ALONE.finditer(s):
        if not sc.free(m.start(), m.end()) or m[1] not in _MONTH_ALONE_OK:
            continue
        r = _month_range(today, MONTHS[m[1]])
        if r:
            sc.add("drange", m.start(), m.end(), r, src="month", month=(r[0].year, r[0].month))


# holidays and "week of <date>" -----------------------------------------------------------------

_HOLIDAYS: list[tuple[str, tuple[int, int] | str]] = [
    (r"christmas\s+eve|xmas\s+eve|nochebuena|heilig(?:e[rn]?)?\s*abend", (12, 24)),
    (r"boxing\s+day|zweite[rn]?\s+weihnachtstag|stephanstag", (12, 26)),
    (r"christmas(?:\s+day)?|xmas|(?:el\s+)?dia\s+de\s+navidad|navidad|erste[rn]?\s+weihnachtstag|weihnachten", (12, 25)),
    (r"new\s+year'?s\s+eve|nye|nochevieja|silvester", (12, 31)),
    (r"new\s+year'?s(?:\s+day)?|ano\s+nuevo|neujahr(?:stag)?", (1, 1)),
    (r"valentine'?s(?:\s+day)?|san\s+valentin|valentinstag", (2, 14)),
    (r"halloween", (10, 31)),
    (r"thanksgiving", "thanksgiving"),
]
_R_HOLIDAY = re.compile(
    r"\b(?:(before|after|antes\s+de|despues\s+de|vor|nach|until|till|bis|around|over|during|um|zu|en|für|fur|for|on)\s+)?"
    r"(?:the\s+|el\s+|la\s+|den\s+)?(" + "|".join(f"(?:{p})" for p, _ in _HOLIDAYS) + r")\b")
_R_WEEK_OF = re.compile(r"(?:\b(?:the\s+)?week\s+(?:of|starting|beginning|commencing)\s+(?:the\s+|on\s+)?"
                        r"|\bla\s+semana\s+del\s+|\b(?:die|der|in\s+der)\s+woche\s+(?:vom|ab\s+dem|ab)\s+)$")


def _holiday_date(today: date, name: str) -> date | None:
    for pat, when in _HOLIDAYS:
        if re.fullmatch(pat, name):
            if when == "thanksgiving":
                for y in (today.year, today.year + 1):
                    first = date(y, 11, 1)
                    d = first + timedelta(days=(3 - first.weekday()) % 7 + 21)
                    if d >= today:
                        return d
                return None
            return _next_md(today, when[0], when[1])  # type: ignore[index]
    return None


def _rule_holidays(sc: _Scan) -> None:
    for m in _R_HOLIDAY.finditer(sc.s):
        if not sc.free(m.start(), m.end()):
            continue
        d = _holiday_date(sc.today, re.sub(r"\s+", " ", m[2]))
        if d is None:
            continue
        prep = re.sub(r"\s+", " ", m[1] or "")
        if prep in ("before", "antes de", "vor", "until", "till", "bis"):
            end = d - timedelta(days=1)
            if end >= sc.today:
                sc.add("drange", m.start(), m.end(), (sc.today, end), src="holiday")
        elif prep in ("after", "despues de", "nach"):
            sc.add("drange", m.start(), m.end(), (d + timedelta(days=1), d + timedelta(days=14)), src="holiday")
        elif prep in ("around", "over", "during", "um"):
            sc.add("drange", m.start(), m.end(), (max(sc.today, d - timedelta(days=3)), d + timedelta(days=3)),
                   src="holiday")
        else:
            a = m.start(2) if prep in ("for", "fur", "für", "en", "zu", "on") else m.start()
            sc.add("date", m.start(), m.end(), d, src="holiday")


def _rule_week_of(sc: _Scan) -> None:
    for m in sc.mentions:
        if m.kind != "date" or m.info.get("src") != "calendar":
            continue
        mm = _R_WEEK_OF.search(sc.s, 0, m.start)
        if mm:
            ws = _week_start(m.value)
            m.kind, m.value = "drange", (max(ws, sc.today), ws + timedelta(days=6))
            m.info["src"] = "week"
            m.info["week"] = "of"
            sc.claim(mm.start(), m.start)
            m.start = mm.start()


# weekdays ----------------------------------------------------------------------------------------

_R_WEEKDAY = re.compile(r"\b(" + _WD_ALT + r")\b\.?")
_R_WD_PRE = re.compile(
    r"(?:\b(this\s+coming|this|coming|upcoming|next|nxt|following|on|el\s+proximo|el\s+proximo\s+dia|proximo|el|este|"
    r"nachsten|nachster|nachste|kommenden|kommender|diesen|dieser|am|by|for|until|till|"
    r"on\s+the\s+next|the\s+next|the\s+following|the|any|every|jeden|cada|los|a)\s+)$")
_R_WD_POST = re.compile(
    r"^\s*(?:,\s*)?(?:(?:of\s+)?(?:the\s+)?(next|following)\s+week\b|(after\s+next)\b|(que\s+viene)\b|"
    r"(?:de\s+)?(?:la\s+)?(semana\s+que\s+viene|proxima\s+semana|semana\s+proxima)\b|"
    r"(?:in\s+der\s+|der\s+)?(nachste[nr]?\s+woche|kommende[nr]?\s+woche)\b|(in\s+einer\s+woche)\b)")
_R_DE_WD_ABBR = re.compile(r"\b(mo|di|mi|do|fr|sa|so)\.?,?\s+(?=(?:den\s+)?\d{1,2}\.)")


def _rule_weekdays(sc: _Scan) -> None:
    s = sc.s
    for m in _R_WEEKDAY.finditer(s):
        if not sc.free(m.start(1), m.end(1)):
            continue
        word = m[1]
        a, b = m.start(), m.end()
        pre = _R_WD_PRE.search(sc.before(a, 24))
        mod = re.sub(r"\s+", " ", pre[1]) if pre else None
        if word in _WD_CONTEXT:
            nxt = s[b:b + 14]
            if not (mod in ("this", "next", "on", "coming", "this coming", "by", "until", "every")
                    or re.match(r"\s*[,.]?\s*(?:\d|the\s+\d|morning|afternoon|evening|at\b|@|or\b|and\b|night|(?:"
                                + _MONTH_ALT + r")\b)", s[b:b + 20])):
                continue
        wd = WEEKDAYS[word]
        if pre and sc.free(a - len(pre[0]), a) and mod not in ("the", "a", "los"):
            a -= len(pre[0])
        post = _R_WD_POST.match(s[b:])
        post_kind = None
        if post and sc.free(b, b + post.end()):
            if post[1] or post[4] or post[5]:
                post_kind = "next_week"
            elif post[2]:
                post_kind = "after_next"
            elif post[3]:
                post_kind = "coming"
            elif post[6]:
                post_kind = "plus_week"
            b += post.end()
        sc.add("weekday", a, b, wd, mod=mod, post=post_kind, plural=word.endswith("s") and word not in ("tues", "thurs", "weds", "lunes", "martes", "miercoles", "jueves", "viernes", "thus"))
    for m in _R_DE_WD_ABBR.finditer(s):
        if sc.free(m.start(), m.end()):
            sc.add("weekday", m.start(), m.end(), _DE_WD_ABBR[m[1]], mod=None, post=None, plural=False)


def _resolve_weekday(today: date, wd: int, mod: str | None, post: str | None) -> tuple[date, bool]:
    """Return (date, ambiguous) for a weekday with its modifiers (see module doc)."""
    later_this_week = wd > today.weekday()
    ws = _week_start(today)
    if post in ("next_week",):
        return ws + timedelta(days=7 + wd), False
    if post == "after_next":
        return ws + timedelta(days=14 + wd), False
    if post == "plus_week":
        return _next_weekday(today, wd) + timedelta(days=7), False
    if mod in ("next", "nxt", "the next", "on the next", "following", "the following"):
        if later_this_week:
            return ws + timedelta(days=7 + wd), True
        return _next_weekday(today, wd), False
    if mod in ("el proximo", "proximo", "el proximo dia", "nachsten", "nachster", "nachste", "kommenden",
               "kommender", "coming", "upcoming", "this coming") or post == "coming":
        return _next_weekday(today, wd), mod not in ("coming", "upcoming", "this coming") and post != "coming" and later_this_week
    if mod in ("this", "este", "diesen", "dieser"):
        return _next_weekday(today, wd, include_today=True), False
    d = _next_weekday(today, wd)
    return d, wd == today.weekday()


# ordinal day of month ----------------------------------------------------------------------------

_ORD_NOUNS = (r"shooter|photographer|look|time|floor|anniversary|birthday|hour|session|option|person|"
              r"child|kid|place|edition|grade|year|row|choice|round|attempt|try|visit|baby|pic|photo|"
              r"fotografo|fotograf|mal|vez|street|st\b|ave|avenue")
_R_ORD_EN = re.compile(
    r"\b(?:(?:on|for|by|until|till)\s+)?the\s+(\d{1,2})(?:st|nd|rd|th)?\b(?!\s*(?:" + _ORD_NOUNS + r"|of\s+us|people|:|am\b|pm\b))"
    r"|\b(\d{1,2})(?:st|nd|rd|th)\b(?!\s*(?:" + _ORD_NOUNS + r"))"
    r"|\bon\s+the\s+(" + _alt(_EN_ORD) + r")\b(?!\s*(?:" + _ORD_NOUNS + r"))")
_R_ORD_ES = re.compile(r"\bel\s+(?:dia\s+)?(\d{1,2})\b(?!\s*(?:[:h%]|de\s+la|personas|invitados|fotos|am\b|pm\b|\.\d))"
                       r"|\bel\s+dia\s+(" + _alt(_ES_DAYNUM) + r")\b")
_R_ORD_DE = re.compile(r"\b(?:am|den|zum|bis\s+zum|ab\s+dem|vom)\s+(\d{1,2})\.(?!\d)"
                       r"|\b(?:am|den|zum)\s+(" + _alt(_DE_ORD) + r")\b")


def _rule_ordinals(sc: _Scan) -> None:
    s = sc.s
    for rx in (_R_ORD_EN, _R_ORD_ES, _R_ORD_DE):
        for m in rx.finditer(s):
            if not sc.free(m.start(), m.end()):
                continue
            g = next(x for x in m.groups() if x)
            g = re.sub(r"\s+", " ", g)
            day = int(g) if g.isdigit() else (_EN_ORD.get(g) or _ES_DAYNUM.get(g) or _DE_ORD.get(g))
            if not day or not 1 <= day <= 31:
                continue
            sc.add("ordinal", m.start(), m.end(), day)


# --------------------------------------------------------------------------------------------------
# Rules: times
# --------------------------------------------------------------------------------------------------

_H = r"(?:[01]?\d|2[0-3])"
_HOUR = r"(?:" + _H + r"|" + _HOURW_ALT + r")"
_AMPM = r"(?:a\.?\s?m\b\.?|p\.?\s?m\b\.?|am\b|pm\b)"
_TIME_ATOM = (r"(" + _HOUR + r")(?:\s*[:.h]\s*([0-5]\d))?\s*(" + _AMPM + r"|uhr\b|hrs?\b|h\b)?")
_R_TRANGE = re.compile(
    r"\b(?:between|from|entre|de|zwischen|von|anytime\s+between)\s+(?:las?\s+)?" + _TIME_ATOM +
    r"\s*(?:and|to|till|til|until|-|y|a|hasta|und|bis)\s*(?:las?\s+)?" + _TIME_ATOM)
_R_TRANGE_BARE = re.compile(r"(?<![\d:.\w/])" + _TIME_ATOM + r"\s*(?:-|to|till|until|bis)\s*" + _TIME_ATOM)
_R_AFTER = re.compile(
    r"\b(?:after|anytime\s+after|any\s+time\s+after|later\s+than|from|despues\s+de\s+las|a\s+partir\s+de\s+las|"
    r"desde\s+las|nach|ab|not\s+before)\s+(?:la\s+|las\s+)?" + _TIME_ATOM + r"(?:\s+(?:on|onwards|onward|en\s+adelante))?")
_R_BEFORE = re.compile(
    r"\b(?:before|by|no\s+later\s+than|earlier\s+than|antes\s+de\s+las|antes\s+de\s+la|vor|bis|spatestens\s+um)\s+" + _TIME_ATOM)
_R_OR_TIMES = re.compile(
    r"(?<![\d:.,$€£\w])((?:at|um|a\s+las|around|@)\s+)?(\d{1,2})(?::([0-5]\d))?\s*(" + _AMPM + r")?\s*(?:or|o|oder|/)\s*"
    r"(\d{1,2})(?::([0-5]\d))?\s*(" + _AMPM + r")?(?![\d\w/])")
_R_HHMM = re.compile(r"(?<![\d:.,$€£\w])([01]?\d|2[0-3])\s?:\s?([0-5]\d)(?!\d)\s*(" + _AMPM + r"|uhr\b|h\b|hrs?\b|horas?\b)?")
_R_HhMM = re.compile(r"(?<![\d:.,$€£\w])([01]?\d|2[0-3])h([0-5]\d)\b")
_R_COMPACT = re.compile(r"(?:@\s*|\b(?:at|um|a\s+las|by|around)\s*)([01]?\d|2[0-3])([0-5]\d)\b(?!\s*(?:" + _COUNT_UNITS + r"))"
                        r"|(?<![\d\w])([01]?\d|2[0-3])([0-5]\d)\s*(" + _AMPM + r"|h\b|hrs\b|uhr\b)")
_R_H_AMPM = re.compile(r"(?<![\d:.,$€£\w])(" + _HOUR + r")\s*(?:o'?clock\s*)?(" + _AMPM + r")(?!\s*(?:" + _WD_ALT + r"|den\b|\d))")
_R_AP_SHORT = re.compile(r"(?<![\d:.,$€£\w])(\d{1,2})(?::([0-5]\d))?([ap])\b(?!\.\w)")
_R_UHR = re.compile(r"(?<![\d:.,$€£\w])(" + _HOUR + r")\s*uhr\b(?:\s*([0-5]\d)\b)?")
_R_NH = re.compile(r"(?<![\d:.,$€£\w])([01]?\d|2[0-3])\s?h\b(?!\s*(?:session|shoot|sesion|sitzung|coverage|long|de\s+sesion|of|\w+\s+session))")
_R_DOTTIME = re.compile(r"(?<![\d.,$€£\w])([01]?\d|2[0-3])\.([0-5]\d)(?![\d.])(?!\s*(?:%|usd|eur|euros?|dollars?|€|\$|k\b|hours|hrs|stunden|horas|km|mi\b|miles))")
_R_EN_CLOCK = re.compile(
    r"\b(?:(quarter|half|a\s+quarter|" + _MINW_ALT + r"|\d{1,2})\s+(?:minutes\s+)?(past|after)|(quarter|a\s+quarter|"
    + _MINW_ALT + r"|\d{1,2}\s+minutes)\s+(to|till|til|of|before))\s+(" + _HOUR + r")\b")
_R_EN_HALF = re.compile(r"\b(?:at\s+)half\s+(" + _HOUR + r")\b")
_R_OCLOCK = re.compile(r"\b(" + _HOUR + r")\s*(?:o'?\s?clock|oclock)\b")
_R_WORD_HM = re.compile(r"\b(?:at|@|around|about|by|for|how\s+about|what\s+about)\s+(" + _alt(
    [w for w in _NUM_WORDS if w in ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                                    "ten", "eleven", "twelve")]) + r")[\s-]+(" + _MINW_ALT + r")\b")
_R_ES_CLOCK = re.compile(
    r"\b(?:(?:a\s+eso\s+de|a|sobre|hacia|como\s+a|tipo|para|desde|antes\s+de|hasta)\s+)?(las?)\s+(" + _HOUR + r")"
    r"(?:\s*(?::|\.)\s*([0-5]\d))?"
    r"(?:\s+y\s+(media|cuarto|" + _MINW_ALT + r"|diez|veinte|veinticinco|cinco|\d{1,2})|\s+menos\s+(cuarto|diez|veinte|cinco|\d{1,2}))?"
    r"(?:\s*(?:h|hs|horas)\b)?"
    r"(?:\s+(?:de\s+la|por\s+la|en\s+la)\s+(manana|tarde|noche)|\s+(?:del|al)\s+(mediodia)|\s+(en\s+punto))?")
_R_DE_CLOCK = re.compile(
    r"\b(?:(?:um|gegen|so\s+um|so\s+gegen|ab|bis)\s+)?(?:(halb)|(viertel\s+nach)|(viertel\s+vor)|(dreiviertel))\s+(" + _HOUR + r")\b")
_R_CTX_HOUR = re.compile(
    r"\b(at|@|around|about|approx\.?|approximately|roughly|by|at\s+around|at\s+about|round\s+about|circa|ca\.?|"
    r"um|gegen|so\s+gegen|so\s+um|how\s+about|what\s+about|maybe|vielleicht|a\s+eso\s+de\s+las|"
    r"a\s+las|a\s+la|sobre\s+las|hacia\s+las|como\s+a\s+las|tipo)\s*(" + _HOUR + r")\b(\s*-?\s*ish\b)?|@\s*(" + _H + r")\b")
_R_ISH = re.compile(r"\b(" + _HOUR + r")\s*-?\s*ish\b")
_R_NOON = re.compile(r"\b(?:(around|about|at\s+around|approx\.?|gegen|sobre|hacia|so\s+gegen|circa|ca\.?)\s+)?"
                     r"(?:(?:12\s+)?(noon)|(midday)|(?:el|al|a|del)\s+(mediodia)|(mediodia)|(?:um|zu|gegen)\s+(mittag)|(midnight)|(medianoche)|(mitternacht))\b")

_AFTER_HOUR_BAD = re.compile(
    r"\s*(?:" + _COUNT_UNITS + r"|point|of\b|o\b|per\b|in\s+the\s+(?:studio|park)|st\b|street|ave|rd\b|road|dr\b|"
    r"blvd|lane|ln\b|way\b|minute|min|mins)\b")


def _hour_val(tok: str) -> int | None:
    tok = re.sub(r"\s+", " ", tok)
    if tok.isdigit():
        v = int(tok)
        return v if 0 <= v <= 24 else None
    return _NUM_WORDS.get(tok)


def _ampm_of(tok: str | None) -> str | None:
    if not tok:
        return None
    t = tok.replace(".", "").replace(" ", "")
    if t == "am":
        return "am"
    if t == "pm":
        return "pm"
    if t in ("uhr", "h", "hrs", "hr", "horas", "hora", "hs"):
        return "24"
    return None


def _time_info(h: int, m: int, ampm: str | None, h24: bool = False, approx: bool = False,
               period: str | None = None) -> dict:
    return {"h": h, "m": m, "ampm": ampm, "h24": h24, "approx": approx, "period": period}


def _bad_after(sc: _Scan, b: int) -> bool:
    """True when the number at ..b is followed by a unit/noun or a capitalised non-date word (address)."""
    rest = sc.s[b:b + 24]
    if _AFTER_HOUR_BAD.match(rest):
        return True
    mm = re.match(r"\s+([a-z]+)", rest)
    if mm:
        word = mm[1]
        oi = sc.f.index[b + mm.start(1)] if b + mm.start(1) < len(sc.f.index) else None
        if oi is not None and sc.f.original[oi].isupper() and word not in WEEKDAYS and word not in MONTHS \
                and word not in ("uhr", "am", "pm", "or", "and", "on", "if", "in", "tomorrow", "today", "ok", "oclock",
                                 "works", "would", "is", "please", "pls", "tonight", "thanks", "sharp", "y", "de", "o", "oder",
                                 "und", "morgen", "heute", "manana", "hoy", "then", "instead", "next", "this", "for", "with",
                                 "que", "por", "en", "el", "la", "con", "bitte", "ist", "ware", "geht", "passt", "also",
                                 "the", "at", "i", "we", "mi", "my", "to", "a", "an", "ish", "o'clock", "am", "den", "dann", "da"):
            return True
    return False


def _rule_times(sc: _Scan) -> None:
    s = sc.s
    add_t = lambda a, b, **kw: sc.add("time", a, b, None, **kw)  # noqa: E731

    # explicit ranges
    for rx, kind in ((_R_TRANGE, "between"), (_R_TRANGE_BARE, "bare")):
        for m in rx.finditer(s):
            if not sc.free(m.start(), m.end()):
                continue
            h1, h2 = _hour_val(m[1]), _hour_val(m[4])
            if h1 is None or h2 is None or h1 > 24 or h2 > 24:
                continue
            a1, a2 = _ampm_of(m[3]), _ampm_of(m[6])
            if kind == "bare" and not (a1 or a2 or m[2] or m[5]):
                continue
            if kind == "bare" and not (m[1].isdigit() and m[4].isdigit()):
                continue
            if (a2 is None or a2 == "24") and _bad_after(sc, m.end()):
                continue
            sc.add("trange", m.start(), m.end(), None,
                   t1=_time_info(h1, int(m[2] or 0), a1), t2=_time_info(h2, int(m[5] or 0), a2))
    for m in _R_OR_TIMES.finditer(s):
        if not sc.free(m.start(), m.end()) or not (m[1] or m[4] or m[7] or m[3] or m[6]):
            continue
        h1, h2 = int(m[2]), int(m[5])
        if h1 > 23 or h2 > 23 or _bad_after(sc, m.end()):
            continue
        a1, a2 = _ampm_of(m[4]), _ampm_of(m[7])
        if a1 is None and a2 in ("am", "pm") and h1 <= 12:
            a1 = a2
        add_t(m.start(), max(m.end(2), m.end(3) if m[3] else 0, m.end(4) if m[4] else 0), t=_time_info(h1, int(m[3] or 0), a1 if a1 != "24" else None, h24=h1 >= 13))
        add_t(m.start(5), m.end(), t=_time_info(h2, int(m[6] or 0), a2 if a2 != "24" else None, h24=h2 >= 13))
    for m in _R_HHMM.finditer(s):
        if sc.free(m.start(), m.end()):
            h, mi = int(m[1]), int(m[2])
            ap = _ampm_of(m[3])
            add_t(m.start(), m.end(), t=_time_info(h, mi, ap if ap != "24" else None,
                                                   h24=(ap == "24" or m[1].startswith("0") or h >= 13)))
    for m in _R_HhMM.finditer(s):
        if sc.free(m.start(), m.end()):
            add_t(m.start(), m.end(), t=_time_info(int(m[1]), int(m[2]), None, h24=True))
    for m in _R_COMPACT.finditer(s):
        if not sc.free(m.start(), m.end()):
            continue
        if m[1] is not None:
            h, mi, ap = int(m[1]), int(m[2]), None
            if _bad_after(sc, m.end()):
                continue
        else:
            h, mi, ap = int(m[3]), int(m[4]), _ampm_of(m[5])
        add_t(m.start(), m.end(), t=_time_info(h, mi, ap if ap != "24" else None,
                                               h24=(ap == "24" or h >= 13 or (m[1] or m[3]).startswith("0"))))
    for m in _R_EN_CLOCK.finditer(s):
        if not sc.free(m.start(), m.end()):
            continue
        h = _hour_val(m[5])
        if h is None:
            continue
        if m[2]:
            w = re.sub(r"\s+", " ", m[1])
            mins = 15 if "quarter" in w else 30 if w == "half" else (int(w) if w.isdigit() else _MIN_WORDS.get(w))
            if mins is None:
                continue
            add_t(m.start(), m.end(), t=_time_info(h, mins, None))
        else:
            w = re.sub(r"\s+", " ", m[3]).replace(" minutes", "")
            mins = 15 if "quarter" in w else (int(w) if w.isdigit() else _MIN_WORDS.get(w))
            if not mins:
                continue
            h2 = (h - 1) % 24 or (12 if h == 1 else 0)
            add_t(m.start(), m.end(), t=_time_info(h2, 60 - mins, None))
    for m in _R_DE_CLOCK.finditer(s):
        if not sc.free(m.start(), m.end()):
            continue
        h = _hour_val(m[5])
        if h is None:
            continue
        if m[1]:
            hh, mi = (h - 1) or 12, 30
        elif m[2]:
            hh, mi = h, 15
        else:
            hh, mi = (h - 1) or 12, 45
        approx = bool(re.match(r"(?:gegen|so)\b", m[0]))
        add_t(m.start(), m.end(), t=_time_info(hh, mi, None, approx=approx))
    for rx, kind in ((_R_AFTER, "after"), (_R_BEFORE, "before")):
        for m in rx.finditer(s):
            if not sc.free(m.start(), m.end()):
                continue
            h = _hour_val(m[1])
            if h is None or h > 24:
                continue
            ap = _ampm_of(m[3])
            if not m[1].isdigit() and ap is None and not re.match(r"\b(?:after|before|nach|vor)\b", m[0]):
                pass
            if ap is None and not m[2] and _bad_after(sc, m.end()):
                continue
            word = m[0].split()[0]
            if word in ("by", "bis", "from", "ab", "nach", "vor") and not (ap or m[2]):
                # "by 3" / "ab 10" without am/pm: keep as a bound only for clear hour-ish context
                if word in ("by", "from") or not re.search(r"uhr|:\d", m[0]):
                    if word in ("by",):
                        continue
            if word in ("by",):
                continue
            sc.add("trange", m.start(), m.end(), None, t=_time_info(h, int(m[2] or 0), ap), bound=kind)

    for m in _R_EN_HALF.finditer(s):
        if sc.free(m.start(), m.end()):
            h = _hour_val(m[1])
            if h is not None and not _bad_after(sc, m.end()):
                add_t(m.start(), m.end(), t=_time_info(h, 30, None))
    for m in _R_ES_CLOCK.finditer(s):
        if not sc.free(m.start(), m.end()):
            continue
        art, h = m[1], _hour_val(m[2])
        if h is None or (art == "la" and h != 1) or (art == "las" and h == 1 and m[2] != "1"):
            continue
        if m[2].isdigit() and not m[3] and not m[4] and not m[5] and not m[6] and not m[7] and not m[8] \
                and _bad_after(sc, m.end()):
            continue
        mi = int(m[3]) if m[3] else 0
        if m[4]:
            w = m[4]
            mi = {"media": 30, "cuarto": 15, "diez": 10, "veinte": 20, "veinticinco": 25, "cinco": 5}.get(w) \
                or (int(w) if w.isdigit() else _MIN_WORDS.get(w, 0))
        if m[5]:
            w = m[5]
            sub = {"cuarto": 15, "diez": 10, "veinte": 20, "cinco": 5}.get(w) or (int(w) if w.isdigit() else 0)
            h, mi = (h - 1) or 12, 60 - sub
        period = {"manana": "morning", "tarde": "afternoon", "noche": "evening"}.get(m[6] or "")
        if m[7]:
            period = "afternoon"
        approx = bool(re.match(r"(?:sobre|hacia|como|tipo|a\s+eso)\b", m[0]))
        add_t(m.start(), m.end(), t=_time_info(h, mi, None, approx=approx, period=period))
    for m in _R_AP_SHORT.finditer(s):
        if sc.free(m.start(), m.end()):
            h = int(m[1])
            if 1 <= h <= 12:
                add_t(m.start(), m.end(), t=_time_info(h, int(m[2] or 0), "am" if m[3] == "a" else "pm"))
    for m in _R_H_AMPM.finditer(s):
        if sc.free(m.start(), m.end()):
            h = _hour_val(m[1])
            ap = _ampm_of(m[2])
            if h is None or h > 12 or h == 0:
                continue
            if ap == "am" and re.match(r"\s+[a-z]", s[m.end():]) and sc.lang == "de":
                continue
            add_t(m.start(), m.end(), t=_time_info(h, 0, ap))
    for m in _R_UHR.finditer(s):
        if sc.free(m.start(), m.end()):
            h = _hour_val(m[1])
            if h is None:
                continue
            add_t(m.start(), m.end(), t=_time_info(h, int(m[2] or 0), None, h24=h >= 13 or m[1].startswith("0")))
    for m in _R_NH.finditer(s):
        if not sc.free(m.start(), m.end()):
            continue
        if re.search(r"\b(?:for|para|fur|durante|a|an|per|every|each|cada|alle|je)\s*$", sc.before(m.start(), 10)):
            continue
        h = int(m[1])
        add_t(m.start(), m.end(), t=_time_info(h, 0, None, h24=h >= 13 or m[1].startswith("0")))
    for m in _R_WORD_HM.finditer(s):
        if sc.free(m.start(), m.end()):
            h = _hour_val(m[1])
            mi = _MIN_WORDS.get(re.sub(r"\s+", " ", m[2]))
            if h is not None and mi is not None:
                add_t(m.start(), m.end(), t=_time_info(h, mi, None))
    for m in _R_OCLOCK.finditer(s):
        if sc.free(m.start(), m.end()):
            h = _hour_val(m[1])
            if h is not None:
                add_t(m.start(), m.end(), t=_time_info(h, 0, None))
    for m in _R_DOTTIME.finditer(s):
        if sc.free(m.start(), m.end()):
            h, mi = int(m[1]), int(m[2])
            add_t(m.start(), m.end(), t=_time_info(h, mi, None, h24=h >= 13 or m[1].startswith("0")))
    for m in _R_CTX_HOUR.finditer(s):
        if not sc.free(m.start(), m.end()):
            continue
        tok = m[2] or m[4]
        h = _hour_val(tok)
        if h is None or h > 23:
            continue
        if _bad_after(sc, m.end()):
            continue
        lead = (m[1] or "@").strip()
        if lead in ("maybe", "vielleicht", "how about", "what about", "by") and not tok.isdigit():
            continue
        if lead in ("maybe", "vielleicht", "how about", "what about") and re.match(r"\s*(?:of|people|more|less)", s[m.end():]):
            continue
        if not tok.isdigit() and re.match(r"\s*(?:more|other|another|of|or\s+two|day|week|time|thing)", s[m.end():]):
            continue
        if lead == "a la" and h != 1:
            continue
        approx = bool(m[3]) or lead.split()[0] in ("around", "about", "approx", "approx.", "approximately", "roughly",
                                                   "round", "circa", "ca", "ca.", "gegen", "so", "sobre", "hacia",
                                                   "como", "tipo", "a")
        if lead in ("at around", "at about", "a eso de las"):
            approx = True
        add_t(m.start(), m.end(), t=_time_info(h, 0, None, approx=approx))
    for m in _R_ISH.finditer(s):
        if sc.free(m.start(), m.end()):
            h = _hour_val(m[1])
            if h is not None and h <= 23:
                add_t(m.start(), m.end(), t=_time_info(h, 0, None, approx=True))
    for m in _R_NOON.finditer(s):
        if sc.free(m.start(), m.end()):
            approx = bool(m[1])
            if m[7] or m[8] or m[9]:
                add_t(m.start(), m.end(), t=_time_info(0, 0, None, h24=True, approx=approx))
            else:
                add_t(m.start(), m.end(), t=_time_info(12, 0, None, h24=True, approx=approx))


# parts of the day --------------------------------------------------------------------------------

_PERIODS: list[tuple[re.Pattern, str, tuple[time, time]]] = [(re.compile(p), name, (time(*a), time(*b))) for p, name, a, b in [
    (r"\bfirst\s+thing(?:\s+in\s+the\s+morning)?\b|\b(?:a\s+)?primera\s+hora(?:\s+de\s+la\s+manana)?\b(?!\s+de\s+la\s+tarde)"
     r"|\bgleich\s+(?:morgens|am\s+morgen|in\s+der\s+fruh)\b|\bals\s+erste[sr]?\b|\bin\s+aller\s+fruhe?\b"
     r"|\b(?:morgen\s+)?fruh\s+morgens\b", "first_thing", (8, 0), (10, 0)),
    (r"\bearly\s+(?:in\s+the\s+)?morning\b|\btemprano\s+(?:por|en)\s+la\s+manana\b|\b(?:por|en)\s+la\s+manana\s+temprano\b"
     r"|\bam\s+fruhen\s+morgen\b|\bfruhmorgens\b|\btemprano\b", "early_morning", (8, 0), (10, 0)),
    (r"\blate\s+(?:in\s+the\s+)?morning\b|\blater\s+in\s+the\s+morning\b|\b(?:a\s+)?media\s+manana\b"
     r"|\b(?:am\s+)?spaten\s+vormittag\b|\bspat\s+vormittags\b", "late_morning", (10, 30), (12, 0)),
    (r"\bmid[\s-]?morning\b", "mid_morning", (10, 0), (11, 30)),
    (r"\bbefore\s+(?:noon|lunch|midday)\b|\bantes\s+del\s+mediodia\b|\bvor\s+(?:dem\s+)?mittag(?:essen)?\b", "morning", (9, 0), (12, 0)),
    (r"\b(?:in\s+the\s+|the\s+|a\s+)?mornings?\b|\b(?:por|en|de|durante)\s+la\s+manana\b|\bmananas\b"
     r"|\b(?:am\s+)?vormittags?\b|\bmorgens\b|\b(?:am|heute)\s+morgen\b|\bin\s+der\s+fruh\b"
     r"|\bmorgen\s+fruh\b(?=x)x|\bfruh\b(?=\s*(?:um|gegen|$|[.,!?]))", "morning", (9, 0), (12, 0)),
    (r"\bafter\s+lunch\b|\bdespues\s+de(?:l)?\s+(?:comer|almuerzo|comida)\b|\bnach\s+dem\s+mittag(?:essen)?\b", "afternoon", (13, 0), (17, 0)),
    (r"\b(?:at\s+|over\s+|around\s+|during\s+)?lunch(?:\s*time|\s+hour|\s+break)?\b|\bmittagszeit\b|\bmittagspause\b|\bmittags\b"
     r"|\b(?:a\s+)?la\s+hora\s+de(?:l)?\s+(?:comer|almuerzo|comida)\b", "lunch", (11, 30), (13, 30)),
    (r"\bearly\s+(?:in\s+the\s+)?afternoon\b|\b(?:a\s+)?primera\s+hora\s+de\s+la\s+tarde\b|\b(?:am\s+)?fruhen\s+nachmittag\b"
     r"|\bfruher\s+nachmittag\b", "early_afternoon", (12, 0), (14, 0)),
    (r"\bmid[\s-]?afternoon\b", "mid_afternoon", (14, 0), (16, 0)),
    (r"\blate\s+(?:in\s+the\s+)?afternoon\b|\blater\s+in\s+the\s+afternoon\b|\b(?:a\s+)?ultima\s+hora\s+de\s+la\s+tarde\b"
     r"|\b(?:am\s+)?spaten\s+nachmittag\b|\bspater\s+nachmittag\b|\bend\s+of\s+(?:the\s+)?(?:business\s+)?day\b", "late_afternoon", (15, 0), (17, 0)),
    (r"\b(?:in\s+the\s+|the\s+|an\s+)?afternoons?\b|\b(?:por|en|de|durante)\s+la\s+tarde\b|\besta\s+tarde\b|\btardes\b"
     r"|\b(?:am\s+)?nachmittags?\b", "afternoon", (12, 0), (17, 0)),
    (r"\bafter\s+(?:work|school|hours)\b|\bdespues\s+del\s+trabajo\b|\bnach\s+der\s+arbeit\b|\bnach\s+feierabend\b", "evening", (17, 0), (21, 0)),
    (r"\b(?:in\s+the\s+|the\s+|an\s+)?evenings?\b|\btonight\b|\bat\s+night\b|\b(?:por|en|de|durante)\s+la\s+noche\b"
     r"|\besta\s+noche\b|\b(?:am\s+)?abends?\b", "evening", (17, 0), (21, 0)),
]]
_PERIOD_AMPM = {"first_thing": "am", "early_morning": "am", "late_morning": "am", "mid_morning": "am",
                "morning": "am", "lunch": None, "early_afternoon": "pm", "mid_afternoon": "pm",
                "late_afternoon": "pm", "afternoon": "pm", "evening": "pm"}


def _rule_periods(sc: _Scan) -> None:
    for rx, name, rng in _PERIODS:
        for m in rx.finditer(sc.s):
            if sc.free(m.start(), m.end()):
                sc.add("period", m.start(), m.end(), rng, name=name)


# --------------------------------------------------------------------------------------------------
# Preprocessing
# --------------------------------------------------------------------------------------------------


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


_R_MONTH_END = re.compile(r"\b(?:" + _MONTH_ALT + r")\.?\s*$")
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


# --------------------------------------------------------------------------------------------------
# Combination
# --------------------------------------------------------------------------------------------------

_GAP_ATTACH = re.compile(r"^[\s,.(/-]*(?:(?:the|den|el|le|am|on|der|, den)\s*)?[\s,.(]*$")
_TARGET_BEFORE = re.compile(
    r"\b(?:to|instead|into|auf|zum|al|para|a|for|nach|hacia|move\s+it\s+to|rather|lieber|mejor|"
    r"prefer|stattdessen|en\s+vez|better|how\s+about|what\s+about|can\s+we\s+do|could\s+we\s+do)\W*(?:\w+\W+){0,1}$")
#: "1pm instead of 10am", "3pm rather than 11am": the mention right after is the OLD value.
_OLD_BEFORE = re.compile(
    r"\b(?:instead\s+of|rather\s+than|en\s+lugar\s+de|en\s+vez\s+de|anstatt|statt|anstelle\s+von)"
    r"\W*(?:(?:the|my|el|la|las|der|die|dem|um|at|a)\W+)?$")
#: "from 2pm", "ab 12 Uhr", "a partir de las 3": a start time (the "after" range stays as a soft bound).
_FROM_START = re.compile(r"^(?:from|ab|a\s+partir\s+de|desde|starting(?:\s+at)?)\b")


def _resolve_time(ti: dict, global_ampm: str | None) -> time | None:
    """Turn a raw time mention into a time: am/pm, 24-hour forms, part of the day, then the default
    heuristic (1..7 -> afternoon, 8..11 -> morning, 12 -> noon)."""
    h, mi, ap = ti["h"], ti["m"], ti["ampm"]
    hint = _period_ampm(ti.get("period")) or global_ampm
    if mi > 59:
        return None
    if ap == "am":
        if h > 12:
            return None
        h = 0 if h == 12 else h
    elif ap == "pm":
        if h > 12:
            return None
        h = h if h == 12 else h + 12
    elif ti["h24"] or h >= 13 or h == 0:
        pass
    elif hint == "am":
        pass
    elif hint == "pm":
        h = h if h == 12 else h + 12
    elif 1 <= h <= 7:
        h += 12
    if h == 24:
        h = 0
    if not 0 <= h <= 23:
        return None
    return time(h, mi)


def _period_ampm(name: str | None) -> str | None:
    if name is None:
        return None
    if name in ("morning",):
        return "am"
    if name in ("afternoon", "evening"):
        return "pm"
    return _PERIOD_AMPM.get(name)


def _combine(sc: _Scan) -> When:
    today = sc.today
    ms = sorted(sc.mentions, key=lambda m: m.start)
    s = sc.s
    ambiguous = False
    used: list[_M] = []

    def gap(a: _M, b: _M) -> str:
        return s[a.end:b.start] if a.end <= b.start else s[b.end:a.start]

    month_ctx = [m for m in ms if m.kind == "drange" and m.info.get("src") == "month"]
    week_ctx = [m for m in ms if m.kind == "drange" and m.info.get("src") == "week"]

    # ordinals -> dates (within a month range mentioned nearby when there is one)
    for m in ms:
        if m.kind != "ordinal":
            continue
        hint = None
        if month_ctx:
            near = min(month_ctx, key=lambda r: abs(r.start - m.start))
            hint = near.info["month"]
            near.info["consumed"] = True
        d = _nearest_dom(today, m.value, hint)
        m.kind, m.value = ("date", d) if d else ("dead", None)
        m.info["src"] = "ordinal"

    dates = [m for m in ms if m.kind == "date"]
    weekdays = [m for m in ms if m.kind == "weekday"]

    # weekday next to a date -> check
    for w in weekdays:
        for d in dates:
            if _GAP_ATTACH.match(gap(w, d)) and (w.end <= d.start or "(" in s[d.end:w.start + 1] or d.end <= w.start):
                w.info["attached"] = d
                if d.value.weekday() != w.value:
                    ambiguous = True
                    d.info["wd_mismatch"] = True
                d.start, d.end = min(d.start, w.start), max(d.end, w.end)
                break

    # weekday + week range ("next week Thursday", "la semana que viene el jueves")
    for w in weekdays:
        if "attached" in w.info:
            continue
        if week_ctx and w.info.get("post") is None and w.info.get("mod") in (None, "on", "am", "el", "the"):
            r = week_ctx[0]
            start = r.value[0] - timedelta(days=r.value[0].weekday())
            d = start + timedelta(days=w.value)
            if d < today:
                d += timedelta(days=7)
            r.info["consumed"] = True
            nd = _M("date", min(w.start, r.start), max(w.end, r.end), d, {"src": "weekday", "wd": w.value})
            dates.append(nd)
            w.info["attached"] = nd
            continue
        # weekday inside a month range ("a Friday in December") -> weekday_only, no date
        if month_ctx and w.info.get("mod") in (None, "a", "any", "on", "the", "every", "el", "am"):
            w.info["in_range"] = True
            continue
        d, amb = _resolve_weekday(today, w.value, w.info.get("mod"), w.info.get("post"))
        nd = _M("date", w.start, w.end, d, {"src": "weekday", "wd": w.value, "amb": amb})
        dates.append(nd)
        w.info["attached"] = nd
    dates.sort(key=lambda m: m.start)

    # date ranges "from Dec 3 to Dec 5"
    date_range = None
    if len(dates) >= 2:
        for d1, d2 in zip(dates, dates[1:]):
            g = s[d1.end:d2.start]
            if re.fullmatch(r"\s*(?:-|to|until|till|through|thru|bis|hasta|al|a|and|y|und)\s*", g) and \
                    (re.search(r"\b(?:from|between|von|vom|zwischen|del|de|entre)\s*$", s[:d1.start]) or g.strip() in ("-", "through", "thru", "bis", "al")):
                if d1.value <= d2.value:
                    date_range = (d1.value, d2.value)
                    d1.info["in_drange"] = d2.info["in_drange"] = True
                    used += [d1, d2]
    dates_c = [d for d in dates if not d.info.get("in_drange")]

    # choose the primary date
    distinct = []
    for d in dates_c:
        if d.value not in [x.value for x in distinct]:
            distinct.append(d)
    times = [m for m in ms if m.kind == "time"]
    primary = None
    if len(distinct) == 1:
        primary = distinct[0]
    elif len(distinct) > 1:
        old_ones = [d for d in distinct if _OLD_BEFORE.search(s[max(0, d.start - 30):d.start])]
        targeted = [d for d in distinct if _TARGET_BEFORE.search(s[max(0, d.start - 30):d.start])
                    and d not in old_ones]
        if old_ones and len(old_ones) < len(distinct) and not targeted:
            targeted = [d for d in distinct if d not in old_ones][:1]
        if targeted:
            primary = targeted[-1]
        else:
            near_time = [d for d in distinct if any(
                0 <= t.start - d.end <= 14 or 0 <= d.start - t.end <= 8 for t in times)]
            if len(near_time) == 1:
                primary = near_time[0]
            else:
                primary = distinct[0]
                ambiguous = True
    if primary is not None:
        if primary.info.get("amb"):
            ambiguous = True
        used.append(primary)
        used += [d for d in dates_c if d.value == primary.value and d is not primary]
    other_dates = tuple(d.value for d in distinct if d is not primary)
    used += [d for d in dates_c if d is not primary and d.value in other_dates]

    # period(s)
    periods = [m for m in ms if m.kind == "period"]
    period_names = {p.info["name"] for p in periods}
    for d in dates_c:
        if d.info.get("period"):
            period_names.add(d.info["period"])
    ampms = {_period_ampm(n) for n in period_names} - {None}
    global_period = ampms.pop() if len(ampms) == 1 else None

    # times
    resolved: list[tuple[_M, time]] = []
    for t in times:
        tt = _resolve_time(t.info["t"], global_period)
        if tt is not None:
            resolved.append((t, tt))
    # "at 10 or 11"
    the_time = None
    approximate = False
    other_times: tuple[time, ...] = ()
    if resolved:
        dist = []
        for t, tt in resolved:
            if tt not in [x[1] for x in dist]:
                dist.append((t, tt))
        chosen = dist[0]
        if len(dist) > 1:
            old_ones = [x for x in dist if _OLD_BEFORE.search(s[max(0, x[0].start - 30):x[0].start])]
            targeted = [x for x in dist if _TARGET_BEFORE.search(s[max(0, x[0].start - 30):x[0].start])
                        and x not in old_ones]
            if old_ones and len(old_ones) < len(dist) and not targeted:
                targeted = [x for x in dist if x not in old_ones][:1]
            if targeted:
                chosen = targeted[-1]
            elif primary is not None:
                near = [x for x in dist if abs(x[0].start - primary.end) <= 20 or abs(primary.start - x[0].end) <= 12]
                if len(near) == 1:
                    chosen = near[0]
                else:
                    ambiguous = True
            else:
                ambiguous = True
        the_time = chosen[1]
        approximate = chosen[0].info["t"].get("approx", False)
        other_times = tuple(x[1] for x in dist if x is not chosen)
        used += [x[0] for x in resolved if x[1] == the_time or x[1] in other_times]

    # time range
    time_range = None
    tr = [m for m in ms if m.kind == "trange"]
    if tr and the_time is None:
        m = tr[0]
        if "bound" in m.info:
            t = _resolve_time(m.info["t"], global_period)
            if t is not None:
                time_range = (t, time(21, 0)) if m.info["bound"] == "after" else (time(7, 0), t)
                if time_range[0] >= time_range[1]:
                    time_range = None
                if m.info["bound"] == "after" and _FROM_START.match(s[m.start:m.end]):
                    the_time = t  # "from 2pm": the session starts then; the range is only a soft bound
        else:
            i1, i2 = dict(m.info["t1"]), dict(m.info["t2"])
            if i1["ampm"] is None and i2["ampm"] in ("am", "pm"):
                i1["ampm"] = i2["ampm"]
                t1, t2 = _resolve_time(i1, global_period), _resolve_time(i2, global_period)
                if t1 and t2 and t1 > t2 and i2["ampm"] == "pm":
                    i1["ampm"] = "am"
                    t1 = _resolve_time(i1, global_period)
            else:
                t1 = _resolve_time(i1, global_period)
                if t1 is not None and i2["ampm"] is None and not i2["h24"] and i2["h"] < 12:
                    # "between 10 and 2" -> 10:00-14:00; "between 1 and 3" -> 13:00-15:00
                    t2c = time(i2["h"], i2["m"])
                    t2 = t2c if t2c > t1 else time(min(i2["h"] + 12, 23), i2["m"])
                else:
                    t2 = _resolve_time(i2, global_period)
            if t1 is not None and t2 is not None and t1 < t2:
                time_range = (t1, t2)
                if _FROM_START.match(s[m.start:m.end]):
                    the_time = t1  # "from 2pm until 10pm": starts at 2; the range stays as a soft bound
        if time_range:
            used.append(m)
    if time_range is None and the_time is None:
        ps = [p for p in periods]
        if ps:
            # the most specific (shortest) period wins
            p = min(ps, key=lambda p: (datetime.combine(today, p.value[1]) - datetime.combine(today, p.value[0])))
            time_range = p.value
            used.append(p)
        else:
            for d in dates_c:
                if d.info.get("period") and d is primary:
                    time_range = {"morning": (time(9), time(12)), "afternoon": (time(12), time(17)),
                                  "evening": (time(17), time(21))}[d.info["period"]]
    if the_time is not None or time_range is not None:
        used += [p for p in periods if p not in used]

    # date range
    dr_all = [m for m in ms if m.kind == "drange" and not m.info.get("consumed")]
    if date_range is None and dr_all:
        r = dr_all[0]
        if primary is None or not (r.value[0] <= primary.value <= r.value[1]):
            date_range = r.value
        if r.info.get("ambiguous"):
            ambiguous = True
        used.append(r)
    for m in ms:
        if m.kind == "drange" and m.info.get("consumed"):
            used.append(m)

    weekday_only = None
    if primary is not None and primary.info.get("src") == "weekday":
        weekday_only = primary.info["wd"]
    in_range_wd = [w for w in weekdays if w.info.get("in_range")]
    if primary is None and in_range_wd:
        weekday_only = in_range_wd[0].value
        used.append(in_range_wd[0])
    for w in weekdays:
        if w.info.get("plural") and "attached" in w.info and w.info["attached"] is primary:
            pass

    explicit = primary is not None and primary.info.get("src") == "calendar"

    # matched text, in order, without duplicates or overlaps
    spans: list[tuple[int, int]] = []
    for m in sorted(used, key=lambda m: m.start):
        if spans and m.start < spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], m.end))
        else:
            spans.append((m.start, m.end))
    matched = [sc.f.orig(a, b).strip(" ,.(") for a, b in spans]
    matched = [x for x in matched if x]

    return When(
        date=primary.value if primary is not None else None,
        time=the_time,
        time_range=time_range,
        date_range=date_range,
        weekday_only=weekday_only,
        explicit=explicit,
        matched_text=matched,
        ambiguous=ambiguous,
        approximate=approximate,
        other_dates=other_dates,
        other_times=other_times,
    )


# --------------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------------


def _local_today(now: datetime, tz: str) -> date:
    zone = ZoneInfo(tz)
    if now.tzinfo is None:
        now = now.replace(tzinfo=zone)
    return now.astimezone(zone).date()


def parse_when(text: str, now: datetime, tz: str, lang: str | None = None, *, fallback: bool = False) -> When:
    """Extract the date/time a client talks about (see module doc for the conventions)."""
    if not text or not text.strip():
        return When()
    if lang is None:
        from .language import detect_language

        lang = detect_language(text)
    today = _local_today(now, tz)
    f = _repair(_mask(fold(text[:4000])))
    sc = _Scan(f, today, lang)
    _rule_numeric_dates(sc)
    _rule_month_dates(sc)
    _rule_week_of(sc)
    _rule_relative_days(sc)
    _rule_holidays(sc)
    _rule_ranges(sc)
    _rule_weekdays(sc)
    _rule_times(sc)
    _rule_ordinals(sc)
    _rule_periods(sc)
    result = _combine(sc)
    if fallback and result.is_empty:
        result = _dateparser_fallback(text, now, tz, lang) or result
    return result


def _dateparser_fallback(text: str, now: datetime, tz: str, lang: str) -> When | None:  # pragma: no cover
    try:
        from dateparser.search import search_dates
    except Exception:
        return None
    zone = ZoneInfo(tz)
    base = now.astimezone(zone).replace(tzinfo=None) if now.tzinfo else now
    found = search_dates(text, languages=[lang], settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "future"})
    if not found:
        return None
    snippet, dt = found[0]
    t = dt.time() if (dt.hour, dt.minute) != (0, 0) else None
    return When(date=dt.date(), time=t, matched_text=[snippet], ambiguous=True)


_MW_NOW = datetime(2026, 1, 7, 12, 0)


def mentions_when(text: str, lang: str | None = None) -> bool:
    """True when the text mentions any date, time, weekday or part of the day."""
    return not parse_when(text, _MW_NOW, "UTC", lang).is_empty
