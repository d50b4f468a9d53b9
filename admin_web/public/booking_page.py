"""The public booking page ``/book``: service -> day and time -> add-ons and location -> details ->
summary (total, deposit, pay now or at the session) -> confirmation.

The page is a thin client of the public JSON API (``/api/services``, ``/api/availability``,
``POST /api/bookings``), so it offers and refuses exactly what the API does; errors come back as the
API's sentences and are shown next to the step they concern. ``/book/quote`` prices the current
choice with ``booking_core.quote`` for the summary (without client history, so it never reveals who
is a returning client; the booking's own total, with any discount, comes back from the API).
"""
from __future__ import annotations

from typing import Any

from quart import Blueprint, jsonify, request

import booking_core as core
from models.repo.catalog import load_catalog

from ..context import ctx
from ..pages import render
from ..parsing import BadRequest, parse_datetime
from ..serialize import money_str, service_json

bp = Blueprint("public_booking_page", __name__)


def _services() -> dict[str, Any]:
    with ctx().db.read() as s:
        catalog = load_catalog(s)
        return {"services": [service_json(catalog, r.slug) for r in catalog.ordered_services() if r.active],
                "timezone": catalog.rules.timezone, "location": catalog.studio.location,
                "today": ctx().now().astimezone(catalog.tz).date().isoformat()}


@bp.get("/book")
async def book() -> Any:
    data = await ctx().run(_services)
    chosen = request.args.get("service") or ""
    if chosen and chosen not in {s["slug"] for s in data["services"]}:
        chosen = ""
    response = await render("public/book.html", page_title="Book a session", chosen=chosen, **data)
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/book/quote")
async def quote() -> Any:
    slug = (request.args.get("service") or "").strip()
    addons = [a for a in (request.args.get("addons") or "").split(",") if a]
    if not slug:
        raise BadRequest("'service' is required.", "service")

    def work() -> dict[str, Any]:
        with ctx().db.read() as s:
            catalog = load_catalog(s)
            service = catalog.services.get(slug)
            if service is None or not service.active:
                raise BadRequest(f"Unknown service '{slug}'.", "service")
            unknown = [a for a in addons if a not in service.addons or a not in catalog.addons]
            if unknown:
                raise BadRequest(f"Add-on(s) not offered with {service.title}: {', '.join(unknown)}.", "addons")
            start = parse_datetime(request.args["start"], "start", catalog.tz) if request.args.get("start") else None
            q = core.quote(service, [catalog.addons[a] for a in addons], catalog.rules, start=start)
            return {"items": [{"label": i.label, "amount": money_str(i.amount), "kind": i.kind} for i in q.items],
                    "total": money_str(q.total), "deposit": money_str(q.deposit),
                    "deposit_percent": format(q.deposit_percent.normalize(), "f"), "currency": q.currency,
                    "duration_minutes": q.duration_minutes}

    return jsonify(await ctx().run(work))
