"""Rules for times of day: clock times in every usual notation, ranges and bounds, and the English,
Spanish and German ways of saying them ("quarter past ten", "a las tres y media", "halb drei").

Each rule reads one notation; ``TIME_RULES`` is their order (earlier, more specific notations claim
their words first). Hours are kept raw here (``_time_info``); am/pm is decided when the mentions are
combined, because a part of the day elsewhere in the message may decide it.
"""

from __future__ import annotations

import re

from .scan import _Scan
from .vocabulary import _COUNT_UNITS, _HOURW_ALT, _MIN_WORDS, _MINW_ALT, _NUM_WORDS, _WD_ALT, MONTHS, WEEKDAYS, _alt

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


def _add_time(sc: _Scan, a: int, b: int, **info: object) -> None:
    sc.add("time", a, b, None, **info)


def _time_ranges(sc: _Scan) -> None:
    """Explicit ranges: "between 10 and 2", "von 10 bis 12", "10-12am" (a bare range needs am/pm or minutes)."""
    s = sc.s
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


def _either_time(sc: _Scan) -> None:
    """"at 10 or 11", "3/4pm": two candidate times (the first takes the second's am/pm)."""
    s = sc.s
    for m in _R_OR_TIMES.finditer(s):
        if not sc.free(m.start(), m.end()) or not (m[1] or m[4] or m[7] or m[3] or m[6]):
            continue
        h1, h2 = int(m[2]), int(m[5])
        if h1 > 23 or h2 > 23 or _bad_after(sc, m.end()):
            continue
        a1, a2 = _ampm_of(m[4]), _ampm_of(m[7])
        if a1 is None and a2 in ("am", "pm") and h1 <= 12:
            a1 = a2
        _add_time(sc, m.start(), max(m.end(2), m.end(3) if m[3] else 0, m.end(4) if m[4] else 0), t=_time_info(h1, int(m[3] or 0), a1 if a1 != "24" else None, h24=h1 >= 13))
        _add_time(sc, m.start(5), m.end(), t=_time_info(h2, int(m[6] or 0), a2 if a2 != "24" else None, h24=h2 >= 13))


def _hh_mm(sc: _Scan) -> None:
    """"10:30", "14:00 Uhr", "9:15 am" (a leading zero or an hour of 13+ is a 24-hour time)."""
    s = sc.s
    for m in _R_HHMM.finditer(s):
        if sc.free(m.start(), m.end()):
            h, mi = int(m[1]), int(m[2])
            ap = _ampm_of(m[3])
            _add_time(sc, m.start(), m.end(), t=_time_info(h, mi, ap if ap != "24" else None,
                                                   h24=(ap == "24" or m[1].startswith("0") or h >= 13)))


def _h_mm(sc: _Scan) -> None:
    """"10h30"."""
    s = sc.s
    for m in _R_HhMM.finditer(s):
        if sc.free(m.start(), m.end()):
            _add_time(sc, m.start(), m.end(), t=_time_info(int(m[1]), int(m[2]), None, h24=True))


def _compact(sc: _Scan) -> None:
    """"at 1030", "@1430", "1030am", "1430h"."""
    s = sc.s
    for m in _R_COMPACT.finditer(s):
        if not sc.free(m.start(), m.end()):
            continue
        if m[1] is not None:
            h, mi, ap = int(m[1]), int(m[2]), None
            if _bad_after(sc, m.end()):
                continue
        else:
            h, mi, ap = int(m[3]), int(m[4]), _ampm_of(m[5])
        _add_time(sc, m.start(), m.end(), t=_time_info(h, mi, ap if ap != "24" else None,
                                               h24=(ap == "24" or h >= 13 or (m[1] or m[3]).startswith("0"))))


def _english_clock(sc: _Scan) -> None:
    """"quarter past ten", "ten to four", "20 minutes past 3"."""
    s = sc.s
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
            _add_time(sc, m.start(), m.end(), t=_time_info(h, mins, None))
        else:
            w = re.sub(r"\s+", " ", m[3]).replace(" minutes", "")
            mins = 15 if "quarter" in w else (int(w) if w.isdigit() else _MIN_WORDS.get(w))
            if not mins:
                continue
            h2 = (h - 1) % 24 or (12 if h == 1 else 0)
            _add_time(sc, m.start(), m.end(), t=_time_info(h2, 60 - mins, None))


def _german_clock(sc: _Scan) -> None:
    """"halb drei" (2:30), "viertel nach vier", "viertel vor vier", "dreiviertel vier"."""
    s = sc.s
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
        _add_time(sc, m.start(), m.end(), t=_time_info(hh, mi, None, approx=approx))


def _after_before(sc: _Scan) -> None:
    """"after 3", "ab 10 Uhr", "before 5", "no later than 4": a soft bound ("by 3" is not one)."""
    s = sc.s
    for rx, kind in ((_R_AFTER, "after"), (_R_BEFORE, "before")):
        for m in rx.finditer(s):
            if not sc.free(m.start(), m.end()):
                continue
            h = _hour_val(m[1])
            if h is None or h > 24:
                continue
            ap = _ampm_of(m[3])
            if ap is None and not m[2] and _bad_after(sc, m.end()):
                continue
            if m[0].split()[0] == "by":  # "by 3" is a deadline, not a time to start
                continue
            sc.add("trange", m.start(), m.end(), None, t=_time_info(h, int(m[2] or 0), ap), bound=kind)


