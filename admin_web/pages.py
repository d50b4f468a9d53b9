"""Shared helpers for server-rendered pages: the layout context, filters, guards and error pages.

Every HTML page goes through ``render`` so the sidebar, counts, CSRF meta tag and the studio's time
zone are always there; ``render_error`` is what ``admin_web.app`` calls for every HTML error, so a bad
link or a refused form shows the same readable page instead of a stack trace.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Awaitable, Callable, Optional, TypeVar
from urllib.parse import quote as urlquote
from zoneinfo import ZoneInfo

import jinja2
from quart import Quart, Response, current_app, flash, g, make_response, redirect, request, session
from sqlalchemy import func, select

import booking_core as core
from models import Admin, Booking, Conversation, Notification, Studio

from .auth import current_admin_id
from .context import ctx
from .labels import PAYMENT_LABELS, STATUS_ICONS, STATUS_LABELS

F = TypeVar("F", bound=Callable[..., Awaitable[Any]])




@dataclass
class StudioInfo:
    name: str
    timezone: str
    currency: str
    email: str

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def _load_studio_info() -> StudioInfo:
    with ctx().db.read() as s:
        row = s.scalars(select(Studio).limit(1)).first()
    if row is None:
        return StudioInfo("Studiobook", "UTC", "USD", "")
    return StudioInfo(row.name, row.timezone, row.currency, row.email)


async def studio_info() -> StudioInfo:
    """The studio's name, zone and currency, read once per request."""
    if getattr(g, "studio_info", None) is None:
        g.studio_info = await ctx().run(_load_studio_info)
    return g.studio_info


# ---- formatting ---------------------------------------------------------------------------------
def _tz() -> ZoneInfo:
    info = getattr(g, "studio_info", None)
    return info.tz if info else ZoneInfo("UTC")


def local(value: datetime) -> datetime:
    return value.astimezone(_tz())


def fmt_time(value: datetime) -> str:
    """"9:00" / "14:30" — 24-hour clock without a leading zero, short and unambiguous."""
    v = local(value)
    return f"{v.hour}:{v.minute:02d}"


def fmt_date(value: date | datetime, long: bool = False) -> str:
    d = local(value) if isinstance(value, datetime) else value
    if long:
        return f"{d:%A} {d.day} {d:%B %Y}"
    return f"{d:%a} {d.day} {d:%b %Y}"


def fmt_datetime(value: Optional[datetime]) -> str:
    if value is None:
        return ""
    return f"{fmt_date(value)}, {fmt_time(value)}"


def fmt_money(amount: int | Decimal | None, currency: Optional[str] = None) -> str:
    """Cents (int) or Decimal amounts in the studio's currency: "$1,250.00"."""
    if amount is None:
        return ""
    info = getattr(g, "studio_info", None)
    cur = currency or (info.currency if info else "USD")
    value = Decimal(amount) / 100 if isinstance(amount, int) else Decimal(amount)
    return core.format_money(value, cur)


def fmt_duration(minutes: int) -> str:
    hours, mins = divmod(int(minutes), 60)
    if hours and mins:
        return f"{hours} h {mins} min"
    return f"{hours} h" if hours else f"{mins} min"


def install_template_helpers(app: Quart) -> None:
    env = app.jinja_env
    env.filters.update(time=fmt_time, date=fmt_date, datetime=fmt_datetime, money=fmt_money,
                       duration=fmt_duration, local=local, urlquote=lambda v: urlquote(str(v), safe=""))
    env.globals.update(STATUS_LABELS=STATUS_LABELS, STATUS_ICONS=STATUS_ICONS, PAYMENT_LABELS=PAYMENT_LABELS)
    env.trim_blocks = True
    env.lstrip_blocks = True


