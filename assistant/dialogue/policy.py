"""The policy: read the turn in the light of the state, pick the next tool, say what happened.

A fixed order of questions, each answered by code: is a code expected? is a summary waiting for a
yes? does the client want a person, a change to an existing booking, a price, advice, the list of
services, or to book? Anything the rules cannot place gets a clarifying question (the LLM may hint
which one), and three such turns in a row hand the conversation to the owner.
"""
from __future__ import annotations

import logging
import re
from datetime import datetime
from typing import Any, Optional

from ..extract._text import fold_str
from ..extract.when import When
from . import changes, tools
from .booking_flow import Outcome, Who, addon_titles, booking_flow, execute_booking, say_services
from .formatting import fmt_money, fmt_percent, fmt_slots, join
from .names import name_from_email
from .replies import ReplyBuilder
from .safety import refusal_key
from .state import AWAIT_CODE, AWAIT_CONFIRM, AWAIT_EMAIL_FOR_CHANGE, AWAIT_NOTHING, DialogueState
from .tools import Env
from .understand import Turn

log = logging.getLogger("studiobook.assistant")

STUCK_TURNS = 3
#: Keys whose sentences carry rule reasons, money, codes or bookings: never rephrased by a model.
NO_POLISH = ("summary", "reason_", "code_", "refuse_", "booked_", "rescheduled", "cancel", "quote",
             "email_confirm", "resched_", "recommend", "my_bookings", "slot_", "day_times", "nearby", "ask_day",
             "services_list", "which_booking", "no_upcoming", "handover", "ask_pick_which")
OFFER = "offer"  # st.pending kind: a service (+add-ons) suggested by a quote or a recommendation


def _absorb_contact(st: DialogueState, turn: Turn, who: Who) -> bool:
    changed = False
    if who.channel == "email":
        if who.sender_email and st.email != who.sender_email:
            st.email = who.sender_email
            changed = True
        if not st.name and (turn.name or who.sender_name):
            st.name = turn.name or who.sender_name
            changed = True
    else:
        if turn.email and turn.email != st.email:
            st.email = turn.email
            changed = True
        if turn.name and turn.name != st.name:
            st.name = turn.name
            changed = True
        elif not turn.name and not st.name:
            guess = None
            if st.asked in ("contact", "name"):
                guess = _bare_name(turn)
            if guess is None and turn.email:
                guess = name_from_email(turn.email)
            if guess:
                st.name = guess
                changed = True
    if turn.phone and turn.phone != st.phone:
        st.phone = turn.phone
        changed = True
    return changed


def _bare_name(turn: Turn) -> Optional[str]:
    """A reply to "may I have your name?" that is just the name ("dana whitfield")."""
    text = turn.text
    for value in (turn.email, turn.phone):
        if value:
            text = text.replace(value, " ")
    words = [w.strip(",.;:!") for w in text.split() if w.strip(",.;:!")]
    if 1 <= len(words) <= 4 and all(w.replace("-", "").replace("'", "").isalpha() for w in words) \
            and not turn.has_booking_info and turn.reply is None and not turn.intents:
        return " ".join(w[:1].upper() + w[1:] for w in words)
    return None


def _quote(env: Env, st: DialogueState, turn: Turn, out: ReplyBuilder) -> None:
    """Answer "how much is ..." with booking_core's quote; the service+add-ons become an offer."""
    lang = out.lang
    if turn.services:
        slug = turn.services[0]
    elif st.service:
        slug = st.service
    else:
        out.say("price_list_head")
        say_services(env, out, ask=False)
        return
    svc = env.catalog.services[slug]
    addons = [a for a in dict.fromkeys((st.addons if slug == st.service else []) + turn.addons)
              if a in svc.addons and a not in turn.negated_addons]
    for a in turn.addons:
        if a not in svc.addons:
            out.say("addon_not_offered", addon=env.catalog.addons[a].title, service=svc.title)
    q = tools.quote(env, slug, addons, st.email)
    with_addons = ""
    if addons:
        from .replies import render

        with_addons = render("quote_with", lang, addons=join(addon_titles(env, addons), lang))
    out.say("quote", service=svc.title, with_addons=with_addons, total=fmt_money(q.total, env.currency))
    if len(q.items) > 1:
        items = [f"{i.label} {fmt_money(i.amount, env.currency)}" for i in q.items]
        out.say("quote_items", items=join(items, lang))
    if q.deposit > 0:
        out.say("quote_deposit", deposit=fmt_money(q.deposit, env.currency), percent=fmt_percent(q.deposit_percent))
    st.service = slug
    st.addons = addons


