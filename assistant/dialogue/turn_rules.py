"""The policy's rules, one small class per question, and ``CHAIN``, their order.

Mailman 3 style: each rule has a docstring, ``applies`` (does this question arise in this turn?) and
``act`` (answer it). ``act`` returns True when the turn is answered and the chain stops; a few rules
answer part of a turn and let the chain go on -- a refusal followed by the rest of the message, a quote
followed by a booking request, a summary made void by a change of mind. What rules say when they
answer a question themselves is in ``answers``; ``policy.respond`` runs the chain.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Optional

from ..extract._text import fold_str
from . import answers, changes
from .answers import OFFER
from .booking_flow import Outcome, Who, booking_flow, execute_booking, say_services
from .formatting import fmt_slots
from .replies import ReplyBuilder
from .safety import refusal_key
from .state import AWAIT_CODE, AWAIT_CONFIRM, AWAIT_EMAIL_FOR_CHANGE, AWAIT_NOTHING, DialogueState
from .tools import Env
from .understand import Turn


@dataclass
class TurnContext:
    """One turn as the rules see it. Rules may remove ``intents`` they have dealt with."""

    env: Env
    st: DialogueState
    turn: Turn
    who: Who
    llm: Any
    out: ReplyBuilder
    outcome: Outcome
    intents: set[str]
    contact_changed: bool
    answered: bool = False  # a price was quoted; a booking request in the same message still goes on

    @property
    def awaiting_yes(self) -> bool:
        """A summary (or an offer) is waiting for the client's yes."""
        return self.st.awaiting == AWAIT_CONFIRM and bool(self.st.pending)

    @property
    def pending_kind(self) -> Optional[str]:
        return (self.st.pending or {}).get("kind")

    @property
    def new_info(self) -> bool:
        """The message brings booking details other than the ones the waiting summary already has."""
        return self.turn.has_booking_info and not _same_as_pending(self.env, self.st, self.turn)


class Rule:
    """One step of the policy. ``act`` returns True when the turn is answered (the chain stops)."""

    def applies(self, t: TurnContext) -> bool:
        raise NotImplementedError

    def act(self, t: TurnContext) -> bool:
        raise NotImplementedError


# -- 0. untrusted text ------------------------------------------------------------------------------


class RefuseOverreach(Rule):
    """Text asking for more than the tools allow (instructions to the model, other clients' data):
    say no, then carry on with the rest of the message, if there is any."""

    def applies(self, t: TurnContext) -> bool:
        return bool(t.intents & {"injection", "other_client_data"})

    def act(self, t: TurnContext) -> bool:
        t.out.say(refusal_key(t.turn.text, t.intents))
        t.intents -= {"injection", "other_client_data"}
        if not (t.turn.has_booking_info or t.intents - {"greeting", "thanks"} or t.st.awaiting):
            t.out.say("anything_else")
            t.outcome.polishable = False
            return True
        return False


# -- 1., 2. proofs for a change to an existing booking -------------------------------------------


class CodeEntered(Rule):
    """The 6-digit code we mailed; too many wrong codes hand the conversation to the owner."""

    def applies(self, t: TurnContext) -> bool:
        return t.st.awaiting == AWAIT_CODE and bool(t.turn.code)

    def act(self, t: TurnContext) -> bool:
        result = changes.handle_code(t.env, t.st, t.turn, t.who, t.out)
        if result == "locked":
            answers.handover(t.env, t.st, t.turn, ReplyBuilder(t.out.lang), "verification failed")
            t.outcome.handover = True
        t.outcome.booking_id = None
        return True


class EmailForChange(Rule):
    """The email address the client booked with, asked for to verify a change."""

    def applies(self, t: TurnContext) -> bool:
        return t.st.awaiting == AWAIT_EMAIL_FOR_CHANGE and bool(t.turn.email)

    def act(self, t: TurnContext) -> bool:
        t.st.awaiting = AWAIT_NOTHING
        changes.start_change(t.env, t.st, t.turn, t.who, t.out, (t.st.change or {}).get("kind", "reschedule"))
        return True


# -- 3. a summary waiting for a yes ------------------------------------------------------------------


