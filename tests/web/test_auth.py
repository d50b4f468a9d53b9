"""Logging in and out, first-time setup, CSRF, rate limiting and idle expiry."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from admin_web.console import ratelimit, sessions
from models import Admin, AuditEntry

from .conftest import ADMIN_EMAIL, ADMIN_PASSWORD, flashes, log_in, page_token


async def test_admin_pages_send_anonymous_visitors_to_the_login_page(app, admin):
    client = app.test_client()
    response = await client.get("/admin/clients?q=priya")
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/login?next=%2Fadmin%2Fclients%3Fq%3Dpriya"


async def test_every_admin_page_requires_login(app, admin):
    client = app.test_client()
    for path in ("/admin/calendar", "/admin/bookings/1", "/admin/approvals", "/admin/clients/1", "/admin/services",
                 "/admin/services/portrait", "/admin/availability", "/admin/insights", "/admin/notifications",
                 "/admin/settings", "/admin/files/1"):
        response = await client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/admin/login?next="), path


async def test_login_with_the_right_password_opens_the_calendar(app, admin, db):
    client = app.test_client()
    response = await log_in(client)
    assert response.status_code == 303
    assert response.headers["Location"] == "/admin/calendar"
    assert (await client.get("/admin/calendar")).status_code == 200
    with db.read() as s:
        assert s.scalar(select(AuditEntry.action).where(AuditEntry.action == "admin.login")) == "admin.login"


async def test_login_goes_back_to_the_page_asked_for_but_never_off_site(app, admin):
    client = app.test_client()
    token = await page_token(client)
    ok = await client.post("/admin/login", form={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD,
                                                 "csrf_token": token, "next": "/admin/clients"})
    assert ok.headers["Location"] == "/admin/clients"
    client = app.test_client()
    token = await page_token(client)
    evil = await client.post("/admin/login", form={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD,
                                                   "csrf_token": token, "next": "//evil.example/x"})
    assert evil.headers["Location"] == "/admin/calendar"


async def test_a_wrong_password_is_refused_in_words(app, admin):
    client = app.test_client()
    response = await log_in(client, password="wrong password!")
    assert response.status_code == 401
    assert "That email and password do not match an admin account." in await response.get_data(as_text=True)
    assert (await client.get("/admin/calendar")).status_code == 302


async def test_the_session_cookie_is_httponly_and_samesite_lax(app, admin):
    client = app.test_client()
    response = await log_in(client)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain http on 127.0.0.1


async def test_the_cookie_is_secure_when_served_over_https(settings, db, admin):
    from dataclasses import replace

    from admin_web.app import create_app

    app = create_app(replace(settings, public_url="https://studio.example"), db)
    response = await log_in(app.test_client())
    assert "Secure" in response.headers["Set-Cookie"]


async def test_login_regenerates_the_session(app, admin):
    client = app.test_client()
    before = await page_token(client)
    await log_in(client)
    after = await page_token(client, "/admin/settings")
    assert after != before
    # the pre-login token no longer authorises anything
    response = await client.post("/admin/settings/ical", form={"csrf_token": before})
    assert response.status_code == 403


async def test_logout_ends_the_session_even_for_a_copied_cookie(app, admin):
    client = app.test_client()
    await log_in(client)
    token = await page_token(client, "/admin/settings")
    copied = {c.name: c.value for c in client.cookie_jar}["studiobook_session"]
    response = await client.post("/admin/logout", form={"csrf_token": token})
    assert response.status_code == 303
    assert (await client.get("/admin/calendar")).status_code == 302
    replay = app.test_client()
    replay.set_cookie("localhost", "studiobook_session", copied)
    assert (await replay.get("/admin/calendar")).status_code == 302


async def test_state_changes_without_the_csrf_token_are_refused(app, admin):
    client = app.test_client()
    await log_in(client)
    response = await client.post("/admin/approvals/1/approve", form={})
    assert response.status_code == 403
    assert "did not come from this site" in await response.get_data(as_text=True)
    response = await client.post("/admin/api/ask", json={"question": "revenue"})
    assert response.status_code == 403
    assert (await response.get_json())["error"].startswith("This form has expired")


async def test_login_itself_needs_the_csrf_token(app, admin):
    response = await app.test_client().post("/admin/login", form={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    assert response.status_code == 403


async def test_the_bearer_token_still_works_for_scripts_without_csrf(client, admin_headers):
    response = await client.get("/admin/api/bookings?from=2026-12-01&to=2026-12-31", headers=admin_headers)
    assert response.status_code == 200
    assert [b["service"] for b in await response.get_json()] == ["portrait"]


async def test_the_admin_api_answers_401_in_words_without_login(client):
    response = await client.get("/admin/api/bookings")
    assert response.status_code == 401
    assert (await response.get_json()) == {"error": "Admin login or a valid bearer token is required."}


async def test_the_admin_api_accepts_a_logged_in_session(browser):
    response = await browser.get("/admin/api/bookings?from=2026-12-01&to=2026-12-31")
    assert response.status_code == 200


async def test_logins_are_rate_limited_with_retry_after(app, admin):
    client = app.test_client()
    for _ in range(ratelimit.MAX_FAILURES_PER_ACCOUNT):
        assert (await log_in(client, password="not it at all")).status_code == 401
    response = await log_in(client)  # even the right password waits now
    assert response.status_code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= ratelimit.WINDOW_SECONDS
    assert "Too many failed attempts. Please wait about 15 minutes and try again." in await response.get_data(as_text=True)


async def test_the_limit_lifts_after_the_window(app, admin):
    clock = [1000.0]
    app.extensions["studiobook"].extras["login_limiter"] = ratelimit.LoginLimiter(clock=lambda: clock[0])
    client = app.test_client()
    for _ in range(ratelimit.MAX_FAILURES_PER_ACCOUNT):
        await log_in(client, password="not it at all")
    assert (await log_in(client)).status_code == 429
    clock[0] += ratelimit.WINDOW_SECONDS + 1
    assert (await log_in(client)).status_code == 303


async def test_an_idle_session_expires(app, admin):
    clock = [50.0]
    app.extensions["studiobook"].extras["admin_sessions"] = sessions.SessionRegistry(clock=lambda: clock[0])
    client = app.test_client()
    await log_in(client)
    clock[0] += sessions.IDLE_SECONDS - 10
    assert (await client.get("/admin/calendar")).status_code == 200
    clock[0] += sessions.IDLE_SECONDS + 1
    response = await client.get("/admin/calendar")
    assert response.status_code == 302
    login = await client.get(response.headers["Location"])
    assert flashes(await login.get_data(as_text=True)) == [
        "You were logged out after a period of inactivity. Please log in again."]


async def test_setup_creates_the_first_admin_then_closes(app, db):
    client = app.test_client()
    assert (await client.get("/admin/login")).headers["Location"] == "/setup"
    token = await page_token(client, "/setup")
    short = await client.post("/setup", form={"csrf_token": token, "email": "maya@example.com", "password": "short",
                                              "repeat": "short"})
    assert short.status_code == 422
    assert "Choose a password of at least 10 characters." in await short.get_data(as_text=True)
    response = await client.post("/setup", form={"csrf_token": token, "email": "Maya@Example.com",
                                                 "password": "a long enough password", "repeat": "a long enough password"})
    assert response.status_code == 303
    assert (await client.get("/admin/calendar")).status_code == 200
    with db.read() as s:
        assert s.scalars(select(Admin.email)).all() == ["maya@example.com"]
    other = app.test_client()
    token = await page_token(other, "/admin/login")
    again = await other.post("/setup", form={"csrf_token": token, "email": "eve@example.com",
                                             "password": "another long password", "repeat": "another long password"})
    assert again.headers["Location"] == "/admin/login"
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Admin)) == 1


async def test_setup_from_another_machine_needs_the_key_from_the_log(app, db):
    from admin_web.console.auth import setup_key
    from studiobook.links import secret_key

    client = app.test_client()
    far = await client.get("/setup", headers={"X-Forwarded-For": "203.0.113.9"})
    assert far.status_code == 403
    assert "only be created from the studio computer" in await far.get_data(as_text=True)
    key = setup_key(secret_key(app.extensions["studiobook"].settings))
    assert (await client.get(f"/setup?key={key}", headers={"X-Forwarded-For": "203.0.113.9"})).status_code == 200


async def test_setup_without_csrf_is_refused(app, db):
    response = await app.test_client().post("/setup", form={"email": "m@example.com", "password": "long password 1",
                                                            "repeat": "long password 1"})
    assert response.status_code == 403


@pytest.mark.parametrize("path", ["/admin/logout", "/admin/settings/ical"])
async def test_no_state_changes_on_get(browser, path):
    response = await browser.get(path)
    assert response.status_code == 405
