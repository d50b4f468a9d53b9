"""Answers from templates that show the figures used, and an optional fact-checked LLM phrasing.

Why templates: the answer is the product — every number in it must come from the query result, and
the owner must see which figures and which definition ("completed and confirmed sessions") it rests
on. A model may rephrase a template, but the phrasing is used only when every number and capitalised
name in it appears in the template (and every number of the template is still there); otherwise the
template is returned unchanged.
"""
from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from typing import Any, Callable, Optional, Sequence

import booking_core as core
from assistant.insights import BOOKED_MEANING, RECEIVED_MEANING, REVENUE_MEANING

from .queries import QueryResult

Template = Callable[[QueryResult, str], str]
TEMPLATES: dict[str, Template] = {}
LIST_LIMIT = 12
#: Longer answers are never sent to the model for rewording (see ``phrase``).
PHRASE_MAX_CHARS = 240


def template(name: str) -> Callable[[Template], Template]:
    def register(fn: Template) -> Template:
        TEMPLATES[name] = fn
        return fn

    return register


def fmt_money(value: str | int | Decimal, currency: str) -> str:
    return core.format_money(Decimal(str(value)), currency)


def plural(n: int, word: str, many: Optional[str] = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def when(iso: str, *, with_end: Optional[str] = None, year: bool = False) -> str:
    """"Tue Dec 1, 10:00" (studio-local, as stored in the row)."""
    start = datetime.fromisoformat(iso)
    text = f"{start:%a %b} {start.day}{', ' + str(start.year) if year else ''}, {start:%H:%M}"
    if with_end:
        text += f"–{datetime.fromisoformat(with_end):%H:%M}"
    return text


def day(iso: str) -> str:
    d = datetime.fromisoformat(iso)
    return f"{d:%a %b} {d.day}, {d.year}"


def _more(rows: Sequence[Any], shown: int) -> str:
    return f"; and {len(rows) - shown} more (all in the data)" if len(rows) > shown else ""


def _for(period_label: str, service: Optional[str]) -> str:
    return f"{period_label}{', ' + service if service else ''}"


def render(result: QueryResult, currency: str) -> str:
    if result.problem:
        return result.problem
    text = TEMPLATES[result.intent](result, currency)
    return text


def label(result: QueryResult) -> str:
    return result.period.label if result.period else "all time"


# ---- money ------------------------------------------------------------------------------------------
@template("revenue")
def t_revenue(r: QueryResult, cur: str) -> str:
    f = r.facts
    head = f"Revenue for {_for(label(r), f.get('service'))}: {fmt_money(f['revenue'], cur)}"
    return f"{head} from {plural(f['bookings'], 'booking')} ({REVENUE_MEANING}; pending, cancelled, " \
           f"declined and no-show bookings excluded)."


@template("received")
def t_received(r: QueryResult, cur: str) -> str:
    f = r.facts
    refunds = f" and refunds of {fmt_money(f['refunds'], cur)}" if Decimal(f["refunds"]) else ""
    return f"Received in {label(r)}: {fmt_money(f['received'], cur)} from {plural(f['payments'], 'payment')}" \
           f"{refunds} ({RECEIVED_MEANING}, by payment date)."


@template("revenue_by_service")
def t_revenue_by_service(r: QueryResult, cur: str) -> str:
    if not r.rows:
        return f"No revenue for {label(r)}: no completed or confirmed sessions in that period."
    total = sum(Decimal(x["revenue"]) for x in r.rows)
    count = sum(x["bookings"] for x in r.rows)
    parts = "; ".join(f"{x['title']} {fmt_money(x['revenue'], cur)} ({plural(x['bookings'], 'booking')})" for x in r.rows)
    return f"Revenue by service for {label(r)} ({REVENUE_MEANING}): {parts}. Top: {r.rows[0]['title']}. " \
           f"Total {fmt_money(total, cur)} from {plural(count, 'booking')}."


def _month(key: str) -> str:
    return datetime.strptime(key, "%Y-%m").strftime("%b %Y")


@template("monthly_revenue")
def t_monthly_revenue(r: QueryResult, cur: str) -> str:
    if not r.rows:
        return f"No revenue for {label(r)}."
    parts = "; ".join(f"{_month(x['month'])} {fmt_money(x['revenue'], cur)} ({x['bookings']})" for x in r.rows)
    total = sum(Decimal(x["revenue"]) for x in r.rows)
    count = sum(x["bookings"] for x in r.rows)
    service = f" for {r.facts['service']}" if r.facts.get("service") else ""
    best = max(r.rows, key=lambda x: (Decimal(x["revenue"]), x["month"]))
    worst = min(r.rows, key=lambda x: (Decimal(x["revenue"]), x["month"]))
    return f"Revenue per month{service}, {label(r)} ({REVENUE_MEANING}): best month {_month(best['month'])} with " \
           f"{fmt_money(best['revenue'], cur)}, lowest {_month(worst['month'])} with {fmt_money(worst['revenue'], cur)}; " \
           f"total {fmt_money(total, cur)} from {plural(count, 'booking')}. Month by month (bookings in brackets): {parts}."


@template("avg_value")
def t_avg_value(r: QueryResult, cur: str) -> str:
    f = r.facts
    if not f["bookings"]:
        return f"No completed or confirmed sessions for {_for(label(r), f.get('service'))}, so there is no average."
    return f"Average booking value for {_for(label(r), f.get('service'))}: {fmt_money(f['average'], cur)} " \
           f"({fmt_money(f['revenue'], cur)} revenue from {plural(f['bookings'], 'booking')}; {REVENUE_MEANING})."


@template("outstanding")
def t_outstanding(r: QueryResult, cur: str) -> str:
    f = r.facts
    if not f["bookings"]:
        return "Nothing outstanding: every completed and confirmed booking is fully paid."
    shown = r.rows[:LIST_LIMIT]
    parts = "; ".join(f"{x['client']} {fmt_money(x['balance'], cur)} ({x['service_title']}, {day(x['start'])}, {x['status']})"
                      for x in shown)
    return f"Outstanding balances: {fmt_money(f['outstanding'], cur)} across {plural(f['bookings'], 'booking')} " \
           f"(completed and confirmed bookings, total minus payments received): {parts}{_more(r.rows, len(shown))}."


@template("unpaid_deposits")
def t_unpaid_deposits(r: QueryResult, cur: str) -> str:
    if not r.rows:
        return "Nobody: every pending or confirmed booking that pays a deposit has paid it (0 unpaid deposits)."
    total = sum(Decimal(x["deposit"]) for x in r.rows)
    shown = r.rows[:LIST_LIMIT]
    parts = "; ".join(f"{x['client']} — {x['service_title']} on {day(x['start'])}, deposit {fmt_money(x['deposit'], cur)} "
                      f"({x['status']})" for x in shown)
    return f"{plural(len(r.rows), 'booking has', 'bookings have')} not paid the deposit " \
           f"({fmt_money(total, cur)} in deposits): {parts}{_more(r.rows, len(shown))}."


@template("price_list")
def t_price_list(r: QueryResult, cur: str) -> str:
    def price(x: dict[str, Any]) -> str:
        return fmt_money(x["price"], cur) + (" per hour" if x["pricing"] == "per_hour" else "")

    parts = "; ".join(f"{x['title']} {price(x)} ({x['duration_minutes']} min)" for x in r.rows)
    return f"Prices: {parts}." if r.rows else "No active services."


# ---- counts and rankings ----------------------------------------------------------------------------
@template("booking_count")
def t_booking_count(r: QueryResult, cur: str) -> str:
    f = r.facts
    detail = ", ".join(f"{f[s]} {s.replace('_', '-')}" for s in ("completed", "confirmed", "pending", "no_show") if f[s])
    extra = ", ".join(f"{f[s]} {s}" for s in ("cancelled", "declined") if f[s])
    text = f"{plural(f['booked'], 'booking')} for {_for(label(r), f.get('service'))} ({BOOKED_MEANING})"
    text += f": {detail}." if detail else "."
    if extra:
        text += f" Not counted: {extra}."
    return text


@template("bookings_trend")
def t_bookings_trend(r: QueryResult, cur: str) -> str:
    parts = "; ".join(f"{_month(x['month'])} {x['booked']}" for x in r.rows)
    total = sum(x["booked"] for x in r.rows)
    service = f" for {r.facts['service']}" if r.facts.get("service") else ""
    if not r.rows:
        return f"No bookings for {label(r)}."
    busiest = max(r.rows, key=lambda x: (x["booked"], x["month"]))
    quietest = min(r.rows, key=lambda x: (x["booked"], x["month"]))
    return f"Bookings per month{service}, {label(r)} ({BOOKED_MEANING}): busiest month {_month(busiest['month'])} " \
           f"with {plural(busiest['booked'], 'booking')}, quietest {_month(quietest['month'])} with {quietest['booked']}; " \
           f"total {total}. Month by month: {parts}."


def _status_list(r: QueryResult, what: str, cur: str) -> str:
    f = r.facts
    rate = f" ({f['count'] * 100 / f['of']:.1f}% of {plural(f['of'], 'booking')} in that period)" if f.get("of") else ""
    head = f"{plural(f['count'], what)} for {_for(label(r), f.get('service'))}{rate}"
    if not f["count"]:
        return head + "."
    shown = r.rows[:LIST_LIMIT]
    parts = "; ".join(f"{x['client']} ({x['service_title']}, {day(x['start'])})" for x in shown)
    return f"{head}: {parts}{_more(r.rows, len(shown))}."


TEMPLATES["cancellations"] = lambda r, cur: _status_list(r, "cancelled booking", cur)
TEMPLATES["no_shows"] = lambda r, cur: _status_list(r, "no-show", cur)


@template("top_clients")
def t_top_clients(r: QueryResult, cur: str) -> str:
    scope = _for(label(r), r.facts.get("service"))
    if not r.rows:
        return f"No bookings for {scope} ({BOOKED_MEANING})."
    key = "bookings" if r.facts["by"] == "bookings" else "spend"
    best = r.rows[0][key]
    leaders = [x for x in r.rows if x[key] == best]
    named = leaders[:LIST_LIMIT]
    names = " and ".join([", ".join(x["client"] for x in named[:-1]), named[-1]["client"]]) if len(named) > 1 \
        else named[0]["client"]
    if len(leaders) > len(named):
        names = f"{len(leaders)} clients tied: {', '.join(x['client'] for x in named)} and {len(leaders) - len(named)} more"
    ranking = "; ".join(f"{i}. {x['client']} — {plural(x['bookings'], 'booking')}, {fmt_money(x['spend'], cur)} spent"
                        for i, x in enumerate(r.rows[:5], 1))
    if key == "bookings":
        lead = f"Most bookings for {scope}: {names} with {plural(best, 'booking')}{' each' if len(leaders) > 1 else ''}"
    else:
        lead = f"Top clients by spend for {scope}: {names} with {fmt_money(best, cur)}{' each' if len(leaders) > 1 else ''}"
    return f"{lead}. Ranking: {ranking} (bookings: {BOOKED_MEANING}; spend: {REVENUE_MEANING})."


@template("repeat_rate")
def t_repeat_rate(r: QueryResult, cur: str) -> str:
    f = r.facts
    return f"{f['rate_percent']}% of clients came back: {f['repeat_clients']} of {plural(f['clients'], 'client')} " \
           f"with a booking ({label(r)}) booked 2 or more times ({BOOKED_MEANING})."


def _ranked_counts(r: QueryResult, key: str, what: str) -> str:
    scope = _for(label(r), r.facts.get("service"))
    total = sum(x["bookings"] for x in r.rows)
    if not total:
        return f"No bookings for {scope} ({BOOKED_MEANING})."
    best = max(x["bookings"] for x in r.rows)
    top = [x[key] for x in r.rows if x["bookings"] == best]
    parts = ", ".join(f"{x[key]} {x['bookings']}" for x in r.rows)
    return f"Busiest {what} for {scope}: {' and '.join(top)} with {plural(best, 'booking')}" \
           f"{' each' if len(top) > 1 else ''} ({BOOKED_MEANING}). All: {parts}."


TEMPLATES["busiest_weekdays"] = lambda r, cur: _ranked_counts(r, "weekday", "weekday")
TEMPLATES["busiest_hours"] = lambda r, cur: _ranked_counts(r, "label", "start hour")


@template("addon_popularity")
def t_addon_popularity(r: QueryResult, cur: str) -> str:
    scope = _for(label(r), r.facts.get("service"))
    if r.facts.get("single") and r.rows:
        x = r.rows[0]
        return f"{x['title']} was chosen on {plural(x['bookings'], 'booking')} for {scope} ({BOOKED_MEANING})."
    if not r.rows:
        return f"No add-ons chosen for {scope}."
    parts = "; ".join(f"{x['title']} {x['bookings']}" for x in r.rows)
    return f"Add-ons by number of bookings for {scope} ({BOOKED_MEANING}): {parts}. Most popular: {r.rows[0]['title']}."


@template("lead_time")
def t_lead_time(r: QueryResult, cur: str) -> str:
    f = r.facts
    if not f["bookings"]:
        return f"No bookings for {_for(label(r), f.get('service'))}, so no lead time."
    return f"Average lead time for {_for(label(r), f.get('service'))}: {f['average_days']} days between the booking " \
           f"being made and the session, over {plural(f['bookings'], 'booking')} ({BOOKED_MEANING})."


@template("conversion")
def t_conversion(r: QueryResult, cur: str) -> str:
    f = r.facts
    if not f["conversations"]:
        return f"No conversations started in {label(r)}."
    parts = "; ".join(f"{x['channel']} {x['converted']} of {x['conversations']} ({x['rate_percent']}%)" for x in r.rows)
    return f"Conversion for {label(r)}: {f['converted']} of {plural(f['conversations'], 'conversation')} led to a " \
           f"booking ({f['rate_percent']}%). By channel: {parts}."


@template("client_count")
def t_client_count(r: QueryResult, cur: str) -> str:
    f = r.facts
    text = f"You have {plural(f['clients'], 'client')} in total."
    if r.period and r.period.start is not None:
        text += f" New in {label(r)} (first booking in that period): {f['new_clients']}."
    return text


# ---- calendar -----------------------------------------------------------------------------------------
def _session(x: dict[str, Any], *, year: bool = False) -> str:
    return f"{when(x['start'], with_end=x['end'], year=year)} {x['service_title']} with {x['client']} ({x['status']})"


@template("schedule")
def t_schedule(r: QueryResult, cur: str) -> str:
    scope = _for(label(r), r.facts.get("service"))
    if not r.facts["count"]:
        return f"Nothing booked for {scope}."
    shown = r.rows[:LIST_LIMIT]
    parts = "; ".join(_session(x) for x in shown)
    return f"{plural(r.facts['count'], 'booking')} for {scope}: {parts}{_more(r.rows, len(shown))}."


@template("next_shoot")
def t_next_shoot(r: QueryResult, cur: str) -> str:
    if not r.rows:
        return "No upcoming sessions are booked."
    x = r.rows[0]
    where = f", at {x['location']}" if x.get("location") else ""
    return f"Next session: {_session(x, year=True)}{where}."


@template("gaps")
def t_gaps(r: QueryResult, cur: str) -> str:
    service = r.facts["service"]
    if not r.rows:
        return f"No free time for a {service} in {label(r)} (hours, bookings, notice and blackouts considered)."
    parts = "; ".join(f"{datetime.fromisoformat(x['start']):%a %b} {datetime.fromisoformat(x['start']).day} "
                      f"{datetime.fromisoformat(x['start']):%H:%M}–{datetime.fromisoformat(x['end']):%H:%M}"
                      for x in r.rows[:LIST_LIMIT * 2])
    return f"Free time for a {service} in {label(r)} on {plural(r.facts['days'], 'day')}: {parts}" \
           f"{_more(r.rows, LIST_LIMIT * 2)}."


@template("pipeline")
def t_pipeline(r: QueryResult, cur: str) -> str:
    parts = " and ".join(f"{plural(x['bookings'], x['status'] + ' booking')} worth {fmt_money(x['value'], cur)}"
                         for x in r.rows)
    return f"Upcoming pipeline (sessions from now on): {parts}."


# ---- CRM --------------------------------------------------------------------------------------------------
@template("client_contact")
def t_client_contact(r: QueryResult, cur: str) -> str:
    f = r.facts
    phone = f"phone {f['phone']}" if f["phone"] else "no phone number on file"
    return f"{f['client']}: {phone}, email {f['email']}."


@template("client_summary")
def t_client_summary(r: QueryResult, cur: str) -> str:
    f = r.facts
    tags = f"; tags: {', '.join(f['tags'])}" if f["tags"] else ""
    statuses = ", ".join(f"{n} {s.replace('_', '-')}" for s, n in sorted(f["by_status"].items()))
    scope = f" in {label(r)}" if r.period and r.period.start is not None else ""
    text = (f"{f['client']} ({f['email']}{', ' + f['phone'] if f['phone'] else ''}{tags}): "
            f"{plural(f['booked'], 'booking')}{scope} ({BOOKED_MEANING}{'; ' + statuses if statuses else ''}), "
            f"{fmt_money(f['spend'], cur)} spent ({REVENUE_MEANING}), {fmt_money(f['received'], cur)} received.")
    if f["next"]:
        text += f" Next session: {when(f['next']['start'], year=True)} {f['next']['service_title']}."
    return text


@template("client_next")
def t_client_next(r: QueryResult, cur: str) -> str:
    name, upcoming, last = r.facts["client"], r.facts.get("next"), r.facts.get("last")
    tail = f" Last session: {when(last['start'], year=True)} {last['service_title']} ({last['status']})." if last else ""
    if upcoming:
        return f"{name}'s next session: {when(upcoming['start'], with_end=upcoming['end'], year=True)} " \
               f"{upcoming['service_title']} ({upcoming['status']}).{tail}"
    return f"{name} has no upcoming session booked.{tail}"


@template("clients_by_tag")
def t_clients_by_tag(r: QueryResult, cur: str) -> str:
    f = r.facts
    if not r.rows:
        return f"No clients are tagged {f['tag']}."
    shown = r.rows[:LIST_LIMIT * 2]
    parts = "; ".join(f"{x['client']} ({x['email']}{', ' + x['phone'] if x['phone'] else ''})" for x in shown)
    return f"{plural(f['count'], 'client')} tagged {f['tag']}: {parts}{_more(r.rows, len(shown))}."


# ---- optional phrasing by the model, under a fact check --------------------------------------------------
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_NAME = re.compile(r"(?<![.!?:]\s)(?<!^)\b[A-Z][a-zA-Z'\-]+")


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "").rstrip(".") for n in _NUMBER.findall(text)}


