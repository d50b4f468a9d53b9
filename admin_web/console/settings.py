"""Account settings: the private iCal feed link (regenerate to revoke) and the admin's password."""
from __future__ import annotations

import secrets
from typing import Any

from quart import Blueprint, flash, redirect, request

from models import Admin
from models.repo.admins import hasher, verify_password
from models.repo.bookings import audit

from ..auth import current_admin_id
from ..context import ctx
from ..pages import admin_page, render
from . import sessions

bp = Blueprint("console_settings", __name__)


def _admin(admin_id: int) -> Admin:
    with ctx().db.read() as s:
        admin = s.get(Admin, admin_id)
        assert admin is not None  # the session guard only lets existing admins through
        return admin


@bp.get("/admin/settings")
@admin_page
async def index() -> Any:
    admin = await ctx().run(_admin, current_admin_id())
    feed = f"{ctx().settings.base_url}/calendar.ics?token={admin.ical_token}"
    return await render("console/settings.html", section="settings", page_title="Settings", admin=admin, feed=feed)


def _regenerate(admin_id: int) -> None:
    with ctx().db.write() as s:
        admin = s.get(Admin, admin_id)
        if admin is not None:
            admin.ical_token = secrets.token_urlsafe(24)
            audit(s, f"admin:{admin.email}", "admin.ical_token", "admin", admin.id)


@bp.post("/admin/settings/ical")
@admin_page
async def regenerate_ical() -> Any:
    await ctx().run(_regenerate, current_admin_id())
    await flash("New calendar link created. The old link stops working now; update your calendar app.", "success")
    return redirect("/admin/settings#ical", 303)


def _change_password(admin_id: int, current: str, new: str) -> str | None:
    with ctx().db.write() as s:
        admin = s.get(Admin, admin_id)
        if admin is None or not verify_password(admin.password_hash, current):
            return "Your current password is not right."
        admin.password_hash = hasher.hash(new)
        audit(s, f"admin:{admin.email}", "admin.password", "admin", admin.id)
    return None


@bp.post("/admin/settings/password")
@admin_page
async def change_password() -> Any:
    form = await request.form
    current, new, repeat = form.get("current") or "", form.get("new") or "", form.get("repeat") or ""
    if len(new) < 10:
        error: str | None = "Choose a new password of at least 10 characters."
    elif new != repeat:
        error = "The two new passwords differ."
    else:
        admin_id = current_admin_id()
        error = await ctx().run(_change_password, admin_id, current, new)
        if error is None and admin_id is not None:
            sessions.registry().end_all_for(admin_id)  # other devices must log in again
            sessions.log_in(admin_id)
    await flash(error or "Password changed. Other devices were logged out.", "error" if error else "success")
    return redirect("/admin/settings#password", 303)
