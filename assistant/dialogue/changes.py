"""Moving, cancelling and listing a client's OWN bookings, only once we know who they are.

Identity is never what a message claims. Chat: the client names their email, the studio mails a code
to that address on file, and only "The code is NNNNNN" proves it (hashed in the state, expiring, five
tries). Email: the mailroom says whether the sender is verified (the thread's secret reply address or
our own DKIM pass); an unverified From may ask, but nothing changes until the client confirms by
replying to our answer (which goes to the address on file). The repositories check ownership again
(``client_email=``), so even a bug here cannot move someone else's booking.
"""
from __future__ import annotations

from datetime import date, datetime, time
from typing import Optional

import booking_core as core
from models.repo.errors import BookingRejected, InvalidInput, NotAllowed, NotFound, SlotTaken

from . import explain as ex
from . import tools
from .booking_flow import DAY_CHOICES, Who
from .formatting import fmt_date, fmt_datetime, fmt_time, join
from .replies import ReplyBuilder, render
from .state import AWAIT_CODE, AWAIT_CONFIRM, AWAIT_EMAIL_FOR_CHANGE, AWAIT_NOTHING, DialogueState
from .tools import Env, OwnBooking
from .understand import Turn


def identity(st: DialogueState, who: Who) -> tuple[Optional[str], bool]:
    """(email, verified) of the person writing, from the channel and the stored proof only."""
    if who.channel == "email":
        return (who.sender_email or None), bool(who.verified_sender)
    email = st.email
    return email, bool(email and st.verified_email == email)


def remember_request(st: DialogueState, turn: Turn, kind: str) -> None:
    """Keep what the client asked for across the verification turns."""
    change = dict(st.change or {})
    if change.get("kind") != kind:
        change = {"kind": kind}
    w = turn.when
    dates = [d.isoformat() for d in ([w.date] if w.date else []) + list(w.other_dates)]
    if w.date_range is not None and w.date is None:  # "from June 12 to June 19": the old day, the new day
        dates = [w.date_range[0].isoformat(), w.date_range[1].isoformat()]
    if dates:
        change["dates"] = dates
        change["primary"] = w.date.isoformat() if w.date else None
    if w.time is not None:
        change["time"] = w.time.strftime("%H:%M")
    if turn.services:
        change["service"] = turn.services[0]
    if turn.same_time:
        change["same_time"] = True
    st.change = change


def start_change(env: Env, st: DialogueState, turn: Turn, who: Who, out: ReplyBuilder, kind: str) -> None:
    remember_request(st, turn, kind)
    st.pending = None
    email, verified = identity(st, who)
    if not email:
        st.awaiting = AWAIT_EMAIL_FOR_CHANGE
        out.say("change_ask_email")
        return
    if who.channel != "email" and not verified:
        send_code(env, st, email, out)
        return
    continue_change(env, st, who, out)


def send_code(env: Env, st: DialogueState, email: str, out: ReplyBuilder) -> None:
    st.verification = tools.send_code(env, email, out.lang)
    st.awaiting = AWAIT_CODE
    out.say("code_sent", email=email)


def handle_code(env: Env, st: DialogueState, turn: Turn, who: Who, out: ReplyBuilder) -> Optional[str]:
    """Check a typed code; returns "ok", "wrong", "expired" or "locked"."""
    record = st.verification or {}
    result = tools.check_code(env, record, turn.code or "")
    st.verification = record
    if result == "ok":
        st.verified_email = record.get("email")
        st.verification = None
        st.awaiting = AWAIT_NOTHING
        out.say("code_ok")
        if st.change:
            continue_change(env, st, who, out)
        else:
            out.say("anything_else")
    elif result == "wrong":
        out.say("code_wrong", left=tools.CODE_MAX_ATTEMPTS - record.get("attempts", 0))
    elif result == "expired":
        st.verification = tools.send_code(env, record.get("email", ""), out.lang)
        out.say("code_expired")
    else:
        st.awaiting = AWAIT_NOTHING
        st.verification = None
        st.change = None
        out.say("code_locked", owner=env.catalog.studio.owner or env.catalog.studio.name)
    return result


def _item(env: Env, b: OwnBooking, lang: str) -> str:
    return render("booking_item", lang, service=b.service_title, when=fmt_datetime(b.start, lang, today=env.today))


