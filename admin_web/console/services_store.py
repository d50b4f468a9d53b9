"""Services, add-ons and opening hours: form parsing, validation and saving.

The same parse turns the form into ``booking_core`` values for the live slot preview and into rows
when saved, so what the preview shows is what the rules will do after "Save" — and the preview runs
``booking_core.find_slots``, the very function behind ``GET /api/availability``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Mapping, Optional, Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

import booking_core as core
from models import AddOn, AvailabilityRule, Service, Studio
from models.repo.bookings import audit
from models.repo.catalog import Catalog, cents, existing_bookings, local_day_bounds, money
from models.repo.errors import InvalidInput, NotFound

from .forms import FormError, checkbox, integer, money as money_field, number, percent, text

PRICING_KINDS = {"fixed": "Fixed price", "per_hour": "Per hour"}
ADDON_PRICING = {"fixed": "Fixed price", "per_hour": "Per hour of the session",
                 "per_hour_of_service": "Per hour it adds"}
DISCOUNT_KINDS = {"returning_client": "Returning client", "weekday": "Weekday", "package": "Package (add-ons)"}
FIELD_TYPES = ("text", "number", "email", "phone", "date", "boolean", "choice")
COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
WINDOW_RE = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*(?:-|–|—|to)\s*(\d{1,2})[:.](\d{2})\s*$")
PREVIEW_DAYS = 14


# ---- weekly hours as text ("09:00–12:00, 13:00–17:00") -----------------------------------------------
def parse_windows(raw: str, label: str, name: str) -> list[tuple[time, time]]:
    windows: list[tuple[time, time]] = []
    for part in (raw or "").split(","):
        if not part.strip():
            continue
        m = WINDOW_RE.match(part)
        if not m:
            raise FormError(f"{label}: '{part.strip()}' is not a time range like 09:00–16:00.", name)
        h1, m1, h2, m2 = (int(g) for g in m.groups())
        if h1 > 23 or m1 > 59 or h2 > 24 or m2 > 59 or (h2 == 24 and m2):
            raise FormError(f"{label}: '{part.strip()}' is not a valid time range.", name)
        start = time(h1, m1)
        end = time(0) if h2 == 24 else time(h2, m2)
        if end != time(0) and end <= start:
            raise FormError(f"{label}: {part.strip()} ends before it starts.", name)
        windows.append((start, end))
    windows.sort()
    for (s1, e1), (s2, _e2) in zip(windows, windows[1:]):
        if e1 == time(0) or s2 < e1:
            raise FormError(f"{label}: the time ranges overlap.", name)
    return windows


def format_windows(windows: Sequence[tuple[time, time]]) -> str:
    def clock(t: time, end: bool = False) -> str:
        return "24:00" if end and t == time(0) else f"{t:%H:%M}"
    return ", ".join(f"{clock(s)}–{clock(e, True)}" for s, e in windows)


def parse_weekly(form: Mapping[str, Any], prefix: str) -> dict[int, list[tuple[time, time]]]:
    return {d: parse_windows(form.get(f"{prefix}{core.WEEKDAY_KEYS[d]}", ""), core.WEEKDAY_NAMES[d],
                             f"{prefix}{core.WEEKDAY_KEYS[d]}") for d in range(7)}


def weekly_rows(rows: Sequence[AvailabilityRule]) -> dict[int, list[tuple[time, time]]]:
    weekly: dict[int, list[tuple[time, time]]] = {d: [] for d in range(7)}
    for r in rows:
        if r.weekday is not None and r.start_time and r.end_time:
            h1, m1 = r.start_time.split(":")
            h2, m2 = r.end_time.split(":")
            weekly[r.weekday].append((time(int(h1), int(m1)), time(int(h2) % 24, int(m2))))
    return {d: sorted(w) for d, w in weekly.items()}


def _rule_rows(weekly: Mapping[int, Sequence[tuple[time, time]]], service_id: Optional[int]) -> list[AvailabilityRule]:
    # An end of 00:00 means midnight at the end of the day (booking_core's convention).
    return [AvailabilityRule(kind="weekly", service_id=service_id, weekday=d, start_time=f"{s:%H:%M}",
                             end_time=f"{e:%H:%M}")
            for d, windows in weekly.items() for s, e in windows]


# ---- services --------------------------------------------------------------------------------------
@dataclass
class ServiceInput:
    title: str
    description: str
    duration_minutes: int
    pricing_kind: str
    price: Decimal
    deposit_percent: Optional[Decimal]
    buffer_before: int
    buffer_after: int
    min_notice_hours: Optional[float]
    max_per_day: Optional[int]
    on_location: bool
    exempt_from_daily_limit: bool
    color: str
    active: bool
    addons: list[str]
    discounts: list[dict[str, Any]]
    fields: list[dict[str, Any]]
    own_hours: bool
    weekly: dict[int, list[tuple[time, time]]] = field(default_factory=dict)


def _slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")[:60] or "service"


def _discounts(form: Any) -> list[dict[str, Any]]:
    kinds, percents = form.getlist("discount_kind"), form.getlist("discount_percent")
    weekdays, min_addons, labels = form.getlist("discount_weekdays"), form.getlist("discount_min_addons"), form.getlist("discount_label")
    out: list[dict[str, Any]] = []
    for i, kind in enumerate(kinds):
        pct = (percents[i] if i < len(percents) else "").strip()
        if not kind or not pct:
            continue
        if kind not in DISCOUNT_KINDS:
            raise FormError(f"Unknown discount kind '{kind}'.", "discount_kind")
        value = percent({"p": pct}, "p", f"Discount {i + 1} percent")
        if not value:
            raise FormError(f"Discount {i + 1}: the percent must be more than 0.", "discount_percent")
        rule: dict[str, Any] = {"kind": kind, "percent": float(value) if value != value.to_integral() else int(value)}
        label = (labels[i] if i < len(labels) else "").strip()[:80]
        if label:
            rule["label"] = label
        if kind == "weekday":
            days = [d.strip()[:3].lower() for d in (weekdays[i] if i < len(weekdays) else "").split(",") if d.strip()]
            bad = [d for d in days if d not in core.WEEKDAY_KEYS]
            if not days or bad:
                raise FormError(f"Discount {i + 1}: list weekdays like mon, tue (got '{weekdays[i] if i < len(weekdays) else ''}').",
                                "discount_weekdays")
            rule["weekdays"] = days
        if kind == "package":
            n = integer({"n": min_addons[i] if i < len(min_addons) else ""}, "n", f"Discount {i + 1} minimum add-ons",
                        required=True, minimum=1, maximum=20)
            rule["min_addons"] = n
        out.append(rule)
    return out


def _intake(form: Any) -> list[dict[str, Any]]:
    labels, types = form.getlist("field_label"), form.getlist("field_type")
    required, choices, names = form.getlist("field_required"), form.getlist("field_choices"), form.getlist("field_name")
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, label in enumerate(labels):
        label = label.strip()[:120]
        if not label:
            continue
        kind = types[i] if i < len(types) else "text"
        if kind not in FIELD_TYPES:
            raise FormError(f"Question '{label}': unknown answer type '{kind}'.", "field_type")
        name = (names[i] if i < len(names) else "").strip() or re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:40]
        name = name or f"field_{i + 1}"
        if name in seen:
            raise FormError(f"Two questions would be stored as '{name}'; give them different wording.", "field_label")
        seen.add(name)
        item: dict[str, Any] = {"name": name, "label": label, "type": kind,
                                "required": (required[i] if i < len(required) else "") == "required"}
        if kind == "choice":
            opts = [c.strip()[:80] for c in (choices[i] if i < len(choices) else "").split(",") if c.strip()]
            if len(opts) < 2:
                raise FormError(f"Question '{label}': list at least two choices, separated by commas.", "field_choices")
            item["choices"] = opts
        out.append(item)
    return out


def parse_service_form(form: Any, known_addons: Sequence[str]) -> ServiceInput:
    color = (form.get("color") or "#4f86c6").strip()
    if not COLOR_RE.match(color):
        raise FormError("The colour must look like #4f86c6.", "color")
    pricing_kind = form.get("pricing_kind") or "fixed"
    if pricing_kind not in PRICING_KINDS:
        raise FormError("Pricing must be a fixed price or per hour.", "pricing_kind")
    addons = [a for a in form.getlist("addons") if a]
    unknown = [a for a in addons if a not in known_addons]
    if unknown:
        raise FormError(f"Unknown add-on(s): {', '.join(unknown)}.", "addons")
    own = checkbox(form, "own_hours")
    return ServiceInput(
        title=text(form, "title", "The title", required=True, max_len=200),
        description=text(form, "description", "The description", max_len=2000),
        duration_minutes=integer(form, "duration_minutes", "The duration", required=True, minimum=5, maximum=24 * 60) or 60,
        pricing_kind=pricing_kind,
        price=money_field(form, "price", "The price") or Decimal("0"),
        deposit_percent=percent(form, "deposit_percent", "The deposit"),
        buffer_before=integer(form, "buffer_before", "The buffer before", minimum=0, maximum=24 * 60) or 0,
        buffer_after=integer(form, "buffer_after", "The buffer after", minimum=0, maximum=24 * 60) or 0,
        min_notice_hours=number(form, "min_notice_hours", "The notice", maximum=24 * 365),
        max_per_day=integer(form, "max_per_day", "The maximum per day", minimum=1, maximum=100),
        on_location=checkbox(form, "on_location"),
        exempt_from_daily_limit=checkbox(form, "exempt_from_daily_limit"),
        color=color.lower(), active=checkbox(form, "active"), addons=addons,
        discounts=_discounts(form), fields=_intake(form), own_hours=own,
        weekly=parse_weekly(form, "hours_") if own else {},
    )


def service_value(inp: ServiceInput, slug: str) -> core.Service:
    from models.repo.catalog import _discounts as discounts_from_json, _fields as fields_from_json

    return core.Service(
        slug=slug, title=inp.title, description=inp.description, duration_minutes=inp.duration_minutes,
        pricing=core.Pricing(inp.pricing_kind, inp.price),  # type: ignore[arg-type]
        buffer_before_minutes=inp.buffer_before, buffer_after_minutes=inp.buffer_after,
        weekly=inp.weekly if inp.own_hours else None, max_per_day=inp.max_per_day, on_location=inp.on_location,
        min_notice_hours=inp.min_notice_hours, deposit_percent=inp.deposit_percent,
        exempt_from_daily_limit=inp.exempt_from_daily_limit, addons=tuple(inp.addons),
        discounts=discounts_from_json(inp.discounts), fields=fields_from_json(inp.fields), active=True,
    )


def save_service(session: Session, slug: Optional[str], inp: ServiceInput, who: str) -> str:
    """Create (slug None) or update a service; returns its slug. Runs inside the caller's transaction."""
    if slug is None:
        base = _slug(inp.title)
        slug, n = base, 2
        while session.scalar(select(Service.id).where(Service.slug == slug)):
            slug, n = f"{base}-{n}", n + 1
        order = (session.scalar(select(Service.sort_order).order_by(Service.sort_order.desc()).limit(1)) or 0) + 1
        row = Service(slug=slug, title=inp.title, duration_minutes=inp.duration_minutes, sort_order=order)
        session.add(row)
        action = "service.create"
    else:
        row = session.scalars(select(Service).where(Service.slug == slug)).first()
        if row is None:
            raise NotFound(f"There is no service '{slug}'.")
        action = "service.update"
    row.title, row.description, row.duration_minutes = inp.title, inp.description, inp.duration_minutes
    row.pricing_kind, row.price_cents = inp.pricing_kind, cents(inp.price)
    row.deposit_percent = inp.deposit_percent
    row.buffer_before_minutes, row.buffer_after_minutes = inp.buffer_before, inp.buffer_after
    row.min_notice_hours, row.max_per_day = inp.min_notice_hours, inp.max_per_day
    row.on_location, row.exempt_from_daily_limit = inp.on_location, inp.exempt_from_daily_limit
    row.color, row.active = inp.color, inp.active
    row.discounts, row.fields = inp.discounts, inp.fields
    row.own_hours = inp.own_hours
    row.addons = list(session.scalars(select(AddOn).where(AddOn.slug.in_(inp.addons)))) if inp.addons else []
    row.addons.sort(key=lambda a: inp.addons.index(a.slug))
    session.flush()
    session.execute(delete(AvailabilityRule).where(AvailabilityRule.kind == "weekly",
                                                   AvailabilityRule.service_id == row.id))
    if inp.own_hours:
        session.add_all(_rule_rows(inp.weekly, row.id))
    session.expire(row, ["hours"])
    audit(session, who, action, "service", slug, title=inp.title, active=inp.active)
    return slug


