"""Say why a time does not work, in the rule's own terms, and which times near it do.

``booking_core.check`` returns machine codes next to English reasons; the codes pick a template in the
client's language and the catalogue supplies the specifics (which weekdays, which blackout, how much
notice, the earliest free time), so "too soon" reads as "We need at least 48 hours' notice ... the
earliest I can offer is ...", never as a bare "no".
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Optional, Sequence

import booking_core as core

from . import tools
from .formatting import fmt_date, fmt_datetime, fmt_slots, fmt_time, join
from .replies import WEEKDAY_PLURALS, ReplyBuilder
from .tools import Env

#: The first code in this order is the one explained (one clear reason beats a list of four).
PRIORITY = ("past", "notice", "horizon", "blackout", "weekday", "inactive", "addon", "hours", "step",
            "max_per_day", "max_bookings_per_day", "daily_limit", "overlap")
#: Reasons about the whole day: the day is forgotten, not only the time.
DAY_LEVEL = {"past", "notice", "horizon", "blackout", "weekday", "max_per_day", "max_bookings_per_day",
             "daily_limit", "inactive"}
NOTICE_WORDS = {"en": ("hours'", "days'"), "es": ("horas", "días"), "de": ("Stunden", "Tagen")}


def main_code(result: core.CheckResult) -> str:
    codes = list(result.codes)
    for code in PRIORITY:
        if code in codes:
            return code
    return codes[0] if codes else "other"


def _notice_text(hours: float, lang: str) -> str:
    words = NOTICE_WORDS.get(lang, NOTICE_WORDS["en"])
    if hours >= 72 and hours % 24 == 0:
        return f"{hours / 24:g} {words[1]}"
    return f"{hours:g} {words[0]}"


def _windows(env: Env, service: core.Service, day: date) -> list[tuple[time, time]]:
    weekly = service.weekly if service.weekly is not None else env.catalog.rules.weekly
    return list(weekly.get(day.weekday(), ()))


def _hours_text(env: Env, service: core.Service, day: date, lang: str) -> str:
    return ", ".join(f"{fmt_time(a, lang)}–{fmt_time(b, lang)}" for a, b in _windows(env, service, day))


def _open_days(env: Env, service: core.Service, lang: str) -> str:
    weekly = service.weekly if service.weekly is not None else env.catalog.rules.weekly
    plural = WEEKDAY_PLURALS.get(lang, WEEKDAY_PLURALS["en"])
    return join([plural[d] for d in range(7) if weekly.get(d)], lang)


def earliest_slot(env: Env, service: str, addons: Sequence[str] = (), exclude: Optional[int] = None) -> Optional[datetime]:
    svc = env.catalog.services[service]
    days = 45 if (svc.min_notice_hours or 0) < 24 * 30 else 120
    slots = tools.find_slots(env, service, env.today, env.today + timedelta(days=days), addons, exclude)
    return slots[0] if slots else None


def explain(env: Env, out: ReplyBuilder, service: str, start: datetime, result: core.CheckResult,
            addons: Sequence[str] = (), exclude: Optional[int] = None) -> str:
    """Say the main reason ``start`` is refused; returns its code."""
    lang = out.lang
    svc = env.catalog.services[service]
    local = env.local(start)
    day = local.date()
    code = main_code(result)
    when = fmt_datetime(local, lang, today=env.today)
    if code == "past":
        out.say("reason_past")
    elif code == "notice":
        hours = svc.min_notice_hours if svc.min_notice_hours is not None else env.catalog.rules.min_notice_hours
        first = earliest_slot(env, service, addons, exclude)
        if first is not None:
            out.say("reason_notice", notice=_notice_text(hours, lang), service=svc.title,
                    earliest=fmt_datetime(first, lang, today=env.today))
        else:
            out.say("reason_notice_plain", notice=_notice_text(hours, lang), service=svc.title)
    elif code == "horizon":
        out.say("reason_horizon", days=env.catalog.rules.max_horizon_days)
    elif code == "blackout":
        blackout = next((b for b in env.catalog.rules.blackouts if b.start <= day <= b.end), None)
        reason = (blackout.reason if blackout and blackout.reason else "")
        if blackout is not None and blackout.start != blackout.end:
            out.say("reason_blackout_range", first=fmt_date(blackout.start, lang, today=env.today),
                    last=fmt_date(blackout.end, lang, today=env.today), reason=reason or "-")
        else:
            out.say("reason_blackout", date=fmt_date(day, lang, today=env.today), reason=reason or "-")
    elif code == "weekday":
        if svc.weekly is not None:
            out.say("reason_weekday_service", service=svc.title, days=_open_days(env, svc, lang))
        else:
            plural = WEEKDAY_PLURALS.get(lang, WEEKDAY_PLURALS["en"])
            out.say("reason_weekday_studio", days=plural[day.weekday()], open=_open_days(env, svc, lang))
    elif code == "hours":
        out.say("reason_hours", when=when, service=svc.title, hours=_hours_text(env, svc, day, lang))
    elif code == "step":
        out.say("reason_step", step=env.catalog.rules.slot_step_minutes, hours=_hours_text(env, svc, day, lang))
    elif code in ("max_per_day", "max_bookings_per_day", "daily_limit"):
        out.say("reason_full", service=svc.title, date=fmt_date(day, lang, today=env.today))
    elif code == "overlap":
        out.say("reason_taken", when=when)
    else:
        reason = result.reasons[0] if result.reasons else "-"
        out.say("reason_other", reason=reason.rstrip("."))
    return code


def explain_empty_day(env: Env, out: ReplyBuilder, service: str, day: date, addons: Sequence[str] = (),
                      exclude: Optional[int] = None) -> str:
    """A day with no free start: probe its opening time (or 10:00) to learn and say why."""
    svc = env.catalog.services[service]
    windows = _windows(env, svc, day)
    probe_time = windows[0][0] if windows else time(10, 0)
    start = datetime.combine(day, probe_time, tzinfo=env.tz)
    result = tools.check_slot(env, service, start, addons, exclude_booking_id=exclude)
    if result.ok:  # the opening time is fine on its own, so the day is simply full
        out.say("reason_full", service=svc.title, date=fmt_date(day, out.lang, today=env.today))
        return "max_per_day"
    return explain(env, out, service, start, result, addons, exclude)


def spread(slots: Sequence[datetime], k: int) -> list[datetime]:
    """``k`` starts spread over the list (first one always included): a day's choice at a glance."""
    if len(slots) <= k:
        return list(slots)
    step = (len(slots) - 1) / (k - 1)
    picked = [slots[round(i * step)] for i in range(k)]
    return sorted(dict.fromkeys(picked))


