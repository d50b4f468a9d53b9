"""Signed, expiring links for clients (portal, confirmations): one place, so mail and web agree.

itsdangerous signs ``{"b": booking_id, "e": email, "p": purpose}`` with the studio's secret key; a
tampered or expired token fails to load and the page says so, changing nothing.
"""
from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any, Optional

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from .config import Settings

PORTAL_MAX_AGE = 60 * 60 * 24 * 120  # a portal link works for 120 days
ACTION_MAX_AGE = 60 * 60 * 24 * 3  # a "confirm this change" link for 3 days


def secret_key(settings: Settings) -> str:
    """The configured secret, else one generated once and kept (0600) in the data directory."""
    if settings.secret_key:
        return settings.secret_key
    path = Path(settings.data_dir) / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


class LinkInvalid(ValueError):
    """The link was altered or is not one of ours."""


class LinkExpired(ValueError):
    """The link is genuine but too old."""


def _serializer(settings: Settings, salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key(settings), salt=f"studiobook.{salt}")


def make_token(settings: Settings, purpose: str, payload: dict[str, Any]) -> str:
    return _serializer(settings, purpose).dumps(payload)


def read_token(settings: Settings, purpose: str, token: str, max_age: Optional[int] = None) -> dict[str, Any]:
    try:
        value = _serializer(settings, purpose).loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise LinkExpired("This link has expired.") from exc
    except BadSignature as exc:
        raise LinkInvalid("This link is not valid.") from exc
    if not isinstance(value, dict):
        raise LinkInvalid("This link is not valid.")
    return value


def portal_url(settings: Settings, booking_id: int, email: str) -> str:
    token = make_token(settings, "portal", {"b": booking_id, "e": email.lower()})
    return f"{settings.base_url}/portal/{token}"


def read_portal_token(settings: Settings, token: str) -> tuple[int, str]:
    value = read_token(settings, "portal", token, PORTAL_MAX_AGE)
    try:
        return int(value["b"]), str(value["e"])
    except (KeyError, TypeError, ValueError) as exc:
        raise LinkInvalid("This link is not valid.") from exc
