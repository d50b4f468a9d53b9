"""Rules for ranges of days: weekends, weeks ("next week", "late this week", "la semana que viene"),
months and parts of months ("early December", "a mediados de enero", "next month").
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from .daymath import _month_end, _month_range, _next_weekday, _week_start
from .scan import _Scan
from .vocabulary import _MONTH_ALONE_OK, _MONTH_ALT, _MONTH_PREP_OK, MONTHS

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