def _addons_info(env: Env, st: DialogueState, turn: Turn, out: ReplyBuilder) -> None:
    """"What extras can I add?": each add-on with its price for the service (or all add-ons)."""
    lang = out.lang
    slug = turn.services[0] if turn.services else st.service
    if slug:
        svc = env.catalog.services[slug]
        items = []
        for a in svc.addons:
            q = tools.quote(env, slug, [a])
            price = sum((i.amount for i in q.items if i.kind == "addon"), 0)
            items.append(f"{env.catalog.addons[a].title} ({fmt_money(price, env.currency)})")
        out.say("addons_list", service=svc.title, addons=join(items, lang))
        st.service = slug
    else:
        items = [f"{a.title} ({fmt_money(a.pricing.price, env.currency)})" for a in env.catalog.addons.values()]
        out.say("addons_all", addons=join(items, lang))
    out.say("quote_ask_book")
    if slug:
        st.pending = {"kind": OFFER, "service": slug, "addons": list(st.addons)}
        st.awaiting = AWAIT_CONFIRM


def _recommend(env: Env, st: DialogueState, turn: Turn, out: ReplyBuilder, llm: Any) -> None:
    from ..recommend import recommend, rerank_with_llm

    services = tools.active_services(env)
    recs = recommend(turn.text, services, env.catalog.addons, env.catalog.rules,
                     matched_services=turn.services, matched_addons=turn.addons,
                     negated_addons=turn.negated_addons, people=turn.people or st.people,
                     budget=turn.budget, location=turn.location)
    if llm is not None:
        recs = rerank_with_llm(recs, turn.text, llm, {s.slug: s.title for s in services})
    if not recs:
        say_services(env, out)
        return
    out.say("recommend_head")
    lines = []
    for rec in recs:
        svc = env.catalog.services[rec.service]
        title = svc.title
        if rec.addons:
            from .replies import render

            title += render("quote_with", out.lang, addons=join(addon_titles(env, rec.addons), out.lang))
        lines.append(f"- {title}: {rec.reason_text(out.lang, env.currency)}. "
                     f"{fmt_money(rec.total, env.currency)}")
    out.block(lines)
    out.fact(*lines)
    out.say("recommend_ask")
    top = recs[0]
    st.pending = {"kind": OFFER, "service": top.service, "addons": top.addons}
    st.awaiting = AWAIT_CONFIRM


def _handover(env: Env, st: DialogueState, turn: Turn, out: ReplyBuilder, reason: str) -> None:
    owner = env.catalog.studio.owner or env.catalog.studio.name
    if st.handed_over:
        out.say("handover_already", owner=owner)
        return
    tools.hand_over(env, reason, turn.text)
    st.handed_over = True
    out.say("handover", owner=owner)
    if env.channel == "chat" and not st.email:
        out.say("handover_email", owner=owner)


HINT_SYSTEM = ("Label the photo studio client's message. Labels: book, prices, services, change_booking, other.")
HINT_LABELS = ["book", "prices", "services", "change_booking", "other"]
HINT_EXAMPLES = [("hi can i get a shoot sometime", "book"), ("how much r ur packages", "prices"),
                 ("what kinds of photos do you do", "services"), ("need to move my appt", "change_booking"),
                 ("lol ok", "other")]


def prime_llm(llm: Any) -> None:
    """Evaluate the hint prompt's fixed prefix once at load, so turns only pay for the new tokens."""
    llm.choose(HINT_SYSTEM, "hello", HINT_LABELS, examples=HINT_EXAMPLES, timeout=120)


def _llm_hint(llm: Any, text: str) -> Optional[str]:
    """One bounded model call for a message no rule could place; only steers the clarifying reply."""
    if llm is None:
        return None
    try:
        choice = llm.choose(HINT_SYSTEM, text[:500], HINT_LABELS, examples=HINT_EXAMPLES, timeout=1.5)
    except Exception:
        log.exception("LLM hint failed")
        return None
    return choice.label if choice else None


