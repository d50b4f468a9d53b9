"""Parts of the day: "in the morning", "first thing", "de la tarde", "nachmittags", "after work" ...

Each has a time range (the most specific one mentioned becomes the time range when no time is given)
and decides am/pm for bare hours elsewhere in the message ("at 4 in the morning" stays 04:00).
"""

from __future__ import annotations

import re
from datetime import time

from .scan import _Scan

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



def _period_ampm(name: str | None) -> str | None:
    if name is None:
        return None
    if name in ("morning",):
        return "am"
    if name in ("afternoon", "evening"):
        return "pm"
    return _PERIOD_AMPM.get(name)
