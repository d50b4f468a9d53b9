"""Dates, times, durations and money written the way a person reads them, in en/es/de.

Why not ``strftime``: it depends on the process locale; replies must look the same on every machine
and in every language, and the fact check in ``assistant.polish`` compares these exact strings.
"""
from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Sequence

import booking_core as core

WEEKDAYS = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "es": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
    "de": ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"),
}
MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
           "octubre", "noviembre", "diciembre"),
    "de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
           "Oktober", "November", "Dezember"),
}
AND = {"en": "and", "es": "y", "de": "und"}
OR = {"en": "or", "es": "o", "de": "oder"}


def _lang(lang: str) -> str:
    return lang if lang in WEEKDAYS else "en"


def fmt_time(value: time | datetime, lang: str) -> str:
    """"10:00 AM" (en), "10:00" (es), "10:00 Uhr" (de)."""
    lang = _lang(lang)
    if lang == "en":
        hour = value.hour % 12 or 12
        return f"{hour}:{value.minute:02d} {'AM' if value.hour < 12 else 'PM'}"
    if lang == "de":
        return f"{value.hour}:{value.minute:02d} Uhr"
    return f"{value.hour}:{value.minute:02d}"


def fmt_date(day: date, lang: str, *, today: date | None = None, weekday: bool = True) -> str:
    """"Thursday, December 3" / "jueves, 3 de diciembre" / "Donnerstag, 3. Dezember" (+ year if not this year)."""
    lang = _lang(lang)
    with_year = today is not None and day.year != today.year
    wd = WEEKDAYS[lang][day.weekday()]
    month = MONTHS[lang][day.month - 1]
    if lang == "en":
        text = f"{month} {day.day}" + (f", {day.year}" if with_year else "")
    elif lang == "es":
        text = f"{day.day} de {month}" + (f" de {day.year}" if with_year else "")
    else:
        text = f"{day.day}. {month}" + (f" {day.year}" if with_year else "")
    return f"{wd}, {text}" if weekday else text


def fmt_datetime(moment: datetime, lang: str, *, today: date | None = None) -> str:
    """"Thursday, December 3 at 10:00 AM" / "jueves, 3 de diciembre a las 10:00" / "... um 10:00 Uhr"."""
    lang = _lang(lang)
    joiner = {"en": "at", "es": "a las", "de": "um"}[lang]
    if lang == "es" and moment.hour == 1:
        joiner = "a la"
    return f"{fmt_date(moment.date(), lang, today=today)} {joiner} {fmt_time(moment, lang)}"


def fmt_duration(minutes: int, lang: str) -> str:
    """"1 hour", "30 minutes", "8 hours" / "1 hora" / "1 Stunde"."""
    lang = _lang(lang)
    words = {"en": ("minutes", "hour", "hours"), "es": ("minutos", "hora", "horas"),
             "de": ("Minuten", "Stunde", "Stunden")}[lang]
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} {words[1] if hours == 1 else words[2]}"
    if minutes < 60:
        return f"{minutes} {words[0]}"
    return f"{minutes / 60:g} {words[2]}"


def fmt_money(amount: Decimal, currency: str) -> str:
    """The one money format of the whole product (booking_core's): "$4,100.00"."""
    return core.format_money(amount, currency)


def join(items: Sequence[str], lang: str, *, word: str = "and") -> str:
    """"a, b and c" in the reply's language (``word`` "and" or "or")."""
    items = [i for i in items if i]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    conj = (AND if word == "and" else OR)[_lang(lang)]
    return f"{', '.join(items[:-1])} {conj} {items[-1]}"


def fmt_slots(starts: Sequence[datetime], lang: str, *, today: date | None = None) -> str:
    """Several start times, grouped by day: "Thursday, December 3 at 9:00 AM, 10:00 AM or 1:00 PM"."""
    groups: list[tuple[date, list[datetime]]] = []
    for start in starts:
        if groups and groups[-1][0] == start.date():
            groups[-1][1].append(start)
        else:
            groups.append((start.date(), [start]))
    parts = []
    for day, moments in groups:
        first = fmt_datetime(moments[0], lang, today=today)
        rest = [fmt_time(m, lang) for m in moments[1:]]
        parts.append(join([first] + rest, lang, word="or") if rest else first)
    if len(parts) == 1:
        return parts[0]
    return "; ".join(parts[:-1]) + f"; {OR[_lang(lang)]} " + parts[-1]


def fmt_percent(value: Decimal) -> str:
    """"25", "12.5" (no trailing zeros: "25.00 %" reads like a machine)."""
    text = f"{Decimal(value).normalize():f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
