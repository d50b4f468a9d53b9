"""Admin authentication for the JSON API: the ``STUDIOBOOK_ADMIN_TOKEN`` bearer token or an admin session."""
from __future__ import annotations

import functools
import hmac
from typing import Any, Awaitable, Callable, TypeVar

from quart import jsonify, request, session

from .context import ctx

F = TypeVar("F", bound=Callable[..., Awaitable[Any]])


def bearer_ok() -> bool:
    token = ctx().settings.admin_token
    header = request.headers.get("Authorization", "")
    if not token or not header.lower().startswith("bearer "):
        return False
    return hmac.compare_digest(header[7:].strip().encode(), token.encode())


def current_admin_id() -> int | None:
    value = session.get("admin_id")
    return value if isinstance(value, int) else None


def admin_api(fn: F) -> F:
    """Guard an admin JSON endpoint: 401 with a readable message unless authenticated."""

    @functools.wraps(fn)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not (bearer_ok() or current_admin_id() is not None):
            response = jsonify({"error": "Admin login or a valid bearer token is required."})
            response.status_code = 401
            response.headers["WWW-Authenticate"] = 'Bearer realm="studiobook"'
            return response
        return await fn(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
