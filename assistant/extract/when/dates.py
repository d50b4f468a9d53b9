"""Rules for calendar dates: numeric ("12/3", "3.12.2026", ISO), with a month name ("December 3rd",
"3 de diciembre", "am 3. Dezember"), a day of the month alone ("the 12th", "el 12", "am 12."),
holidays ("Christmas Eve", "before Thanksgiving") and "the week of <date>".
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from .daymath import _month_range, _next_md, _safe_date, _week_start, _ymd
from .scan import _Scan
from .vocabulary import _DAYW_ALT, _DE_ORD, _EN_ORD, _ES_DAYNUM, _MONTH_ALT, _WD_ALT, MONTHS, _alt

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
