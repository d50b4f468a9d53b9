"""CSRF protection: one random token per browser session, checked on every state-changing request.

Why a session token and not only SameSite cookies: Lax cookies stop most cross-site POSTs, but not
same-site attackers (another app on the studio's domain) or old browsers. Forms carry the token in a
hidden ``csrf_token`` field; ``fetch`` calls send it as ``X-CSRF-Token`` (read from the page's
``<meta name="csrf-token">``). Scripts authenticated by the bearer token carry no cookie and are
exempt, as is the public JSON API, which authenticates nobody and changes nothing a stranger could not
change directly.
"""
from __future__ import annotations

import hmac
import secrets

from quart import Quart, request, session

from .auth import bearer_ok

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
#: Paths whose state-changing requests are not cookie-authenticated (see module docstring).
EXEMPT_PREFIXES = ("/api/",)
FIELD = "csrf_token"
HEADER = "X-CSRF-Token"


class CsrfError(Exception):
    """The token is missing or wrong; shown as a 403 with a sentence telling what to do."""

    message = "This form has expired or did not come from this site. Reload the page and try again."


def csrf_token() -> str:
    """The session's token, created on first use (templates call this while rendering a form)."""
    token = session.get("csrf")
    if not isinstance(token, str) or len(token) < 32:
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


def rotate() -> str:
    """A fresh token (after login and logout, so a token seen before login is useless after)."""
    session.pop("csrf", None)
    return csrf_token()


async def _submitted_token() -> str:
    header = request.headers.get(HEADER)
    if header:
        return header
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.form
        return form.get(FIELD, "")
    return ""


async def check_request() -> None:
    """Refuse a state-changing request without the session's token (raises CsrfError)."""
    if request.method in SAFE_METHODS or request.path.startswith(EXEMPT_PREFIXES):
        return
    if request.routing_exception is not None:  # no such route or method: let the 404/405 answer
        return
    if request.path.startswith("/admin/api/") and bearer_ok():
        return
    expected = session.get("csrf")
    given = await _submitted_token()
    if not isinstance(expected, str) or not given or not hmac.compare_digest(expected.encode(), given.encode()):
        raise CsrfError(CsrfError.message)


def install(app: Quart) -> None:
    app.before_request(check_request)
    app.jinja_env.globals["csrf_token"] = csrf_token
