"""The admin console (one module per feature) and the admin login sessions.

``register(app)`` is the single entry point ``admin_web.app.create_app`` calls: it installs the
session check and every feature's blueprint. The public pages (``/book``, portal, iCal) are in
``admin_web.public``.
"""
from __future__ import annotations

from quart import Quart


def register(app: Quart) -> None:
    from . import (approvals, auth, availability, bookings, calendar, clients, insights, notifications, services,
                   sessions, settings)

    sessions.install(app)
    for module in (auth, calendar, bookings, approvals, clients, services, availability, insights,
                   notifications, settings):
        app.register_blueprint(module.bp)
    auth.announce_setup(app)