def fact_check(phrased: str, template_text: str, rows: Sequence[dict[str, Any]]) -> bool:
    """True if every number and capitalised name of ``phrased`` is in the template or the rows, and no
    number of the template was dropped."""
    if not phrased or len(phrased) > 3 * len(template_text) + 200:
        return False
    if re.search(r"https?://|www\.|\[|\]|<|>", phrased):
        return False
    source = template_text + " " + " ".join(str(v) for row in rows for v in row.values())
    if not _numbers(phrased) <= _numbers(source) or not _numbers(template_text) <= _numbers(phrased):
        return False
    allowed = {w.lower() for w in re.findall(r"[A-Za-z'\-]+", source)}
    return all(name.lower() in allowed for name in _NAME.findall(phrased))


def phrase(llm: Any, question: str, template_text: str, rows: Sequence[dict[str, Any]]) -> Optional[str]:
    """A friendlier wording from the model, or None when it fails the fact check or times out.

    Only short answers are offered: the model's time grows with the prompt, and a list of rows gains
    nothing from rewording."""
    if len(template_text) > PHRASE_MAX_CHARS:
        return None
    system = ("Rewrite the answer for a photographer in one or two friendly sentences. Keep every number, "
              "amount, date and name exactly as written. Add nothing.")
    out = llm.complete(system, f"Question: {question}\nAnswer: {template_text}", max_tokens=160, timeout=6.0)
    text = (out or "").strip()
    return text if fact_check(text, template_text, rows) else None
