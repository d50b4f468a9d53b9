"""Admin login, logout and first-time setup.

Login verifies an argon2id hash, regenerates the session (``sessions.log_in``) and is rate limited
per account and per address (429 + Retry-After). ``/setup`` creates the *first* admin — only while
none exists, only from this machine (or with the setup key printed in the server log), and with a
CSRF token like every other form — so ``make run`` on a fresh machine needs no terminal step.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
from ipaddress import ip_address
from typing import Any, Optional

from quart import Blueprint, Quart, flash, redirect, request
from sqlalchemy import func, select

from models import Admin
from models.repo.admins import hasher, verify_password
from models.repo.bookings import audit, validate_email
from models.repo.errors import InvalidInput
from models.base import utcnow
from studiobook.links import secret_key

from ..auth import current_admin_id
from ..context import ctx
from ..pages import render, safe_next
from . import sessions
from .ratelimit import LoginLimiter

log = logging.getLogger("studiobook.web.auth")
bp = Blueprint("console_auth", __name__)

#: Verified against when the email is unknown, so a wrong email costs the same time as a wrong password.
_DUMMY_HASH = hasher.hash("not-a-real-password-just-for-timing")


def limiter() -> LoginLimiter:
    return ctx().extras.setdefault("login_limiter", LoginLimiter())


def client_address() -> str:
    return request.remote_addr or "unknown"


@bp.get("/")
async def root() -> Any:
    return redirect("/admin/", 302)


@bp.get("/admin")
@bp.get("/admin/")
async def admin_home() -> Any:
    return redirect("/admin/calendar", 302)


# ---- login / logout ---------------------------------------------------------------------------------
def _check_login(email: str, password: str) -> Optional[int]:
    """The admin's id if the password is right (argon2id verify, off the event loop)."""
    with ctx().db.read() as s:
        row = s.execute(select(Admin.id, Admin.password_hash).where(Admin.email == email.strip().lower())).first()
    if row is None:
        verify_password(_DUMMY_HASH, password)
        return None
    return row.id if verify_password(row.password_hash, password) else None


def _record_login(admin_id: int, address: str) -> None:
    with ctx().db.write() as s:
        admin = s.get(Admin, admin_id)
        if admin is not None:
            admin.last_login_at = utcnow()
            audit(s, f"admin:{admin.email}", "admin.login", "admin", admin.id, ip=address)


def _admin_count() -> int:
    with ctx().db.read() as s:
        return s.scalar(select(func.count()).select_from(Admin)) or 0


@bp.get("/admin/login")
async def login_form() -> Any:
    if current_admin_id() is not None:
        return redirect(safe_next(request.args.get("next")), 302)
    if await ctx().run(_admin_count) == 0:
        return redirect("/setup", 302)
    return await render("public/login.html", next=safe_next(request.args.get("next"), ""), email="")


@bp.post("/admin/login")
async def login() -> Any:
    form = await request.form
    email = (form.get("email") or "").strip()
    password = form.get("password") or ""
    target = safe_next(form.get("next"))
    address = client_address()
    wait = limiter().retry_after(address, email)
    if wait is not None:
        minutes = max(1, round(wait / 60))
        response = await render("public/login.html", status=429, next=target, email=email,
                                error=f"Too many failed attempts. Please wait about {minutes} minute"
                                      f"{'s' if minutes != 1 else ''} and try again.")
        response.headers["Retry-After"] = str(wait)
        return response
    if not email or not password:
        return await render("public/login.html", status=400, next=target, email=email,
                            error="Enter your email address and your password.")
    admin_id = await ctx().run(_check_login, email, password)
    if admin_id is None:
        limiter().failed(address, email)
        log.warning("failed admin login for %r from %s", email, address)
        return await render("public/login.html", status=401, next=target, email=email,
                            error="That email and password do not match an admin account.")
    limiter().succeeded(address, email)
    sessions.log_in(admin_id)
    await ctx().run(_record_login, admin_id, address)
    return redirect(target, 303)