def _pick_booking(st: DialogueState, bookings: list[OwnBooking]) -> tuple[Optional[OwnBooking], list[str]]:
    """The booking the client means, and the mentioned dates that are NOT that booking's (new dates)."""
    change = st.change or {}
    if change.get("booking_id"):
        chosen = next((b for b in bookings if b.id == change["booking_id"]), None)
        if chosen is not None:
            return chosen, [d for d in change.get("dates", []) if d != chosen.start.date().isoformat()]
    dates = change.get("dates", [])
    on_dates = [b for b in bookings if b.start.date().isoformat() in dates]
    candidates = on_dates or bookings
    if change.get("service"):
        same = [b for b in candidates if b.service == change["service"]]
        candidates = same or candidates
    if len(candidates) == 1:
        chosen = candidates[0]
        return chosen, [d for d in dates if d != chosen.start.date().isoformat()]
    return None, dates


def continue_change(env: Env, st: DialogueState, who: Who, out: ReplyBuilder) -> None:
    lang = out.lang
    change = st.change or {}
    kind = change.get("kind", "reschedule")
    email, verified = identity(st, who)
    if not email:
        st.awaiting = AWAIT_EMAIL_FOR_CHANGE
        out.say("change_ask_email")
        return
    bookings = tools.own_upcoming_bookings(env, email)
    if kind == "list":
        if bookings:
            out.say("my_bookings", bookings=join([_item(env, b, lang) for b in bookings], lang))
        else:
            out.say("my_bookings_none")
        st.change = None
        return
    if not bookings:
        out.say("no_upcoming", email=email)
        st.change = None
        return
    booking, new_dates = _pick_booking(st, bookings)
    if booking is None:
        out.say("which_booking", bookings=join([_item(env, b, lang) for b in bookings], lang, word="or"))
        st.proposed = []
        return
    change["booking_id"] = booking.id
    st.change = change
    old = fmt_datetime(booking.start, lang, today=env.today)
    needs_mail_confirm = who.channel == "email" and not verified
    if kind == "cancel":
        out.say("cancel_summary", service=booking.service_title, when=old)
        if needs_mail_confirm:
            out.say("email_confirm_needed")
        st.pending = {"kind": "cancel", "booking_id": booking.id}
        st.awaiting = AWAIT_CONFIRM
        return
    new_day = date.fromisoformat(new_dates[0]) if new_dates else None
    new_time = time.fromisoformat(change["time"]) if change.get("time") else None
    if new_time is None and change.get("same_time"):
        new_time = booking.start.time().replace(tzinfo=None)
    if new_time is not None and (new_time.hour, new_time.minute) == (booking.start.hour, booking.start.minute) \
            and new_day is None:
        new_time = None  # "instead of 10am" repeats the old time; it is not the new one
    if new_day is None and new_time is not None:
        new_day = booking.start.date() if not st.proposed else None
        matches = [p for p in st.proposed_values if (p.hour, p.minute) == (new_time.hour, new_time.minute)]
        if matches:
            new_day = matches[0].date()
    exclude = booking.id
    if new_day is not None and new_time is not None:
        start = datetime.combine(new_day, new_time, tzinfo=env.tz)
        result = tools.check_slot(env, booking.service, start, booking.addons, booking.location,
                                  exclude_booking_id=exclude)
        if result.ok:
            out.say("resched_summary", service=booking.service_title, old=old,
                    new=fmt_datetime(start, lang, today=env.today))
            out.say("email_confirm_needed" if needs_mail_confirm else "resched_ask")
            st.pending = {"kind": "reschedule", "booking_id": booking.id, "new_start": start.isoformat()}
            st.awaiting = AWAIT_CONFIRM
            st.proposed = []
            return
        code = ex.explain(env, out, booking.service, start, result, booking.addons, exclude)
        alternatives = ex.nearby(env, booking.service, new_day, new_time, booking.addons, exclude,
                                 skip_day=code in ex.DAY_LEVEL)
        ex.offer(env, out, alternatives)
        if alternatives:
            out.say("ask_pick")
        st.proposed = [a.isoformat() for a in alternatives]
        change.pop("time", None)
        change["dates"] = [booking.start.date().isoformat()]
        return
    if new_day is not None:
        slots = tools.find_slots(env, booking.service, new_day, new_day, booking.addons, exclude)
        if slots:
            choice = ex.spread(slots, DAY_CHOICES)
            out.say("day_times", date=fmt_date(new_day, lang, today=env.today),
                    times=join([fmt_time(s, lang) for s in choice], lang, word="or"))
            out.say("ask_pick")
            st.proposed = [s.isoformat() for s in choice]
        else:
            ex.explain_empty_day(env, out, booking.service, new_day, booking.addons, exclude)
            alternatives = ex.nearby(env, booking.service, new_day, None, booking.addons, exclude, skip_day=True)
            ex.offer(env, out, alternatives)
            st.proposed = [a.isoformat() for a in alternatives]
        change["dates"] = [booking.start.date().isoformat()]
        return
    out.say("change_ask_new_time", service=booking.service_title, when=old)


