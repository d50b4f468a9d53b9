"""Rules for days relative to today: "tomorrow", "in two weeks", "3 days from Friday", and weekdays
("Thursday", "next Friday", "el jueves que viene", "nächsten Freitag") with their modifiers.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from .daymath import _next_weekday, _week_start
from .scan import _Scan
from .vocabulary import _COUNT_ALT, _COUNT_WORDS, _DE_WD_ABBR, _MONTH_ALT, _WD_ALT, _WD_CONTEXT, WEEKDAYS

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

