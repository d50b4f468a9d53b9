"""The catalogue of typed, read-only, parameterised queries the bot can answer with.

Why a fixed catalogue: every figure the bot states comes from one of these functions, each a plain
SELECT with bound parameters (analytics delegate to ``assistant.insights`` so chat answers and charts
agree). A query returns ``QueryResult``: the facts the answer template needs and the rows it is based
on (the API's ``data``). Nothing here writes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Callable, Optional

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from assistant import insights as ins
from assistant.insights import ALL_TIME, Period
from models import Booking, Client, ClientTag, Payment, Service
from models.repo.catalog import Catalog

from .periods import Clock
from .router import Route, default_period


@dataclass
class QueryContext:
    session: Session
    catalog: Catalog
    clock: Clock

    @property
    def now(self) -> datetime:
        return self.clock.now

    def iso(self, value: datetime) -> str:
        return value.astimezone(self.catalog.tz).isoformat(timespec="seconds")


@dataclass
class QueryResult:
    intent: str
    facts: dict[str, Any]
    rows: list[dict[str, Any]]
    period: Optional[Period] = None
    #: Set when the query could not be answered as asked (unknown or ambiguous client...).
    problem: Optional[str] = None
    notes: list[str] = field(default_factory=list)


Runner = Callable[[QueryContext, Route], QueryResult]
CATALOGUE: dict[str, Runner] = {}


def query(name: str) -> Callable[[Runner], Runner]:
    def register(fn: Runner) -> Runner:
        CATALOGUE[name] = fn
        return fn

    return register


def _period(ctx: QueryContext, route: Route, intent: str) -> Period:
    return route.period or default_period(intent, ctx.clock)


def _service_id(route: Route) -> Optional[int]:
    return route.service.id if route.service else None


def _service_fact(route: Route) -> dict[str, Any]:
    return {"service": route.service.title if route.service else None}


# ---- money ------------------------------------------------------------------------------------------
@query("revenue")
def q_revenue(ctx: QueryContext, route: Route) -> QueryResult:
    period = _period(ctx, route, "revenue")
    figures = ins.revenue(ctx.session, period, service_id=_service_id(route))
    row = {**figures, **period.json(ctx.catalog.tz), **_service_fact(route)}
    return QueryResult("revenue", {**figures, **_service_fact(route)}, [row], period)


@query("received")
def q_received(ctx: QueryContext, route: Route) -> QueryResult:
    period = _period(ctx, route, "received")
    figures = ins.received(ctx.session, period)
    return QueryResult("received", figures, [{**figures, **period.json(ctx.catalog.tz)}], period)


@query("revenue_by_service")
def q_revenue_by_service(ctx: QueryContext, route: Route) -> QueryResult:
    period = _period(ctx, route, "revenue_by_service")
    rows = ins.revenue_by_service(ctx.session, period)
    return QueryResult("revenue_by_service", {}, rows, period)


@query("monthly_revenue")
def q_monthly_revenue(ctx: QueryContext, route: Route) -> QueryResult:
    period = _period(ctx, route, "monthly_revenue")
    rows = ins.monthly_revenue(ctx.session, ctx.catalog.tz, period, service_id=_service_id(route))
    return QueryResult("monthly_revenue", _service_fact(route), rows, period)


@query("avg_value")
def q_avg_value(ctx: QueryContext, route: Route) -> QueryResult:
    period = _period(ctx, route, "avg_value")
    figures = ins.average_booking_value(ctx.session, period, service_id=_service_id(route))
    return QueryResult("avg_value", {**figures, **_service_fact(route)}, [{**figures, **period.json(ctx.catalog.tz)}],
                       period)


@query("outstanding")
def q_outstanding(ctx: QueryContext, route: Route) -> QueryResult:
    totals, rows = ins.outstanding_balances(ctx.session, ctx.catalog.tz)
    return QueryResult("outstanding", totals, rows)


@query("unpaid_deposits")
def q_unpaid_deposits(ctx: QueryContext, route: Route) -> QueryResult:
    rows = ins.unpaid_deposits(ctx.session, ctx.catalog.tz)
    return QueryResult("unpaid_deposits", {"bookings": len(rows)}, rows)


@query("price_list")
def q_price_list(ctx: QueryContext, route: Route) -> QueryResult:
    rows = []
    wanted = {s.key for s in route.services}
    for row in ctx.catalog.ordered_services():
        if not row.active or (wanted and row.slug not in wanted):
            continue
        rows.append({"service": row.slug, "title": row.title, "pricing": row.pricing_kind,
                     "price": ins.money(row.price_cents), "duration_minutes": row.duration_minutes})
    return QueryResult("price_list", {}, rows)


# ---- counts and rankings --------------------------------------------------------------------------
@query("booking_count")
def q_booking_count(ctx: QueryContext, route: Route) -> QueryResult:
    period = _period(ctx, route, "booking_count")
    figures = ins.booking_counts(ctx.session, period, service_id=_service_id(route))
    return QueryResult("booking_count", {**figures, **_service_fact(route)},
                       [{**figures, **period.json(ctx.catalog.tz), **_service_fact(route)}], period)


@query("bookings_trend")
def q_bookings_trend(ctx: QueryContext, route: Route) -> QueryResult:
    period = _period(ctx, route, "bookings_trend")
    rows = ins.bookings_trend(ctx.session, ctx.catalog.tz, period, service_id=_service_id(route))
    return QueryResult("bookings_trend", _service_fact(route), rows, period)


def _status_query(intent: str, statuses: tuple[str, ...]) -> Runner:
    def run(ctx: QueryContext, route: Route) -> QueryResult:
        period = _period(ctx, route, intent)
        count, rows = ins.bookings_with_status(ctx.session, ctx.catalog.tz, period, statuses,
                                               service_id=_service_id(route))
        counts = ins.booking_counts(ctx.session, period, service_id=_service_id(route))
        made = counts["booked"] + counts["cancelled"] + counts["declined"]
        return QueryResult(intent, {"count": count, "of": made, **_service_fact(route)}, rows, period)

    return run


CATALOGUE["cancellations"] = _status_query("cancellations", ("cancelled",))
CATALOGUE["no_shows"] = _status_query("no_shows", ("no_show",))


@query("top_clients")
def q_top_clients(ctx: QueryContext, route: Route) -> QueryResult:
    period = _period(ctx, route, "top_clients")
    rows = ins.top_clients(ctx.session, period, by=route.by, limit=10, service_id=_service_id(route))
    key = "bookings" if route.by == "bookings" else "spend"
    if len(rows) == 10 and rows[0][key] == rows[-1][key]:  # a tie wider than the list: name every leader
        rows = [r for r in ins.top_clients(ctx.session, period, by=route.by, limit=1000,
                                           service_id=_service_id(route)) if r[key] == rows[0][key]]
    return QueryResult("top_clients", {"by": route.by, **_service_fact(route)}, rows, period)


@query("repeat_rate")
def q_repeat_rate(ctx: QueryContext, route: Route) -> QueryResult:
    period = _period(ctx, route, "repeat_rate")
    figures = ins.repeat_client_rate(ctx.session, period)
    return QueryResult("repeat_rate", figures, [{**figures, **period.json(ctx.catalog.tz)}], period)


@query("busiest_weekdays")
def q_busiest_weekdays(ctx: QueryContext, route: Route) -> QueryResult:
    period = _period(ctx, route, "busiest_weekdays")
    rows = ins.weekday_counts(ctx.session, ctx.catalog.tz, period, service_id=_service_id(route))
    return QueryResult("busiest_weekdays", _service_fact(route), rows, period)


@query("busiest_hours")
def q_busiest_hours(ctx: QueryContext, route: Route) -> QueryResult:
    period = _period(ctx, route, "busiest_hours")
    rows = ins.hour_counts(ctx.session, ctx.catalog.tz, period, service_id=_service_id(route))
    return QueryResult("busiest_hours", _service_fact(route), rows, period)


@query("addon_popularity")
def q_addon_popularity(ctx: QueryContext, route: Route) -> QueryResult:
    period = _period(ctx, route, "addon_popularity")
    rows = ins.addon_popularity(ctx.session, period, service_id=_service_id(route))
    wanted = {a.key for a in route.addons}
    if len(wanted) == 1:
        slug = next(iter(wanted))
        rows = [r for r in rows if r["addon"] == slug] or \
            [{"addon": slug, "title": route.addons[0].title, "bookings": 0}]
    return QueryResult("addon_popularity", {"single": len(wanted) == 1, **_service_fact(route)}, rows, period)


@query("lead_time")
def q_lead_time(ctx: QueryContext, route: Route) -> QueryResult:
    period = _period(ctx, route, "lead_time")
    figures = ins.lead_time(ctx.session, period, service_id=_service_id(route))
    return QueryResult("lead_time", {**figures, **_service_fact(route)}, [{**figures, **period.json(ctx.catalog.tz)}],
                       period)


@query("conversion")
def q_conversion(ctx: QueryContext, route: Route) -> QueryResult:
    period = _period(ctx, route, "conversion")
    rows = ins.chat_conversion(ctx.session, period)
    total = sum(r["conversations"] for r in rows)
    converted = sum(r["converted"] for r in rows)
    rate = f"{converted * 100 / total:.1f}" if total else "0.0"
    return QueryResult("conversion", {"conversations": total, "converted": converted, "rate_percent": rate}, rows,
                       period)


@query("client_count")
def q_client_count(ctx: QueryContext, route: Route) -> QueryResult:
    period = _period(ctx, route, "client_count")
    figures = ins.new_clients(ctx.session, period)
    return QueryResult("client_count", figures, [{**figures, **period.json(ctx.catalog.tz)}], period)


# ---- the calendar ---------------------------------------------------------------------------------
def _booking_rows(ctx: QueryContext, conditions: list[Any], *, limit: int = 200,
                  descending: bool = False) -> list[dict[str, Any]]:
    order = Booking.start_at.desc() if descending else Booking.start_at
    rows = ctx.session.execute(
        select(Booking.id, Booking.start_at, Booking.end_at, Booking.status, Booking.payment_status,
               Booking.total_cents, Booking.location, Service.slug, Service.title, Client.name, Client.email)
        .join(Service, Service.id == Booking.service_id).join(Client, Client.id == Booking.client_id)
        .where(*conditions).order_by(order).limit(limit)).all()
    return [{"id": r.id, "start": ctx.iso(r.start_at), "end": ctx.iso(r.end_at), "status": r.status,
             "payment_status": r.payment_status, "total": ins.money(r.total_cents), "location": r.location,
             "service": r.slug, "service_title": r.title, "client": r.name, "email": r.email} for r in rows]


@query("schedule")
def q_schedule(ctx: QueryContext, route: Route) -> QueryResult:
    period = _period(ctx, route, "schedule")
    conditions = period.conditions(Booking.start_at) + [Booking.status.in_(ins.BOOKED_STATUSES)]
    if route.service:
        conditions.append(Booking.service_id == route.service.id)
    count = ctx.session.scalar(select(func.count(Booking.id)).where(*conditions)) or 0
    rows = _booking_rows(ctx, conditions)
    return QueryResult("schedule", {"count": int(count), **_service_fact(route)}, rows, period)


@query("next_shoot")
def q_next_shoot(ctx: QueryContext, route: Route) -> QueryResult:
    conditions = [Booking.status.in_(ins.ACTIVE_STATUSES), Booking.start_at >= ctx.now]
    if route.service:
        conditions.append(Booking.service_id == route.service.id)
    return QueryResult("next_shoot", _service_fact(route), _booking_rows(ctx, conditions, limit=1))


@query("gaps")
def q_gaps(ctx: QueryContext, route: Route) -> QueryResult:
    period = _period(ctx, route, "gaps")
    service = route.service
    slug = service.key if service else ctx.catalog.ordered_services()[0].slug
    tz = ctx.catalog.tz
    first = max(period.start, ctx.now).astimezone(tz).date() if period.start else ctx.clock.today
    last = ((period.end or ctx.now + timedelta(days=7)) - timedelta(microseconds=1)).astimezone(tz).date()
    rows = ins.upcoming_gaps(ctx.session, ctx.catalog, first, last, ctx.now, slug) if first <= last else []
    return QueryResult("gaps", {"service": ctx.catalog.service_rows[slug].title, "days": len({r["date"] for r in rows})},
                       rows, period)


@query("pipeline")
def q_pipeline(ctx: QueryContext, route: Route) -> QueryResult:
    rows = ins.pipeline(ctx.session, ctx.now)
    return QueryResult("pipeline", {}, rows)


# ---- the CRM --------------------------------------------------------------------------------------
def _one_client(ctx: QueryContext, route: Route, intent: str) -> tuple[Optional[Client], Optional[QueryResult]]:
    """The single client a question is about, or a result explaining why there isn't one."""
    match = route.clients
    if match is None or not match.clients:
        asked = f" matching '{match.asked}'" if match and match.asked else ""
        return None, QueryResult(intent, {}, [], problem=f"I couldn't find a client{asked}. Try the full name or "
                                                         f"email address as it is in your client list.")
    if len(match.clients) > 1:
        rows = [{"client": c.title, "email": c.key} for c in match.clients[:10]]
        names = "; ".join(f"{c.title} ({c.key})" for c in match.clients[:10])
        return None, QueryResult(intent, {}, rows, problem=f"Several clients match: {names}. Which one do you mean? "
                                                          f"Ask again with the full name or email address.")
    return ctx.session.get(Client, match.clients[0].id), None


