"""One booking: everything about the session, its conversation, and the owner's actions on it.

Changes go through ``models.repo.bookings`` only (reschedule_booking, set_status, record_payment), so
the console refuses exactly what the rules refuse. A reschedule that breaks a rule is shown with the
reasons in words; the owner may then tick an explicit override, which is written to the audit log
together with the rules it overrode.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from quart import Blueprint, flash, jsonify, redirect, request
from sqlalchemy import select

import booking_core as core
from models import AuditEntry, Booking, Conversation, Message, Payment
from models.repo import bookings as repo
from models.repo.catalog import existing_bookings, load_catalog
from models.repo.errors import NotFound, RepoError

from ..context import ctx
from ..pages import actor, admin_page, render, studio_info
from . import forms

bp = Blueprint("console_bookings", __name__)

#: What the owner may set from the booking page (booking_core refuses impossible moves).
OWNER_STATUSES = ("confirmed", "declined", "cancelled", "completed", "no_show")


def _detail(booking_id: int) -> dict[str, Any]:
    with ctx().db.read() as s:
        booking = s.get(Booking, booking_id)
        if booking is None:
            raise NotFound(f"Booking {booking_id} does not exist. It may have been removed.")
        labels = {f.get("name"): f.get("label", f.get("name")) for f in booking.service.fields or []}
        answers = [(labels.get(k, k), v) for k, v in (booking.fields or {}).items()]
        payments = s.scalars(select(Payment).where(Payment.booking_id == booking_id).order_by(Payment.received_at)).all()
        messages: list[Message] = []
        conversation: Optional[Conversation] = None
        if booking.conversation_id:
            conversation = s.get(Conversation, booking.conversation_id)
            messages = list(s.scalars(select(Message).where(Message.conversation_id == booking.conversation_id)
                                      .order_by(Message.id)))
        history = s.scalars(select(AuditEntry).where(AuditEntry.entity == "booking",
                                                     AuditEntry.entity_id == str(booking_id))
                            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(30)).all()
        addons = [(a.addon.title, a.price_cents) for a in booking.addons]
        paid = sum(-p.amount_cents if p.kind == "refund" else p.amount_cents for p in payments)
        return {"b": booking, "answers": answers, "payments": payments, "messages": messages,
                "conversation": conversation, "history": history, "addons": addons, "paid_cents": paid,
                "balance_cents": max(0, booking.total_cents - paid)}


async def _page(booking_id: int, status: int = 200, **extra: Any) -> Any:
    info = await studio_info()
    detail = await ctx().run(_detail, booking_id)
    b = detail["b"]
    start_local = b.start_at.astimezone(info.tz)
    now = ctx().now()
    allowed = [s for s in OWNER_STATUSES if core.can_transition_booking(b.status, s)
               and not (s in ("completed", "no_show") and b.start_at > now)]
    context = dict(detail, allowed=allowed, reschedule_date=start_local.date().isoformat(),
                   reschedule_time=f"{start_local:%H:%M}", can_move=b.status in core.ACTIVE_STATUSES)
    context.update(extra)
    return await render("console/booking.html", status=status, section="calendar",
                        page_title=f"{b.service.title} · {b.client.name or b.client.email}", **context)


@bp.get("/admin/bookings/<int:booking_id>")
@admin_page
async def show(booking_id: int) -> Any:
    return await _page(booking_id)


def rule_violations(booking_id: int, new_start: datetime, now: datetime) -> list[str]:
    """What the rules say about moving this booking to ``new_start`` (read-only; empty when allowed)."""
    with ctx().db.read() as s:
        booking = repo.get_booking(s, booking_id)
        catalog = load_catalog(s)
        service = catalog.services[booking.service.slug]
        addons = tuple(catalog.addons[a] for a in booking.addon_slugs if a in catalog.addons)
        span = core.BookingRequest(service=service, start=new_start, addons=addons, location=booking.location)
        existing = existing_bookings(s, catalog, new_start, new_start)
        result = core.check(span, existing, catalog.rules, now, exclude_booking_id=booking.id)
        return list(result.reasons)


def _audit_override(booking_id: int, who: str, reasons: list[str], why: str) -> None:
    with ctx().db.write() as s:
        repo.audit(s, who, "booking.override", "booking", booking_id, overridden=reasons, reason=why)


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


async def _refuse_move(booking_id: int, status: int, message: str, form: Any, *, violations: Any = (),
                       field: Optional[str] = None, offer_override: bool = False) -> Any:
    """The same refusal as a page (the edit form) or as JSON (drag and drop in the week view)."""
    if _wants_json():
        return jsonify({"error": message, "reasons": list(violations), "field": field,
                        "override_allowed": offer_override}), status
    return await _page(booking_id, status, move_error=message, violations=list(violations), move_field=field,
                       form=form, offer_override=offer_override)


@bp.post("/admin/bookings/<int:booking_id>/reschedule")
@admin_page
async def reschedule(booking_id: int) -> Any:
    form = await request.form
    info = await studio_info()
    override = forms.checkbox(form, "override")
    try:
        new_start = forms.local_datetime(form, "date", "time", info.tz)
        why = forms.text(form, "reason", "The reason", max_len=300)
    except forms.FormError as exc:
        return await _refuse_move(booking_id, 422, exc.message, form, field=exc.field)
    now = ctx().now()
    who = await actor()
    violations = await ctx().run(rule_violations, booking_id, new_start, now)
    if violations and not override:
        return await _refuse_move(booking_id, 422, "This time breaks the studio's rules:", form,
                                  violations=violations, offer_override=True)
    if override and violations and not why:
        return await _refuse_move(booking_id, 422, "Give a short reason for overriding the rules (it is kept in the log):",
                                  form, violations=violations, field="reason", offer_override=True)
    try:
        await ctx().run(repo.reschedule_booking, ctx().db, booking_id, new_start, now, actor=who,
                        override=override and bool(violations))
    except NotFound:
        raise
    except RepoError as exc:
        return await _refuse_move(booking_id, exc.status if exc.status in (409, 422) else 422,
                                  "The booking could not be moved:", form, violations=exc.reasons,
                                  offer_override=exc.status == 422)
    when = f"{new_start:%A} {new_start.day} {new_start:%B}, {new_start.hour}:{new_start.minute:02d}"
    if override and violations:
        await ctx().run(_audit_override, booking_id, who, violations, why)
        message = (f"Moved to {when}, overriding: {'; '.join(v.rstrip('.') for v in violations)}. "
                   "The override is in the log.")
        await flash(message, "warning")
    else:
        message = f"Moved to {when}."
        await flash(message, "success")
    if _wants_json():
        return jsonify({"ok": True, "message": message})
    return redirect(f"/admin/bookings/{booking_id}", 303)


@bp.post("/admin/bookings/<int:booking_id>/status")
@admin_page
async def change_status(booking_id: int) -> Any:
    form = await request.form
    target = (form.get("status") or "").strip()
    if target not in OWNER_STATUSES:
        await flash("Choose one of the offered actions.", "error")
        return redirect(f"/admin/bookings/{booking_id}", 303)
    reason = (form.get("reason") or "").strip()[:300]
    try:
        await ctx().run(repo.set_status, ctx().db, booking_id, target, actor=await actor(), reason=reason)
    except NotFound:
        raise
    except RepoError as exc:
        await flash(exc.message, "error")
        return redirect(f"/admin/bookings/{booking_id}", 303)
    words = {"confirmed": "Booking approved.", "declined": "Booking declined.", "cancelled": "Booking cancelled.",
             "completed": "Marked as completed.", "no_show": "Marked as a no-show."}
    await flash(words[target], "success")
    return redirect(f"/admin/bookings/{booking_id}", 303)


@bp.post("/admin/bookings/<int:booking_id>/payment")
@admin_page
async def payment(booking_id: int) -> Any:
    form = await request.form
    kind = form.get("kind") or "balance"
    if kind not in ("deposit", "balance", "refund"):
        await flash("The payment kind must be deposit, balance or refund.", "error")
        return redirect(f"/admin/bookings/{booking_id}", 303)
    try:
        amount = forms.money(form, "amount", "The amount")
        if not amount:
            raise forms.FormError("The amount must be more than zero.", "amount")
        await ctx().run(repo.record_payment, ctx().db, booking_id, amount, kind, actor=await actor(),
                        method=forms.text(form, "method", "The method", max_len=30) or "manual",
                        note=forms.text(form, "note", "The note", max_len=300))
    except NotFound:
        raise
    except RepoError as exc:
        await flash(exc.message, "error")
        return redirect(f"/admin/bookings/{booking_id}", 303)
    await flash("Payment recorded.", "success")
    return redirect(f"/admin/bookings/{booking_id}", 303)
