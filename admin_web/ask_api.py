"""Admin JSON API of the question bot and the insights charts.

``POST /admin/api/ask`` (CONTRACT.md): ``{"question"}`` -> ``{"answer", "data"}`` (plus ``query`` and
``refused``). ``GET /admin/api/insights/<name>`` serves each chart series from ``assistant.insights`` —
the same functions the bot answers with — so a chart and a chat answer never disagree. Both are
read-only and admin-only; bad input is a 400 with a sentence saying what to send.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Callable, Optional

from quart import Blueprint, jsonify, request
from sqlalchemy.orm import Session

from assistant import insights as ins
from assistant.admin_bot import MAX_QUESTION_CHARS, answer_question
from assistant.admin_bot.periods import Clock
from assistant.admin_bot.router import default_period
from models.repo.catalog import Catalog, load_catalog

from .auth import admin_api
from .context import ctx
from .parsing import BadRequest, json_body, parse_date

bp = Blueprint("ask_api", __name__, url_prefix="/admin/api")


@bp.post("/ask")
@admin_api
async def ask() -> Any:
    body = await json_body()
    question = body.get("question")
    if not isinstance(question, str) or not question.strip():
        raise BadRequest("Send {\"question\": \"...\"} with the question as text.", "question")
    if len(question) > MAX_QUESTION_CHARS:
        raise BadRequest(f"The question is too long (at most {MAX_QUESTION_CHARS} characters).", "question")
    app = ctx()
    result = await app.run(answer_question, app.db, app.settings, question)
    return jsonify(result.json())


# ---- insights -------------------------------------------------------------------------------------
Series = Callable[[Session, Catalog, ins.Period, Optional[int], Clock, dict[str, str]], Any]


SERIES: dict[str, tuple[Series, str]] = {
    "monthly-revenue": (lambda s, c, p, sid, k, o: ins.monthly_revenue(s, c.tz, p, service_id=sid), "months"),
    "bookings-trend": (lambda s, c, p, sid, k, o: ins.bookings_trend(s, c.tz, p, service_id=sid), "months"),
    "heatmap": (lambda s, c, p, sid, k, o: ins.weekday_hour_heatmap(s, c.tz, p, service_id=sid), "all"),
    "weekdays": (lambda s, c, p, sid, k, o: ins.weekday_counts(s, c.tz, p, service_id=sid), "all"),
    "hours": (lambda s, c, p, sid, k, o: ins.hour_counts(s, c.tz, p, service_id=sid), "all"),
    "revenue": (lambda s, c, p, sid, k, o: ins.revenue(s, p, service_id=sid), "all"),
    "received": (lambda s, c, p, sid, k, o: ins.received(s, p), "all"),
    "revenue-by-service": (lambda s, c, p, sid, k, o: ins.revenue_by_service(s, p), "all"),
    "average-value": (lambda s, c, p, sid, k, o: ins.average_booking_value(s, p, service_id=sid), "all"),
    "repeat-clients": (lambda s, c, p, sid, k, o: ins.repeat_client_rate(s, p), "all"),
    "top-clients": (lambda s, c, p, sid, k, o: ins.top_clients(s, p, by=o.get("by", "bookings"),
                                                            limit=20, service_id=sid), "all"),
    "addons": (lambda s, c, p, sid, k, o: ins.addon_popularity(s, p, service_id=sid), "all"),
    "lead-time": (lambda s, c, p, sid, k, o: ins.lead_time(s, p, service_id=sid), "all"),
    "conversion": (lambda s, c, p, sid, k, o: ins.chat_conversion(s, p), "all"),
    "no-shows": (lambda s, c, p, sid, k, o: ins.bookings_with_status(s, c.tz, p, ("no_show",), service_id=sid)[1], "all"),
    "pipeline": (lambda s, c, p, sid, k, o: ins.pipeline(s, k.now), "none"),
    "unpaid-deposits": (lambda s, c, p, sid, k, o: ins.unpaid_deposits(s, c.tz), "none"),
    "outstanding": (lambda s, c, p, sid, k, o: ins.outstanding_balances(s, c.tz)[1], "none"),
    "gaps": (lambda s, c, p, sid, k, o: _gaps(s, c, p, sid, k), "week"),
}


def _gaps(session: Session, catalog: Catalog, period: ins.Period, service_id: Optional[int], clock: Clock) -> Any:
    slug = next((slug for slug, i in catalog.service_ids.items() if i == service_id),
                catalog.ordered_services()[0].slug)
    first = max(period.start or clock.now, clock.now).astimezone(catalog.tz).date()
    last = ((period.end or clock.now + timedelta(days=7)) - timedelta(microseconds=1)).astimezone(catalog.tz).date()
    return ins.upcoming_gaps(session, catalog, first, last, clock.now, slug) if first <= last else []


def _period(clock: Clock, first: Optional[date], last: Optional[date], default: str) -> ins.Period:
    if first or last:
        lo = clock.midnight(first) if first else None
        hi = clock.midnight(last + timedelta(days=1)) if last else None
        return ins.Period(lo, hi, f"{first or '…'} – {last or '…'}")
    if default == "months":
        return default_period("monthly_revenue", clock)
    if default == "week":
        return clock.days(clock.today, clock.today + timedelta(days=6), "the next 7 days")
    return ins.ALL_TIME


@bp.get("/insights")
@admin_api
async def insight_names() -> Any:
    return jsonify({"series": sorted(SERIES)})


@bp.get("/insights/<name>")
@admin_api
async def insight(name: str) -> Any:
    if name not in SERIES:
        return jsonify({"error": f"Unknown series '{name}'. Known: {', '.join(sorted(SERIES))}."}), 404
    first = parse_date(request.args.get("from"), "from") if request.args.get("from") else None
    last = parse_date(request.args.get("to"), "to") if request.args.get("to") else None
    if first and last and last < first:
        raise BadRequest("'to' must not be before 'from'.", "to")
    service = request.args.get("service")
    options = {"by": "spend" if request.args.get("by") == "spend" else "bookings"}
    series, default = SERIES[name]
    app = ctx()

    def work() -> dict[str, Any]:
        with app.db.read() as session:
            catalog = load_catalog(session)
            clock = Clock(app.now(), catalog.tz)
            service_id = None
            if service:
                if service not in catalog.service_ids:
                    raise BadRequest(f"Unknown service '{service}'. Known: {', '.join(sorted(catalog.service_ids))}.",
                                     "service")
                service_id = catalog.service_ids[service]
            period = _period(clock, first, last, default)
            data = series(session, catalog, period, service_id, clock, options)
            return {"name": name, "period": None if default == "none" else period.json(catalog.tz),
                    "service": service, "data": data}

    return jsonify(await app.run(work))
