"""Services and add-ons editor, with a live preview of the next two weeks' slots.

The preview posts the unsaved form (``/admin/services/preview``) and gets back the slots
``booking_core.find_slots`` allows under those values — the function behind ``/api/availability`` —
so the owner sees the effect of a change before saving it.
"""
from __future__ import annotations

from typing import Any, Optional

from quart import Blueprint, flash, redirect, request
from sqlalchemy import select

import booking_core as core
from models import AddOn
from models.repo.catalog import load_catalog
from models.repo.errors import NotFound, RepoError

from ..context import ctx
from ..pages import actor, admin_page, render
from . import services_store as store

bp = Blueprint("console_services", __name__)
bp.add_app_template_filter(store.group_days, "group_days")


def _list() -> dict[str, Any]:
    with ctx().db.read() as s:
        catalog = load_catalog(s)
        rows = catalog.ordered_services()
        addons = s.scalars(select(AddOn).order_by(AddOn.id)).all()
        return {"services": [(r, catalog.services[r.slug]) for r in rows], "addons": addons,
                "rules": catalog.rules}


@bp.get("/admin/services")
@admin_page
async def index() -> Any:
    data = await ctx().run(_list)
    return await render("console/services.html", section="services", page_title="Services", **data,
                        pricing_kinds=store.PRICING_KINDS, addon_pricing=store.ADDON_PRICING)


def _editor(slug: Optional[str]) -> dict[str, Any]:
    with ctx().db.read() as s:
        catalog = load_catalog(s)
        addons = s.scalars(select(AddOn).order_by(AddOn.id)).all()
        if slug is None:
            values: dict[str, Any] = {"title": "", "description": "", "duration_minutes": 60, "pricing_kind": "fixed",
                                      "price": "0.00", "deposit_percent": "", "buffer_before": 0, "buffer_after": 0,
                                      "min_notice_hours": "", "max_per_day": "", "on_location": False,
                                      "exempt_from_daily_limit": False, "color": "#4f86c6", "active": True,
                                      "addons": [], "discounts": [], "fields": [], "own_hours": False,
                                      "weekly": {k: "" for k in core.WEEKDAY_KEYS}}
            days = None
        else:
            row = catalog.service_rows.get(slug)
            if row is None:
                raise NotFound(f"There is no service '{slug}'.")
            values = store.service_form_values(row)
            days = store.preview(s, catalog, catalog.services[slug], catalog.rules, ctx().now())
        studio_weekly = {core.WEEKDAY_KEYS[d]: store.format_windows(w) for d, w in catalog.rules.weekly.items()}
        return {"values": values, "addons": addons, "preview_days": days, "studio_weekly": studio_weekly,
                "studio_notice": catalog.rules.min_notice_hours, "studio_deposit": catalog.rules.deposit_percent}


async def _editor_page(slug: Optional[str], status: int = 200, **extra: Any) -> Any:
    data = await ctx().run(_editor, slug)
    data.update(extra)
    title = data["values"]["title"] or "New service"
    return await render("console/service_edit.html", status=status, section="services", slug=slug,
                        page_title=title if slug else "New service", weekdays=list(zip(core.WEEKDAY_KEYS, core.WEEKDAY_NAMES)),
                        pricing_kinds=store.PRICING_KINDS, discount_kinds=store.DISCOUNT_KINDS,
                        field_types=store.FIELD_TYPES, **data)


@bp.get("/admin/services/new")
@admin_page
async def new() -> Any:
    return await _editor_page(None)


@bp.get("/admin/services/<slug>")
@admin_page
async def edit(slug: str) -> Any:
    return await _editor_page(slug)


def _known_addons() -> list[str]:
    with ctx().db.read() as s:
        return list(s.scalars(select(AddOn.slug)))


def _save(slug: Optional[str], inp: store.ServiceInput, who: str) -> str:
    with ctx().db.write() as s:
        return store.save_service(s, slug, inp, who)


async def _submit(slug: Optional[str]) -> Any:
    form = await request.form
    try:
        inp = store.parse_service_form(form, await ctx().run(_known_addons))
        store.check_not_blank(inp)
        saved = await ctx().run(_save, slug, inp, await actor())
    except NotFound:
        raise
    except RepoError as exc:
        return await _editor_page(slug, 422, error=exc.message, error_field=exc.field,
                                  form_values=store.values_from_form(form))
    await flash(f"Saved {inp.title}. New bookings follow the new rules at once.", "success")
    return redirect(f"/admin/services/{saved}", 303)


@bp.post("/admin/services/new")
@admin_page
async def create() -> Any:
    return await _submit(None)


@bp.post("/admin/services/<slug>")
@admin_page
async def update(slug: str) -> Any:
    return await _submit(slug)


def _preview(slug: Optional[str], form: Any) -> dict[str, Any]:
    with ctx().db.read() as s:
        catalog = load_catalog(s)
        known = list(catalog.addon_ids)
        try:
            inp = store.parse_service_form(form, known)
            store.check_not_blank(inp)
        except RepoError as exc:
            return {"preview_error": exc.message}
        service = store.service_value(inp, slug or "new-service")
        days = store.preview(s, catalog, service, catalog.rules, ctx().now())
        quote = core.quote(service, [], catalog.rules)
        return {"preview_days": days, "quote": quote}


@bp.post("/admin/services/preview")
@admin_page
async def preview() -> Any:
    form = await request.form
    slug = (form.get("slug") or "").strip() or None
    data = await ctx().run(_preview, slug, form)
    return await render("console/_preview.html", **data)


# ---- add-ons ---------------------------------------------------------------------------------------
def _save_addon(slug: Optional[str], values: dict[str, Any], who: str) -> str:
    with ctx().db.write() as s:
        return store.save_addon(s, slug, values, who)


@bp.post("/admin/addons/new")
@admin_page
async def addon_create() -> Any:
    return await _addon_submit(None)


@bp.post("/admin/addons/<slug>")
@admin_page
async def addon_update(slug: str) -> Any:
    return await _addon_submit(slug)


async def _addon_submit(slug: Optional[str]) -> Any:
    form = await request.form
    try:
        values = store.addon_form(form)
        await ctx().run(_save_addon, slug, values, await actor())
    except NotFound:
        raise
    except RepoError as exc:
        await flash(exc.message, "error")
        return redirect("/admin/services#addons", 303)
    await flash(f"Saved the add-on {values['title']}.", "success")
    return redirect("/admin/services#addons", 303)