def service_form_values(row: Service) -> dict[str, Any]:
    """The edit form's initial values from a stored service."""
    return {
        "title": row.title, "description": row.description, "duration_minutes": row.duration_minutes,
        "pricing_kind": row.pricing_kind, "price": f"{money(row.price_cents):.2f}",
        "deposit_percent": "" if row.deposit_percent is None else f"{Decimal(row.deposit_percent):g}",
        "buffer_before": row.buffer_before_minutes, "buffer_after": row.buffer_after_minutes,
        "min_notice_hours": "" if row.min_notice_hours is None else f"{row.min_notice_hours:g}",
        "max_per_day": row.max_per_day or "", "on_location": row.on_location,
        "exempt_from_daily_limit": row.exempt_from_daily_limit, "color": row.color, "active": row.active,
        "addons": [a.slug for a in row.addons], "discounts": list(row.discounts or []), "fields": list(row.fields or []),
        "own_hours": row.own_hours, "weekly": {core.WEEKDAY_KEYS[d]: format_windows(w)
                                               for d, w in weekly_rows(row.hours).items()},
    }


def values_from_form(form: Any) -> dict[str, Any]:
    """Re-display a refused form exactly as typed."""
    discounts = [{"kind": k, "percent": p, "weekdays": w, "min_addons": m, "label": lab} for k, p, w, m, lab in zip(
        form.getlist("discount_kind"), form.getlist("discount_percent"), form.getlist("discount_weekdays"),
        form.getlist("discount_min_addons"), form.getlist("discount_label"))]
    fields = [{"label": lab, "type": t, "required": r == "required", "choices": c.split(",") if c else [], "name": n}
              for lab, t, r, c, n in zip(form.getlist("field_label"), form.getlist("field_type"),
                                          form.getlist("field_required"), form.getlist("field_choices"),
                                          form.getlist("field_name"))]
    values = {k: form.get(k, "") for k in ("title", "description", "duration_minutes", "pricing_kind", "price",
                                           "deposit_percent", "buffer_before", "buffer_after", "min_notice_hours",
                                           "max_per_day", "color")}
    values.update(on_location=checkbox(form, "on_location"), exempt_from_daily_limit=checkbox(form, "exempt_from_daily_limit"),
                  active=checkbox(form, "active"), own_hours=checkbox(form, "own_hours"), addons=form.getlist("addons"),
                  discounts=discounts, fields=fields,
                  weekly={k: form.get(f"hours_{k}", "") for k in core.WEEKDAY_KEYS})
    return values


