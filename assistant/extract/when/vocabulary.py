"""The words dates and times are written with, per language (English, Spanish, German).

Texts are folded before matching (lower case, no diacritics: "miércoles" -> "miercoles", "März" ->
"marz"), so every word here is folded too. The merged tables (``WEEKDAYS``, ``MONTHS`` ...) are what
the rules use; the ``*_ALT`` strings are regular-expression alternations of them, longest first.
"""

from __future__ import annotations

import re
from typing import Iterable

LANGUAGES = ("en", "de", "es")

#: Weekday words per language, Monday first (several spellings and plurals per day).
WEEKDAY_WORDS: dict[str, list[str]] = {
    "en": ["monday mondays mon", "tuesday tuesdays tue tues", "wednesday wednesdays wed weds",
           "thursday thursdays thu thur thurs", "friday fridays fri", "saturday saturdays sat", "sunday sundays sun"],
    "de": ["montag montags", "dienstag dienstags", "mittwoch mittwochs", "donnerstag donnerstags",
           "freitag freitags", "samstag samstags sonnabend", "sonntag sonntags"],
    "es": ["lunes", "martes", "miercoles", "jueves", "viernes", "sabado sabados", "domingo domingos"],
}
#: Month words per language, January first (German and English share "april", "august", "september" ...).
MONTH_WORDS: dict[str, list[str]] = {
    "en": ["january jan", "february feb", "march mar", "april apr", "may", "june jun", "july jul", "august aug",
           "september sep sept", "october oct", "november nov", "december dec"],
    "de": ["januar janner", "februar", "marz maerz", "", "mai", "juni", "juli", "", "", "oktober okt", "",
           "dezember dez"],
    "es": ["enero ene", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto ago",
           "septiembre setiembre", "octubre", "noviembre", "diciembre dic"],
}

WEEKDAYS: dict[str, int] = {}
for _i in range(7):
    for _lang in LANGUAGES:
        for _n in WEEKDAY_WORDS[_lang][_i].split():
            WEEKDAYS[_n] = _i
MONTHS: dict[str, int] = {}
for _i in range(12):
    for _lang in LANGUAGES:
        for _n in MONTH_WORDS[_lang][_i].split():
            MONTHS[_n] = _i + 1

# weekday words that need context (they are ordinary words too)
_WD_CONTEXT = {"sat", "sun"}
#: German weekday abbreviations, only before a date ("Fr., 4.12.").
_DE_WD_ABBR = {"mo": 0, "di": 1, "mi": 2, "do": 3, "fr": 4, "sa": 5, "so": 6}

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

#: Hour numbers written as words.
_NUM_WORDS_BY_LANG: dict[str, dict[str, int]] = {
    "en": {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
           "nine": 9, "ten": 10, "eleven": 11, "twelve": 12},
    "es": {"una": 1, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
           "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12},
    "de": {"eins": 1, "ein": 1, "zwei": 2, "zwo": 2, "drei": 3, "vier": 4, "funf": 5, "fuenf": 5,
           "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11, "zwolf": 12, "zwoelf": 12},
}
_NUM_WORDS: dict[str, int] = {w: v for lang in ("en", "es", "de") for w, v in _NUM_WORDS_BY_LANG[lang].items()}
#: Minutes written as words (English: "ten thirty", "five oh five").
_MIN_WORDS = {
    "oh five": 5, "o five": 5, "oh-five": 5, "five": 5, "ten": 10, "fifteen": 15, "twenty": 20,
    "twenty five": 25, "twenty-five": 25, "thirty": 30, "thirty five": 35, "thirty-five": 35,
    "forty": 40, "forty five": 45, "forty-five": 45, "fifty": 50, "fifty five": 55, "fifty-five": 55,
}
#: Counts before "days"/"weeks" ("in two weeks", "en dos semanas", "in zwei Wochen").
_COUNT_WORDS_BY_LANG: dict[str, dict[str, int]] = {
    "en": {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
           "eight": 8, "nine": 9, "ten": 10, "couple of": 2, "couple": 2},
    "es": {"un": 1, "una": 1, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6},
    "de": {"einer": 1, "einem": 1, "eine": 1, "zwei": 2, "drei": 3, "vier": 4, "funf": 5, "sechs": 6},
}
_COUNT_WORDS: dict[str, int] = {w: v for lang in ("en", "es", "de") for w, v in _COUNT_WORDS_BY_LANG[lang].items()}

#: Days of the month written as words: English ordinals, Spanish numbers, German ordinals.
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

#: Units after a number that make it a count, not a date or time ("2 people", "120 guests", "2 hours").
_COUNT_UNITS = (
    r"people|persons?|pax|guests?|kids?|children|child|adults?|babies|baby|toddlers?|teens?|images?|photos?|"
    r"pictures?|pics?|looks?|outfits?|edits?|shots?|prints?|albums?|hours?|hrs?|minutes?|mins?|min|"
    r"personas?|ninos?|ninas?|hijos?|hijas?|invitados?|adultos?|fotos?|imagenes|horas?|minutos?|"
    r"personen|gaste|gasten|kinder|kindern|kind|erwachsene|bilder|leute|stunden?|minuten|"
    r"years?\s+old|anos|jahre|months?\s+old|of\s+us|stars?|dogs?|cats?|pets?|x\b|ppl|"
    r"times|veces|mal\b|members?|employees?|team\s+members|miembros|mitarbeiter|"
    r"sq\s*ft|miles?|mi\b|km\b|kilometers?|meters?|m\b|percent"
)
