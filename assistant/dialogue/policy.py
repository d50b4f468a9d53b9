"""The policy: read the turn in the light of the state, pick the next tool, say what happened.

A fixed order of questions, each answered by code: is a code expected? is a summary waiting for a
yes? does the client want a person, a change to an existing booking, a price, advice, the list of
services, or to book? Anything the rules cannot place gets a clarifying question (the LLM may hint
which one), and three such turns in a row hand the conversation to the owner.

Each question is one small rule of ``turn_rules`` and ``turn_rules.CHAIN`` declares their order
(Mailman 3's rule chains): the first rule that applies and answers ends the turn.
"""
from __future__ import annotations

import re
from typing import Any, Optional

from ..extract._text import fold_str
from ..extract.when import When
from .booking_flow import Outcome, Who
from .names import name_from_email
from .replies import ReplyBuilder
from .state import DialogueState
from .tools import Env
from .turn_rules import CHAIN, TurnContext
from .understand import Turn

STUCK_TURNS = 3
#: Keys whose sentences carry rule reasons, money, codes or bookings: never rephrased by a model.
NO_POLISH = ("summary", "reason_", "code_", "refuse_", "booked_", "rescheduled", "cancel", "quote",
             "email_confirm", "resched_", "recommend", "my_bookings", "slot_", "day_times", "nearby", "ask_day",
             "services_list", "which_booking", "no_upcoming", "handover", "ask_pick_which")


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
    t = TurnContext(env, st, turn, who, llm, out, outcome, set(turn.intents), contact_changed)
    for rule in CHAIN:
        if rule.applies(t) and rule.act(t):
            break
    return outcome


# -- reading the turn before the rules ---------------------------------------------------------------


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


def _only_ordinal_dates(turn: Turn) -> bool:
    w = turn.when
    if w.is_empty or w.time is not None:
        return w.is_empty
    return all(re.search(r"\d(st|nd|rd|th)\b|first|second|third|last|primer|segund|erste|zweite|dritte",
                         fold_str(m)) for m in w.matched_text)


def polishable(outcome: Outcome) -> bool:
    return outcome.polishable and not any(k.startswith(NO_POLISH) for k in outcome.out.keys)
