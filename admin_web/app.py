"""The Quart application factory: blueprints, error pages and JSON errors (never a stack trace)."""
from __future__ import annotations

import logging
from typing import Any, Optional

from quart import Quart, jsonify, request
from werkzeug.exceptions import HTTPException

from models import Database
from models.repo.catalog import NoStudio
from models.repo.errors import RepoError
from studiobook.config import Settings
from studiobook.links import secret_key

from .context import AppContext
from .parsing import BadRequest

log = logging.getLogger("studiobook.web")


def wants_json() -> bool:
    return request.path.startswith(("/api/", "/admin/api/")) or request.accept_mimetypes.best == "application/json"


def create_app(settings: Settings, db: Optional[Database] = None) -> Quart:
    app = Quart(__name__)
    app.config.update(
        SECRET_KEY=secret_key(settings),
        MAX_CONTENT_LENGTH=26 * 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="studiobook_session",
        JSON_SORT_KEYS=False,
    )
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions["studiobook"] = AppContext(settings=settings, db=db or Database(settings.database_url))

    from . import api_admin, api_public

    app.register_blueprint(api_public.bp)
    app.register_blueprint(api_admin.bp)
    from .ask_api import bp as ask_api_bp  # admin question bot and insights JSON (issue 10)
    app.register_blueprint(ask_api_bp)
    from .chat_api import register as register_chat; register_chat(app)  # POST /api/chat + widget (issue 9)
    from .console import register as register_console; register_console(app)  # admin console + login sessions (issue 7)
    from .public import register as register_public; register_public(app)  # /book, client portal, iCal feed
    _install_page_defaults(app)
    _install_error_handlers(app)
    return app


def _install_page_defaults(app: Quart) -> None:
    """What every page shares: the CSRF check (after the admin session check, so an expired session is
    cleared first), the template helpers and default security headers."""
    from . import csrf
    from .pages import install_template_helpers, render_error

    csrf.install(app)
    install_template_helpers(app)

    @app.errorhandler(csrf.CsrfError)
    async def _csrf_failed(exc: csrf.CsrfError) -> Any:
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


def _install_error_handlers(app: Quart) -> None:
    @app.errorhandler(BadRequest)
    async def _bad_request(exc: BadRequest) -> Any:
        return await _respond(exc.message, 400, exc.field)

    @app.errorhandler(RepoError)
    async def _repo_error(exc: RepoError) -> Any:
        extra = {"reasons": exc.reasons} if len(exc.reasons) > 1 else {}
        return await _respond(exc.message, exc.status, exc.field, **extra)

    @app.errorhandler(NoStudio)
    async def _no_studio(exc: NoStudio) -> Any:
        return await _respond(str(exc), 503)

    @app.errorhandler(HTTPException)
    async def _http(exc: HTTPException) -> Any:
        messages = {404: "Not found.", 405: "That method is not allowed here.",
                    413: "The upload is too large.", 400: "Bad request."}
        return await _respond(messages.get(exc.code or 500, exc.description or "Error."), exc.code or 500)

    @app.errorhandler(Exception)
    async def _unexpected(exc: Exception) -> Any:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return await _respond("Something went wrong on our side; nothing was changed. Please try again.", 500)


async def _respond(message: str, status: int, field: Optional[str] = None, **extra: Any) -> Any:
    if wants_json():
        body: dict[str, Any] = {"error": message}
        if field:
            body["field"] = field
        body.update(extra)
        return jsonify(body), status
    try:
        from .pages import render_error
    except ImportError:
        return message, status, {"Content-Type": "text/plain; charset=utf-8"}
    return await render_error(message, status)
