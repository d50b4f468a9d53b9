"""New bookings: fill the slots (service, time, who, intake answers, place), then summary, then yes.

Every step re-asks ``booking_core`` through the tools: a time is "chosen" only after the rules said
yes, and ``create_booking`` checks again inside its transaction, so a slot taken in between is
explained with alternatives instead of becoming a double booking.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Optional

import booking_core as core
from models.repo import bookings as booking_repo
from models.repo.errors import BookingRejected, InvalidInput, NotAllowed, SlotTaken

from ..extract._text import fold_str
from ..extract.when import WEEKDAYS, When
from . import explain as ex
from . import tools
from .formatting import fmt_date, fmt_datetime, fmt_duration, fmt_money, fmt_percent, fmt_slots, fmt_time, join
from .replies import ReplyBuilder
from .safety import scrub_value
from .state import AWAIT_CONFIRM, AWAIT_NOTHING, DialogueState
from .tools import Env
from .understand import Turn

DAY_CHOICES = 6      # times listed when the client names a day
PROPOSALS = 3        # times proposed otherwise


@dataclass
class Who:
    """Who is writing, as the channel knows it (not as the message claims)."""

    channel: str
    sender_email: Optional[str] = None
    sender_name: Optional[str] = None
    verified_sender: bool = False


@dataclass
class Outcome:
    out: ReplyBuilder
    booking_id: Optional[int] = None
    handover: bool = False
    progress: bool = True
    polishable: bool = True


# -- small helpers -------------------------------------------------------------------------------

def service_price(env: Env, slug: str) -> str:
    q = core.quote(env.catalog.services[slug], [], env.catalog.rules)
    return fmt_money(q.subtotal, env.currency)


def addon_titles(env: Env, slugs: list[str]) -> list[str]:
    return [env.catalog.addons[a].title for a in slugs if a in env.catalog.addons]


def services_lines(env: Env, lang: str) -> list[str]:
    from .replies import render

    return [render("service_line", lang, title=s.title, duration=fmt_duration(s.duration_minutes, lang),
                   price=service_price(env, s.slug)) for s in tools.active_services(env)]


def say_services(env: Env, out: ReplyBuilder, *, ask: bool = True) -> None:
    out.para("services_list", lines="\n".join(services_lines(env, out.lang)))
    if ask:
        out.para("ask_service")


# -- absorbing what the client said --------------------------------------------------------------

def adopt_service(env: Env, st: DialogueState, turn: Turn) -> bool:
    """Take the best-matching service; True if it changed. Add-ons the new service lacks are dropped."""
    if not turn.services:
        return False
    slug = turn.services[0]
    if slug == st.service or slug not in env.catalog.services:
        return False
    st.service = slug
    offered = env.catalog.services[slug].addons
    st.addons = [a for a in st.addons if a in offered]
    st.chosen = None
    st.pending = None
    return True


def adopt_addons(env: Env, st: DialogueState, turn: Turn, out: ReplyBuilder) -> bool:
    changed = False
    for slug in turn.negated_addons:
        if slug in st.addons:
            st.addons.remove(slug)
            changed = True
        if slug not in st.negated_addons:
            st.negated_addons.append(slug)
    refused = []
    for slug in turn.addons:
        if slug in turn.negated_addons:
            continue
        if st.service and slug not in env.catalog.services[st.service].addons:
            refused.append(slug)
            continue
        if slug not in st.addons:
            st.addons.append(slug)
            changed = True
        if slug in st.negated_addons:
            st.negated_addons.remove(slug)
    for slug in refused:
        out.say("addon_not_offered", addon=env.catalog.addons[slug].title, service=env.catalog.services[st.service].title)
    return changed


def adopt_when(env: Env, st: DialogueState, turn: Turn) -> bool:
    """Merge the message's date/time wish into the state; a new wish replaces the old one.

    "actually make it 2pm" keeps the day; "Friday instead" keeps the time; a time alone that matches
    one of the times just proposed picks that proposal's day.
    """
    w = turn.when
    if w.is_empty:
        return False
    if w.date is not None:
        st.date = _in_context_week(w, st.date_value, env.today).isoformat()
        st.date_range = None
        st.weekday = None
        if w.time is not None:
            st.time = w.time.strftime("%H:%M")
            st.time_range = None
        elif w.time_range is not None:
            st.time = None
            st.time_range = [w.time_range[0].strftime("%H:%M"), w.time_range[1].strftime("%H:%M")]
    elif w.time is not None:
        st.time = w.time.strftime("%H:%M")
        st.time_range = None
        matches = [p for p in st.proposed_values if (p.hour, p.minute) == (w.time.hour, w.time.minute)]
        if matches and (st.date is None or all(m.date().isoformat() != st.date for m in matches)):
            st.date = matches[0].date().isoformat()
        if w.date_range is not None and not matches:
            st.date = None
            st.date_range = [w.date_range[0].isoformat(), w.date_range[1].isoformat()]
        if w.weekday_only is not None and not matches:
            st.date = None
            st.weekday = w.weekday_only
    else:
        if w.time_range is not None:
            st.time = None
            st.time_range = [w.time_range[0].strftime("%H:%M"), w.time_range[1].strftime("%H:%M")]
        if w.date_range is not None:
            st.date = None
            st.date_range = [w.date_range[0].isoformat(), w.date_range[1].isoformat()]
        if w.weekday_only is not None:
            st.date = None
            st.weekday = w.weekday_only
    st.chosen = None
    return True


_BARE_WEEKDAY = re.compile(r"^(?:on |this |el |la |am |den |al )?(?:" + "|".join(sorted(WEEKDAYS, key=len, reverse=True))
                           + r")s?\W*$")


def _in_context_week(w: When, previous: Optional[date], today: date) -> date:
    """"Friday instead" after Thursday, December 3 means December 4, not the Friday of this week.

    A bare weekday name resolves to the next such day from today (the extractor's convention); when the
    client has already talked about a day, the same weekday in that day's week is what people mean.
    """
    assert w.date is not None
    if previous is None or w.explicit or len(w.matched_text) != 1:
        return w.date
    if not _BARE_WEEKDAY.match(fold_str(w.matched_text[0]).strip()):
        return w.date
    week_start = previous - timedelta(days=previous.weekday())
    candidate = week_start + timedelta(days=w.date.weekday())
    return candidate if candidate > today else w.date


def pick_proposal(st: DialogueState, turn: Turn) -> bool:
    """"the first one", "the 2nd", or a plain yes to a single proposal."""
    proposals = st.proposed_values
    if not proposals:
        return False
    choice: Optional[datetime] = None
    if turn.ordinal is not None and turn.when.is_empty:
        index = turn.ordinal
        if -len(proposals) <= index < len(proposals):
            choice = proposals[index]
    elif turn.reply == "yes" and turn.when.is_empty and (
            len(proposals) == 1 or (st.time and all(p.strftime("%H:%M") == st.time for p in proposals))):
        choice = proposals[0]  # "yes" to "Monday, January 4 at 10:00 AM; Monday, January 11 ..." at the asked time
    if choice is None:
        return False
    st.date, st.time = choice.date().isoformat(), choice.strftime("%H:%M")
    st.time_range = st.date_range = None
    st.weekday = None
    return True


def booking_location(st: DialogueState, svc: core.Service) -> Optional[str]:
    """The client's place: always for on-location services, for studio ones only when clearly given."""
    if not st.location or not (svc.on_location or st.location_cued):
        return None
    return st.location


def absorb_details(env: Env, st: DialogueState, turn: Turn) -> bool:
    """Intake answers, place and people count; True if anything new was learnt."""
    changed = False
    service = env.catalog.services.get(st.service or "")
    if service is not None and turn.fields:
        known = {f.name: f for f in service.fields}
        for name, value in turn.fields.items():
            if name in known:
                value = scrub_value(str(value)) if isinstance(value, str) else value
                if value not in ("", None) and st.fields.get(name) != value:
                    st.fields[name] = value
                    changed = True
    # A studio service takes a place only when it is clearly given ("the venue is ...", an address):
    # a bare "at X"/"im X" is then far more often something else (a name: "im Kim Park").
    found = turn.location if service is None or service.on_location else turn.location_cued
    if found:
        location = scrub_value(found, 300)
        if location and location != st.location:
            st.location = location
            st.location_cued = bool(turn.location_cued)
            changed = True
    elif service is not None and service.on_location and st.asked == "location" and turn.text.strip():
        location = scrub_value(turn.text.strip().split("\n")[0], 300)
        if location and not turn.has_booking_info and len(location.split()) <= 15:
            st.location = location
            changed = True
    if turn.people and turn.people != st.people:
        st.people = turn.people
        changed = True
    return changed


# -- deciding the time ----------------------------------------------------------------------------

def _in_range(moment: datetime, st: DialogueState) -> bool:
    if st.time_range:
        lo, hi = time.fromisoformat(st.time_range[0]), time.fromisoformat(st.time_range[1])
        if not lo <= moment.time() < hi:
            return False
    if st.weekday is not None and moment.weekday() != st.weekday:
        return False
    return True


def resolve_slot(env: Env, st: DialogueState, out: ReplyBuilder, changed: bool) -> Optional[datetime]:
    """The chosen start if the rules allow it; otherwise say what is possible and return None."""
    service = st.service or ""
    svc = env.catalog.services[service]
    lang = out.lang
    d, t = st.date_value, st.time_value
    if d is not None and t is not None:
        start = datetime.combine(d, t, tzinfo=env.tz)
        result = tools.check_slot(env, service, start, st.addons, booking_location(st, svc))
        if result.ok:
            if changed or st.chosen != start.isoformat():
                out.say("slot_free", when=fmt_datetime(start, lang, today=env.today))
            st.chosen = start.isoformat()
            st.proposed = []
            return start
        st.chosen = None
        code = ex.explain(env, out, service, start, result, st.addons)
        include = ex.earliest_slot(env, service, st.addons) if code == "notice" else None
        alternatives = ex.nearby(env, service, d, t, st.addons, include=include,
                                 skip_day=code in ex.DAY_LEVEL)
        ex.offer(env, out, alternatives)
        if alternatives:
            out.say("ask_pick")
        st.proposed = [a.isoformat() for a in alternatives]
        st.time = None
        if code in ex.DAY_LEVEL:
            st.date = None
        return None
    if d is not None:
        slots = tools.find_slots(env, service, d, d, st.addons)
        fitting = [s for s in slots if _in_range(s, st)] or slots
        if fitting:
            choice = ex.spread(fitting, DAY_CHOICES)
            out.say("day_times", date=fmt_date(d, lang, today=env.today),
                    times=join([fmt_time(s, lang) for s in choice], lang, word="or"))
            out.say("ask_pick")
            st.proposed = [s.isoformat() for s in choice]
            return None
        code = ex.explain_empty_day(env, out, service, d, st.addons)
        include = ex.earliest_slot(env, service, st.addons) if code == "notice" else None
        alternatives = ex.nearby(env, service, d, None, st.addons, include=include, skip_day=True)
        ex.offer(env, out, alternatives)
        if alternatives:
            out.say("ask_pick")
        st.proposed = [a.isoformat() for a in alternatives]
        st.date = None
        return None
    if t is not None and not (st.date_range or st.weekday is not None):
        horizon = env.today + timedelta(days=28)
        slots = [s for s in tools.find_slots(env, service, env.today, horizon, st.addons)
                 if (s.hour, s.minute) == (t.hour, t.minute)]
        out.say("ask_day_for_time", time=fmt_time(t, lang))
        if slots:
            ex.offer(env, out, slots[:PROPOSALS])
        st.proposed = [s.isoformat() for s in slots[:PROPOSALS]]
        st.asked = "day"
        return None
    if st.date_range or st.weekday is not None or st.time_range:
        first = date.fromisoformat(st.date_range[0]) if st.date_range else env.today
        last = date.fromisoformat(st.date_range[1]) if st.date_range else env.today + timedelta(days=42)
        first = max(first, env.today)
        slots = [s for s in tools.find_slots(env, service, first, last, st.addons) if _in_range(s, st)]
        if t is not None:
            slots = [s for s in slots if (s.hour, s.minute) == (t.hour, t.minute)] or slots
        picks: list[datetime] = []
        seen: set[date] = set()
        for s in slots:
            if s.date() not in seen:
                picks.append(s)
                seen.add(s.date())
            if len(picks) == PROPOSALS:
                break
        if picks:
            ex.offer(env, out, picks, service_title=svc.title)
            out.say("ask_pick")
        else:
            alternatives = ex.nearby(env, service, last, None, st.addons)
            out.say("no_slots_soon", service=svc.title) if not alternatives else ex.offer(env, out, alternatives)
            picks = alternatives
        st.proposed = [p.isoformat() for p in picks]
        return None
    notice_days = int((svc.min_notice_hours or env.catalog.rules.min_notice_hours or 0) // 24)
    first_free = tools.find_slots(env, service, env.today, env.today + timedelta(days=45 + notice_days), st.addons)
    picks = []
    seen_days: set[date] = set()
    for s in first_free:
        if s.date() not in seen_days:
            picks.append(s)
            seen_days.add(s.date())
        if len(picks) == PROPOSALS:
            break
    if picks:
        out.say("ask_day", slots=fmt_slots(picks, lang, today=env.today))
    else:
        out.say("no_slots_soon", service=svc.title)
    st.proposed = [p.isoformat() for p in picks]
    st.asked = "day"
    return None


# -- who and what else ----------------------------------------------------------------------------

def next_missing(env: Env, st: DialogueState) -> Optional[str]:
    svc = env.catalog.services[st.service or ""]
    if not st.name and not st.email:
        return "contact"
    if not st.email:
        return "email"
    if not st.name:
        return "name"
    cleaned, errors = core.validate_fields(svc.fields, st.fields)
    for name, _reason in errors:
        st.fields.pop(name, None)
    for f in svc.fields:
        if f.required and f.name not in st.fields:
            return f"field:{f.name}"
    if svc.on_location and not st.location:
        venue = next((st.fields[f.name] for f in svc.fields if f.name in st.fields and f.name in ("venue", "location")), None)
        if venue:
            st.location = str(venue)
        else:
            return "location"
    return None


def ask_for(env: Env, st: DialogueState, what: str, out: ReplyBuilder) -> None:
    from .replies import render

    svc = env.catalog.services[st.service or ""]
    st.asked = what
    if what == "contact":
        out.say("ask_contact")
    elif what == "email":
        out.say("ask_email")
    elif what == "name":
        out.say("ask_name")
    elif what == "location":
        out.say("ask_location", service=svc.title)
    elif what.startswith("field:"):
        name = what.split(":", 1)[1]
        f = next(f for f in svc.fields if f.name == name)
        label = f.label.strip()
        question = label if label.endswith("?") else render("ask_field_label", out.lang, label=label[:1].lower() + label[1:])
        out.say("ask_field", service=svc.title, question=question)


def show_summary(env: Env, st: DialogueState, out: ReplyBuilder) -> None:
    from .replies import render

    lang = out.lang
    svc = env.catalog.services[st.service or ""]
    start = st.chosen_value
    assert start is not None
    q = tools.quote(env, svc.slug, st.addons, st.email, start)
    location = booking_location(st, svc) or (None if svc.on_location else (env.catalog.studio.location or None))
    lines = [render("summary_service", lang, service=svc.title, when=fmt_datetime(start, lang, today=env.today))]
    if st.addons:
        lines.append(render("summary_addons", lang, addons=join(addon_titles(env, st.addons), lang)))
    if location:
        lines.append(render("summary_location", lang, location=location))
    for f in svc.fields:
        if f.name in st.fields:
            lines.append(render("summary_field", lang, label=f.label.rstrip("?"), value=st.fields[f.name]))
    lines.append(render("summary_client", lang, name=st.name, email=st.email))
    for item in q.items:
        if item.kind == "discount":
            lines.append(f"{item.label}: {fmt_money(item.amount, env.currency)}")
    lines.append(render("summary_total", lang, total=fmt_money(q.total, env.currency)))
    if st.payment == "at_session" or q.deposit <= 0:
        lines.append(render("summary_at_session", lang))
    else:
        lines.append(render("summary_deposit", lang, deposit=fmt_money(q.deposit, env.currency),
                            percent=fmt_percent(q.deposit_percent)))
    out.para("summary_head")
    out.block(lines)
    out.fact(svc.title, fmt_datetime(start, lang, today=env.today), fmt_money(q.total, env.currency),
             fmt_money(q.deposit, env.currency), st.name, st.email, location)
    out.say("summary_ask")
    if st.payment != "at_session" and q.deposit > 0:
        out.say("summary_pay_hint")
    st.awaiting = AWAIT_CONFIRM
    st.pending = {"kind": "book", "start": start.isoformat(), "service": svc.slug, "addons": list(st.addons),
                  "total": str(q.total)}
    st.asked = None


def booking_flow(env: Env, st: DialogueState, turn: Turn, out: ReplyBuilder, *, announce: bool = True) -> None:
    """One step towards a booking: whatever is missing next is asked, or the summary is shown."""
    service_changed = adopt_service(env, st, turn)
    adopt_addons(env, st, turn, out)
    when_changed = adopt_when(env, st, turn)
    when_changed = pick_proposal(st, turn) or when_changed
    absorb_details(env, st, turn)
    if not st.service:
        if turn.services == [] and (turn.addons or not turn.when.is_empty or "book" in turn.intents
                                    or "availability" in turn.intents):
            say_services(env, out)
        else:
            out.say("service_unknown")
            say_services(env, out)
        st.asked = "service"
        return
    svc = env.catalog.services[st.service]
    if service_changed and announce:
        out.say("service_ack", service=svc.title, duration=fmt_duration(svc.duration_minutes, out.lang),
                price=service_price(env, svc.slug))
        if st.addons:
            out.say("addons_ack", addons=join(addon_titles(env, st.addons), out.lang))
    start = resolve_slot(env, st, out, when_changed or service_changed)
    if start is None:
        return
    missing = next_missing(env, st)
    if missing:
        ask_for(env, st, missing, out)
        return
    show_summary(env, st, out)


def execute_booking(env: Env, st: DialogueState, who: Who, out: ReplyBuilder) -> Optional[int]:
    """The client said yes to the summary: create the booking through the repository."""
    pending = st.pending or {}
    start = datetime.fromisoformat(pending["start"])
    svc = env.catalog.services[pending["service"]]
    lang = out.lang
    req = booking_repo.NewBooking(
        service=svc.slug, start=start, addons=list(pending.get("addons") or []),
        client=booking_repo.ClientInput(st.name or "", st.email or "", st.phone or ""),
        fields=dict(st.fields), location=booking_location(st, svc), payment=st.payment,
        source="chat" if env.channel == "chat" else "email", conversation_id=env.conversation_id,
    )
    st.pending = None
    st.awaiting = AWAIT_NOTHING
    try:
        booking = tools.create_booking(env, req)
    except SlotTaken:
        out.say("slot_lost", when=fmt_datetime(start, lang, today=env.today))
        alternatives = ex.nearby(env, svc.slug, start.date(), start.timetz().replace(tzinfo=None), st.addons)
        ex.offer(env, out, alternatives)
        if alternatives:
            out.say("ask_pick")
        st.proposed = [a.isoformat() for a in alternatives]
        st.chosen, st.time = None, None
        return None
    except BookingRejected as exc:
        result = core.CheckResult(reasons=tuple(exc.reasons), codes=tuple(exc.codes))
        code = ex.explain(env, out, svc.slug, start, result, st.addons)
        alternatives = ex.nearby(env, svc.slug, start.date(), start.timetz().replace(tzinfo=None), st.addons,
                                 skip_day=code in ex.DAY_LEVEL)
        ex.offer(env, out, alternatives)
        st.proposed = [a.isoformat() for a in alternatives]
        st.chosen, st.time = None, None
        return None
    except InvalidInput as exc:
        field_name = exc.field or ""
        if field_name == "client.email":
            out.say("email_invalid", email=st.email or "")
            st.email = None
            st.asked = "email"
        elif field_name == "client.name":
            st.name = None
            out.say("ask_name")
            st.asked = "name"
        elif field_name.startswith("fields."):
            name = field_name.split(".", 1)[1]
            st.fields.pop(name, None)
            out.say("booking_failed", reason=exc.message)
            ask_for(env, st, f"field:{name}", out)
        else:
            out.say("booking_failed", reason=exc.message)
        return None
    except NotAllowed as exc:  # pragma: no cover - creating never checks ownership
        out.say("booking_failed", reason=exc.message)
        return None
    key = "booked_pending" if booking.status == "pending" else "booked_confirmed"
    out.say(key, service=svc.title, when=fmt_datetime(start, lang, today=env.today), id=booking.id,
            owner=env.catalog.studio.owner or env.catalog.studio.name, email=booking.client.email)
    st.booking_id = booking.id
    st.clear_booking_wish()
    return booking.id
