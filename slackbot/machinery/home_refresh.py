"""Home tabs refreshed when what they show changes: coalesced per person, only for people who
have opened the tab, and only when views.publish's budget (shared by every process,
`slack.budgets`) has room: `spend` never waits; who finds none waits for the next round."""

from __future__ import annotations

import threading
from collections.abc import Callable


class HomeRefresh:
    def __init__(
        self,
        publish: Callable[[str], bool],
        visitors: Callable[[set[str]], list[str]],
        *,
        spend: Callable[[], bool] = lambda: True,
    ) -> None:
        self.publish = publish
        self.visitors = visitors
        self.spend = spend
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
        for user in self.visitors(users):
            if not self.spend():
                with self._lock:
                    self._users.add(user)
                continue
            self.publish(user)
