"""Insights: monthly revenue, bookings trend, weekday x hour heatmap, repeat clients, gaps, unpaid deposits.

The figures come from ``assistant.insights`` — the same functions the question bot answers with and
``/admin/api/insights/<name>`` serves — so a chart and a chat answer never disagree. Charts are
server-rendered SVG (``charts``): every value is printed, and stacked series differ by pattern too.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Optional

from quart import Blueprint, request

from assistant import insights as ins
from models.repo.catalog import load_catalog

from ..context import ctx
from ..pages import admin_page, render
from ..parsing import BadRequest
from . import charts

bp = Blueprint("console_insights", __name__)

MONTHS = 12
GAP_DAYS = 14
CACHE_SECONDS = 300
STATUS_SERIES = (("completed", "Completed", "#1e7b4f", ""), ("confirmed", "Confirmed", "#2c5cc5", ""),
                 ("pending", "Pending", "#d9a03f", "hatch"), ("no_show", "No-show", "#b42318", "dots"))


def _month_start(d: date, back: int) -> date:
    m = d.month - 1 - back
    return date(d.year + m // 12, m % 12 + 1, 1)


def _label(month: str) -> str:
    y, m = month.split("-")
    return date(int(y), int(m), 1).strftime("%b") + ("" if m != "01" else f" {y[2:]}")


def fingerprint(session: Any) -> tuple[Any, ...]:
    """Changes whenever a booking, payment or opening rule changes (a few aggregate reads, no scan of rows
    beyond one pass over bookings)."""
    from sqlalchemy import func, select

    from models import AvailabilityRule, Booking, Payment

    bookings = session.execute(select(func.count(Booking.id), func.max(Booking.updated_at), func.max(Booking.id))).one()
    payments = session.execute(select(func.count(Payment.id), func.max(Payment.id))).one()
    rules = session.execute(select(func.count(AvailabilityRule.id), func.max(AvailabilityRule.id))).one()
    return tuple(bookings) + tuple(payments) + tuple(rules)


def _figures(service_slug: Optional[str], now: datetime) -> dict[str, Any]:
    """Every figure of the page, from assistant.insights (the question bot's own functions)."""
    app = ctx()
    with app.db.read() as s:
        catalog = load_catalog(s)
        tz = catalog.tz
        if service_slug and service_slug not in catalog.service_ids:
            raise BadRequest(f"Unknown service '{service_slug}'.", "service")
        today = now.astimezone(tz).date()
        first = _month_start(today, MONTHS - 1)
        end = _month_start(today, -1)
        period = ins.Period(datetime.combine(first, time(0), tz), datetime.combine(end, time(0), tz),
                            f"{first:%b %Y} – {today:%b %Y}")
        revenue = ins.monthly_revenue(s, tz, period)
        trend = ins.bookings_trend(s, tz, period)
        service_id = catalog.service_ids.get(service_slug) if service_slug else None
        heat = ins.weekday_hour_heatmap(s, tz, period, service_id=service_id)
        repeat = ins.repeat_client_rate(s, period)
        services = catalog.ordered_services()
        gap_slug = service_slug or (services[0].slug if services else None)
        gaps = ins.upcoming_gaps(s, catalog, today, today + timedelta(days=GAP_DAYS - 1), now, gap_slug) if gap_slug else []
        unpaid = ins.unpaid_deposits(s, tz)
        received = ins.received(s, period)
        gap_service = catalog.service_rows[gap_slug].title if gap_slug else ""
    # the period's revenue is the sum of its months (same definition, no second query)
    totals = {"revenue": str(sum((Decimal(r["revenue"]) for r in revenue), Decimal("0.00"))),
              "bookings": sum(r["bookings"] for r in revenue)}
    return {"revenue": revenue, "trend": trend, "heat": heat, "repeat": repeat, "services": services,
            "gap_slug": gap_slug, "gap_service": gap_service, "gaps": gaps, "unpaid": unpaid, "received": received,
            "totals": totals, "period": period, "today": today}


def compute(service_slug: Optional[str]) -> dict[str, Any]:
    """The page's figures, cached while the data they come from is unchanged (and for at most 5 minutes).

    On 10 000 bookings the aggregates take 100-200 ms on SQLite; the owner reloads this page far more
    often than bookings change, so a fingerprint of the underlying tables (one cheap read) decides
    whether to recompute. The time is part of the key at 5-minute resolution: "upcoming gaps" depend on now.
    """
    app = ctx()
    now = app.now()
    with app.db.read() as s:
        key = (service_slug, fingerprint(s), int(now.timestamp() // CACHE_SECONDS))
    cache: dict[Any, dict[str, Any]] = app.extras.setdefault("insights_cache", {})
    page = cache.get(key)
    if page is None:
        page = _present(_figures(service_slug, now), service_slug)
        if len(cache) >= 32:
            cache.clear()
        cache[key] = page
    return page


def _present(f: dict[str, Any], service_slug: Optional[str]) -> dict[str, Any]:
    revenue, trend, heat, gaps, unpaid = f["revenue"], f["trend"], f["heat"], f["gaps"], f["unpaid"]
    today = f["today"]
    labels = [_label(r["month"]) for r in revenue]
    revenue_values = [float(Decimal(r["revenue"])) for r in revenue]
    revenue_chart = charts.bar_chart(labels, [charts.Series("Revenue", revenue_values, "#2c5cc5")],
                                     "Revenue per month", fmt_value=lambda v: charts.compact(v))
    trend_chart = charts.bar_chart([_label(r["month"]) for r in trend],
                                   [charts.Series(label, [r[key] for r in trend], color, pattern)
                                    for key, label, color, pattern in STATUS_SERIES],
                                   "Sessions per month by status", fmt_value=lambda v: f"{v:g}", counts=True)
    # heatmap: weekday rows x hour columns, summed over services unless one is chosen
    cells: dict[tuple[int, int], int] = {}
    for c in heat:
        key = (c["weekday_index"], c["hour"])
        cells[key] = cells.get(key, 0) + c["bookings"]
    hours = sorted({h for _, h in cells}) or list(range(9, 17))
    hours = list(range(min(hours), max(hours) + 1))
    heat_max = max(cells.values(), default=0)
    gap_days: dict[str, list[dict[str, Any]]] = {}
    for g in gaps:
        gap_days.setdefault(g["date"], []).append(g)
    unpaid_total = sum((Decimal(u["deposit"]) for u in unpaid), Decimal("0"))
    return {"revenue_chart": revenue_chart, "trend_chart": trend_chart, "revenue": revenue, "trend": trend,
            "labels": labels, "cells": cells, "hours": hours, "heat_max": heat_max, "repeat": f["repeat"],
            "gaps": gap_days, "gap_service": f["gap_service"], "unpaid": unpaid, "unpaid_total": unpaid_total,
            "services": f["services"], "service_slug": service_slug, "period": f["period"], "totals": f["totals"],
            "received": f["received"], "today": today,
            "gap_range": [today + timedelta(days=i) for i in range(GAP_DAYS)], "status_series": STATUS_SERIES}


@bp.get("/admin/insights")
@admin_page
async def index() -> Any:
    service = (request.args.get("service") or "").strip() or None
    data = await ctx().run(compute, service)
    return await render("console/insights.html", section="insights", page_title="Insights",
                        heat_shade=charts.heat_shade, heat_text=charts.heat_text,
                        weekdays=("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"), Decimal=Decimal,
                        datetime=datetime, **data)
