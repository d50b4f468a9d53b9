"""Admin login sessions: a server-side registry behind the signed session cookie.

The cookie (HttpOnly, SameSite=Lax, Secure behind TLS) holds ``admin_id`` and a random ``sid``; the
registry holds when each ``sid`` was last used. That gives what a signed cookie alone cannot:

* logout really ends the session (a copied cookie is useless afterwards),
* idle expiry is decided by the server, not by a timestamp the browser keeps,
* login regenerates the session: everything from before login is dropped and a new ``sid`` issued,
  so a session id planted before login (session fixation) never becomes an admin session.

The registry lives in memory because Studiobook is one process per studio; a restart asks the owner to
log in again, which is the safe direction. The real clock is used on purpose: ``STUDIOBOOK_NOW``
freezes the booking rules, not the passage of time for security.
"""
from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass
from typing import Optional

from quart import Quart, request, session

from ..context import ctx
from .. import csrf

#: An admin session ends after this long without a request.
IDLE_SECONDS = 4 * 60 * 60
#: ...and after this long in any case.
ABSOLUTE_SECONDS = 7 * 24 * 60 * 60
#: Guard against unbounded growth if something logs in in a loop.
MAX_SESSIONS = 10_000


@dataclass
class Entry:
    admin_id: int
    created: float
    last_seen: float


class SessionRegistry:
    """Thread-safe map sid -> Entry (the app handles requests on one loop, tests may use threads)."""

    def __init__(self, clock=time.monotonic) -> None:  # type: ignore[no-untyped-def]
        self._entries: dict[str, Entry] = {}
        self._lock = threading.Lock()
        self.clock = clock

    def start(self, admin_id: int) -> str:
        sid = secrets.token_urlsafe(32)
        now = self.clock()
        with self._lock:
            if len(self._entries) >= MAX_SESSIONS:
                oldest = min(self._entries, key=lambda k: self._entries[k].last_seen)
                del self._entries[oldest]
            self._entries[sid] = Entry(admin_id, now, now)
        return sid

    def touch(self, sid: str, admin_id: int) -> bool:
        """True if the session is alive (and marks it used); an expired one is removed."""
        now = self.clock()
        with self._lock:
            entry = self._entries.get(sid)
            if entry is None or entry.admin_id != admin_id:
                return False
            if now - entry.last_seen > IDLE_SECONDS or now - entry.created > ABSOLUTE_SECONDS:
                del self._entries[sid]
                return False
            entry.last_seen = now
            return True

    def end(self, sid: Optional[str]) -> None:
        if sid:
            with self._lock:
                self._entries.pop(sid, None)

    def end_all_for(self, admin_id: int) -> None:
        with self._lock:
            for sid in [s for s, e in self._entries.items() if e.admin_id == admin_id]:
                del self._entries[sid]


def registry() -> SessionRegistry:
    return ctx().extras.setdefault("admin_sessions", SessionRegistry())


def log_in(admin_id: int) -> None:
    """Regenerate the session: drop everything (including an old sid and CSRF token), issue new ones."""
    registry().end(session.get("sid"))
    session.clear()
    session["admin_id"] = admin_id
    session["sid"] = registry().start(admin_id)
    session.permanent = False
    csrf.rotate()


def log_out() -> None:
    registry().end(session.get("sid"))
    session.clear()
    csrf.rotate()


async def validate_session() -> None:
    """Before every request: an ``admin_id`` only counts while its server-side session is alive.

    Clearing it here means every guard (``admin_api``, ``admin_page``) sees an anonymous visitor
    after logout or idle expiry, with no extra check of its own.
    """
    admin_id = session.get("admin_id")
    if admin_id is None:
        return
    sid = session.get("sid")
    if not isinstance(admin_id, int) or not isinstance(sid, str) or not registry().touch(sid, admin_id):
        expired = isinstance(sid, str)
        session.clear()
        if expired and request.method == "GET":
            session["expired"] = True


def _secure_cookie_behind_tls(app: Quart) -> None:
    """Mark the cookie Secure when the studio is served over HTTPS (public URL or proxy header)."""
    settings = app.extensions["studiobook"].settings
    if (settings.public_url or "").startswith("https://"):
        app.config["SESSION_COOKIE_SECURE"] = True


def install(app: Quart) -> None:
    app.before_request(validate_session)
    _secure_cookie_behind_tls(app)