# ---- studio rules ----------------------------------------------------------------------------------
@dataclass
class StudioInput:
    weekly: dict[int, list[tuple[time, time]]]
    slot_step_minutes: int
    min_notice_hours: float
    max_horizon_days: Optional[int]
    daily_hours_limit: Optional[float]
    max_bookings_per_day: Optional[int]
    travel_minutes: int
    deposit_percent: Decimal
    approval_required: bool


def parse_studio_form(form: Any) -> StudioInput:
    return StudioInput(
        weekly=parse_weekly(form, "hours_"),
        slot_step_minutes=integer(form, "slot_step_minutes", "The slot step", required=True, minimum=5, maximum=240) or 30,
        min_notice_hours=number(form, "min_notice_hours", "The minimum notice", maximum=24 * 365) or 0,
        max_horizon_days=integer(form, "max_horizon_days", "How far ahead clients may book", minimum=1, maximum=1500),
        daily_hours_limit=number(form, "daily_hours_limit", "The daily hour limit", maximum=24) or None,
        max_bookings_per_day=integer(form, "max_bookings_per_day", "The bookings per day", minimum=1, maximum=100),
        travel_minutes=integer(form, "travel_minutes", "The travel time", minimum=0, maximum=24 * 60) or 0,
        deposit_percent=percent(form, "deposit_percent", "The deposit") or Decimal("0"),
        approval_required=checkbox(form, "approval_required"),
    )


