"""Language detection for client messages: English, Spanish or German.

Stop-word and keyword scoring on the folded text plus a few character hints (``ñ``, ``¿``, ``ß``,
umlauts). E-mail addresses, URLs and capitalised words inside a sentence (proper names) are not
scored, unless the word is a German noun of the keyword table. Built for short texting-style messages ("sí", "passt", "tmrw 11am?"). Ties and messages
without any signal resolve to English.
"""

from __future__ import annotations

import re

from ._text import fold_str

__all__ = ["detect_language", "language_scores", "LANGUAGES"]

LANGUAGES = ("en", "es", "de")

# weight 1: ordinary stop words; weight 2-3: words that are very specific for the language.
_EN = {
    1: "the a an and or but to of in on at for with is are was be i you we my your our it this that "
       "have has do does can could would will me us am pm if so just please pls plz u ur".split(),
    2: "hi hey hello thanks thank yes yeah yep nope what when where which how much many would like "
       "book booking session shoot tomorrow today next week weekend morning afternoon evening "
       "monday tuesday wednesday thursday friday saturday sunday january february march april june july "
       "august september october november december there their they them about available time times "
       "works work price cost i'm i'd i'll it's that's don't can't want need looking any".split(),
    3: "tmrw thx ty gonna wanna".split(),
}
_ES = {
    1: "el la los las un una y o de del en con por para es son mi tu su lo le se al".split(),
    2: "hola gracias que quiero quisiera necesito tienen tiene puedo podemos cuanto cuesta precio "
       "manana tarde noche semana proxima proximo lunes martes miercoles jueves viernes sabado "
       "domingo enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
       "diciembre cita sesion fotos boda familia retrato si claro vale perfecto bueno buenos buenas "
       "dias hora horas esta este estoy somos nosotros usted pero tambien cuando donde como "
       "disponibilidad llamo soy reservar cancelar cambiar mejor pago dia".split(),
    3: "porque pasado hoy ninos adios muchas saludos quiero".split(),
}
_DE = {
    1: "der die das den dem des ein eine einen und oder zu mit von im am um ist sind ich sie wir es "
       "nicht auch auf fur bei".split(),
    2: "hallo danke bitte ja nein gerne gern passt genau morgen heute ubermorgen nachste nachsten "
       "woche montag dienstag mittwoch donnerstag freitag samstag sonntag januar februar marz mai "
       "juni juli oktober dezember uhr termin termine buchen kostet kosten preis hochzeit familie "
       "portrat mochte mochten haben hatte konnen konnte wann wie was wo welche vormittag nachmittag "
       "abend abends morgens halb viertel lieber stattdessen heisse name ist mein meine ihr ihre "
       "anzahlung verschieben absagen stornieren gruss grusse vielen dank freie frei klar".split(),
    3: "guten tschuss moin servus bisschen leider doch".split(),
}

_TABLES: dict[str, dict[str, int]] = {}
for _lang, _table in (("en", _EN), ("es", _ES), ("de", _DE)):
    d: dict[str, int] = {}
    for w, words_ in _table.items():
        for word in words_:
            d[word] = max(d.get(word, 0), w)
    _TABLES[_lang] = d

# words shared across languages that should not count for either
_NEUTRAL = {"ok", "okay", "super", "perfect", "hotel", "no", "si", "so", "die"}
_NEUTRAL -= {"die"}  # "die" is German enough in practice

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")

_ES_CHARS = re.compile("[ñ¿¡]|[áéíóú]")
_DE_CHARS = re.compile("[äöüß]")
_ES_SUFFIX = re.compile(r"(?:cion|ciones|mente|ado|ada|idad)$")
_DE_SUFFIX = re.compile(r"(?:ung|ungen|lich|keit|heit|chen|schaft)$")


_ADDRESS = re.compile(r"\S+@\S+|https?://\S+|www\.\S+")
_MID_CAP = re.compile(r"(?<=[^\s.!?:¿¡\n])(\s+)([A-ZÀ-ÖØ-Þ][\w'’-]*)")


def _drop_names(text: str) -> str:
    """Blank e-mail addresses, URLs and capitalised words inside a sentence (proper names such as
    "Kim Park", "Boulder Creek Event Center", "Müller"), except words that are German nouns of the
    keyword table ("Termin", "Uhr", "Hochzeit"): names carry no language."""
    text = _ADDRESS.sub(" ", text)

    def repl(m: re.Match) -> str:
        word = m.group(2)
        if word.isupper() and len(word) > 1:
            return m.group(0)  # all caps: shouting, not a name
        if _TABLES["de"].get(fold_str(word)) or _DE_SUFFIX.search(fold_str(word)):
            return m.group(0)
        return m.group(1) + " "
    return _MID_CAP.sub(repl, text)


def language_scores(text: str) -> dict[str, float]:
    """Raw scores per language (useful for debugging and for mixed messages)."""
    scores = {"en": 0.0, "es": 0.0, "de": 0.0}
    if not text:
        return scores
    text = _drop_names(text)
    lowered = text.lower()
    scores["es"] += 1.5 * len(_ES_CHARS.findall(lowered))
    scores["de"] += 1.5 * len(_DE_CHARS.findall(lowered))
    folded = fold_str(text)
    # texting English "im Kim Park" / "im marcus" is "I'm", not German "im"
    if re.match(r"\s*im\s", text):
        scores["en"] += 2
        folded = folded.replace("im", "", 1)
    for w in _WORD.findall(folded):
        if w in _NEUTRAL:
            continue
        for lang in LANGUAGES:
            s = _TABLES[lang].get(w)
            if s:
                scores[lang] += s
        if len(w) > 5:
            if _ES_SUFFIX.search(w):
                scores["es"] += 0.5
            if _DE_SUFFIX.search(w):
                scores["de"] += 0.5
    # bare "si"/"no" replies: "si" is Spanish, "no" is neutral
    if re.fullmatch(r"\W*s[ií]\W*(?:,.*)?", lowered):
        scores["es"] += 2
    return scores


def detect_language(text: str) -> str:
    """Return "en", "es" or "de" (default "en")."""
    scores = language_scores(text)
    best = max(LANGUAGES, key=lambda lang: (scores[lang], lang == "en"))
    if scores[best] <= 0:
        return "en"
    if best != "en" and scores[best] <= scores["en"]:
        return "en"
    return best
