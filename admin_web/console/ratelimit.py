"""Login rate limit: failed attempts per client address and per account, in a sliding window.

Two keys, because an attacker either hammers one account from one place, or sprays many accounts
from one address. While a key is over its limit every attempt is refused with 429 and a
``Retry-After`` — even a correct password — so guessing cannot continue at full speed. A success
clears the account's counter. In memory: one process per studio, and a restart forgetting counters is
harmless (the attacker gains one window).
"""
from __future__ import annotations

import math
import threading
import time
from collections import deque
from typing import Callable, Optional

WINDOW_SECONDS = 15 * 60
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20


class LoginLimiter:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def keys(address: str, email: str) -> list[tuple[str, int]]:
        return [(f"acct:{address}:{email.strip().lower()}", MAX_FAILURES_PER_ACCOUNT),
                (f"addr:{address}", MAX_FAILURES_PER_ADDRESS)]

    def _prune(self, key: str, now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and now - times[0] >= WINDOW_SECONDS:
            times.popleft()
        return times

    def retry_after(self, address: str, email: str) -> Optional[int]:
        """Seconds to wait if this attempt must be refused, else None."""
        now = self.clock()
        wait = 0.0
        with self._lock:
            for key, limit in self.keys(address, email):
                times = self._prune(key, now)
                if len(times) >= limit:
                    wait = max(wait, WINDOW_SECONDS - (now - times[len(times) - limit]))
        return max(1, math.ceil(wait)) if wait > 0 else None

    def failed(self, address: str, email: str) -> None:
        now = self.clock()
        with self._lock:
            for key, _limit in self.keys(address, email):
                self._prune(key, now).append(now)

    def succeeded(self, address: str, email: str) -> None:
        with self._lock:
            self._failures.pop(self.keys(address, email)[0][0], None)
