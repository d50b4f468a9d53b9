"""Admin JSON API (CONTRACT.md): bookings in a date range."""
from __future__ import annotations

from typing import Any

from quart import Blueprint, jsonify, request
from sqlalchemy import select

from models import Booking
from models.repo.catalog import load_catalog, local_day_bounds

from .auth import admin_api
from .context import ctx
from .parsing import BadRequest, parse_date
from .serialize import booking_json

bp = Blueprint("api_admin", __name__, url_prefix="/admin/api")


@bp.get("/bookings")
@admin_api
async def bookings() -> Any:
    first = parse_date(request.args.get("from"), "from") if request.args.get("from") else None
    last = parse_date(request.args.get("to"), "to") if request.args.get("to") else None
    if first and last and last < first:
        raise BadRequest("'to' must not be before 'from'.", "to")
    status = [s for s in request.args.get("status", "").split(",") if s]
    app = ctx()

    def work() -> list[dict[str, Any]]:
        with app.db.read() as session:
            catalog = load_catalog(session)
            query = select(Booking).order_by(Booking.start_at)
            if first or last:
                lo, hi = local_day_bounds(catalog, first or last, last or first)  # type: ignore[arg-type]
                if first:
                    query = query.where(Booking.start_at >= lo)
                if last:
                    query = query.where(Booking.start_at < hi)
            if status:
                query = query.where(Booking.status.in_(status))
            return [booking_json(b, catalog.tz) for b in session.scalars(query).unique()]

    return jsonify(await app.run(work))
