"""The public JSON API (CONTRACT.md): services, availability, bookings."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from quart import Blueprint, jsonify, request

from models.repo import bookings as booking_repo
from models.repo.catalog import find_slots, load_catalog

from .context import ctx
from .parsing import BadRequest, json_body, parse_date, parse_datetime
from .serialize import booking_json, iso_local, service_json

bp = Blueprint("api_public", __name__, url_prefix="/api")

MAX_RANGE_DAYS = 400


@bp.get("/services")
async def services() -> Any:
    def work() -> list[dict[str, Any]]:
        with ctx().db.read() as session:
            catalog = load_catalog(session)
            return [service_json(catalog, s.slug) for s in catalog.ordered_services() if s.active]

    return jsonify(await ctx().run(work))


@bp.get("/availability")
async def availability() -> Any:
    slug = (request.args.get("service") or "").strip()
    if not slug:
        raise BadRequest("'service' is required (a service slug from /api/services).", "service")
    first = parse_date(request.args.get("from"), "from")
    last = parse_date(request.args.get("to") or request.args.get("from"), "to")
    if last < first:
        raise BadRequest("'to' must not be before 'from'.", "to")
    if (last - first).days > MAX_RANGE_DAYS:
        raise BadRequest(f"Ask for at most {MAX_RANGE_DAYS} days at a time.", "to")
    addons = [a for a in request.args.get("addons", "").split(",") if a]
    app = ctx()
    now = app.now()

    def work() -> dict[str, Any]:
        with app.db.read() as session:
            catalog = load_catalog(session)
            service = catalog.services.get(slug)
            if service is None or not service.active:
                raise booking_repo.NotFound(f"Unknown service '{slug}'.", "service")
            unknown = [a for a in addons if a not in service.addons]
            if unknown:
                raise booking_repo.InvalidInput(f"Add-on(s) not offered with {service.title}: {', '.join(unknown)}.",
                                                "addons")
            slots = find_slots(session, catalog, slug, first, last, now, addons)
            tz = catalog.tz
            return {"service": slug, "timezone": catalog.rules.timezone,
                    "slots": [{"start": iso_local(s.start, tz), "end": iso_local(s.end, tz)} for s in slots]}

    return jsonify(await app.run(work))


def _str(data: dict[str, Any], key: str, *, required: bool = False, max_len: int = 5000) -> str | None:
    value = data.get(key)
    if value is None:
        if required:
            raise BadRequest(f"'{key}' is required.", key)
        return None
    if not isinstance(value, str):
        raise BadRequest(f"'{key}' must be a string.", key)
    if len(value) > max_len:
        raise booking_repo.InvalidInput(f"'{key}' is too long ({max_len} characters at most).", key)
    return value


@bp.post("/bookings")
async def create_booking() -> Any:
    data = await json_body()
    app = ctx()
    with app.db.read() as session:
        tz = load_catalog(session).tz
    service = _str(data, "service", required=True)
    start = parse_datetime(data.get("start"), "start", tz)
    addons = data.get("addons") or []
    if not isinstance(addons, list) or not all(isinstance(a, str) for a in addons):
        raise BadRequest("'addons' must be a list of add-on slugs.", "addons")
    client = data.get("client")
    if not isinstance(client, dict):
        raise BadRequest("'client' must be an object with name, email and phone.", "client")
    for key in ("name", "email", "phone"):
        if client.get(key) is not None and not isinstance(client.get(key), str):
            raise BadRequest(f"'client.{key}' must be a string.", f"client.{key}")
    fields = data.get("fields") or {}
    if not isinstance(fields, dict):
        raise BadRequest("'fields' must be an object.", "fields")
    payment = data.get("payment") or "deposit"
    req = booking_repo.NewBooking(
        service=service or "", start=start, addons=addons,
        client=booking_repo.ClientInput(client.get("name") or "", client.get("email") or "", client.get("phone") or ""),
        fields=fields, location=_str(data, "location", max_len=300), payment=payment,
        notes=_str(data, "notes"), source="api",
    )
    booking = await app.run(booking_repo.create_booking, app.db, req, app.now())
    return jsonify(booking_json(booking, tz)), 201
