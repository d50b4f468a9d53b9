"""Combine the mentions the rules found into one ``When``.

An ordered list of small steps (``STEPS``) over a shared working state (``_Combination``); each step
reads what the steps before it decided:

1. days of the month alone become dates, inside a month mentioned nearby ("the 12th of next month");
2. a weekday next to a date is checked against it (the date wins; ``ambiguous`` when they disagree);
3. other weekdays become dates: inside a mentioned week ("next week Thursday"), as a weekday only
   inside a mentioned month ("a Friday in December"), else on their own ("next Friday");
4. "from Dec 3 to Dec 5" is a date range;
5. the primary date: the one after "to"/"instead"/"auf"/"al", else the one next to a time, else the
   first (``ambiguous``); a date after "instead of" is the old one;
6. a part of the day anywhere decides am/pm for bare hours;
7. the time, chosen among the times like the date;
8. a time range ("between 10 and 2", "after 3"), or the most specific part of the day;
9. a mentioned range of days, unless the date lies in it;
10. a weekday alone ("Fridays in December").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Callable

from .daymath import _nearest_dom
from .periods import _period_ampm
from .relative import _resolve_weekday
from .result import When
from .scan import _M, _Scan

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


@dataclass
class _Combination:
    """The working state of one combination; each step fills in what it decides."""

    sc: _Scan
    ms: list[_M]  # every mention, in text order
    ambiguous: bool = False
    used: list[_M] = field(default_factory=list)  # the mentions quoted in ``matched_text``
    month_ctx: list[_M] = field(default_factory=list)  # mentioned months ("in December")
    week_ctx: list[_M] = field(default_factory=list)  # mentioned weeks ("next week")
    dates: list[_M] = field(default_factory=list)
    weekdays: list[_M] = field(default_factory=list)
    date_range: tuple[date, date] | None = None
    dates_c: list[_M] = field(default_factory=list)  # the dates that are not ends of a date range
    distinct: list[_M] = field(default_factory=list)  # ... one per distinct day
    times: list[_M] = field(default_factory=list)
    primary: _M | None = None
    other_dates: tuple[date, ...] = ()
    periods: list[_M] = field(default_factory=list)
    global_period: str | None = None
    resolved: list[tuple[_M, time]] = field(default_factory=list)
    the_time: time | None = None
    approximate: bool = False
    other_times: tuple[time, ...] = ()
    time_range: tuple[time, time] | None = None
    weekday_only: int | None = None

    @property
    def s(self) -> str:
        return self.sc.s

    @property
    def today(self) -> date:
        return self.sc.today

    def gap(self, a: _M, b: _M) -> str:
        return self.s[a.end:b.start] if a.end <= b.start else self.s[b.end:a.start]


def _find_context(c: _Combination) -> None:
    """Months and weeks mentioned as ranges give context to days and weekdays."""
    c.month_ctx = [m for m in c.ms if m.kind == "drange" and m.info.get("src") == "month"]
    c.week_ctx = [m for m in c.ms if m.kind == "drange" and m.info.get("src") == "week"]


def _ordinals_to_dates(c: _Combination) -> None:
    """"the 12th" is the next 12th, or the 12th of the month mentioned nearby (which it consumes)."""
    for m in c.ms:
        if m.kind != "ordinal":
            continue
        hint = None
        if c.month_ctx:
            near = min(c.month_ctx, key=lambda r: abs(r.start - m.start))
            hint = near.info["month"]
            near.info["consumed"] = True
        d = _nearest_dom(c.today, m.value, hint)
        m.kind, m.value = ("date", d) if d else ("dead", None)
        m.info["src"] = "ordinal"
    c.dates = [m for m in c.ms if m.kind == "date"]
    c.weekdays = [m for m in c.ms if m.kind == "weekday"]


def _check_weekdays_against_dates(c: _Combination) -> None:
    """"Thursday, December 3": the weekday belongs to the date; ``ambiguous`` when they disagree."""
    s = c.s
    for w in c.weekdays:
        for d in c.dates:
            if _GAP_ATTACH.match(c.gap(w, d)) and (w.end <= d.start or "(" in s[d.end:w.start + 1] or d.end <= w.start):
                w.info["attached"] = d
                if d.value.weekday() != w.value:
                    c.ambiguous = True
                    d.info["wd_mismatch"] = True
                d.start, d.end = min(d.start, w.start), max(d.end, w.end)
                break


def _weekdays_to_dates(c: _Combination) -> None:
    """The other weekdays: inside a mentioned week, a weekday only inside a mentioned month, else alone."""
    for w in c.weekdays:
        if "attached" in w.info:
            continue
        # weekday + week range ("next week Thursday", "la semana que viene el jueves")
        if c.week_ctx and w.info.get("post") is None and w.info.get("mod") in (None, "on", "am", "el", "the"):
            r = c.week_ctx[0]
            start = r.value[0] - timedelta(days=r.value[0].weekday())
            d = start + timedelta(days=w.value)
            if d < c.today:
                d += timedelta(days=7)
            r.info["consumed"] = True
            nd = _M("date", min(w.start, r.start), max(w.end, r.end), d, {"src": "weekday", "wd": w.value})
            c.dates.append(nd)
            w.info["attached"] = nd
            continue
        # weekday inside a month range ("a Friday in December") -> weekday_only, no date
        if c.month_ctx and w.info.get("mod") in (None, "a", "any", "on", "the", "every", "el", "am"):
            w.info["in_range"] = True
            continue
        d, amb = _resolve_weekday(c.today, w.value, w.info.get("mod"), w.info.get("post"))
        nd = _M("date", w.start, w.end, d, {"src": "weekday", "wd": w.value, "amb": amb})
        c.dates.append(nd)
        w.info["attached"] = nd
    c.dates.sort(key=lambda m: m.start)


def _dates_from_to(c: _Combination) -> None:
    """"from Dec 3 to Dec 5", "vom 3. bis 5. Dezember": two dates make a date range."""
    s, dates = c.s, c.dates
    if len(dates) >= 2:
        for d1, d2 in zip(dates, dates[1:]):
            g = s[d1.end:d2.start]
            if re.fullmatch(r"\s*(?:-|to|until|till|through|thru|bis|hasta|al|a|and|y|und)\s*", g) and \
                    (re.search(r"\b(?:from|between|von|vom|zwischen|del|de|entre)\s*$", s[:d1.start]) or g.strip() in ("-", "through", "thru", "bis", "al")):
                if d1.value <= d2.value:
                    c.date_range = (d1.value, d2.value)
                    d1.info["in_drange"] = d2.info["in_drange"] = True
                    c.used += [d1, d2]
    c.dates_c = [d for d in dates if not d.info.get("in_drange")]


def _choose_date(c: _Combination) -> None:
    """The primary date among several: the new one in a change, else the one next to a time, else the first."""
    s = c.s
    for d in c.dates_c:
        if d.value not in [x.value for x in c.distinct]:
            c.distinct.append(d)
    distinct = c.distinct
    c.times = [m for m in c.ms if m.kind == "time"]
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
                0 <= t.start - d.end <= 14 or 0 <= d.start - t.end <= 8 for t in c.times)]
            if len(near_time) == 1:
                primary = near_time[0]
            else:
                primary = distinct[0]
                c.ambiguous = True
    if primary is not None:
        if primary.info.get("amb"):
            c.ambiguous = True
        c.used.append(primary)
        c.used += [d for d in c.dates_c if d.value == primary.value and d is not primary]
    c.primary = primary
    c.other_dates = tuple(d.value for d in distinct if d is not primary)
    c.used += [d for d in c.dates_c if d is not primary and d.value in c.other_dates]


def _day_part(c: _Combination) -> None:
    """A part of the day anywhere in the message ("in the morning") decides am/pm when it is unique."""
    c.periods = [m for m in c.ms if m.kind == "period"]
    period_names = {p.info["name"] for p in c.periods}
    for d in c.dates_c:
        if d.info.get("period"):
            period_names.add(d.info["period"])
    ampms = {_period_ampm(n) for n in period_names} - {None}
    c.global_period = ampms.pop() if len(ampms) == 1 else None


def _choose_time(c: _Combination) -> None:
    """The time among several ("at 10 or 11"): the new one in a change, else the one next to the date."""
    s = c.s
    for t in c.times:
        tt = _resolve_time(t.info["t"], c.global_period)
        if tt is not None:
            c.resolved.append((t, tt))
    if not c.resolved:
        return
    dist: list[tuple[_M, time]] = []
    for t, tt in c.resolved:
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
        elif c.primary is not None:
            primary = c.primary
            near = [x for x in dist if abs(x[0].start - primary.end) <= 20 or abs(primary.start - x[0].end) <= 12]
            if len(near) == 1:
                chosen = near[0]
            else:
                c.ambiguous = True
        else:
            c.ambiguous = True
    c.the_time = chosen[1]
    c.approximate = chosen[0].info["t"].get("approx", False)
    c.other_times = tuple(x[1] for x in dist if x is not chosen)
    c.used += [x[0] for x in c.resolved if x[1] == c.the_time or x[1] in c.other_times]


def _time_range(c: _Combination) -> None:
    """Without a single time: the first range or bound ("between 10 and 2", "after 3"); "from 2" also
    gives the start time."""
    tr = [m for m in c.ms if m.kind == "trange"]
    if not tr or c.the_time is not None:
        return
    s, global_period = c.s, c.global_period
    time_range = None
    m = tr[0]
    if "bound" in m.info:
        t = _resolve_time(m.info["t"], global_period)
        if t is not None:
            time_range = (t, time(21, 0)) if m.info["bound"] == "after" else (time(7, 0), t)
            if time_range[0] >= time_range[1]:
                time_range = None
            if m.info["bound"] == "after" and _FROM_START.match(s[m.start:m.end]):
                c.the_time = t  # "from 2pm": the session starts then; the range is only a soft bound
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
                c.the_time = t1  # "from 2pm until 10pm": starts at 2; the range stays as a soft bound
    if time_range:
        c.used.append(m)
    c.time_range = time_range


def _day_part_range(c: _Combination) -> None:
    """Still no time: the most specific (shortest) part of the day is the time range."""
    if c.time_range is None and c.the_time is None:
        if c.periods:
            today = c.today
            p = min(c.periods, key=lambda p: (datetime.combine(today, p.value[1]) - datetime.combine(today, p.value[0])))
            c.time_range = p.value
            c.used.append(p)
        else:
            for d in c.dates_c:
                if d.info.get("period") and d is c.primary:
                    c.time_range = {"morning": (time(9), time(12)), "afternoon": (time(12), time(17)),
                                    "evening": (time(17), time(21))}[d.info["period"]]
    if c.the_time is not None or c.time_range is not None:
        c.used += [p for p in c.periods if p not in c.used]


def _mentioned_date_range(c: _Combination) -> None:
    """A mentioned range of days ("next week", "in December") unless the date lies inside it."""
    dr_all = [m for m in c.ms if m.kind == "drange" and not m.info.get("consumed")]
    if c.date_range is None and dr_all:
        r = dr_all[0]
        if c.primary is None or not (r.value[0] <= c.primary.value <= r.value[1]):
            c.date_range = r.value
        if r.info.get("ambiguous"):
            c.ambiguous = True
        c.used.append(r)
    for m in c.ms:
        if m.kind == "drange" and m.info.get("consumed"):
            c.used.append(m)


def _weekday_only(c: _Combination) -> None:
    """The weekday when the date came from one, or a weekday inside a month ("Fridays in December")."""
    if c.primary is not None and c.primary.info.get("src") == "weekday":
        c.weekday_only = c.primary.info["wd"]
    in_range_wd = [w for w in c.weekdays if w.info.get("in_range")]
    if c.primary is None and in_range_wd:
        c.weekday_only = in_range_wd[0].value
        c.used.append(in_range_wd[0])


#: The steps of the combination, in order.
STEPS: tuple[Callable[[_Combination], None], ...] = (
    _find_context,
    _ordinals_to_dates,
    _check_weekdays_against_dates,
    _weekdays_to_dates,
    _dates_from_to,
    _choose_date,
    _day_part,
    _choose_time,
    _time_range,
    _day_part_range,
    _mentioned_date_range,
    _weekday_only,
)


def _matched_text(c: _Combination) -> list[str]:
    """The client's own words for the mentions used, in order, without duplicates or overlaps."""
    spans: list[tuple[int, int]] = []
    for m in sorted(c.used, key=lambda m: m.start):
        if spans and m.start < spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], m.end))
        else:
            spans.append((m.start, m.end))
    matched = [c.sc.f.orig(a, b).strip(" ,.(") for a, b in spans]
    return [x for x in matched if x]


def _combine(sc: _Scan) -> When:
    c = _Combination(sc, sorted(sc.mentions, key=lambda m: m.start))
    for step in STEPS:
        step(c)
    primary = c.primary
    return When(
        date=primary.value if primary is not None else None,
        time=c.the_time,
        time_range=c.time_range,
        date_range=c.date_range,
        weekday_only=c.weekday_only,
        explicit=primary is not None and primary.info.get("src") == "calendar",
        matched_text=_matched_text(c),
        ambiguous=c.ambiguous,
        approximate=c.approximate,
        other_dates=c.other_dates,
        other_times=c.other_times,
    )
