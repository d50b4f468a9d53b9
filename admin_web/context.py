"""What every request handler needs: settings, the database and the studio clock."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, TypeVar

from quart import current_app

from models import Database
from studiobook.config import Settings

T = TypeVar("T")


@dataclass
class AppContext:
    settings: Settings
    db: Database
    extras: dict[str, Any] = field(default_factory=dict)

    def now(self) -> datetime:
        """"Now" for every rule check: ``STUDIOBOOK_NOW`` when frozen, else the real clock."""
        return self.settings.current_time()

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run blocking database work off the event loop."""
        return await asyncio.to_thread(fn, *args, **kwargs)


def ctx() -> AppContext:
    return current_app.extensions["studiobook"]
