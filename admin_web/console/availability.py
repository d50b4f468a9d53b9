"""Studio opening hours and booking rules (notice, horizon, limits, travel), blackout dates and ranges,
with the same live slot preview as the services editor."""
from __future__ import annotations

from datetime import date
from typing import Any

from quart import Blueprint, flash, redirect, request
from sqlalchemy import select

import booking_core as core
from models import AvailabilityRule
from models.repo.bookings import audit
from models.repo.catalog import load_catalog
from models.repo.errors import InvalidInput, NotFound, RepoError

from ..context import ctx
from ..pages import actor, admin_page, render
from . import forms
from . import services_store as store

bp = Blueprint("console_availability", __name__)


def _load(preview_slug: str | None = None) -> dict[str, Any]:
    with ctx().db.read() as s:
        catalog = load_catalog(s)
        studio = catalog.studio
        blackouts = s.scalars(select(AvailabilityRule).where(AvailabilityRule.kind == "blackout")
                              .order_by(AvailabilityRule.start_date)).all()
        services = [r for r in catalog.ordered_services() if r.active]
        slug = preview_slug if preview_slug in catalog.services else (services[0].slug if services else None)
        days = store.preview(s, catalog, catalog.services[slug], catalog.rules, ctx().now()) if slug else None
        values = {"weekly": {core.WEEKDAY_KEYS[d]: store.format_windows(w) for d, w in catalog.rules.weekly.items()},
                  "slot_step_minutes": studio.slot_step_minutes, "min_notice_hours": f"{studio.min_notice_hours:g}",
                  "max_horizon_days": studio.max_horizon_days or "",
                  "daily_hours_limit": f"{studio.daily_hours_limit:g}" if studio.daily_hours_limit else "",
                  "max_bookings_per_day": studio.max_bookings_per_day or "", "travel_minutes": studio.travel_minutes,
                  "deposit_percent": f"{studio.deposit_percent:g}", "approval_required": studio.approval_required}
        return {"values": values, "blackouts": blackouts, "services": services, "preview_slug": slug,
                "preview_days": days, "today": ctx().now().astimezone(catalog.tz).date()}


async def _page(status: int = 200, **extra: Any) -> Any:
    data = await ctx().run(_load, None)
    data.update(extra)
    return await render("console/availability.html", status=status, section="availability",
                        page_title="Availability", weekdays=list(zip(core.WEEKDAY_KEYS, core.WEEKDAY_NAMES)), **data)


@bp.get("/admin/availability")
@admin_page
async def index() -> Any:
    return await _page()


def _save(inp: store.StudioInput, who: str) -> None:
    with ctx().db.write() as s:
        store.save_studio(s, inp, who)


@bp.post("/admin/availability")
@admin_page
async def save() -> Any:
    form = await request.form
    try:
        inp = store.parse_studio_form(form)
        await ctx().run(_save, inp, await actor())
    except NotFound:
        raise
    except RepoError as exc:
        typed = {k: form.get(k, "") for k in ("slot_step_minutes", "min_notice_hours", "max_horizon_days",
                                              "daily_hours_limit", "max_bookings_per_day", "travel_minutes",
                                              "deposit_percent")}
        typed.update(weekly={k: form.get(f"hours_{k}", "") for k in core.WEEKDAY_KEYS},
                     approval_required=forms.checkbox(form, "approval_required"))
        return await _page(422, error=exc.message, error_field=exc.field, form_values=typed)
    await flash("Opening hours and rules saved. New bookings follow them at once.", "success")
    return redirect("/admin/availability", 303)


def _preview(form: Any) -> dict[str, Any]:
    with ctx().db.read() as s:
        catalog = load_catalog(s)
        slug = form.get("preview_service") or ""
        if slug not in catalog.services:
            return {"preview_error": "Choose a service to preview."}
        try:
            inp = store.parse_studio_form(form)
        except RepoError as exc:
            return {"preview_error": exc.message}
        rules = store.studio_rules(catalog.rules, inp)
        return {"preview_days": store.preview(s, catalog, catalog.services[slug], rules, ctx().now())}


@bp.post("/admin/availability/preview")
@admin_page
async def preview() -> Any:
    form = await request.form
    return await render("console/_preview.html", **(await ctx().run(_preview, form)))


def _add_blackout(start: date, end: date, reason: str, who: str) -> None:
    with ctx().db.write() as s:
        row = AvailabilityRule(kind="blackout", start_date=start, end_date=end, reason=reason)
        s.add(row)
        s.flush()
        audit(s, who, "blackout.add", "availability", row.id, start=start.isoformat(), end=end.isoformat(), reason=reason)


@bp.post("/admin/availability/blackouts")
@admin_page
async def add_blackout() -> Any:
    form = await request.form
    try:
        start = forms.a_date(form, "start", "The first day")
        end = forms.a_date(form, "end", "The last day") if (form.get("end") or "").strip() else start
        if end < start:
            raise InvalidInput("The last day is before the first day.", "end")
        if (end - start).days > 366:
            raise InvalidInput("A closed period can be at most a year long.", "end")
        reason = forms.text(form, "reason", "The reason", max_len=200)
    except RepoError as exc:
        await flash(exc.message, "error")
        return redirect("/admin/availability#blackouts", 303)
    await ctx().run(_add_blackout, start, end, reason, await actor())
    span = f"{start:%a} {start.day} {start:%b %Y}" + ("" if end == start else f" – {end:%a} {end.day} {end:%b %Y}")
    await flash(f"Closed {span}. No new sessions can start then; existing bookings stay.", "success")
    return redirect("/admin/availability#blackouts", 303)


def _remove_blackout(rule_id: int, who: str) -> None:
    with ctx().db.write() as s:
        row = s.get(AvailabilityRule, rule_id)
        if row is None or row.kind != "blackout":
            raise NotFound("That closed period does not exist (it may have been removed already).")
        audit(s, who, "blackout.remove", "availability", row.id, start=str(row.start_date), end=str(row.end_date))
        s.delete(row)


@bp.post("/admin/availability/blackouts/<int:rule_id>/delete")
@admin_page
async def remove_blackout(rule_id: int) -> Any:
    await ctx().run(_remove_blackout, rule_id, await actor())
    await flash("The closed period was removed.", "success")
    return redirect("/admin/availability#blackouts", 303)