def update_change(st: DialogueState, turn: Turn) -> None:
    """A follow-up message in a running change ("Friday at 2 instead", "the second one")."""
    change = st.change or {}
    w = turn.when
    booking_dates = [d for d in change.get("dates", [])][:1] if change.get("booking_id") else []
    if turn.ordinal is not None and st.proposed and w.is_empty:
        proposals = st.proposed_values
        if -len(proposals) <= turn.ordinal < len(proposals):
            pick = proposals[turn.ordinal]
            change["dates"] = booking_dates + [pick.date().isoformat()]
            change["time"] = pick.strftime("%H:%M")
    elif turn.reply == "yes" and len(st.proposed) == 1 and w.is_empty:
        pick = st.proposed_values[0]
        change["dates"] = booking_dates + [pick.date().isoformat()]
        change["time"] = pick.strftime("%H:%M")
    else:
        if w.date is not None:
            change["dates"] = booking_dates + [w.date.isoformat()] + [d.isoformat() for d in w.other_dates]
        if w.time is not None:
            change["time"] = w.time.strftime("%H:%M")
            if w.date is None:
                matches = [p for p in st.proposed_values if (p.hour, p.minute) == (w.time.hour, w.time.minute)]
                if matches:
                    change["dates"] = booking_dates + [matches[0].date().isoformat()]
    if turn.services and not change.get("booking_id"):
        change["service"] = turn.services[0]
    if turn.same_time:
        change["same_time"] = True
    st.change = change


def execute_change(env: Env, st: DialogueState, who: Who, out: ReplyBuilder) -> Optional[int]:
    """The client said yes: move or cancel, if (and only if) their identity is proven."""
    pending = st.pending or {}
    lang = out.lang
    email, verified = identity(st, who)
    if not email or not verified:
        # Email from an unproven sender: ask again; the confirmation must come back on our thread.
        out.say("email_confirm_needed" if who.channel == "email" else "change_ask_email")
        return None
    booking_id = int(pending["booking_id"])
    st.pending = None
    st.awaiting = AWAIT_NOTHING
    try:
        if pending["kind"] == "cancel":
            before = next((b for b in tools.own_upcoming_bookings(env, email) if b.id == booking_id), None)
            tools.cancel(env, booking_id, email)
            if before is not None:
                out.say("cancelled", service=before.service_title, when=fmt_datetime(before.start, lang, today=env.today))
        else:
            new_start = datetime.fromisoformat(pending["new_start"])
            booking = tools.reschedule(env, booking_id, new_start, email)
            out.say("rescheduled", service=booking.service.title,
                    new=fmt_datetime(new_start.astimezone(env.tz), lang, today=env.today), id=booking.id)
    except (SlotTaken, BookingRejected) as exc:
        start = datetime.fromisoformat(pending.get("new_start") or datetime.now(env.tz).isoformat())
        service = next((b.service for b in tools.own_upcoming_bookings(env, email) if b.id == booking_id), None)
        if service is not None:
            result = core.CheckResult(reasons=tuple(exc.reasons), codes=tuple(exc.codes))
            code = ex.explain(env, out, service, start, result, exclude=booking_id)
            alternatives = ex.nearby(env, service, start.date(), start.timetz().replace(tzinfo=None),
                                     exclude=booking_id, skip_day=code in ex.DAY_LEVEL)
            ex.offer(env, out, alternatives)
            st.proposed = [a.isoformat() for a in alternatives]
        else:
            out.say("change_failed", reason=exc.message)
        return None
    except (NotAllowed, NotFound, InvalidInput) as exc:
        out.say("change_failed", reason=exc.message)
        st.change = None
        return None
    st.change = None
    st.proposed = []
    st.booking_id = booking_id
    return booking_id
