"""``studiobook serve``: one process running HTTP and every background component.

Components are coroutines ``run(settings, db, stop_event)`` listed in ``COMPONENTS``; features add
theirs (mail in, outbox, scheduler, IMAP). SIGINT/SIGTERM set the stop event and everything winds down.
"""
from __future__ import annotations

import asyncio
import logging
import signal
from typing import Any, Awaitable, Callable, Optional

from hypercorn.asyncio import serve as hypercorn_serve
from hypercorn.config import Config as HypercornConfig

from .config import Settings

log = logging.getLogger("studiobook")

Component = Callable[[Settings, Any, asyncio.Event], Awaitable[None]]


def components() -> list[tuple[str, Component]]:
    """Background components of this build, imported lazily so a missing feature never breaks serve."""
    found: list[tuple[str, Component]] = []
    try:
        from mailroom.service import COMPONENTS as mail_components

        found.extend(mail_components)
    except ImportError:
        pass
    return found


def prepare(settings: Settings, load_if_empty: Optional[str]):  # type: ignore[no-untyped-def]
    from models import Database, Studio
    from models.migrate import upgrade
    from models.repo.loader import load_studio
    from sqlalchemy import select
    import json
    from pathlib import Path

    db = Database(settings.database_url)
    upgrade(db)
    with db.read() as session:
        empty = session.scalars(select(Studio).limit(1)).first() is None
    if empty and load_if_empty:
        report = load_studio(db, json.loads(Path(load_if_empty).read_text(encoding="utf-8")),
                             now=settings.current_time())
        log.info("loaded demo studio from %s: %s", load_if_empty, report.summary())
    return db


async def _serve_async(settings: Settings, db: Any) -> None:
    from admin_web.app import create_app

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except NotImplementedError:  # pragma: no cover - non-Unix
            pass
    app = create_app(settings, db)
    config = HypercornConfig()
    config.bind = [f"{settings.http_host}:{settings.http_port}"]
    config.accesslog = None
    config.graceful_timeout = 5
    tasks = [asyncio.create_task(hypercorn_serve(app, config, shutdown_trigger=stop.wait), name="http")]
    for name, component in components():
        tasks.append(asyncio.create_task(component(settings, db, stop), name=name))
    log.info("Studiobook is running: http://%s:%s/ (Ctrl-C to stop)", settings.http_host, settings.http_port)
    done, _pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    for task in done:
        if task.exception() is not None:
            log.error("component %s failed: %s", task.get_name(), task.exception())
            stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    log.info("Studiobook stopped")


def _close_models() -> None:
    try:
        from assistant.llm import close_all
    except ImportError:  # pragma: no cover
        return
    close_all()


def serve(settings: Settings, load_if_empty: Optional[str] = None) -> int:
    db = prepare(settings, load_if_empty)
    try:
        asyncio.run(_serve_async(settings, db))
    finally:
        _close_models()
        db.dispose()
    return 0
