"""The studio's analytic figures: one module serves the admin question bot and the insights charts.

Why one module: the number the owner reads in a chat answer and the bar on a chart must be the same
number, so both call these functions. Every function is a read-only aggregate (GROUP BY in SQL, never a
query per row), returns JSON-ready rows (money as "1225.00" strings, counts as ints) and takes the
period as a half-open ``[start, end)`` range of aware datetimes resolved by the caller in the studio's
time zone.

Definitions (said in every answer that uses them):

* **revenue** — the total price of *completed and confirmed* sessions whose session date lies in the
  period. Pending, cancelled, declined and no-show bookings are excluded.
* **received** — payments recorded in the period (deposits and balances, minus refunds).
* **bookings** (counts, busiest days, top clients, repeat clients) — sessions that were held or are
  scheduled: pending, confirmed, completed and no-show; cancelled and declined ones are not counted.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Iterable, Optional, Sequence
from zoneinfo import ZoneInfo

from sqlalchemy import case, distinct, func, select
from sqlalchemy.orm import Session

import booking_core as core
from models import AddOn, Booking, BookingAddon, Client, Conversation, Payment, Service
from models.repo.catalog import Catalog, find_slots

from .local_time_sql import days_between, local_part

REVENUE_STATUSES: tuple[str, ...] = ("completed", "confirmed")
BOOKED_STATUSES: tuple[str, ...] = ("pending", "confirmed", "completed", "no_show")
ACTIVE_STATUSES: tuple[str, ...] = ("pending", "confirmed")
REVENUE_MEANING = "completed and confirmed sessions by session date"
BOOKED_MEANING = "cancelled and declined bookings not counted"
RECEIVED_MEANING = "payments received, minus refunds"
WEEKDAYS = core.WEEKDAY_NAMES


@dataclass(frozen=True)
class Period:
    """A half-open range ``[start, end)`` of aware datetimes; None on a side means unbounded."""

    start: Optional[datetime]
    end: Optional[datetime]
    label: str

    def conditions(self, col: Any) -> list[Any]:
        out = []
        if self.start is not None:
            out.append(col >= self.start)
        if self.end is not None:
            out.append(col < self.end)
        return out

    def json(self, tz: ZoneInfo) -> dict[str, Optional[str]]:
        def iso(v: Optional[datetime]) -> Optional[str]:
            return v.astimezone(tz).isoformat(timespec="seconds") if v else None

        return {"label": self.label, "from": iso(self.start), "to": iso(self.end)}


ALL_TIME = Period(None, None, "all time")


def money(cents_value: Optional[int]) -> str:
    """Integer cents as the JSON money string of CONTRACT.md ("1225.00")."""
    value = Decimal(int(cents_value or 0)) / 100
    return f"{value.quantize(Decimal('0.01'))}"


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _filters(period: Period, statuses: Sequence[str], service_id: Optional[int] = None,
             client_id: Optional[int] = None) -> list[Any]:
    out = period.conditions(Booking.start_at) + [Booking.status.in_(tuple(statuses))]
    if service_id is not None:
        out.append(Booking.service_id == service_id)
    if client_id is not None:
        out.append(Booking.client_id == client_id)
    return out


def _span(session: Session, period: Period, conditions: Sequence[Any]) -> tuple[datetime, datetime]:
    """The instants a local-time expression must be valid for: the period, or the data's own range."""
    if period.start is not None and period.end is not None:
        return period.start, period.end
    lo, hi = session.execute(select(func.min(Booking.start_at), func.max(Booking.start_at))
                             .where(*conditions)).one()
    def aware(v: Any, default: datetime) -> datetime:
        if v is None:
            return default
        if isinstance(v, str):  # SQLite aggregate results skip the column type
            v = datetime.fromisoformat(v)
        return v if v.tzinfo else v.replace(tzinfo=timezone.utc)

    fallback = datetime(2000, 1, 1, tzinfo=timezone.utc)
    start = period.start or aware(lo, fallback)
    end = period.end or (aware(hi, fallback) + timedelta(days=1))
    return start - timedelta(days=1), end + timedelta(days=1)


# ---- revenue and money -------------------------------------------------------------------------
def revenue(session: Session, period: Period, *, service_id: Optional[int] = None) -> dict[str, Any]:
    """Revenue (see module doc) and the number of sessions it comes from."""
    total, count = session.execute(
        select(func.coalesce(func.sum(Booking.total_cents), 0), func.count(Booking.id))
        .where(*_filters(period, REVENUE_STATUSES, service_id))).one()
    return {"revenue": money(total), "bookings": int(count)}


