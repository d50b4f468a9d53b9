"""A seeded generator of a studio's past: clients, bookings, add-ons, payments, tags and chats.

Use it for evaluations and benchmarks that need a studio with a *known* history::

    from benchmarks.history import generate_history
    history = generate_history(db, seed=1, clients=2000, bookings=10000)   # demo studio loaded first

The database must already hold a studio with services and add-ons (load ``demo-studio.json``). The same
seed on the same catalogue gives the same rows. The returned :class:`History` lists exactly what was
inserted (plain dicts), so an evaluation can compute expected figures from it independently of any query.

On purpose it bypasses the booking rules (this is history, not new bookings), but it keeps *active*
(pending/confirmed) bookings free of overlaps, with each other and with bookings already in the
database, so PostgreSQL's exclusion constraint accepts them. Sessions before ``now`` are completed,
cancelled, no-show or declined; sessions from ``now`` on are confirmed, pending or cancelled. Everything
is inserted in bulk (one ``executemany`` per table, one transaction): 10 000 bookings and 2 000 clients
take a few seconds.
"""
from __future__ import annotations

import random
from itertools import accumulate
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Optional

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

import booking_core as core
from models import (Booking, BookingAddon, Client, ClientTag, Conversation, Database, Message, Payment)
from models.repo.catalog import Catalog, cents, load_catalog

#: The demo's frozen clock (STUDIOBOOK_NOW in tests and evaluations).
DEMO_NOW = datetime(2026, 11, 24, 16, 0, tzinfo=timezone.utc)

FIRST_NAMES = ("Ava", "Liam", "Noah", "Emma", "Olivia", "Lucas", "Sofia", "Ethan", "Mia", "Mateo", "Isla", "Leo",
               "Chloe", "Aria", "Elena", "Hugo", "Nora", "Owen", "Zoe", "Felix", "Ines", "Jonas", "Lena", "Marco",
               "Nadia", "Oscar", "Paula", "Quinn", "Rosa", "Sami", "Tessa", "Umar", "Vera", "Wes", "Yara", "Zane",
               "Amara", "Bruno", "Celine", "Dario", "Esme", "Farah", "Gideon", "Hana", "Ivo", "Jada", "Kiran",
               "Lorenzo", "Maren", "Nico", "Odile", "Pavel", "Rhea", "Soren", "Talia", "Uma", "Viktor", "Wren")
LAST_NAMES = ("Abbott", "Baptiste", "Castellano", "Dubois", "Eriksen", "Fontaine", "Galloway", "Hartmann", "Iwasaki",
              "Jovanovic", "Kowalski", "Lindgren", "Moreau", "Nakamura", "Okafor", "Petrov", "Quintero", "Rasmussen",
              "Sandoval", "Takahashi", "Underwood", "Valdez", "Whitaker", "Xiong", "Yilmaz", "Zielinski", "Albrecht",
              "Bergstrom", "Carvalho", "Delacroix", "Esposito", "Fitzgerald", "Gutierrez", "Holloway", "Ibarra",
              "Jensen", "Kaminski", "Lombardi", "Mendoza", "Novak", "Oyelaran", "Pellegrini", "Rinaldi", "Szabo",
              "Thorsen", "Vasquez", "Wojcik", "Ferreira", "Hoffmann", "Marchetti")
TAGS = (("VIP", 0.06), ("referral:instagram", 0.18), ("referral:google", 0.12), ("referral:friend", 0.08))
#: Service mix and when each is usually shot: (weight, weekday weights Mon..Sun, start hours).
SERVICE_HABITS: dict[str, tuple[float, tuple[float, ...], tuple[int, ...]]] = {
    "portrait": (40, (1, 1.2, 1, 1.1, 0.9, 0.4, 0.1), (9, 10, 11, 13, 14)),
    "family-mini": (20, (0.3, 0.3, 0.3, 0.3, 0.6, 1.5, 1.2), (9, 10, 15, 16)),
    "headshots": (20, (1.2, 1, 1.1, 1, 0.8, 0.1, 0.05), (9, 11, 12, 15)),
    "branding": (12, (0.05, 0.05, 0.05, 0.05, 1, 0.05, 0.0), (9, 10, 12)),
    "wedding": (8, (0, 0, 0, 0, 0.4, 1.5, 0.8), (11, 12, 13)),
}
PAST_STATUSES = (("completed", 0.83), ("cancelled", 0.08), ("no_show", 0.05), ("declined", 0.04))
FUTURE_STATUSES = (("confirmed", 0.70), ("pending", 0.20), ("cancelled", 0.10))