class YesNamesThePendingChange(Rule):
    """"Yes, cancel it please" / "Yes, move it please": the word confirms the waiting change, it does
    not ask for another one."""

    def applies(self, t: TurnContext) -> bool:
        kind = t.pending_kind
        return (t.awaiting_yes and t.turn.reply == "yes" and kind in ("cancel", "reschedule")
                and kind in t.intents)

    def act(self, t: TurnContext) -> bool:
        t.intents.discard(t.pending_kind or "")
        return False


class SummaryConfirmed(Rule):
    """A plain yes to the summary: book, take the offer (and go on booking), or make the change."""

    def applies(self, t: TurnContext) -> bool:
        return (t.awaiting_yes and t.turn.reply == "yes" and not t.new_info
                and not t.intents & {"cancel", "human"})

    def act(self, t: TurnContext) -> bool:
        st, kind = t.st, t.pending_kind
        if kind == "book":
            t.outcome.booking_id = execute_booking(t.env, st, t.who, t.out)
        elif kind == OFFER:
            st.awaiting, pending = AWAIT_NOTHING, st.pending
            st.pending = None
            st.service, st.addons = pending["service"], list(pending.get("addons") or [])
            booking_flow(t.env, st, t.turn, t.out, announce=False)
        else:
            t.outcome.booking_id = changes.execute_change(t.env, st, t.who, t.out)
        return True


class SummaryDeclined(Rule):
    """A plain no to the summary: nothing happens, the summary is dropped."""

    def applies(self, t: TurnContext) -> bool:
        return t.awaiting_yes and t.turn.reply == "no" and not t.new_info

    def act(self, t: TurnContext) -> bool:
        st, kind = t.st, t.pending_kind
        st.pending, st.awaiting = None, AWAIT_NOTHING
        if kind in ("reschedule", "cancel"):
            st.change = None
            t.out.say("declined_change")
            t.out.say("anything_else")
        elif kind == OFFER:
            t.out.say("anything_else")
        else:
            t.out.say("declined")
        return True


class BookingSummaryStillOpen(Rule):
    """Neither yes nor no to a booking summary (contact details, a greeting): update it or ask again."""

    def applies(self, t: TurnContext) -> bool:
        return (t.awaiting_yes and t.pending_kind == "book" and not t.new_info
                and not t.intents - {"greeting", "thanks", "book"})

    def act(self, t: TurnContext) -> bool:
        if t.contact_changed or t.turn.fields:
            booking_flow(t.env, t.st, t.turn, t.out)
        else:
            t.out.say("ask_confirm_again")
        return True


class ChangeSummaryStillOpen(Rule):
    """Neither yes nor no to a reschedule/cancel summary: ask again."""

    def applies(self, t: TurnContext) -> bool:
        return (t.awaiting_yes and t.pending_kind in ("reschedule", "cancel") and not t.new_info
                and not t.intents - {"reschedule", "cancel"})

    def act(self, t: TurnContext) -> bool:
        t.out.say("ask_confirm_again")
        return True


class SummaryVoid(Rule):
    """Anything else is a change of mind or a new question: the summary is void (an offer's service
    stays chosen when the client changes details), and the rules below read the message."""

    def applies(self, t: TurnContext) -> bool:
        return t.awaiting_yes

    def act(self, t: TurnContext) -> bool:
        st, kind, new_info = t.st, t.pending_kind, t.new_info
        st.awaiting = AWAIT_NOTHING
        if kind != OFFER:
            st.pending = None
        elif t.turn.reply == "change" or new_info:
            pending = st.pending or {}
            st.pending = None
            if not t.turn.services:
                st.service, st.addons = pending.get("service"), list(pending.get("addons") or [])
        return False


# -- 4. a person -----------------------------------------------------------------------------------


class WantsPerson(Rule):
    """The client asks for a person: hand over to the owner."""

    def applies(self, t: TurnContext) -> bool:
        return "human" in t.intents

    def act(self, t: TurnContext) -> bool:
        answers.handover(t.env, t.st, t.turn, t.out, "asked for a person")
        t.outcome.handover = True
        return True


# -- 5. existing bookings ----------------------------------------------------------------------------


def _change_kind(t: TurnContext) -> str:
    return "cancel" if "cancel" in t.intents and "reschedule" not in t.intents else "reschedule"