def _english_half(sc: _Scan) -> None:
    """"at half two" (British: 2:30)."""
    s = sc.s
    for m in _R_EN_HALF.finditer(s):
        if sc.free(m.start(), m.end()):
            h = _hour_val(m[1])
            if h is not None and not _bad_after(sc, m.end()):
                _add_time(sc, m.start(), m.end(), t=_time_info(h, 30, None))


def _spanish_clock(sc: _Scan) -> None:
    """"a las tres y media", "la una", "a las 5 de la tarde", "las 10 menos cuarto"."""
    s = sc.s
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
        _add_time(sc, m.start(), m.end(), t=_time_info(h, mi, None, approx=approx, period=period))


def _short_ampm(sc: _Scan) -> None:
    """"3p", "10:30a"."""
    s = sc.s
    for m in _R_AP_SHORT.finditer(s):
        if sc.free(m.start(), m.end()):
            h = int(m[1])
            if 1 <= h <= 12:
                _add_time(sc, m.start(), m.end(), t=_time_info(h, int(m[2] or 0), "am" if m[3] == "a" else "pm"))


def _hour_ampm(sc: _Scan) -> None:
    """"3pm", "10 a.m.", "four o'clock pm"."""
    s = sc.s
    for m in _R_H_AMPM.finditer(s):
        if sc.free(m.start(), m.end()):
            h = _hour_val(m[1])
            ap = _ampm_of(m[2])
            if h is None or h > 12 or h == 0:
                continue
            if ap == "am" and re.match(r"\s+[a-z]", s[m.end():]) and sc.lang == "de":
                continue
            _add_time(sc, m.start(), m.end(), t=_time_info(h, 0, ap))


def _uhr(sc: _Scan) -> None:
    """"15 Uhr", "10 Uhr 30"."""
    s = sc.s
    for m in _R_UHR.finditer(s):
        if sc.free(m.start(), m.end()):
            h = _hour_val(m[1])
            if h is None:
                continue
            _add_time(sc, m.start(), m.end(), t=_time_info(h, int(m[2] or 0), None, h24=h >= 13 or m[1].startswith("0")))


def _hour_h(sc: _Scan) -> None:
    """"15h" (not "a 2h session" or "for 2h")."""
    s = sc.s
    for m in _R_NH.finditer(s):
        if not sc.free(m.start(), m.end()):
            continue
        if re.search(r"\b(?:for|para|fur|durante|a|an|per|every|each|cada|alle|je)\s*$", sc.before(m.start(), 10)):
            continue
        h = int(m[1])
        _add_time(sc, m.start(), m.end(), t=_time_info(h, 0, None, h24=h >= 13 or m[1].startswith("0")))


def _word_hour_minutes(sc: _Scan) -> None:
    """"at ten thirty", "around five forty-five"."""
    s = sc.s
    for m in _R_WORD_HM.finditer(s):
        if sc.free(m.start(), m.end()):
            h = _hour_val(m[1])
            mi = _MIN_WORDS.get(re.sub(r"\s+", " ", m[2]))
            if h is not None and mi is not None:
                _add_time(sc, m.start(), m.end(), t=_time_info(h, mi, None))


def _oclock(sc: _Scan) -> None:
    """"ten o'clock"."""
    s = sc.s
    for m in _R_OCLOCK.finditer(s):
        if sc.free(m.start(), m.end()):
            h = _hour_val(m[1])
            if h is not None:
                _add_time(sc, m.start(), m.end(), t=_time_info(h, 0, None))


def _dot_time(sc: _Scan) -> None:
    """"10.30" (not a price, a percentage or a distance)."""
    s = sc.s
    for m in _R_DOTTIME.finditer(s):
        if sc.free(m.start(), m.end()):
            h, mi = int(m[1]), int(m[2])
            _add_time(sc, m.start(), m.end(), t=_time_info(h, mi, None, h24=h >= 13 or m[1].startswith("0")))


def _context_hour(sc: _Scan) -> None:
    """A bare hour after a word that makes it a time: "at 3", "around 4ish", "um 10", "a las 5", "@3"."""
    s = sc.s
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
        _add_time(sc, m.start(), m.end(), t=_time_info(h, 0, None, approx=approx))


def _ish(sc: _Scan) -> None:
    """"10ish" (approximate)."""
    s = sc.s
    for m in _R_ISH.finditer(s):
        if sc.free(m.start(), m.end()):
            h = _hour_val(m[1])
            if h is not None and h <= 23:
                _add_time(sc, m.start(), m.end(), t=_time_info(h, 0, None, approx=True))


def _noon_midnight(sc: _Scan) -> None:
    """"noon", "midday", "mediodia", "um Mittag", "midnight", "Mitternacht"."""
    s = sc.s
    for m in _R_NOON.finditer(s):
        if sc.free(m.start(), m.end()):
            approx = bool(m[1])
            if m[7] or m[8] or m[9]:
                _add_time(sc, m.start(), m.end(), t=_time_info(0, 0, None, h24=True, approx=approx))
            else:
                _add_time(sc, m.start(), m.end(), t=_time_info(12, 0, None, h24=True, approx=approx))


#: The order the time notations are read in.
TIME_RULES = (
    _time_ranges,
    _either_time,
    _hh_mm,
    _h_mm,
    _compact,
    _english_clock,
    _german_clock,
    _after_before,
    _english_half,
    _spanish_clock,
    _short_ampm,
    _hour_ampm,
    _uhr,
    _hour_h,
    _word_hour_minutes,
    _oclock,
    _dot_time,
    _context_hour,
    _ish,
    _noon_midnight,
)


def _rule_times(sc: _Scan) -> None:
    for rule in TIME_RULES:
        rule(sc)