@query("client_contact")
def q_client_contact(ctx: QueryContext, route: Route) -> QueryResult:
    client, problem = _one_client(ctx, route, "client_contact")
    if problem:
        return problem
    assert client is not None
    row = {"client": client.name, "email": client.email, "phone": client.phone, "tags": client.tag_names}
    return QueryResult("client_contact", row, [row])


@query("client_summary")
def q_client_summary(ctx: QueryContext, route: Route) -> QueryResult:
    client, problem = _one_client(ctx, route, "client_summary")
    if problem:
        return problem
    assert client is not None
    period = route.period or ALL_TIME
    conditions = period.conditions(Booking.start_at) + [Booking.client_id == client.id]
    counts = dict(ctx.session.execute(select(Booking.status, func.count(Booking.id)).where(*conditions)
                                      .group_by(Booking.status)).all())
    spend = ctx.session.scalar(select(func.coalesce(func.sum(Booking.total_cents), 0))
                               .where(*conditions, Booking.status.in_(ins.REVENUE_STATUSES))) or 0
    signed = case((Payment.kind == "refund", -Payment.amount_cents), else_=Payment.amount_cents)
    paid = ctx.session.scalar(select(func.coalesce(func.sum(signed), 0)).join(Booking, Booking.id == Payment.booking_id)
                              .where(*conditions)) or 0
    upcoming = _booking_rows(ctx, [Booking.client_id == client.id, Booking.status.in_(ins.ACTIVE_STATUSES),
                                   Booking.start_at >= ctx.now], limit=1)
    facts = {"client": client.name, "email": client.email, "phone": client.phone, "tags": client.tag_names,
             "booked": sum(int(counts.get(s, 0)) for s in ins.BOOKED_STATUSES),
             "by_status": {s: int(n) for s, n in counts.items()}, "spend": ins.money(spend),
             "received": ins.money(paid), "next": upcoming[0] if upcoming else None}
    rows = _booking_rows(ctx, conditions, limit=200)
    return QueryResult("client_summary", facts, rows, period)


