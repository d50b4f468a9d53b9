"""Helpers for driving the app in a real browser (browser tests, the screenshot script).

A live Hypercorn server for ``create_app`` on a thread and a free port, and how Debian's Chromium is
launched here (never a downloaded browser).
"""
from __future__ import annotations

import asyncio
import socket
import threading
import time
import urllib.request
from dataclasses import replace
from typing import Any, Optional

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """``with LiveServer(settings, db) as server: server.url`` (or start()/stop())."""

    def __init__(self, settings: Any, db: Any) -> None:
        self.port = free_port()
        self.settings = replace(settings, http_port=self.port)
        self.db = db
        self.url = f"http://127.0.0.1:{self.port}"
        self._stop: Optional[asyncio.Event] = None
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._thread = threading.Thread(target=self._run, daemon=True, name="live-server")

    def _run(self) -> None:
        from hypercorn.asyncio import serve
        from hypercorn.config import Config

        from admin_web.app import create_app

        async def main() -> None:
            self._stop = asyncio.Event()
            config = Config()
            config.bind = [f"127.0.0.1:{self.port}"]
            config.accesslog = None
            config.graceful_timeout = 1
            await serve(create_app(self.settings, self.db), config, shutdown_trigger=self._stop.wait)

        self._loop = asyncio.new_event_loop()
        try:
            self._loop.run_until_complete(main())
        finally:
            self._loop.close()

    def start(self) -> "LiveServer":
        self._thread.start()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/api/services", timeout=2).read()
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the live server did not start within 20 s")

    def __enter__(self) -> "LiveServer":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=10)
