"""Routing a question to one query of the catalogue, in code.

Why code routes: the default model picks the right query only 57 % of the time (DESIGN.md), so each
intent is recognised by weighted patterns and synonyms; parameters come from deterministic extractors
(periods, fuzzy service/client names, tags). The LLM is consulted only when two intents score the same,
and only to choose between those two: with the model disabled every question still routes.
Refusals come first: a request to change data, raw SQL, or a question about something not recorded.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Optional, Sequence

from sqlalchemy.orm import Session

from assistant.insights import ALL_TIME, Period

from . import refuse
from .entities import ClientMatch, Named, find_addons, find_clients, find_services, find_tag, normalise
from .periods import Clock, find_period

#: (intent, pattern, weight). Scores add up per intent; the best intent wins if it reaches MIN_SCORE.
_REVENUE = r"\b(revenue|income|earn|earned|earnings|made|make|sales|turnover|takings|gross|brought in|bring in|" \
           r"billed|booked value|worth)\b"
PATTERNS: tuple[tuple[str, str, float], ...] = (
    ("revenue", _REVENUE, 4),
    ("revenue", r"\bhow much (?:money|did (?:i|we))\b", 2),
    ("received", r"\b(received|collected|came in|come in|cash|paid in|taken in|payments?)\b", 5),
    ("revenue_by_service", r"\b(by|per|each|for each|every|which|what|breakdown by) (?:service|session type|type of session|package)s?\b", 3),
    ("revenue_by_service", r"\b(which|what) (?:service|session|package|kind of (?:session|shoot))s? (?:\w+ ){0,3}(?:most|best|highest|top)\b", 3),
    ("monthly_revenue", r"\b(per|by|each|every) month\b|\bmonthly\b|\bmonth by month\b|\bmonth-by-month\b|\bmonth over month\b", 5),
    ("monthly_revenue", r"\b(best|biggest|top|highest|strongest|worst|weakest|lowest) (?:\w+ )?months?\b", 8),
    ("bookings_trend", r"\b(busiest|quietest|slowest|least busy|most booked) (?:\w+ )?months?\b", 10),
    ("bookings_trend", r"\b(trend|per month|by month|each month|monthly|month by month)\b", 2),
    ("booking_count", r"\bhow many (?:\w+ ){0,2}(?:bookings|sessions|shoots|appointments|jobs|weddings|portraits|headshots)\b", 5),
    ("booking_count", r"\b(number|count|total) of (?:\w+ )?(?:bookings|sessions|shoots|appointments)\b|\bbookings? count\b", 5),
    ("booking_count", r"\b(bookings|sessions|shoots|appointments)\b", 1),
    ("cancellations", r"\b(cancel(?:l?ed|l?ations?|s)?)\b", 6),
    ("no_shows", r"\bno[- ]?shows?\b|\b(?:didn't|did not|failed to|never) (?:show|turn) up\b|\bstood (?:me|us) up\b|"
                 r"\bmissed (?:their|a|the)? ?(?:session|appointment|shoot)s?\b", 7),
    ("top_clients", r"\b(top|best|biggest|most valuable|largest|most loyal|leading)\s+(?:\d+\s+)?(?:clients?|customers?|spenders?)\b", 6),
    ("top_clients", r"\bwho (?:has |have )?(?:booked|books|booking) (?:the )?most\b|\bwho (?:spent|spends|paid) (?:the )?most\b|"
                    r"\bwhich clients? (?:\w+ ){0,2}(?:most|the most)\b|\b(?:who|clients?|customers?)\b.*\bmost (?:bookings|sessions|frequent)\b|"
                    r"\bclients? (?:with|by) (?:the )?most\b|\bspent the most\b|\branked?\b|\bleaderboard\b", 6),
    ("repeat_rate", r"\b(repeat|returning|came back|come back|comes back|rebook\w*|book(?:ed)? again|retention|"
                    r"loyalty rate|more than once|twice or more|second time|second session|another session)\b", 6),
    ("busiest_weekdays", r"\b(busiest|popular|quietest|slowest|most popular|least popular|least busy|most booked|"
                         r"best|worst|peak)\b.*\b(days?|weekdays?|day of (?:the )?week)\b", 6),
    ("busiest_weekdays", r"\bwhich (?:week)?days?\b|\bday of (?:the )?week\b|\bweekdays?\b", 3),
    ("busiest_weekdays", r"\b(?:by|per|each|every) (?:week)?day\b", 4),
    ("busiest_hours", r"\b(busiest|popular|quietest|most popular|most booked|peak|best)\b.*\b(hours?|times?|time of day|start times?)\b", 6),
    ("busiest_hours", r"\b(which|what) (?:hours?|times? of day|start times?)\b|\b(?:by|per|each) hour\b|\bwhat time\b|"
                      r"\btime of (?:the )?day\b", 6),
    ("gaps", r"\b(gaps?|free|openings?|open slots?|availability|available|space|spare|open time|holes?|"
             r"room for|fit (?:in|someone)|squeeze|empty|unbooked|slots?)\b", 6),
    ("addon_popularity", r"\badd[- ]?ons?\b|\bextras?\b|\bupsells?\b|\bupgrades?\b", 6),
    ("avg_value", r"\baverage\b.*\b(value|booking|price|spend|order|sale|ticket|revenue|session|worth|amount|size)\b|"
                  r"\b(avg|mean|typical)\b.*\b(value|booking|worth|price|spend)\b|\bper booking\b", 7),
    ("lead_time", r"\blead ?times?\b|\bhow (?:far|long|many days|early) (?:in )?(?:advance|ahead|before)\b|"
                  r"\bin advance\b|\bahead of time\b|\bbooking window\b|\bnotice do clients\b", 8),
    ("conversion", r"\bconver(?:sion|sions|t|ts|ted|ting)\b", 7),
    ("conversion", r"\b(chats?|conversations?|enquir\w*|inquir\w*|leads?|messages?)\b.*\b(book\w*|turn\w* into|led to|became)\b", 4),
    ("conversion", r"\b(?:through|via|from|in|by|over) (?:the )?(?:chat|chats|chat widget|widget|email|e-mail|mail)\b", 7),
    ("pipeline", r"\bpipeline\b|\bpending\b|\bawaiting (?:approval|confirmation)\b|\bunconfirmed\b|\bto approve\b|"
                 r"\bneeds? (?:my )?approval\b|\bbooked ahead\b|\bon the books\b|\bvalue of upcoming\b", 6),
    ("pipeline", r"\bwaiting (?:for )?(?:my |your )?(?:approval|confirmation|sign-?off)\b|\bneed(?:s|ing)? (?:my )?approval\b|"
                 r"\bto be approved\b|\bnot (?:yet )?confirmed\b|\b(?:value|worth) of (?:\w+ ){0,2}(?:upcoming|future|"
                 r"confirmed|pending)\b|\bupcoming (?:\w+ )?(?:revenue|value|worth|income)\b|\bconfirmed upcoming\b", 7),
    ("unpaid_deposits", r"\b(hasn't|haven't|has not|have not|not yet|yet to|didn't|did not|never|still not|who's not|"
                        r"who has not)\s+(?:\w+ )?paid\b.*\bdeposits?\b", 6),
    ("unpaid_deposits", r"\bunpaid deposits?\b|\bdeposits? (?:\w+ )?(?:unpaid|outstanding|missing|due|owed|pending|not paid|"
                        r"still open|overdue)\b|\bmissing deposits?\b|\bno deposit\b|\bwithout (?:a )?deposit\b", 8),
    ("unpaid_deposits", r"\bdeposits?\b", 2),
    ("outstanding", r"\b(outstanding|owed|owes|owe|owing|balances?|unpaid|due|still to (?:pay|collect)|receivables?|"
                    r"haven't paid|hasn't paid|not paid|yet to pay|still owe\w*|left to collect|uncollected)\b", 5),
    ("schedule", r"\bwhat'?s (?:on|happening|booked|coming up|scheduled|planned)\b|\bwhat is (?:on|booked|scheduled|planned|happening)\b|"
                 r"\b(schedule|agenda|calendar|diary|line-?up)\b|\bwho(?:'s| is| am i) (?:coming|booked|in|shooting|seeing)\b|"
                 r"\bwhat (?:do|have) i (?:got|have)\b|\bam i (?:busy|booked|shooting|working)\b|\bupcoming\b|\bcoming up\b|"
                 r"\b(?:list|show)(?: me)?(?: all)?(?: the| my)? (?:bookings|sessions|shoots|appointments)\b|"
                 r"\bwhat (?:sessions|shoots|bookings|appointments)\b|\bwho do i have\b|\bwho'?s on\b|\bwhat happened\b|"
                 r"\bwho (?:came|did i (?:shoot|see|photograph))\b|\b(?:anything|anyone|something|who'?s|what'?s) "
                 r"(?:booked|scheduled|on|in)\b|\blooks? like\b|\bwhat'?s ahead\b|\bhow (?:busy|full) (?:am i|is|are|will)\b", 5),
    ("next_shoot", r"\bnext (?:shoot|session|booking|appointment|client|job|gig|wedding|portrait|headshot\w*|"
                   r"branding|family)\b|\bwhen(?:'s| is| am| do)(?: my| the| i)? (?:next|shooting next)\b|"
                   r"\b(?:what|who)(?:'s| is) next\b|\bnext up\b", 7),
    ("client_contact", r"\b(phone|number|email|e-mail|contact|reach|call|mobile|cell|telephone)\b", 5),
    ("client_summary", r"\b(tell me about|about|history|profile|details|info|information|lifetime|spent|spend|"
                       r"summary|tags?|booked with|been a client|value of)\b", 3),
    ("client_summary", r"\bhow (?:much|many) (?:\w+ ){0,3}(?:has|have|did)\b", 1),
    ("client_summary", r"\b(status|bookings?|sessions?|appointments?|shoots?|when did|last (?:came|come|session|visit|"
                       r"shoot|booking|time))\b", 3),
    ("clients_by_tag", r"\b(tagged|tag|tags|labell?ed|label|with the tag|referr\w*|referral|came from|found (?:us|me)|"
                       r"source|via)\b", 3),
    ("client_count", r"\bhow many (?:\w+ )?(?:clients|customers|people)\b|\bnumber of (?:\w+ )?(?:clients|customers)\b|"
                     r"\bnew (?:clients|customers)\b|\bclient count\b|\bfirst[- ]time clients\b", 6),
    ("price_list", r"\b(price list|prices|pricing|rates?|cost|charge|services do (?:i|we) (?:offer|have|sell)|what services|"
                   r"list (?:of )?services|packages do)\b", 5),
    ("price_list", r"\bhow much (?:is|are|does|do) (?:a |an |the |my )?(?:\w+ ){0,2}(?:session|sessions|shoot|package|"
                   r"headshots?|portraits?|weddings?|branding|coverage|mini|add-?ons?)\b(?! (?:\w+ )?(?:make|made|earn|bring))", 5),
)
MIN_SCORE = 3.0
#: Intents about the calendar ahead: a bare month name means the next one ("in January").
FORWARD = {"schedule", "gaps", "next_shoot", "pipeline", "client_next"}
CLIENT_INTENTS = {"client_contact", "client_summary", "client_next"}
#: When a client is named, these general questions become questions about that client.
CLIENT_VARIANT = {"revenue": "client_summary", "booking_count": "client_summary", "received": "client_summary",
                  "avg_value": "client_summary", "schedule": "client_next", "next_shoot": "client_next",
                  "top_clients": "client_summary", "cancellations": "client_summary", "no_shows": "client_summary",
                  "outstanding": "client_summary"}
DESCRIPTIONS = {
    "revenue": "total revenue for a period", "received": "money received (payments) in a period",
    "revenue_by_service": "revenue split by service", "monthly_revenue": "revenue month by month",
    "bookings_trend": "number of bookings month by month", "booking_count": "how many bookings",
    "cancellations": "cancelled bookings", "no_shows": "no-shows", "top_clients": "clients ranked by bookings or spend",
    "repeat_rate": "share of clients who booked again", "busiest_weekdays": "bookings per weekday",
    "busiest_hours": "bookings per hour of day", "gaps": "free time in the calendar",
    "addon_popularity": "how often each add-on is chosen", "avg_value": "average booking value",
    "lead_time": "days between booking and session", "conversion": "chats that became bookings",
    "pipeline": "upcoming pending and confirmed bookings", "unpaid_deposits": "deposits not yet paid",
    "outstanding": "balances still owed", "schedule": "bookings on the calendar", "next_shoot": "the next session",
    "client_contact": "a client's phone and email", "client_summary": "a client's bookings, spend and tags",
    "client_next": "a client's next session", "clients_by_tag": "clients with a tag",
    "client_count": "number of clients", "price_list": "services and prices",
}

Tiebreak = Callable[[str, Sequence[str]], Optional[str]]


@dataclass
class Route:
    """What to answer: an intent with its parameters, or a refusal with its reason."""

    intent: Optional[str]
    text: str
    period: Optional[Period] = None
    services: list[Named] = field(default_factory=list)
    addons: list[Named] = field(default_factory=list)
    clients: Optional[ClientMatch] = None
    tag: Optional[str] = None
    by: str = "bookings"
    refusal: Optional[str] = None
    write_attempt: bool = False
    scores: dict[str, float] = field(default_factory=dict)
    llm_used: bool = False

    @property
    def service(self) -> Optional[Named]:
        return self.services[0] if len(self.services) == 1 else None


def score(text: str) -> dict[str, float]:
    scores: dict[str, float] = {}
    for intent, pattern, weight in PATTERNS:
        if re.search(pattern, text):
            scores[intent] = scores.get(intent, 0.0) + weight
    return scores


def _adjust(text: str, scores: dict[str, float], tag: Optional[str], has_client: bool,
            addons: Sequence[Named], period: Optional[Period]) -> None:
    """Combinations single patterns cannot express."""
    revenue_words = bool(re.search(_REVENUE, text)) or "received" in scores
    if "revenue_by_service" in scores:
        scores["revenue_by_service"] += 3 if revenue_words or "most money" in text else -10
    best_month = re.search(r"\b(best|biggest|top|highest|strongest|worst|weakest|lowest) (?:\w+ )?months?\b", text)
    if "monthly_revenue" in scores and not revenue_words and not best_month:
        scores["monthly_revenue"] -= 10
    if "bookings_trend" in scores and ("monthly_revenue" in scores and revenue_words):
        scores["bookings_trend"] -= 10
    elif "bookings_trend" in scores and re.search(r"\b(bookings|sessions|shoots)\b", text):
        scores["bookings_trend"] += 4
    if tag:
        scores["clients_by_tag"] = scores.get("clients_by_tag", 0.0) + 3
        if re.search(r"\b(clients?|customers?|who|list|people|anyone)\b", text):
            scores["clients_by_tag"] += 3
    elif "clients_by_tag" in scores:
        scores["clients_by_tag"] -= 10
    if addons and re.search(r"\b(how many|how often|popular|most|times|often|chosen|picked|pick|added|add|sold|sell)\b",
                            text):
        scores["addon_popularity"] = scores.get("addon_popularity", 0.0) + 8
    if "received" in scores and re.search(r"\bdeposits?\b", text) and "unpaid_deposits" in scores \
            and scores["unpaid_deposits"] > 2:
        scores["received"] -= 10
    if "gaps" in scores and "schedule" in scores:
        scores["schedule"] -= 3
    if "client_summary" in scores and not has_client:
        scores["client_summary"] -= 10
    if "client_contact" in scores and not has_client:
        scores["client_contact"] -= 10
    if "price_list" in scores and re.search(r"\b(revenue|made|earn\w*)\b", text):
        scores["price_list"] -= 10
    if "booking_count" in scores and "schedule" in scores and period is not None and re.search(r"\bhow many\b", text):
        scores["schedule"] -= 5
    others = [i for i, v in scores.items() if v >= MIN_SCORE and i != "schedule"]
    if period is not None and re.search(r"\b(bookings|booked|sessions|shoots|appointments)\b", text) \
            and not others and not re.search(r"\b(how many|number of|count|total)\b", text):
        scores["schedule"] = scores.get("schedule", 0.0) + 3


def _pick(scores: dict[str, float], question: str, tiebreak: Optional[Tiebreak]) -> tuple[Optional[str], bool]:
    ranked = sorted(((s, i) for i, s in scores.items() if s >= MIN_SCORE), reverse=True)
    if not ranked:
        return None, False
    if len(ranked) > 1 and ranked[0][0] - ranked[1][0] < 1 and tiebreak is not None:
        tied = [i for s, i in ranked if ranked[0][0] - s < 1]
        choice = tiebreak(question, tied)
        if choice in tied:
            return choice, True
    return ranked[0][1], False


def route(session: Session, question: str, clock: Clock, *, tiebreak: Optional[Tiebreak] = None) -> Route:
    """Decide what to answer. Never touches data; reads only the names it matches against."""
    text = normalise(question)
    if not text:
        return Route(None, text, refusal=refuse.unanswerable("The question is empty"))
    if refuse.write_request(question):
        return Route(None, text, refusal=refuse.write_refusal(question), write_attempt=True)
    reason = refuse.not_recorded(text)
    if reason:
        return Route(None, text, refusal=refuse.unanswerable(reason))
    scores = score(text)
    tag = find_tag(session, text) if re.search(
        r"\b(tag\w*|label\w*|referr\w*|referral|came from|found|source|via|vip|clients?|customers?|who)\b", text) else None
    services = find_services(session, text)
    addons = find_addons(session, text)
    needs_client = any(scores.get(i, 0) >= MIN_SCORE for i in ("client_contact", "client_summary")) or \
        bool(re.search(r"\b(?!(?:what|who|that|it|there|here|where|when|how|today|tomorrow|yesterday)'s)\w+'s "
                  r"(?:next|phone|email|number|contact|bookings?|sessions?|details|tags?|history)\b", text))
    clients = find_clients(session, question, text, required=needs_client)
    _adjust(text, scores, tag, bool(clients.clients) or needs_client, addons, find_period(text, clock))
    intent, used_llm = _pick(scores, question, tiebreak)
    if intent is None:
        return Route(None, text, refusal=refuse.unanswerable(), scores=scores)
    if clients.clients and intent in CLIENT_VARIANT:
        intent = CLIENT_VARIANT[intent]
    if intent == "next_shoot" and clients.clients:
        intent = "client_next"
    if intent == "client_summary" and re.search(r"\bnext\b|\blast (?:came|come|session|visit|shoot|booking|time)\b|"
                                                r"\bwhen did\b|\bstatus\b", text):
        intent = "client_next"
    period = find_period(text, clock, forward=intent in FORWARD)
    by = "spend" if re.search(r"\b(spent|spend|spends|spender|spenders|value|valuable|revenue|money|paid|pays|"
                              r"biggest|largest|top|best|worth|earn\w*)\b", text) and not re.search(
        r"\b(booked|books|booking|bookings|sessions|most often|frequent|loyal)\b", text) else "bookings"
    return Route(intent, text, period=period, services=services, addons=addons, clients=clients, tag=tag, by=by,
                 scores=scores, llm_used=used_llm)


def default_period(intent: str, clock: Clock) -> Period:
    """When the question names no period: all time for totals, ahead for the calendar."""
    from datetime import timedelta

    today = clock.today
    if intent in ("schedule", "gaps"):
        return clock.days(today, today + timedelta(days=6), "the next 7 days")
    if intent in ("monthly_revenue", "bookings_trend"):
        from .periods import _add_months, _month_period

        y, m = _add_months(today.year, today.month, -11)
        first = _month_period(clock, y, m)
        last = _month_period(clock, today.year, today.month)
        return Period(first.start, last.end, f"the last 12 months ({first.label} – {last.label})")
    return ALL_TIME
