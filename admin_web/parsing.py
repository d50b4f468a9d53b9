"""Reading request input: dates, date-times and JSON bodies, with messages a person can act on."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Optional
from zoneinfo import ZoneInfo

from quart import request


class BadRequest(Exception):
    """Malformed input: HTTP 400 with ``message`` (and the ``field`` it concerns)."""

    def __init__(self, message: str, field: Optional[str] = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def parse_date(value: Optional[str], name: str) -> date:
    if not value:
        raise BadRequest(f"'{name}' is required (YYYY-MM-DD).", name)
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise BadRequest(f"'{name}' must be a date like 2026-12-03, got '{value}'.", name) from exc


def parse_datetime(value: Any, name: str, tz: ZoneInfo) -> datetime:
    """ISO 8601 with any offset or Z; without an offset the time is studio-local."""
    if not isinstance(value, str) or not value.strip():
        raise BadRequest(f"'{name}' is required (ISO 8601 date-time, e.g. 2026-12-03T10:00:00-07:00).", name)
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as exc:
        raise BadRequest(f"'{name}' must be an ISO 8601 date-time like 2026-12-03T10:00:00-07:00, got '{value}'.",
                         name) from exc
    if len(text) <= 10:  # a bare date is not a start time
        raise BadRequest(f"'{name}' needs a time of day, e.g. 2026-12-03T10:00:00.", name)
    return parsed.replace(tzinfo=tz) if parsed.tzinfo is None else parsed


async def json_body() -> dict[str, Any]:
    data = await request.get_json(force=True, silent=True)
    if data is None:
        raise BadRequest("The request body must be valid JSON.")
    if not isinstance(data, dict):
        raise BadRequest("The request body must be a JSON object.")
    return data
