"""One helper the mailroom's background loops share: sleep until woken, stopped or timed out."""
from __future__ import annotations

import asyncio
from typing import Optional


async def pause(stop: asyncio.Event, wake: Optional[asyncio.Event], seconds: float) -> None:
    """Return after ``seconds``, or as soon as ``stop`` or ``wake`` is set."""
    waiters = [asyncio.ensure_future(stop.wait())]
    if wake is not None:
        waiters.append(asyncio.ensure_future(wake.wait()))
    try:
        await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
