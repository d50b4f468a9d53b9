"""Take the README screenshots: start Studiobook on a free port with demo data, drive Debian's Chromium.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

The app runs in this process (Hypercorn on a thread) over a fresh SQLite database in a temporary
directory: the demo studio, a seeded history (benchmarks/history.py) so the charts have something to
show, two pending requests, a hand-over and a few notifications. The clock is frozen at the demo's
"now" (2026-11-24 09:00 America/Denver). Pages are captured at 1280 px (desktop) and 390 px (phone).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEMO_FILE = Path(os.environ.get("STUDIOBOOK_SHARED_DIR", ROOT.parent / "shared")) / "fixtures" / "demo-studio.json"
if not DEMO_FILE.exists():
    DEMO_FILE = ROOT / "studiobook" / "demo" / "demo-studio.json"
DEMO_NOW = "2026-11-24T09:00:00-07:00"

from testkit.live_server import CHROMIUM, CHROMIUM_ARGS, LiveServer  # noqa: E402
ADMIN_EMAIL, ADMIN_PASSWORD = "maya@juniperlight.example", "screenshots-only-pass"


def build_studio(tmp: str, history: bool = True) -> tuple[Any, Any]:
    """Settings and a database holding the demo studio, a seeded past and some things to act on."""
    from models import Conversation, Database, Message
    from models.migrate import upgrade
    from models.repo import bookings as repo
    from models.repo.admins import create_or_update_admin
    from models.repo.loader import load_studio
    from studiobook.config import Settings

    settings = Settings(database_url=f"sqlite:///{tmp}/studiobook.db", data_dir=f"{tmp}/data", now=DEMO_NOW,
                        admin_token="screenshots", secret_key="screenshots-secret", smtp_in_port=0, smtp_out_port=0)
    db = Database(settings.database_url)
    upgrade(db)
    load_studio(db, json.loads(DEMO_FILE.read_text(encoding="utf-8")))
    create_or_update_admin(db, ADMIN_EMAIL, ADMIN_PASSWORD)
    if history:
        try:
            from benchmarks.history import generate_history

            generate_history(db, seed=7, clients=80, bookings=420)
        except ImportError:
            pass
    now = settings.current_time()
    for service, start, name, email, notes in (
        ("portrait", "2026-12-03T10:00:00-07:00", "Dana Whitfield", "dana@example.com", "Family portrait with our dog Pepper."),
        ("branding", "2026-12-11T09:00:00-07:00", "Lena Okafor", "lena@okafor-design.example", None),
    ):
        try:
            repo.create_booking(db, repo.NewBooking(service=service, start=datetime.fromisoformat(start),
                                                    client=repo.ClientInput(name, email, "+1 303 555 0188"),
                                                    fields={"business": "Okafor Design"} if service == "branding" else {},
                                                    notes=notes, source="api"), now)
        except repo.RepoError:
            pass  # the seeded history already holds that time
    with db.write() as s:
        convo = Conversation(channel="email", email="sam.rivera@example.net", subject="Elopement in Estes Park?",
                             status="handed_over")
        s.add(convo)
        s.flush()
        s.add(Message(conversation_id=convo.id, direction="in", channel="email", sender="sam.rivera@example.net",
                      body="Hi! We're planning a small elopement at Sprague Lake in late May, just the two of us and "
                           "an officiant. Do you do short elopement coverage, maybe 3 hours? Budget around $1,500."))
        s.add(Message(conversation_id=convo.id, direction="out", channel="email", sender="book@studio.localhost",
                      body="Thank you, Sam! Elopements are something Maya handles personally — I've passed your "
                           "message on and she'll reply within a day."))
        repo.notify(s, "payment_due", "Deposit due: Wedding Day Coverage for Alicia Gomez", link="/admin/clients/3")
        repo.notify(s, "shoot_soon", "Tomorrow 10:00: Portrait Session with Priya Raman", link="/admin/calendar?view=day&date=2026-12-01")
    return settings, db


def launch(playwright: Any) -> Any:
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def log_in(page: Any, url: str) -> None:
    page.goto(f"{url}/admin/login")
    page.fill("#email", ADMIN_EMAIL)
    page.fill("#password", ADMIN_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/calendar")


def shots(url: str, settings: Any) -> list[tuple[str, str, Callable[[Any], None] | None]]:
    from studiobook.links import portal_url

    portal = portal_url(settings, 5, "priya.raman@example.com").replace(settings.base_url, url)

    def book_flow(page: Any) -> None:
        page.click('[data-service="portrait"]')
        page.wait_for_selector("button.avail")
        page.click('button[data-day="2026-12-03"]' if page.query_selector('button.avail[data-day="2026-12-03"]')
                   else "button.avail")
        page.click("[data-slot]")
        page.wait_for_timeout(300)

    return [
        ("calendar", "/admin/calendar?date=2026-12-01", None),
        ("calendar-week", "/admin/calendar?view=week&date=2026-12-01", None),
        ("booking", "/admin/bookings/5", None),
        ("approvals", "/admin/approvals", None),
        ("clients", "/admin/clients", None),
        ("client", "/admin/clients/1", None),
        ("services-editor", "/admin/services/branding", None),
        ("availability", "/admin/availability", None),
        ("insights", "/admin/insights", None),
        ("book", "/book", None),
        ("book-time", "/book", book_flow),
        ("portal", portal, None),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--only", nargs="*", help="names of the shots to take (default: all)")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="studiobook-shots-") as tmp:
        settings, db = build_studio(tmp)
        with LiveServer(settings, db) as server, sync_playwright() as p:
            browser = launch(p)
            for width, height, suffix in ((1280, 860, "desktop"), (390, 844, "phone")):
                context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
                page = context.new_page()
                log_in(page, server.url)
                for name, path, action in shots(server.url, server.settings):
                    if args.only and name not in args.only:
                        continue
                    page.goto(path if path.startswith("http") else f"{server.url}{path}")
                    page.wait_for_load_state("networkidle")
                    if action:
                        action(page)
                    target = out / f"{name}-{suffix}.png"
                    page.screenshot(path=str(target), full_page=suffix == "phone" or name in ("insights", "booking"))
                    print(f"wrote {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
                context.close()
            browser.close()
        db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
