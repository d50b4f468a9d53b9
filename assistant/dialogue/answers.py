"""What the policy says when it answers a question itself: a quote, the add-ons, advice, a hand-over.

Also the one bounded model call for a message no rule could place (``llm_hint``) and its priming.
Each function writes to the ``ReplyBuilder`` and updates the state; the policy decides when.
"""
from __future__ import annotations

import logging
from typing import Any, Optional

from . import tools
from .booking_flow import addon_titles, say_services
from .formatting import fmt_money, fmt_percent, join
from .replies import ReplyBuilder
from .state import AWAIT_CONFIRM, DialogueState
from .tools import Env
from .understand import Turn

log = logging.getLogger("studiobook.assistant")

OFFER = "offer"  # st.pending kind: a service (+add-ons) suggested by a quote or a recommendation


def quote(env: Env, st: DialogueState, turn: Turn, out: ReplyBuilder) -> None:
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


def addons_info(env: Env, st: DialogueState, turn: Turn, out: ReplyBuilder) -> None:
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


def advise(env: Env, st: DialogueState, turn: Turn, out: ReplyBuilder, llm: Any) -> None:
    """"Which package is right for us?": ranked recommendations with reasons; the top one becomes an offer."""
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


def handover(env: Env, st: DialogueState, turn: Turn, out: ReplyBuilder, reason: str) -> None:
    """Give the conversation to the owner (once): notify them, tell the client who answers next."""
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


def llm_hint(llm: Any, text: str) -> Optional[str]:
    """One bounded model call for a message no rule could place; only steers the clarifying reply."""
    if llm is None:
        return None
    try:
        choice = llm.choose(HINT_SYSTEM, text[:500], HINT_LABELS, examples=HINT_EXAMPLES, timeout=1.5)
    except Exception:
        log.exception("LLM hint failed")
        return None
    return choice.label if choice else None