def studio_rules(base: core.StudioRules, inp: StudioInput) -> core.StudioRules:
    from dataclasses import replace

    return replace(base, weekly=inp.weekly, slot_step_minutes=inp.slot_step_minutes,
                   min_notice_hours=inp.min_notice_hours, max_horizon_days=inp.max_horizon_days,
                   daily_hours_limit=inp.daily_hours_limit, max_bookings_per_day=inp.max_bookings_per_day,
                   travel_minutes=inp.travel_minutes, deposit_percent=inp.deposit_percent)


def save_studio(session: Session, inp: StudioInput, who: str) -> None:
    studio = session.scalars(select(Studio).limit(1)).first()
    if studio is None:
        raise NotFound("No studio is configured yet.")
    studio.slot_step_minutes, studio.min_notice_hours = inp.slot_step_minutes, inp.min_notice_hours
    studio.max_horizon_days, studio.daily_hours_limit = inp.max_horizon_days, inp.daily_hours_limit
    studio.max_bookings_per_day, studio.travel_minutes = inp.max_bookings_per_day, inp.travel_minutes
    studio.deposit_percent, studio.approval_required = inp.deposit_percent, inp.approval_required
    session.execute(delete(AvailabilityRule).where(AvailabilityRule.kind == "weekly", AvailabilityRule.service_id.is_(None)))
    session.add_all(_rule_rows(inp.weekly, None))
    audit(session, who, "studio.rules", "studio", studio.id)


