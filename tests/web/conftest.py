"""Fixtures for the console tests: an admin account, a logged-in test client, CSRF-aware posting."""
from __future__ import annotations

import re
from html import unescape
from urllib.parse import urlencode
from dataclasses import dataclass
from typing import Any

import pytest

from models.repo.admins import create_or_update_admin

ADMIN_EMAIL = "maya@juniperlight.example"
ADMIN_PASSWORD = "correct horse battery"
META = re.compile(r'name="csrf-token" content="([^"]+)"')


@pytest.fixture
def admin(db):  # type: ignore[no-untyped-def]
    create_or_update_admin(db, ADMIN_EMAIL, ADMIN_PASSWORD)
    return ADMIN_EMAIL


async def page_token(client: Any, path: str = "/admin/login") -> str:
    """The CSRF token from a page's <meta name="csrf-token"> (what forms and fetch use)."""
    response = await client.get(path)
    match = META.search(await response.get_data(as_text=True))
    assert match, f"no CSRF meta tag on {path}"
    return match.group(1)


@dataclass
class Browser:
    """A test client with a session cookie and the session's CSRF token, like a logged-in browser."""

    client: Any
    token: str

    async def get(self, path: str, **kwargs: Any) -> Any:
        return await self.client.get(path, **kwargs)

    async def post(self, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        form = {"csrf_token": self.token, **(data or {})}
        body = urlencode(form, doseq=True)  # lists become repeated fields, as a browser sends them
        headers = {"Content-Type": "application/x-www-form-urlencoded", **kwargs.pop("headers", {})}
        return await self.client.post(path, data=body, headers=headers, **kwargs)

    async def text(self, path: str) -> tuple[int, str]:
        response = await self.client.get(path)
        return response.status_code, await response.get_data(as_text=True)


async def log_in(client: Any, email: str = ADMIN_EMAIL, password: str = ADMIN_PASSWORD) -> Any:
    token = await page_token(client)
    return await client.post("/admin/login", form={"email": email, "password": password, "csrf_token": token,
                                                   "next": ""})


@pytest.fixture
async def browser(app, admin) -> Browser:  # type: ignore[no-untyped-def]
    client = app.test_client()
    response = await log_in(client)
    assert response.status_code == 303
    return Browser(client, await page_token(client, "/admin/settings"))


@pytest.fixture
async def visitor(app) -> Browser:  # type: ignore[no-untyped-def]
    """An anonymous visitor with a session (for /book and the portal)."""
    client = app.test_client()
    return Browser(client, await page_token(client, "/book"))


def flashes(html: str) -> list[str]:
    return [unescape(re.sub(r"\s+", " ", m).strip())
            for m in re.findall(r'class="flash flash-\w+"><span>(.*?)</span>', html, re.S)]


@pytest.fixture
def pending(db, settings):  # type: ignore[no-untyped-def]
    """A booking request waiting for approval: Dana's portrait on Thursday 3 December, 10:00."""
    from datetime import datetime

    from models.repo import bookings as repo

    booking = repo.create_booking(db, repo.NewBooking(
        service="portrait", start=datetime.fromisoformat("2026-12-03T10:00:00-07:00"),
        client=repo.ClientInput("Dana Whitfield", "dana@example.com", "+1 303 555 0188"), fields={"people": "3"},
        notes="Family portrait with our dog Pepper."), settings.current_time())
    assert booking.status == "pending"
    return booking.id