# ---- rendering --------------------------------------------------------------------------------------
def _sync_env() -> jinja2.Environment:
    """A synchronous twin of the app's Jinja environment (same loader, filters and globals).

    Quart renders templates in Jinja's async mode, which awaits every expression; a month view with a
    few hundred sessions spent most of its time there. These pages call no async code while
    rendering, so a plain environment renders the same HTML several times faster.
    """
    env = current_app.extensions.get("studiobook_sync_jinja")
    if env is None:
        source = current_app.jinja_env
        env = jinja2.Environment(loader=source.loader, autoescape=source.autoescape, trim_blocks=source.trim_blocks,
                                 lstrip_blocks=source.lstrip_blocks, auto_reload=source.auto_reload)
        env.filters.update(source.filters)
        env.globals.update(source.globals)
        env.tests.update(source.tests)
        env.policies.update(source.policies)
        current_app.extensions["studiobook_sync_jinja"] = env
    return env


async def render_template(template: str, context: dict[str, Any]) -> str:
    """Render with the request's template context (request, session, g, config) added, synchronously."""
    await current_app.update_template_context(context)
    return _sync_env().get_template(template).render(context)


# ---- layout ---------------------------------------------------------------------------------------
def _admin_counts(admin_id: int) -> dict[str, Any]:
    """Everything the sidebar shows, in one round trip of small indexed counts."""
    def count(model: Any, *where: Any) -> Any:
        return select(func.count()).select_from(model).where(*where).scalar_subquery()

    with ctx().db.read() as s:
        email, pending, handed, unread = s.execute(select(
            select(Admin.email).where(Admin.id == admin_id).scalar_subquery(),
            count(Booking, Booking.status == "pending"),
            count(Conversation, Conversation.status == "handed_over"),
            count(Notification, Notification.read_at.is_(None)))).one()
    return {"admin_email": email or "", "approvals_count": (pending or 0) + (handed or 0), "unread_count": unread or 0}


async def render(template: str, *, status: int = 200, section: str = "", **context: Any) -> Response:
    """Render a page with the layout context (studio, admin, counts, section for the sidebar)."""
    info = await studio_info()
    admin_id = current_admin_id()
    layout: dict[str, Any] = {"studio": info, "section": section, "admin_id": admin_id}
    if admin_id is not None and template.startswith(("console/", "error")):
        layout.update(await ctx().run(_admin_counts, admin_id))
    html = await render_template(template, {**layout, **context})
    response = await make_response(html, status)
    response.headers.setdefault("Cache-Control", "no-store")
    return response


async def render_error(message: str, status: int) -> Response:
    """The HTML error page for every error in the app (see ``admin_web.app``)."""
    titles = {400: "That did not work", 401: "Please log in", 403: "Not allowed", 404: "Not found",
              405: "Not allowed", 409: "Already taken", 410: "This link has expired", 413: "Too large",
              422: "Please check your input", 429: "Too many attempts", 503: "Not set up yet"}
    try:
        return await render("error.html", status=status, message=message,
                            title=titles.get(status, "Something went wrong"), code=status)
    except Exception:  # the error page must never fail: fall back to plain text
        return Response(message, status=status, content_type="text/plain; charset=utf-8")


# ---- guards ----------------------------------------------------------------------------------------
def admin_page(fn: F) -> F:
    """Guard an admin HTML page: anonymous visitors go to the login page (then back here)."""

    @functools.wraps(fn)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        if current_admin_id() is None:
            if request.method != "GET":
                return await render_error("Your session has ended. Log in again, then repeat what you did.", 401)
            target = request.full_path if request.query_string else request.path
            if session.pop("expired", False):
                await flash("You were logged out after a period of inactivity. Please log in again.", "info")
            return redirect(f"/admin/login?next={urlquote(target, safe='')}")
        return await fn(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _admin_email(admin_id: Optional[int]) -> Optional[str]:
    if admin_id is None:
        return None
    with ctx().db.read() as s:
        return s.scalar(select(Admin.email).where(Admin.id == admin_id))


async def actor() -> str:
    """Audit-log actor of the logged-in admin, e.g. ``admin:maya@example.com``."""
    if getattr(g, "admin_email", None) is None:
        g.admin_email = await ctx().run(_admin_email, current_admin_id())
    return f"admin:{g.admin_email or 'unknown'}"


def safe_next(target: Optional[str], default: str = "/admin/calendar") -> str:
    """Only local paths: a ``next`` parameter must never send the owner to another site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


async def flash_and_redirect(message: str, to: str, category: str = "success") -> Response:
    await flash(message, category)
    return redirect(to, 303)