class ChangeBooking(Rule):
    """Move or cancel an existing booking (a "reschedule" that is really a new booking is not one)."""

    def applies(self, t: TurnContext) -> bool:
        if not ("reschedule" in t.intents or "cancel" in t.intents):
            return False
        return not (_change_kind(t) == "reschedule" and "book" in t.intents and not _mentions_existing(t.turn))

    def act(self, t: TurnContext) -> bool:
        changes.start_change(t.env, t.st, t.turn, t.who, t.out, _change_kind(t))
        return True


class ListBookings(Rule):
    """"What have I booked?": the list, after the same proof as a change (a mail thread is proof)."""

    def applies(self, t: TurnContext) -> bool:
        return "my_bookings" in t.intents

    def act(self, t: TurnContext) -> bool:
        st, who = t.st, t.who
        st.change = {"kind": "list"}
        email, verified = changes.identity(st, who)
        if who.channel == "email" or verified:
            changes.continue_change(t.env, st, who, t.out)
        else:
            changes.start_change(t.env, st, t.turn, who, t.out, "list")
        return True


class ChangeInProgress(Rule):
    """A change to a chosen booking is under way and the message brings the new time (or a yes)."""

    def applies(self, t: TurnContext) -> bool:
        st = t.st
        return bool(st.change and st.change.get("booking_id") and (t.turn.has_booking_info or t.turn.reply == "yes")
                    and "book" not in t.intents)

    def act(self, t: TurnContext) -> bool:
        changes.update_change(t.st, t.turn)
        changes.continue_change(t.env, t.st, t.who, t.out)
        return True


# -- 6. prices, advice, the list of services -----------------------------------------------------------


class Price(Rule):
    """"How much is ...": booking_core's quote. Without a wish to book it ends as an offer; with one,
    the booking rules below go on (the add-on list and the advice carry their own prices)."""

    def applies(self, t: TurnContext) -> bool:
        return ("price" in t.intents and not t.intents & {"addons_info", "recommend"}
                and not ("book" in t.intents and not t.turn.services and t.st.service))

    def act(self, t: TurnContext) -> bool:
        st, turn = t.st, t.turn
        answers.quote(t.env, st, turn, t.out)
        t.answered = True
        if not (turn.when.is_empty is False or "book" in t.intents or "availability" in t.intents):
            t.out.say("quote_ask_book")
            st.pending = {"kind": OFFER, "service": st.service, "addons": list(st.addons)} if st.service else None
            st.awaiting = AWAIT_CONFIRM if st.service else AWAIT_NOTHING
            return True
        return False


class AddonsInfo(Rule):
    """"What extras can I add?" (not when the message also names a time: that is a booking)."""

    def applies(self, t: TurnContext) -> bool:
        return "addons_info" in t.intents and not t.answered and t.turn.when.is_empty

    def act(self, t: TurnContext) -> bool:
        answers.addons_info(t.env, t.st, t.turn, t.out)
        return True


class Advice(Rule):
    """"Which package is right for us?": recommendations."""

    def applies(self, t: TurnContext) -> bool:
        return "recommend" in t.intents and not t.answered

    def act(self, t: TurnContext) -> bool:
        answers.advise(t.env, t.st, t.turn, t.out, t.llm)
        return True


class ServicesList(Rule):
    """"What do you offer?" while no service is chosen or named."""

    def applies(self, t: TurnContext) -> bool:
        return "services" in t.intents and not (t.turn.services or t.st.service or t.turn.has_booking_info)

    def act(self, t: TurnContext) -> bool:
        say_services(t.env, t.out)
        t.st.asked = "service"
        return True


class WhichProposal(Rule):
    """A bare "yes"/"ok" to several proposed times: which one? (A yes to a single proposal takes it.)"""

    def applies(self, t: TurnContext) -> bool:
        st = t.st
        return (t.turn.reply == "yes" and len(st.proposed_values) > 1 and not t.turn.has_booking_info
                and not t.intents - {"greeting", "thanks"}
                and not (st.time and all(p.strftime("%H:%M") == st.time for p in st.proposed_values)))

    def act(self, t: TurnContext) -> bool:
        t.out.say("ask_pick_which", slots=fmt_slots(t.st.proposed_values, t.out.lang, today=t.env.today))
        return True


# -- 7. booking ----------------------------------------------------------------------------------------