@dataclass
class History:
    """Exactly what was inserted; datetimes are aware UTC, money is integer cents."""

    seed: int
    start: date
    end: date
    now: datetime
    clients: list[dict[str, Any]] = field(default_factory=list)
    bookings: list[dict[str, Any]] = field(default_factory=list)
    payments: list[dict[str, Any]] = field(default_factory=list)
    conversations: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{len(self.clients)} clients, {len(self.bookings)} bookings, {len(self.payments)} payments, "
                f"{len(self.conversations)} conversations ({self.start} to {self.end}, seed {self.seed})")


def _pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([k for k, _ in weighted], weights=[w for _, w in weighted])[0]


def _next_id(session: Session, model: Any) -> int:
    return int(session.scalar(select(func.coalesce(func.max(model.id), 0))) or 0) + 1


class _Quotes:
    """Prices from ``booking_core.quote`` (new-client prices), cached per service, add-ons and weekday."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.cache: dict[tuple[str, tuple[str, ...], int], core.Quote] = {}

    def get(self, service: str, addons: tuple[str, ...], start: datetime) -> core.Quote:
        key = (service, addons, start.astimezone(self.catalog.tz).weekday())
        if key not in self.cache:
            self.cache[key] = core.quote(self.catalog.services[service], [self.catalog.addons[a] for a in addons],
                                         self.catalog.rules, core.ClientHistory(), start=start)
        return self.cache[key]


def generate_history(db: Database, *, seed: int = 1, clients: int = 300, bookings: int = 1500,
                     start: date = date(2025, 1, 1), end: date = date(2027, 1, 31),
                     now: Optional[datetime] = None) -> History:
    """Fill the studio in ``db`` with ``clients`` new clients and ``bookings`` sessions from ``start`` to ``end``.

    ``now`` (default: the demo's frozen clock, 2026-11-24 09:00 in Denver) splits past from future.
    Returns the :class:`History` inserted. Services without habits in ``SERVICE_HABITS`` are booked
    on weekdays at 10:00 with a small weight.
    """
    if clients < 1 or bookings < 0:
        raise ValueError("generate_history needs at least one client and a non-negative number of bookings")
    if clients > len(FIRST_NAMES) * len(LAST_NAMES):
        raise ValueError(f"at most {len(FIRST_NAMES) * len(LAST_NAMES)} clients (unique names)")
    rng = random.Random(seed)
    now = now or DEMO_NOW
    history = History(seed=seed, start=start, end=end, now=now)
    with db.write(lock_bookings=True) as session:
        catalog = load_catalog(session)
        _make_clients(session, rng, history, clients)
        _make_bookings(session, catalog, rng, history, bookings)
        _make_conversations(rng, history)
        _insert(session, catalog, history)
    return history


def _make_clients(session: Session, rng: random.Random, history: History, count: int) -> None:
    first_id = _next_id(session, Client)
    names = rng.sample([(f, l) for f in FIRST_NAMES for l in LAST_NAMES], count)
    for i, (first, last) in enumerate(names):
        tags = [tag for tag, share in TAGS if rng.random() < share]
        if "referral:instagram" in tags and "referral:google" in tags:
            tags.remove("referral:google")
        history.clients.append({
            "id": first_id + i, "name": f"{first} {last}", "email": f"{first}.{last}.{first_id + i}@example.com".lower(),
            "phone": f"+1 303 555 {i % 10000:04d}", "tags": tags,
            "created_at": datetime.combine(history.start, time(12), timezone.utc) - timedelta(days=rng.randint(0, 60)),
        })


def _client_weights(n: int) -> list[float]:
    """A few loyal clients book more often than most."""
    return [1.0 + 3.0 / (rank + 1) ** 0.5 for rank in range(n)]


def _services(catalog: Catalog) -> list[tuple[str, float]]:
    return [(slug, SERVICE_HABITS.get(slug, (3, (1, 1, 1, 1, 1, 0, 0), (10,)))[0])
            for slug, svc in catalog.services.items() if svc.active]


def _habits(slug: str) -> tuple[float, tuple[float, ...], tuple[int, ...]]:
    return SERVICE_HABITS.get(slug, (3, (1, 1, 1, 1, 1, 0, 0), (10,)))


def _addons_for(rng: random.Random, catalog: Catalog, slug: str) -> tuple[str, ...]:
    allowed = [a for a in catalog.services[slug].addons if a in catalog.addons]
    share = 0.45 if slug == "wedding" else 0.2
    return tuple(a for a in allowed if rng.random() < share)


def _existing_active_blocks(session: Session) -> list[tuple[datetime, datetime]]:
    rows = session.execute(select(Booking.block_start, Booking.block_end)
                           .where(Booking.status.in_(tuple(core.ACTIVE_STATUSES)))).all()
    return sorted((r.block_start, r.block_end) for r in rows)


def _make_bookings(session: Session, catalog: Catalog, rng: random.Random, history: History, count: int) -> None:
    tz = catalog.tz
    quotes = _Quotes(catalog)
    services = _services(catalog)
    days = [history.start + timedelta(days=i) for i in range((history.end - history.start).days)]
    client_ids = [c["id"] for c in history.clients]
    client_cum = list(accumulate(_client_weights(len(client_ids))))
    day_cum = {slug: list(accumulate(_habits(slug)[1][d.weekday()] + 0.001 for d in days)) for slug, _ in services}
    first_id = _next_id(session, Booking)
    plans = []
    for _ in range(count):
        slug = rng.choices([s for s, _ in services], weights=[w for _, w in services])[0]
        hours = _habits(slug)[2]
        day = rng.choices(days, cum_weights=day_cum[slug])[0]
        local = datetime.combine(day, time(rng.choice(hours), rng.choice((0, 30))), tz)
        plans.append((local.astimezone(timezone.utc), slug))
    plans.sort()
    busy = _existing_active_blocks(session)
    cursor_end: Optional[datetime] = None  # end of the last active block placed
    for n, (start_at, slug) in enumerate(plans):
        service = catalog.services[slug]
        addons = _addons_for(rng, catalog, slug)
        duration = service.duration_minutes + sum(catalog.addons[a].extends_minutes for a in addons)
        before, after = timedelta(minutes=service.buffer_before_minutes), timedelta(minutes=service.buffer_after_minutes)
        future = start_at >= history.now
        if future:  # active sessions: never overlapping
            if cursor_end is not None and start_at - before < cursor_end:
                start_at = _round_up(cursor_end + before, tz)
            start_at = _clear_of(busy, start_at, before, after + timedelta(minutes=duration), tz)
            cursor_end = start_at + timedelta(minutes=duration) + after
        status = _pick(rng, FUTURE_STATUSES if future else PAST_STATUSES)
        end_at = start_at + timedelta(minutes=duration)
        quote = quotes.get(slug, addons, start_at)
        lead_days = rng.randint(60, 300) if slug == "wedding" else rng.randint(2, 45)
        created = min(start_at - timedelta(days=lead_days, hours=rng.randint(0, 23)), history.now - timedelta(hours=1))
        history.bookings.append({
            "id": first_id + n, "client_id": rng.choices(client_ids, cum_weights=client_cum)[0], "service": slug,
            "start": start_at, "end": end_at, "block_start": start_at - before, "block_end": end_at + after,
            "status": status, "payment_choice": "deposit" if rng.random() < 0.85 else "at_session",
            "subtotal_cents": cents(quote.subtotal), "discount_cents": cents(quote.discount),
            "tax_cents": cents(quote.tax), "total_cents": cents(quote.total), "deposit_cents": cents(quote.deposit),
            "line_items": [{"label": i.label, "amount": str(i.amount), "kind": i.kind} for i in quote.items],
            "addons": list(addons),
            "addon_prices": {i.label: cents(i.amount) for i in quote.items if i.kind == "addon"},
            "created_at": created, "conversation_id": None, "payment_status": "unpaid",
        })
    for b in history.bookings:
        _pay(rng, history, b)


def _round_up(value: datetime, tz: Any) -> datetime:
    """To the next half hour, so generated sessions keep tidy start times."""
    extra = (-value.minute) % 30
    return (value + timedelta(minutes=extra)).replace(second=0, microsecond=0)


def _clear_of(busy: list[tuple[datetime, datetime]], start_at: datetime, before: timedelta, length: timedelta,
              tz: Any) -> datetime:
    """Move ``start_at`` later until its block misses every existing active block."""
    moved = True
    while moved:
        moved = False
        for lo, hi in busy:
            if start_at - before < hi and lo < start_at + length:
                start_at = _round_up(hi + before, tz)
                moved = True
    return start_at


def _pay(rng: random.Random, history: History, b: dict[str, Any]) -> None:
    """Payments consistent with the status, and the booking's payment_status to match."""
    deposit_at = min(b["created_at"] + timedelta(days=1), history.now - timedelta(minutes=30))
    cancelled_at = min(b["created_at"] + timedelta(days=rng.randint(1, 10)), history.now - timedelta(minutes=10))

    def pay(kind: str, amount: int, at: datetime) -> None:
        history.payments.append({"booking_id": b["id"], "kind": kind, "amount_cents": amount, "received_at": at})

    status, deposit = b["status"], b["payment_choice"] == "deposit"
    if status == "completed":
        if deposit:
            pay("deposit", b["deposit_cents"], deposit_at)
            if rng.random() < 0.9:
                pay("balance", b["total_cents"] - b["deposit_cents"], b["start"])
                b["payment_status"] = "paid"
            else:
                b["payment_status"] = "deposit_paid"
        elif rng.random() < 0.95:
            pay("balance", b["total_cents"], b["start"])
            b["payment_status"] = "paid"
    elif status == "no_show" and deposit and rng.random() < 0.5:
        pay("deposit", b["deposit_cents"], deposit_at)
        b["payment_status"] = "deposit_paid"
    elif status == "cancelled" and deposit and rng.random() < 0.4:
        pay("deposit", b["deposit_cents"], deposit_at)
        pay("refund", b["deposit_cents"], max(cancelled_at, deposit_at))
        b["payment_status"] = "refunded"
    elif status == "confirmed" and deposit and rng.random() < 0.75:
        pay("deposit", b["deposit_cents"], deposit_at)
        b["payment_status"] = "deposit_paid"
    if status == "cancelled":
        b["cancelled_at"] = cancelled_at


def _make_conversations(rng: random.Random, history: History) -> None:
    """About 40 % of bookings started in a chat or mail thread; as many threads again led nowhere."""
    salt = history.clients[0]["id"]  # ids stay unique when a studio gets history twice
    def new(created: datetime, client_id: Optional[int], booked: bool) -> dict[str, Any]:
        conv = {"id": f"{rng.getrandbits(96):024x}{salt:08x}", "reply_token": f"{rng.getrandbits(96):024x}{salt:08x}",
                "channel": "chat" if rng.random() < 0.7 else "email", "client_id": client_id,
                "created_at": created, "booked": booked}
        history.conversations.append(conv)
        return conv

    for b in history.bookings:
        if rng.random() < 0.4:
            conv = new(b["created_at"] - timedelta(hours=rng.randint(1, 72)), b["client_id"], True)
            b["conversation_id"] = conv["id"]
    span = max(1, int((min(history.now, datetime.combine(history.end, time(0), timezone.utc))
                       - datetime.combine(history.start, time(0), timezone.utc)).total_seconds()))
    for _ in range(int(len(history.conversations) * 0.6) + 1):
        created = datetime.combine(history.start, time(0), timezone.utc) + timedelta(seconds=rng.randrange(span))
        new(created, None, False)


def _insert(session: Session, catalog: Catalog, history: History) -> None:
    by_email = {c["id"]: c for c in history.clients}
    rows_clients = [{"id": c["id"], "name": c["name"], "email": c["email"], "phone": c["phone"], "notes": "",
                     "language": "en", "created_at": c["created_at"]} for c in history.clients]
    tag_id = _next_id(session, ClientTag)
    rows_tags = []
    for c in history.clients:
        for tag in c["tags"]:
            rows_tags.append({"id": tag_id, "client_id": c["id"], "tag": tag})
            tag_id += 1
    rows_convs = [{"id": c["id"], "channel": c["channel"], "client_id": c["client_id"], "reply_token": c["reply_token"],
                   "email": by_email[c["client_id"]]["email"] if c["client_id"] else None,
                   "subject": "Booking enquiry", "language": "en", "status": "closed", "state": {},
                   "created_at": c["created_at"], "updated_at": c["created_at"], "last_message_at": c["created_at"]}
                  for c in history.conversations]
    message_id = _next_id(session, Message)
    rows_messages = []
    for c in history.conversations:
        for k, (direction, body) in enumerate((("in", "Hi! Do you have time for a session?"),
                                               ("out", "Thanks for asking, here are some times."))):
            rows_messages.append({"id": message_id, "conversation_id": c["id"], "direction": direction,
                                  "channel": c["channel"], "sender": "", "body": body, "meta": {},
                                  "created_at": c["created_at"] + timedelta(minutes=k)})
            message_id += 1
    rows_bookings = [{
        "id": b["id"], "service_id": catalog.service_ids[b["service"]], "client_id": b["client_id"],
        "start_at": b["start"], "end_at": b["end"], "block_start": b["block_start"], "block_end": b["block_end"],
        "status": b["status"], "payment_status": b["payment_status"], "payment_choice": b["payment_choice"],
        "currency": catalog.rules.currency, "subtotal_cents": b["subtotal_cents"],
        "discount_cents": b["discount_cents"], "tax_cents": b["tax_cents"], "total_cents": b["total_cents"],
        "deposit_cents": b["deposit_cents"], "line_items": b["line_items"],
        "location": None if catalog.services[b["service"]].on_location else (catalog.studio.location or None),
        "fields": {}, "notes": None, "owner_notes": "", "source": "history", "conversation_id": b["conversation_id"],
        "created_at": b["created_at"], "updated_at": b["created_at"], "cancelled_at": b.get("cancelled_at"),
    } for b in history.bookings]
    addon_row_id = _next_id(session, BookingAddon)
    rows_addons = []
    for b in history.bookings:
        for slug in b["addons"]:
            rows_addons.append({"id": addon_row_id, "booking_id": b["id"], "addon_id": catalog.addon_ids[slug],
                                "price_cents": b["addon_prices"].get(catalog.addons[slug].title, 0)})
            addon_row_id += 1
    payment_id = _next_id(session, Payment)
    rows_payments = []
    for p in history.payments:
        p["id"] = payment_id
        rows_payments.append({"id": payment_id, "booking_id": p["booking_id"], "invoice_id": None, "kind": p["kind"],
                              "amount_cents": p["amount_cents"], "method": "manual", "note": "",
                              "received_at": p["received_at"]})
        payment_id += 1
    for model, rows in ((Client, rows_clients), (ClientTag, rows_tags), (Conversation, rows_convs),
                        (Message, rows_messages), (Booking, rows_bookings), (BookingAddon, rows_addons),
                        (Payment, rows_payments)):
        for chunk in range(0, len(rows), 5000):
            session.execute(insert(model.__table__), rows[chunk:chunk + 5000])
    if session.get_bind().dialect.name == "postgresql":  # explicit ids: move the sequences past them
        for table in ("clients", "client_tags", "messages", "bookings", "booking_addons", "payments"):
            session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                 f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"))