def respond(env: Env, st: DialogueState, turn: Turn, who: Who, llm: Any = None) -> Outcome:
    """One turn of the dialogue. Mutates ``st``; returns the reply and what changed."""
    out = ReplyBuilder(st.language)
    outcome = Outcome(out=out)
    st.turns += 1
    if turn.ordinal is not None and st.proposed and _only_ordinal_dates(turn):
        turn.when = When()  # "the 2nd one" picks the second proposal, it is not December 2
    contact_changed = _absorb_contact(st, turn, who)
    if turn.payment and turn.payment != st.payment:
        st.payment = turn.payment
        contact_changed = True
    intents = set(turn.intents)

    # 0. Untrusted text asking for more than the tools allow: say no, then carry on with the rest.
    if intents & {"injection", "other_client_data"}:
        out.say(refusal_key(turn.text, intents))
        intents -= {"injection", "other_client_data"}
        if not (turn.has_booking_info or intents - {"greeting", "thanks"} or st.awaiting):
            out.say("anything_else")
            outcome.polishable = False
            return outcome

    # 1. A code we mailed.
    if st.awaiting == AWAIT_CODE and turn.code:
        result = changes.handle_code(env, st, turn, who, out)
        if result == "locked":
            _handover(env, st, turn, ReplyBuilder(out.lang), "verification failed")
            outcome.handover = True
        outcome.booking_id = None
        return outcome

    # 2. The email the client booked with (to verify a change).
    if st.awaiting == AWAIT_EMAIL_FOR_CHANGE and turn.email:
        st.awaiting = AWAIT_NOTHING
        changes.start_change(env, st, turn, who, out, (st.change or {}).get("kind", "reschedule"))
        return outcome

    # 3. A summary is waiting for a yes.
    if st.awaiting == AWAIT_CONFIRM and st.pending:
        kind = st.pending.get("kind")
        new_info = turn.has_booking_info and not _same_as_pending(env, st, turn)
        if kind == "cancel" and "cancel" in intents and turn.reply == "yes":
            intents.discard("cancel")  # "Yes, cancel it please" confirms the cancellation
        if kind == "reschedule" and "reschedule" in intents and turn.reply == "yes":
            intents.discard("reschedule")  # "Yes, move it please"
        if turn.reply == "yes" and not new_info and not intents & {"cancel", "human"}:
            if kind == "book":
                outcome.booking_id = execute_booking(env, st, who, out)
            elif kind == OFFER:
                st.awaiting, pending = AWAIT_NOTHING, st.pending
                st.pending = None
                st.service, st.addons = pending["service"], list(pending.get("addons") or [])
                booking_flow(env, st, turn, out, announce=False)
            else:
                outcome.booking_id = changes.execute_change(env, st, who, out)
            return outcome
        if turn.reply == "no" and not new_info:
            st.pending, st.awaiting = None, AWAIT_NOTHING
            if kind in ("reschedule", "cancel"):
                st.change = None
                out.say("declined_change")
                out.say("anything_else")
            elif kind == OFFER:
                out.say("anything_else")
            else:
                out.say("declined")
            return outcome
        if kind == "book" and not new_info and not intents - {"greeting", "thanks", "book"}:
            if contact_changed or turn.fields:
                booking_flow(env, st, turn, out)
            else:
                out.say("ask_confirm_again")
            return outcome
        if kind in ("reschedule", "cancel") and not new_info and not intents - {"reschedule", "cancel"}:
            out.say("ask_confirm_again")
            return outcome
        # Anything else: a change of mind or a new question; the summary is void.
        st.awaiting = AWAIT_NOTHING
        if kind != OFFER:
            st.pending = None
        elif turn.reply == "change" or new_info:
            pending = st.pending or {}
            st.pending = None
            if not turn.services:
                st.service, st.addons = pending.get("service"), list(pending.get("addons") or [])

    # 4. A person, please.
    if "human" in intents:
        _handover(env, st, turn, out, "asked for a person")
        outcome.handover = True
        return outcome

    # 5. Existing bookings: move, cancel, list.
    if "reschedule" in intents or "cancel" in intents:
        kind = "cancel" if "cancel" in intents and "reschedule" not in intents else "reschedule"
        if not (kind == "reschedule" and "book" in intents and not _mentions_existing(turn)):
            changes.start_change(env, st, turn, who, out, kind)
            return outcome
    if "my_bookings" in intents:
        st.change = {"kind": "list"}
        email, verified = changes.identity(st, who)
        if who.channel == "email" or verified:
            changes.continue_change(env, st, who, out)
        else:
            changes.start_change(env, st, turn, who, out, "list")
        return outcome
    if st.change and st.change.get("booking_id") and (turn.has_booking_info or turn.reply == "yes") \
            and "book" not in intents:
        changes.update_change(st, turn)
        changes.continue_change(env, st, who, out)
        return outcome

    # 6. Prices, advice, the list of services.
    answered = False
    # "What extras do you have?" / "what's the fastest option": the add-on list and the advice carry prices.
    if "price" in intents and not intents & {"addons_info", "recommend"} \
            and not ("book" in intents and not turn.services and st.service):
        _quote(env, st, turn, out)
        answered = True
        if not (turn.when.is_empty is False or "book" in intents or "availability" in intents):
            out.say("quote_ask_book")
            st.pending = {"kind": OFFER, "service": st.service, "addons": list(st.addons)} if st.service else None
            st.awaiting = AWAIT_CONFIRM if st.service else AWAIT_NOTHING
            return outcome
    if "addons_info" in intents and not answered and turn.when.is_empty:
        _addons_info(env, st, turn, out)
        return outcome
    if "recommend" in intents and not answered:
        _recommend(env, st, turn, out, llm)
        return outcome
    if "services" in intents and not (turn.services or st.service or turn.has_booking_info):
        say_services(env, out)
        st.asked = "service"
        return outcome

    # 6b. A bare "yes"/"ok" to several proposed times: which one? (A yes to a single proposal takes it.)
    if turn.reply == "yes" and len(st.proposed_values) > 1 and not turn.has_booking_info \
            and not intents - {"greeting", "thanks"} and not (st.time and all(
                p.strftime("%H:%M") == st.time for p in st.proposed_values)):
        out.say("ask_pick_which", slots=fmt_slots(st.proposed_values, out.lang, today=env.today))
        return outcome

    # 7. Booking.
    wants_booking = bool(turn.services or turn.has_booking_info or intents & {"book", "availability"}
                         or turn.fields or contact_changed or st.service)
    if wants_booking and (turn.services or turn.has_booking_info or intents & {"book", "availability"}
                          or turn.fields or contact_changed or turn.location or turn.people
                          or (turn.reply == "yes" and len(st.proposed_values) == 1)):
        if "greeting" in intents and st.turns == 1:
            out.say("greeting", studio=env.catalog.studio.name)
        booking_flow(env, st, turn, out)
        return outcome
    if answered:
        return outcome

    # 8. Small talk and the unknown.
    if "greeting" in intents:
        out.say("greeting", studio=env.catalog.studio.name)
        out.say("intro_help")
        say_services(env, out)
        st.asked = "service"
        return outcome
    if "thanks" in intents:
        out.say("thanks")
        out.say("anything_else")
        return outcome
    if st.asked and st.service and turn.text.strip():
        # We asked something and could not read the answer: ask again, plainly.
        outcome.progress = False
        out.say("clarify")
        return outcome
    outcome.progress = False
    hint = _llm_hint(llm, turn.text)
    if hint == "prices":
        out.say("price_list_head")
        say_services(env, out, ask=False)
        out.say("quote_ask_book")
    elif hint in ("book", "services"):
        out.say("clarify")
        say_services(env, out)
    elif hint == "change_booking":
        out.say("clarify")
        out.say("change_ask_email")
        st.change = {"kind": "reschedule"}
        st.awaiting = AWAIT_EMAIL_FOR_CHANGE
    else:
        out.say("clarify")
    return outcome


