"""The client portal ``/portal/<token>``: see the booking, move it within the rules, or cancel it.

The token is the signed, expiring link from ``studiobook.links`` (carried by every confirmation
mail). A tampered or expired link gets a page saying so and changes nothing — on GET and POST alike.
Changes go through ``reschedule_booking`` / ``set_status`` with ``client_email``, so the repository
itself refuses a booking that is not this client's, and the rules are exactly the ones the booking
page and the assistant apply.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Optional

from quart import Blueprint, flash, redirect, request

import booking_core as core
from models import Booking
from models.repo import bookings as repo
from models.repo.catalog import find_slots, load_catalog
from models.repo.errors import RepoError
from studiobook.links import LinkExpired, LinkInvalid, read_portal_token

from ..context import ctx
from ..pages import render, studio_info
from ..parsing import BadRequest, parse_datetime

bp = Blueprint("public_portal", __name__)

WINDOW_DAYS = 14


class PortalRefused(Exception):
    """The link cannot be used: ``status`` and a sentence for the client."""

    def __init__(self, status: int, title: str, message: str) -> None:
        super().__init__(message)
        self.status, self.title, self.message = status, title, message


def _identity(token: str) -> tuple[int, str]:
    try:
        return read_portal_token(ctx().settings, token)
    except LinkExpired as exc:
        raise PortalRefused(410, "This link has expired",
                            "For your security, booking links work for a limited time. Reply to your confirmation "
                            "email or write to the studio and we'll send you a fresh one.") from exc
    except LinkInvalid as exc:
        raise PortalRefused(400, "This link is not valid",
                            "The link may have been cut off or changed. Please open it again from your confirmation "
                            "email, or ask the studio for a new one.") from exc


def _load(booking_id: int, email: str, first: Optional[date]) -> dict[str, Any]:
    now = ctx().now()
    with ctx().db.read() as s:
        booking = s.get(Booking, booking_id)
        if booking is None or booking.client.email != email:
            raise PortalRefused(404, "Booking not found",
                                "We could not find this booking any more. Please contact the studio.")
        catalog = load_catalog(s)
        tz = catalog.tz
        today = now.astimezone(tz).date()
        first = max(first or today, today)
        can_change = booking.status in core.ACTIVE_STATUSES and booking.start_at > now
        days: dict[date, list[datetime]] = {}
        if can_change and booking.service.slug in catalog.services:
            for slot in find_slots(s, catalog, booking.service.slug, first, first + timedelta(days=WINDOW_DAYS - 1),
                                   now, booking.addon_slugs, exclude_booking_id=booking.id):
                local = slot.start.astimezone(tz)
                days.setdefault(local.date(), []).append(local)
        return {"b": booking, "can_change": can_change, "days": days, "first": first,
                "earlier": first - timedelta(days=WINDOW_DAYS) if first > today else None,
                "later": first + timedelta(days=WINDOW_DAYS), "addons": [a.addon.title for a in booking.addons],
                "studio_location": catalog.studio.location}


async def _page(token: str, status: int = 200, **extra: Any) -> Any:
    try:
        booking_id, email = _identity(token)
        first = None
        if request.args.get("from"):
            try:
                first = date.fromisoformat(request.args["from"])
            except ValueError:
                first = None
            if first is not None and first.year > 2999:
                first = None
        data = await ctx().run(_load, booking_id, email, first)
    except PortalRefused as exc:
        return await render("public/portal_invalid.html", status=exc.status, title=exc.title, message=exc.message)
    data.update(extra)
    response = await render("public/portal.html", status=status, token=token, page_title="Your booking", **data)
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/portal/<token>")
async def show(token: str) -> Any:
    return await _page(token)


@bp.post("/portal/<token>/reschedule")
async def reschedule(token: str) -> Any:
    try:
        booking_id, email = _identity(token)
    except PortalRefused as exc:
        return await render("public/portal_invalid.html", status=exc.status, title=exc.title, message=exc.message)
    form = await request.form
    info = await studio_info()
    try:
        start = parse_datetime(form.get("start"), "start", info.tz)
    except BadRequest:
        return await _page(token, 422, error="Please choose one of the free times below.")
    try:
        await ctx().run(repo.reschedule_booking, ctx().db, booking_id, start, ctx().now(), actor=f"client:{email}",
                        client_email=email)
    except RepoError as exc:
        return await _page(token, exc.status if exc.status in (403, 404, 409, 422) else 422,
                           error=f"Your booking was not moved: {exc.message}")
    local = start.astimezone(info.tz)
    await flash(f"Done — your session is now on {local:%A} {local.day} {local:%B} at {local.hour}:{local.minute:02d}. "
                "A confirmation email is on its way.", "success")
    return redirect(f"/portal/{token}", 303)


@bp.post("/portal/<token>/cancel")
async def cancel(token: str) -> Any:
    try:
        booking_id, email = _identity(token)
    except PortalRefused as exc:
        return await render("public/portal_invalid.html", status=exc.status, title=exc.title, message=exc.message)
    form = await request.form
    reason = (form.get("reason") or "").strip()[:300]

    def work() -> None:
        with ctx().db.read() as s:
            booking = s.get(Booking, booking_id)
            if booking is not None and booking.start_at <= ctx().now():
                raise repo.InvalidInput("This session has already started or taken place, so it cannot be cancelled "
                                        "online. Please contact the studio.", "status")
        repo.set_status(ctx().db, booking_id, "cancelled", actor=f"client:{email}", client_email=email, reason=reason)

    try:
        await ctx().run(work)
    except RepoError as exc:
        return await _page(token, exc.status if exc.status in (403, 404, 422) else 422,
                           error=f"Your booking was not cancelled: {exc.message}")
    await flash("Your booking is cancelled. The studio has been told; you'll get an email to confirm.", "success")
    return redirect(f"/portal/{token}", 303)
