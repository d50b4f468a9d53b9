"""The pages strangers and calendar apps open, no admin login: the booking page ``/book``, the client
portal ``/portal/<token>`` and the iCal feed ``/calendar.ics`` (one module per page).

``register(app)`` is the entry point ``admin_web.app.create_app`` calls. The app-wide pieces these
pages rely on (CSRF check, template helpers, security headers) are installed by ``create_app`` itself.
Templates: ``templates/public/`` (which also holds the login and setup pages' layout).
"""
from __future__ import annotations

from quart import Quart


def register(app: Quart) -> None:
    from . import booking_page, ical, portal

    for module in (booking_page, portal, ical):
        app.register_blueprint(module.bp)
