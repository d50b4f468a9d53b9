"""The demo studio (``/work/shared/fixtures/demo-studio.json``, read in place) as rule value types."""
from __future__ import annotations

import json
import os
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from booking_core import (AddOn, ExistingBooking, Service, StudioRules, addons_from_json,
                          rules_from_json, services_from_json)

REPO = Path(__file__).resolve().parents[2]
#: The shared fixture is read in place (shared/ sits beside the repository, also in CI); the copy
#: shipped in the package is the fallback.
DEMO_CANDIDATES = [Path(p) for p in (os.environ.get("STUDIOBOOK_DEMO_JSON"),) if p] + [
    REPO.parent / "shared" / "fixtures" / "demo-studio.json",
    Path("/work/shared/fixtures/demo-studio.json"),
    REPO / "studiobook" / "demo" / "demo-studio.json",
]
DENVER = ZoneInfo("America/Denver")


@pytest.fixture(scope="session")
def demo() -> dict[str, Any]:
    path = next(p for p in DEMO_CANDIDATES if p.is_file())
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def rules(demo: dict[str, Any]) -> StudioRules:
    return rules_from_json(demo)


@pytest.fixture(scope="session")
def services(demo: dict[str, Any]) -> dict[str, Service]:
    return services_from_json(demo)


@pytest.fixture(scope="session")
def addons(demo: dict[str, Any]) -> dict[str, AddOn]:
    return addons_from_json(demo)


@pytest.fixture(scope="session")
def now() -> datetime:
    """Tuesday 24 Nov 2026, 9:00 in Boulder."""
    return datetime(2026, 11, 24, 9, 0, tzinfo=DENVER)


@pytest.fixture(scope="session")
def demo_bookings(demo: dict[str, Any], services: dict[str, Service],
                  addons: dict[str, AddOn]) -> list[ExistingBooking]:
    """The demo's bookings as the database layer would hand them to the rules."""
    bookings = []
    for number, row in enumerate(demo["bookings"], start=1):
        service = services[row["service"]]
        minutes = service.duration_minutes + sum(addons[a].extends_minutes for a in row.get("addons", ()))
        start = datetime.fromisoformat(row["start"])
        bookings.append(ExistingBooking(
            start=start, end=start + timedelta(minutes=minutes), service_slug=service.slug,
            buffer_before_minutes=service.buffer_before_minutes,
            buffer_after_minutes=service.buffer_after_minutes,
            on_location=service.on_location, location=row.get("location"),
            exempt_from_daily_limit=service.exempt_from_daily_limit,
            status=row["status"], id=number))
    return bookings