# ---- preview ---------------------------------------------------------------------------------------
@dataclass
class PreviewDay:
    day: date
    slots: list[datetime]
    note: str = ""


def preview(session: Session, catalog: Catalog, service: core.Service, rules: core.StudioRules,
            now: datetime, days: int = PREVIEW_DAYS) -> list[PreviewDay]:
    """The next ``days`` days of starts for ``service`` under ``rules``: booking_core.find_slots, as the API."""
    tz = catalog.tz
    first = now.astimezone(tz).date()
    last = first + timedelta(days=days - 1)
    lo, hi = local_day_bounds(catalog, first, last)
    existing = existing_bookings(session, catalog, lo, hi)
    slots = core.find_slots(service, first, last, existing, rules, now)
    by_day: dict[date, list[datetime]] = {first + timedelta(days=i): [] for i in range(days)}
    for slot in slots:
        local = slot.start.astimezone(tz)
        by_day.setdefault(local.date(), []).append(local)
    closed = {d: b.reason or "Closed" for b in rules.blackouts
              for d in (b.start + timedelta(days=i) for i in range((b.end - b.start).days + 1))}
    out = []
    for day, found in sorted(by_day.items()):
        note = ""
        if not found:
            weekly = service.weekly if service.weekly is not None else rules.weekly
            note = closed.get(day) or ("Not open" if not weekly.get(day.weekday()) else "Nothing free")
        out.append(PreviewDay(day, found, note))
    return out


def addon_form(form: Any, prefix: str = "") -> dict[str, Any]:
    kind = form.get(f"{prefix}pricing_kind") or "fixed"
    if kind not in ADDON_PRICING:
        raise FormError("Unknown add-on pricing.", f"{prefix}pricing_kind")
    return {"title": text(form, f"{prefix}title", "The add-on title", required=True, max_len=200),
            "description": text(form, f"{prefix}description", "The description", max_len=1000),
            "pricing_kind": kind, "price": money_field(form, f"{prefix}price", "The add-on price") or Decimal("0"),
            "extends_minutes": integer(form, f"{prefix}extends_minutes", "The extra time", minimum=0, maximum=12 * 60) or 0,
            "active": checkbox(form, f"{prefix}active")}


def save_addon(session: Session, slug: Optional[str], values: Mapping[str, Any], who: str) -> str:
    if slug is None:
        base = _slug(values["title"])
        slug, n = base, 2
        while session.scalar(select(AddOn.id).where(AddOn.slug == slug)):
            slug, n = f"{base}-{n}", n + 1
        row = AddOn(slug=slug, title=values["title"])
        session.add(row)
    else:
        row = session.scalars(select(AddOn).where(AddOn.slug == slug)).first()
        if row is None:
            raise NotFound(f"There is no add-on '{slug}'.")
    row.title, row.description = values["title"], values["description"]
    row.pricing_kind, row.price_cents = values["pricing_kind"], cents(values["price"])
    row.extends_minutes, row.active = values["extends_minutes"], values["active"]
    audit(session, who, "addon.save", "addon", slug, title=values["title"])
    return slug


def check_not_blank(inp: ServiceInput) -> None:
    if inp.own_hours and not any(inp.weekly.values()):
        raise InvalidInput("With its own hours on, the service needs at least one opening window "
                           "(or turn own hours off to use the studio's).", "own_hours")


@dataclass
class PreviewGroup:
    first: date
    last: date
    slots: list[datetime]
    note: str


def group_days(days: Sequence[PreviewDay]) -> list[PreviewGroup]:
    """Consecutive days without slots and with the same reason collapse into one line ("Sat 28 – Thu 3: Not open")."""
    groups: list[PreviewGroup] = []
    for d in days:
        last = groups[-1] if groups else None
        if (not d.slots and last is not None and not last.slots and last.note == d.note
                and last.last + timedelta(days=1) == d.day):
            last.last = d.day
        else:
            groups.append(PreviewGroup(d.day, d.day, list(d.slots), d.note))
    return groups