def nearby(env: Env, service: str, around: date, prefer: Optional[time] = None, addons: Sequence[str] = (),
           exclude: Optional[int] = None, k: int = 3, include: Optional[datetime] = None,
           skip_day: bool = False) -> list[datetime]:
    """2-3 free starts near ``around``: same day closest in time first, else one per nearby day."""
    first = max(env.today, around - timedelta(days=7))
    last = around + timedelta(days=21)
    slots = tools.find_slots(env, service, first, last, addons, exclude)
    if not slots:
        slots = tools.find_slots(env, service, around, around + timedelta(days=120), addons, exclude)
    if not slots:
        return [include] if include else []
    target = prefer or time(10, 0)

    def minutes_off(s: datetime) -> int:
        return abs((s.hour * 60 + s.minute) - (target.hour * 60 + target.minute))

    same_day = [s for s in slots if s.date() == around and not skip_day]
    if same_day:
        chosen = sorted(same_day, key=minutes_off)[:k]
    else:
        by_day: dict[date, list[datetime]] = {}
        for s in slots:
            by_day.setdefault(s.date(), []).append(s)
        days = sorted(by_day, key=lambda d: (abs((d - around).days), d < around))
        chosen = [min(by_day[d], key=minutes_off) if prefer else by_day[d][0] for d in days[:k]]
    if include is not None and include not in chosen:
        chosen = [include] + chosen[: k - 1]
    return sorted(chosen)


def offer(env: Env, out: ReplyBuilder, starts: Sequence[datetime], *, service_title: Optional[str] = None) -> None:
    if not starts:
        return
    text = fmt_slots(starts, out.lang, today=env.today)
    if service_title:
        out.say("nearby_service", service=service_title, slots=text)
    else:
        out.say("nearby", slots=text)