@bp.post("/admin/logout")
async def logout() -> Any:
    sessions.log_out()
    await flash("You are logged out.", "info")
    return redirect("/admin/login", 303)


# ---- first-time setup ------------------------------------------------------------------------------
def setup_key(app_secret: str) -> str:
    """A stable key for remote setup, derived from the secret key (printed in the log, stored nowhere)."""
    return hmac.new(app_secret.encode(), b"studiobook-setup", hashlib.sha256).hexdigest()[:24]


def _setup_allowed() -> bool:
    """Setup from this machine (no proxy in between), or with the key from the server log."""
    key = request.args.get("key") or ""
    if key and hmac.compare_digest(key, setup_key(secret_key(ctx().settings))):
        return True
    if request.headers.get("X-Forwarded-For") or request.headers.get("Forwarded"):
        return False
    try:
        return ip_address((request.remote_addr or "").split("%")[0]).is_loopback
    except ValueError:
        return request.remote_addr in ("<local>", "localhost")


class SetupClosed(Exception):
    """An admin exists already: setup is over."""


def _create_first_admin(email: str, password: str) -> int:
    """Create the admin only if there is none, inside one write transaction (two tabs cannot both win)."""
    with ctx().db.write() as s:
        if (s.scalar(select(func.count()).select_from(Admin)) or 0) > 0:
            raise SetupClosed()
        admin = Admin(email=email, password_hash=hasher.hash(password))
        s.add(admin)
        s.flush()
        audit(s, f"admin:{email}", "admin.setup", "admin", admin.id)
        return admin.id


async def _setup_gate() -> Optional[Any]:
    if await ctx().run(_admin_count) > 0:
        await flash("Studiobook is already set up. Log in with your admin account.", "info")
        return redirect("/admin/login", 303)
    if not _setup_allowed():
        return await render("public/setup.html", status=403, blocked=True, email="")
    return None


@bp.get("/setup")
async def setup_form() -> Any:
    gate = await _setup_gate()
    if gate is not None:
        return gate
    return await render("public/setup.html", email="", key=request.args.get("key", ""))


@bp.post("/setup")
async def setup() -> Any:
    gate = await _setup_gate()
    if gate is not None:
        return gate
    form = await request.form
    email, password, repeat = (form.get("email") or "").strip(), form.get("password") or "", form.get("repeat") or ""
    key = request.args.get("key", "")
    try:
        email = validate_email(email, "email")
        if len(password) < 10:
            raise InvalidInput("Choose a password of at least 10 characters.", "password")
        if password != repeat:
            raise InvalidInput("The two passwords differ. Type the same password twice.", "repeat")
        admin_id = await ctx().run(_create_first_admin, email, password)
    except InvalidInput as exc:
        return await render("public/setup.html", status=422, email=email, error=exc.message, key=key)
    except SetupClosed:
        await flash("Studiobook is already set up. Log in with your admin account.", "info")
        return redirect("/admin/login", 303)
    sessions.log_in(admin_id)
    await flash("Welcome to Studiobook! Your admin account is ready.", "success")
    return redirect("/admin/calendar", 303)


def announce_setup(app: Quart) -> None:
    """At startup with no admin yet: log where to create one (the owner may be on another machine)."""

    @app.before_serving
    async def _announce() -> None:
        try:
            count = await ctx().run(_admin_count)
        except Exception as exc:  # database not migrated yet: serve reports that elsewhere
            log.debug("setup announcement skipped: %s", exc, exc_info=True)
            return
        if count == 0:
            settings = ctx().settings
            log.warning("No admin account yet. Create one at %s/setup (from another machine: %s/setup?key=%s) "
                        "or run `studiobook create-admin EMAIL`.", settings.base_url, settings.base_url,
                        setup_key(secret_key(settings)))
