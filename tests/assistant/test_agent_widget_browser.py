"""The chat widget in Debian's Chromium: one script tag, a keyboard-usable panel, a real conversation."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/ (the live server helper lives in tests/web)
from agent_support import _no_model  # noqa: E402,F401
from web.live import CHROMIUM, CHROMIUM_ARGS, LiveServer  # noqa: E402

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium (apt-get install chromium)")]


@pytest.fixture
def server(settings, db):  # type: ignore[no-untyped-def]
    live = LiveServer(settings, db).start()
    yield live
    live.stop()


@pytest.fixture
def page():  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(viewport={"width": 390, "height": 780})  # a phone
        page = context.new_page()
        page.set_default_timeout(15000)
        yield page
        browser.close()


def test_the_widget_chats_from_one_script_tag(server, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server.url}/api/services")
    page.add_script_tag(url=f"{server.url}/widget.js")
    launcher = page.locator("button.sbw-launcher")
    assert launcher.get_attribute("aria-expanded") == "false"
    launcher.focus()
    page.keyboard.press("Enter")
    assert launcher.get_attribute("aria-expanded") == "true"
    assert page.evaluate("document.activeElement.id") == "sbw-input"
    page.keyboard.type("How much is a portrait session?")
    page.keyboard.press("Enter")
    bot = page.locator("li.sbw-bot .sbw-bubble", has_text="costs")
    bot.wait_for()
    assert bot.inner_text() == ("The Portrait Session costs $250.00 in total. The deposit is $62.50 (25 %). "
                                "Would you like me to look for a date?")
    assert page.locator("ol.sbw-log").get_attribute("aria-live") == "polite"
    conversation = page.evaluate("sessionStorage.getItem('studiobook.chat.id')")
    assert conversation and len(conversation) == 32
    width = page.evaluate("document.querySelector('.sbw-panel').getBoundingClientRect().width")
    assert width == 390  # full screen on a phone
    page.keyboard.press("Escape")
    assert page.locator("#sbw-panel").is_hidden()
    assert page.evaluate("document.activeElement.className") == "sbw-launcher"