def revenue_by_service(session: Session, period: Period) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Service.slug, Service.title, func.sum(Booking.total_cents), func.count(Booking.id))
        .join(Service, Service.id == Booking.service_id)
        .where(*_filters(period, REVENUE_STATUSES))
        .group_by(Service.slug, Service.title)
        .order_by(func.sum(Booking.total_cents).desc(), Service.slug)).all()
    return [{"service": slug, "title": title, "revenue": money(total), "bookings": int(n)}
            for slug, title, total, n in rows]


def _months(first: date, last: date) -> list[str]:
    out, y, m = [], first.year, first.month
    while (y, m) <= (last.year, last.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _month_keys(session: Session, tz: ZoneInfo, period: Period, conditions: Sequence[Any],
                found: Iterable[str]) -> list[str]:
    """Every month of the period (empty ones too, so a chart has no holes)."""
    found = sorted(found)
    if period.start is not None and period.end is not None:
        return _months(period.start.astimezone(tz).date(), (period.end - timedelta(microseconds=1)).astimezone(tz).date())
    if not found:
        return []
    return _months(date.fromisoformat(found[0] + "-01"), date.fromisoformat(found[-1] + "-01"))


def monthly_revenue(session: Session, tz: ZoneInfo, period: Period, *,
                    service_id: Optional[int] = None) -> list[dict[str, Any]]:
    """Revenue per studio-local month: ``[{"month": "2026-10", "revenue": "900.00", "bookings": 2}]``."""
    conditions = _filters(period, REVENUE_STATUSES, service_id)
    lo, hi = _span(session, period, conditions)
    month = local_part(Booking.start_at, "month", tz, lo, hi, _dialect(session)).label("month")
    rows = {m: (t, n) for m, t, n in session.execute(
        select(month, func.sum(Booking.total_cents), func.count(Booking.id)).where(*conditions).group_by(month))}
    return [{"month": m, "revenue": money(rows.get(m, (0, 0))[0]), "bookings": int(rows.get(m, (0, 0))[1])}
            for m in _month_keys(session, tz, period, conditions, rows)]


def bookings_trend(session: Session, tz: ZoneInfo, period: Period, *,
                   service_id: Optional[int] = None) -> list[dict[str, Any]]:
    """Bookings per month by status: ``[{"month", "booked", "completed", ..., "cancelled"}]``."""
    conditions = _filters(period, core.BOOKING_STATES, service_id)
    lo, hi = _span(session, period, conditions)
    month = local_part(Booking.start_at, "month", tz, lo, hi, _dialect(session)).label("month")
    counts: dict[str, dict[str, int]] = {}
    for m, status, n in session.execute(select(month, Booking.status, func.count(Booking.id))
                                        .where(*conditions).group_by(month, Booking.status)):
        counts.setdefault(m, {})[status] = int(n)
    out = []
    for m in _month_keys(session, tz, period, conditions, counts):
        by_status = counts.get(m, {})
        row: dict[str, Any] = {"month": m, "booked": sum(by_status.get(s, 0) for s in BOOKED_STATUSES)}
        row.update({s: by_status.get(s, 0) for s in core.BOOKING_STATES})
        out.append(row)
    return out


def received(session: Session, period: Period) -> dict[str, Any]:
    """Money received in the period by payment date (``RECEIVED_MEANING``)."""
    signed = case((Payment.kind == "refund", -Payment.amount_cents), else_=Payment.amount_cents)
    refunds = case((Payment.kind == "refund", Payment.amount_cents), else_=0)
    net, refunded, count = session.execute(
        select(func.coalesce(func.sum(signed), 0), func.coalesce(func.sum(refunds), 0), func.count(Payment.id))
        .where(*period.conditions(Payment.received_at))).one()
    return {"received": money(net), "refunds": money(refunded), "payments": int(count)}


def _paid_subquery() -> Any:
    signed = case((Payment.kind == "refund", -Payment.amount_cents), else_=Payment.amount_cents)
    return (select(Payment.booking_id.label("booking_id"), func.sum(signed).label("paid"))
            .group_by(Payment.booking_id).subquery())


def outstanding_balances(session: Session, tz: ZoneInfo, *, limit: int = 200) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Completed and confirmed bookings whose total is not yet covered by payments (after deposits)."""
    paid = _paid_subquery()
    paid_cents = func.coalesce(paid.c.paid, 0)
    balance = Booking.total_cents - paid_cents
    base = (select(Booking.id, Booking.start_at, Booking.status, Booking.total_cents, paid_cents.label("paid"),
                   balance.label("balance"), Client.name, Client.email, Service.slug, Service.title)
            .join(Client, Client.id == Booking.client_id).join(Service, Service.id == Booking.service_id)
            .outerjoin(paid, paid.c.booking_id == Booking.id)
            .where(Booking.status.in_(REVENUE_STATUSES), balance > 0))
    total, count = _sum_count(session, base)
    rows = session.execute(base.order_by(Booking.start_at).limit(limit)).all()
    return ({"outstanding": money(total), "bookings": count},
            [{"id": r.id, "start": r.start_at.astimezone(tz).isoformat(timespec="seconds"), "status": r.status,
              "client": r.name, "email": r.email, "service": r.slug, "service_title": r.title,
              "total": money(r.total_cents), "paid": money(r.paid), "balance": money(r.balance)} for r in rows])


def _sum_count(session: Session, base: Any) -> tuple[int, int]:
    sub = base.subquery()
    total, count = session.execute(select(func.coalesce(func.sum(sub.c.balance), 0), func.count())
                                   .select_from(sub)).one()
    return int(total), int(count)


def unpaid_deposits(session: Session, tz: ZoneInfo) -> list[dict[str, Any]]:
    """Pending or confirmed bookings that chose to pay a deposit and have paid nothing yet."""
    rows = session.execute(
        select(Booking.id, Booking.start_at, Booking.status, Booking.deposit_cents, Booking.total_cents,
               Client.name, Client.email, Service.slug, Service.title)
        .join(Client, Client.id == Booking.client_id).join(Service, Service.id == Booking.service_id)
        .where(Booking.status.in_(ACTIVE_STATUSES), Booking.payment_status == "unpaid",
               Booking.payment_choice == "deposit", Booking.deposit_cents > 0)
        .order_by(Booking.start_at)).all()
    return [{"id": r.id, "start": r.start_at.astimezone(tz).isoformat(timespec="seconds"), "status": r.status,
             "client": r.name, "email": r.email, "service": r.slug, "service_title": r.title,
             "deposit": money(r.deposit_cents),
             "total": money(r.total_cents)} for r in rows]


def average_booking_value(session: Session, period: Period, *, service_id: Optional[int] = None) -> dict[str, Any]:
    figures = revenue(session, period, service_id=service_id)
    total = Decimal(figures["revenue"])
    count = figures["bookings"]
    average = (total / count).quantize(Decimal("0.01")) if count else Decimal("0.00")
    return {"average": f"{average}", "revenue": figures["revenue"], "bookings": count}


# ---- counts and rankings ------------------------------------------------------------------------
def booking_counts(session: Session, period: Period, *, service_id: Optional[int] = None) -> dict[str, Any]:
    """Bookings in the period by status, plus the ``booked`` total (``BOOKED_MEANING``)."""
    counts = dict(session.execute(select(Booking.status, func.count(Booking.id))
                                  .where(*_filters(period, core.BOOKING_STATES, service_id))
                                  .group_by(Booking.status)).all())
    row: dict[str, Any] = {"booked": sum(int(counts.get(s, 0)) for s in BOOKED_STATUSES)}
    row.update({s: int(counts.get(s, 0)) for s in core.BOOKING_STATES})
    return row


def top_clients(session: Session, period: Period, *, by: str = "bookings", limit: int = 5,
                service_id: Optional[int] = None) -> list[dict[str, Any]]:
    """Clients ranked by booked sessions (ties by spend) or by spend (revenue statuses only)."""
    spend = func.sum(case((Booking.status.in_(REVENUE_STATUSES), Booking.total_cents), else_=0))
    count = func.count(Booking.id)
    order = [count.desc(), spend.desc()] if by == "bookings" else [spend.desc(), count.desc()]
    rows = session.execute(
        select(Client.id, Client.name, Client.email, count.label("n"), spend.label("spend"))
        .join(Client, Client.id == Booking.client_id)
        .where(*_filters(period, BOOKED_STATUSES, service_id))
        .group_by(Client.id, Client.name, Client.email)
        .order_by(*order, Client.name).limit(limit)).all()
    return [{"client": r.name, "email": r.email, "bookings": int(r.n), "spend": money(r.spend)} for r in rows]


def repeat_client_rate(session: Session, period: Period = ALL_TIME) -> dict[str, Any]:
    """Share of clients with a booked session in the period who have two or more there."""
    per_client = (select(Booking.client_id, func.count(Booking.id).label("n"))
                  .where(*_filters(period, BOOKED_STATUSES)).group_by(Booking.client_id).subquery())
    clients, repeat = session.execute(
        select(func.count(), func.coalesce(func.sum(case((per_client.c.n >= 2, 1), else_=0)), 0))
        .select_from(per_client)).one()
    rate = (Decimal(int(repeat)) * 100 / int(clients)).quantize(Decimal("0.1")) if clients else Decimal("0.0")
    return {"clients": int(clients), "repeat_clients": int(repeat), "rate_percent": f"{rate}"}


def bookings_with_status(session: Session, tz: ZoneInfo, period: Period, statuses: Sequence[str], *,
                         service_id: Optional[int] = None, limit: int = 200) -> tuple[int, list[dict[str, Any]]]:
    """Bookings in given statuses (no-shows, cancellations...), with the full count."""
    conditions = _filters(period, statuses, service_id)
    count = session.scalar(select(func.count(Booking.id)).where(*conditions)) or 0
    rows = session.execute(
        select(Booking.id, Booking.start_at, Booking.status, Booking.total_cents, Client.name, Client.email,
               Service.slug, Service.title)
        .join(Client, Client.id == Booking.client_id).join(Service, Service.id == Booking.service_id)
        .where(*conditions).order_by(Booking.start_at).limit(limit)).all()
    return int(count), [{"id": r.id, "start": r.start_at.astimezone(tz).isoformat(timespec="seconds"),
                         "status": r.status, "client": r.name, "email": r.email, "service": r.slug,
                         "service_title": r.title, "total": money(r.total_cents)} for r in rows]


def _grouped_by_local(session: Session, tz: ZoneInfo, period: Period, parts: Sequence[str],
                      service_id: Optional[int], by_service: bool = False) -> list[tuple[Any, ...]]:
    conditions = _filters(period, BOOKED_STATUSES, service_id)
    lo, hi = _span(session, period, conditions)
    dialect = _dialect(session)
    cols = [local_part(Booking.start_at, p, tz, lo, hi, dialect).label(p) for p in parts]
    if by_service:
        cols.insert(0, Service.slug.label("service"))
    query = select(*cols, func.count(Booking.id)).where(*conditions)
    if by_service:
        query = query.join(Service, Service.id == Booking.service_id)
    return [tuple(r) for r in session.execute(query.group_by(*cols)).all()]


def weekday_counts(session: Session, tz: ZoneInfo, period: Period, *,
                   service_id: Optional[int] = None) -> list[dict[str, Any]]:
    """Booked sessions per studio-local weekday, Monday first (all seven days)."""
    found = {int(d): int(n) for d, n in _grouped_by_local(session, tz, period, ["dow"], service_id)}
    return [{"weekday": WEEKDAYS[d], "bookings": found.get(d, 0)} for d in range(7)]


def hour_counts(session: Session, tz: ZoneInfo, period: Period, *,
                service_id: Optional[int] = None) -> list[dict[str, Any]]:
    """Booked sessions per studio-local starting hour (only hours that have any)."""
    found = sorted((int(h), int(n)) for h, n in _grouped_by_local(session, tz, period, ["hour"], service_id))
    return [{"hour": h, "label": f"{h:02d}:00", "bookings": n} for h, n in found]


def weekday_hour_heatmap(session: Session, tz: ZoneInfo, period: Period, *,
                         service_id: Optional[int] = None) -> list[dict[str, Any]]:
    """Cells ``{service, weekday, hour, bookings}`` of the weekday x hour heatmap, per service."""
    rows = _grouped_by_local(session, tz, period, ["dow", "hour"], service_id, by_service=True)
    return [{"service": s, "weekday": WEEKDAYS[int(d)], "weekday_index": int(d), "hour": int(h), "bookings": int(n)}
            for s, d, h, n in sorted(rows, key=lambda r: (r[0], int(r[1]), int(r[2])))]


def addon_popularity(session: Session, period: Period, *, service_id: Optional[int] = None) -> list[dict[str, Any]]:
    """How many booked sessions in the period chose each add-on, most popular first."""
    rows = session.execute(
        select(AddOn.slug, AddOn.title, func.count(BookingAddon.id))
        .join(BookingAddon, BookingAddon.addon_id == AddOn.id)
        .join(Booking, Booking.id == BookingAddon.booking_id)
        .where(*_filters(period, BOOKED_STATUSES, service_id))
        .group_by(AddOn.slug, AddOn.title)
        .order_by(func.count(BookingAddon.id).desc(), AddOn.slug)).all()
    return [{"addon": slug, "title": title, "bookings": int(n)} for slug, title, n in rows]


def lead_time(session: Session, period: Period, *, service_id: Optional[int] = None) -> dict[str, Any]:
    """Average days between a booking being made and its session (booked sessions in the period)."""
    days = days_between(Booking.start_at, Booking.created_at, _dialect(session))
    average, count = session.execute(select(func.avg(days), func.count(Booking.id))
                                     .where(*_filters(period, BOOKED_STATUSES, service_id))).one()
    value = Decimal(str(average or 0)).quantize(Decimal("0.1"))
    return {"average_days": f"{value}", "bookings": int(count)}


def chat_conversion(session: Session, period: Period) -> list[dict[str, Any]]:
    """Conversations started in the period per channel, and how many led to a booking."""
    booked = (select(Booking.conversation_id.label("cid")).where(Booking.conversation_id.is_not(None))
              .distinct().subquery())
    rows = session.execute(
        select(Conversation.channel, func.count(Conversation.id), func.count(booked.c.cid))
        .outerjoin(booked, booked.c.cid == Conversation.id)
        .where(*period.conditions(Conversation.created_at))
        .group_by(Conversation.channel).order_by(Conversation.channel)).all()
    return [{"channel": ch, "conversations": int(n), "converted": int(c),
             "rate_percent": f"{(Decimal(int(c)) * 100 / int(n)).quantize(Decimal('0.1')) if n else Decimal('0.0')}"}
            for ch, n, c in rows]


def new_clients(session: Session, period: Period) -> dict[str, Any]:
    """All clients, and those whose first booked session falls in the period."""
    total = session.scalar(select(func.count(Client.id))) or 0
    first = (select(Booking.client_id, func.min(Booking.start_at).label("first"))
             .where(Booking.status.in_(BOOKED_STATUSES)).group_by(Booking.client_id).subquery())
    new = session.scalar(select(func.count()).select_from(first).where(*period.conditions(first.c.first))) or 0
    return {"clients": int(total), "new_clients": int(new)}


# ---- the calendar ahead ---------------------------------------------------------------------------
def pipeline(session: Session, now: datetime) -> list[dict[str, Any]]:
    """Upcoming pending and confirmed sessions: count and value per status."""
    rows = dict((s, (n, t)) for s, n, t in session.execute(
        select(Booking.status, func.count(Booking.id), func.coalesce(func.sum(Booking.total_cents), 0))
        .where(Booking.status.in_(ACTIVE_STATUSES), Booking.start_at >= now)
        .group_by(Booking.status)).all())
    return [{"status": s, "bookings": int(rows.get(s, (0, 0))[0]), "value": money(rows.get(s, (0, 0))[1])}
            for s in ACTIVE_STATUSES]


def upcoming_gaps(session: Session, catalog: Catalog, first: date, last: date, now: datetime,
                  service_slug: str) -> list[dict[str, Any]]:
    """Free time on each studio-local day, as windows in which ``service_slug`` could be booked.

    Built from ``find_slots`` (hours, buffers, notice, blackouts, daily limits all apply), with
    overlapping possible sessions merged into windows: "free 11:30-16:00".
    """
    tz = catalog.tz
    windows: dict[date, list[list[datetime]]] = {}
    for slot in find_slots(session, catalog, service_slug, first, last, now):
        day = slot.start.astimezone(tz).date()
        spans = windows.setdefault(day, [])
        if spans and slot.start <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], slot.end)
        else:
            spans.append([slot.start, slot.end])
    out = []
    for day in sorted(windows):
        for start, end in windows[day]:
            out.append({"date": day.isoformat(), "weekday": WEEKDAYS[day.weekday()], "service": service_slug,
                        "start": start.astimezone(tz).isoformat(timespec="seconds"),
                        "end": end.astimezone(tz).isoformat(timespec="seconds")})
    return out


def distinct_tags(session: Session) -> list[str]:
    from models import ClientTag

    return list(session.scalars(select(distinct(ClientTag.tag)).order_by(ClientTag.tag)))


__all__ = [
    "Period", "ALL_TIME", "REVENUE_STATUSES", "BOOKED_STATUSES", "ACTIVE_STATUSES", "REVENUE_MEANING",
    "BOOKED_MEANING", "RECEIVED_MEANING", "money", "revenue", "revenue_by_service", "monthly_revenue",
    "bookings_trend", "received", "outstanding_balances", "unpaid_deposits", "average_booking_value",
    "booking_counts", "top_clients", "repeat_client_rate", "bookings_with_status", "weekday_counts",
    "hour_counts", "weekday_hour_heatmap", "addon_popularity", "lead_time", "chat_conversion", "new_clients",
    "pipeline", "upcoming_gaps", "distinct_tags",
]
