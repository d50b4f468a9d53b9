"""The admin console, public booking page, client portal and iCal feed (one module per feature).

``register(app)`` is the single entry point ``admin_web.app.create_app`` calls: it installs the
session and CSRF checks, the template helpers and every feature's blueprint.
"""
from __future__ import annotations

from typing import Any

from quart import Quart, jsonify

from ..pages import install_template_helpers, render_error


def register(app: Quart) -> None:
    from . import (approvals, auth, availability, booking_page, bookings, calendar, clients, csrf, ical,
                   insights, notifications, portal, services, sessions, settings)

    sessions.install(app)
    csrf.install(app)
    install_template_helpers(app)
    for module in (auth, calendar, bookings, approvals, clients, services, availability, insights,
                   notifications, settings, booking_page, portal, ical):
        app.register_blueprint(module.bp)
    auth.announce_setup(app)

    @app.errorhandler(csrf.CsrfError)
    async def _csrf_failed(exc: csrf.CsrfError) -> Any:
        from ..app import wants_json

        if wants_json():
            return jsonify({"error": exc.message}), 403
        return await render_error(exc.message, 403)

    @app.after_request
    async def _security_headers(response: Any) -> Any:
        """Defaults for every response; pages may tighten them."""
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response