@query("client_next")
def q_client_next(ctx: QueryContext, route: Route) -> QueryResult:
    client, problem = _one_client(ctx, route, "client_next")
    if problem:
        return problem
    assert client is not None
    upcoming = _booking_rows(ctx, [Booking.client_id == client.id, Booking.status.in_(ins.ACTIVE_STATUSES),
                                   Booking.start_at >= ctx.now], limit=1)
    last = _booking_rows(ctx, [Booking.client_id == client.id, Booking.start_at < ctx.now,
                               Booking.status.in_(ins.BOOKED_STATUSES)], limit=1, descending=True)
    facts = {"client": client.name, "next": upcoming[0] if upcoming else None, "last": last[0] if last else None}
    return QueryResult("client_next", facts, upcoming + last)


@query("clients_by_tag")
def q_clients_by_tag(ctx: QueryContext, route: Route) -> QueryResult:
    tag = route.tag or ""
    rows = ctx.session.execute(select(Client.id, Client.name, Client.email, Client.phone)
                               .join(ClientTag, ClientTag.client_id == Client.id)
                               .where(ClientTag.tag == tag).order_by(Client.name)).all()
    data = [{"client": r.name, "email": r.email, "phone": r.phone, "tag": tag} for r in rows]
    return QueryResult("clients_by_tag", {"tag": tag, "count": len(data)}, data)


def run_query(ctx: QueryContext, route: Route) -> QueryResult:
    """Run the route's query. Raises KeyError for an intent outside the catalogue (a bug)."""
    return CATALOGUE[route.intent or ""](ctx, route)