def _same_as_pending(env: Env, st: DialogueState, turn: Turn) -> bool:
    """A "yes" that repeats the pending date/time ("yes, Thursday at 10 is great") is still a yes."""
    pending = st.pending or {}
    start = pending.get("start") or pending.get("new_start")
    if turn.services and turn.services[0] != (pending.get("service") or st.service):
        return False
    if turn.addons and not set(turn.addons) <= set(pending.get("addons") or st.addons):
        return False
    if turn.negated_addons and set(turn.negated_addons) & set(pending.get("addons") or []):
        return False
    if turn.ordinal is not None:
        return False
    w = turn.when
    if w.is_empty:
        return True
    if not start:
        return False
    moment = datetime.fromisoformat(start).astimezone(env.tz)
    if w.date is not None and w.date != moment.date():
        bare = not w.explicit and len(w.matched_text) >= 1 and w.date.weekday() == moment.weekday() \
            and abs((w.date - moment.date()).days) < 14
        if not bare:  # "Yes, book Friday" names the pending Friday, not next week's
            return False
    if w.time is not None and (w.time.hour, w.time.minute) != (moment.hour, moment.minute):
        return False
    return w.date is not None or w.time is not None


def _only_ordinal_dates(turn: Turn) -> bool:
    w = turn.when
    if w.is_empty or w.time is not None:
        return w.is_empty
    return all(re.search(r"\d(st|nd|rd|th)\b|first|second|third|last|primer|segund|erste|zweite|dritte",
                         fold_str(m)) for m in w.matched_text)


def _mentions_existing(turn: Turn) -> bool:
    """"move my session", "my booking on the 1st": about a booking that exists already."""
    return bool(re.search(r"\b(my|our|mi|mis|nuestra|meine?n?|unsere?n?)\b", fold_str(turn.text)))


def polishable(outcome: Outcome) -> bool:
    return outcome.polishable and not any(k.startswith(NO_POLISH) for k in outcome.out.keys)
