"""A sliding-window limit: at most `limit` events in any `period` seconds.

A token bucket allows its burst on top of the rate, so it can exceed Slack's per-minute tier in
a 60-second window; a log of the last `limit` send times cannot.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable


class SlidingWindow:
    def __init__(
        self, limit: int, period: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.period = period
        self.clock = clock
        self._sent: deque[float] = deque()
        self._lock = threading.Lock()

    def _trim(self, now: float) -> None:
        while self._sent and self._sent[0] <= now - self.period:
            self._sent.popleft()

    def try_acquire(self, now: float | None = None) -> bool:
        with self._lock:
            now = self.clock() if now is None else now
            self._trim(now)
            if len(self._sent) >= self.limit:
                return False
            self._sent.append(now)
            return True

    def wait_time(self, now: float | None = None) -> float:
        with self._lock:
            now = self.clock() if now is None else now
            self._trim(now)
            if len(self._sent) < self.limit:
                return 0.0
            return self._sent[0] + self.period - now

    def acquire(self, timeout: float = 120.0) -> bool:
        """Block until a slot is free (for background jobs only, never in the ack path)."""
        deadline = time.monotonic() + timeout
        while not self.try_acquire():
            delay = self.wait_time()
            if time.monotonic() + delay > deadline:
                return False
            time.sleep(max(delay, 0.01))
        return True