class Book(Rule):
    """The message is about a booking (a service, a time, details, a yes to the one proposal): the
    booking flow asks for what is missing or shows the summary."""

    def applies(self, t: TurnContext) -> bool:
        st, turn, intents = t.st, t.turn, t.intents
        wants_booking = bool(turn.services or turn.has_booking_info or intents & {"book", "availability"}
                             or turn.fields or t.contact_changed or st.service)
        return bool(wants_booking and (turn.services or turn.has_booking_info or intents & {"book", "availability"}
                                       or turn.fields or t.contact_changed or turn.location or turn.people
                                       or (turn.reply == "yes" and len(st.proposed_values) == 1)))

    def act(self, t: TurnContext) -> bool:
        if "greeting" in t.intents and t.st.turns == 1:
            t.out.say("greeting", studio=t.env.catalog.studio.name)
        booking_flow(t.env, t.st, t.turn, t.out)
        return True


class PriceWasTheAnswer(Rule):
    """A quote given above, and nothing to book: that was the answer."""

    def applies(self, t: TurnContext) -> bool:
        return t.answered

    def act(self, t: TurnContext) -> bool:
        return True


# -- 8. small talk and the unknown ---------------------------------------------------------------------


class Greeting(Rule):
    """Hello: introduce the studio and list the services."""

    def applies(self, t: TurnContext) -> bool:
        return "greeting" in t.intents

    def act(self, t: TurnContext) -> bool:
        t.out.say("greeting", studio=t.env.catalog.studio.name)
        t.out.say("intro_help")
        say_services(t.env, t.out)
        t.st.asked = "service"
        return True


class Thanks(Rule):
    """Thanks: you're welcome, anything else?"""

    def applies(self, t: TurnContext) -> bool:
        return "thanks" in t.intents

    def act(self, t: TurnContext) -> bool:
        t.out.say("thanks")
        t.out.say("anything_else")
        return True


class AskAgain(Rule):
    """We asked something and could not read the answer: ask again, plainly (no progress)."""

    def applies(self, t: TurnContext) -> bool:
        return bool(t.st.asked and t.st.service and t.turn.text.strip())

    def act(self, t: TurnContext) -> bool:
        t.outcome.progress = False
        t.out.say("clarify")
        return True


class Unplaced(Rule):
    """Nothing above could place the message: a clarifying question, steered by one bounded model
    call when a model is loaded (no progress; three in a row hand over)."""

    def applies(self, t: TurnContext) -> bool:
        return True

    def act(self, t: TurnContext) -> bool:
        st, out = t.st, t.out
        t.outcome.progress = False
        hint = answers.llm_hint(t.llm, t.turn.text)
        if hint == "prices":
            out.say("price_list_head")
            say_services(t.env, out, ask=False)
            out.say("quote_ask_book")
        elif hint in ("book", "services"):
            out.say("clarify")
            say_services(t.env, out)
        elif hint == "change_booking":
            out.say("clarify")
            out.say("change_ask_email")
            st.change = {"kind": "reschedule"}
            st.awaiting = AWAIT_EMAIL_FOR_CHANGE
        else:
            out.say("clarify")
        return True


#: The policy, in order: the first rule that applies and answers ends the turn.
CHAIN: tuple[Rule, ...] = (
    RefuseOverreach(),
    CodeEntered(),
    EmailForChange(),
    YesNamesThePendingChange(),
    SummaryConfirmed(),
    SummaryDeclined(),
    BookingSummaryStillOpen(),
    ChangeSummaryStillOpen(),
    SummaryVoid(),
    WantsPerson(),
    ChangeBooking(),
    ListBookings(),
    ChangeInProgress(),
    Price(),
    AddonsInfo(),
    Advice(),
    ServicesList(),
    WhichProposal(),
    Book(),
    PriceWasTheAnswer(),
    Greeting(),
    Thanks(),
    AskAgain(),
    Unplaced(),
)


# -- readings of the turn ------------------------------------------------------------------------------


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


def _mentions_existing(turn: Turn) -> bool:
    """"move my session", "my booking on the 1st": about a booking that exists already."""
    return bool(re.search(r"\b(my|our|mi|mis|nuestra|meine?n?|unsere?n?)\b", fold_str(turn.text)))
