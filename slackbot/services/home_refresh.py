"""Home tabs refreshed when what they show changes: coalesced per person, only for people who
have opened the tab, and within views.publish's Tier 4 (90 a minute, room for the rest)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from slackbot.slack.rate_windows import SlidingWindow


class HomeRefresh:
    def __init__(
        self,
        publish: Callable[[str], bool],
        visitors: Callable[[set[str]], list[str]],
        *,
        per_minute: int = 90,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.publish = publish
        self.visitors = visitors
        self.clock = clock
        self.window = SlidingWindow(per_minute, 60.0, clock)
        self._users: set[str] = set()
        self._lock = threading.Lock()

    def mark(self, users: set[str]) -> None:
        with self._lock:
            self._users |= users

    def pending(self) -> bool:
        with self._lock:
            return bool(self._users)

    def run_once(self, *, force: bool = False) -> None:
        with self._lock:
            users, self._users = self._users, set()
        now = self.clock()
        for user in self.visitors(users):
            if not self.window.try_acquire(now):
                with self._lock:
                    self._users.add(user)
                continue
            self.publish(user)
