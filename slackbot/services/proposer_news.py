"""The proposer's news, batched: who joined and who left, in one DM per `delay` seconds
rather than one per reaction (a join followed by a leave within the batch says nothing)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

Tell = Callable[[int, list[str], list[str]], None]  # (proposal id, joined, left)


@dataclass
class _Pending:
    first: float
    joined: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)


class ProposerNews:
    def __init__(
        self, tell: Tell, *, delay: float = 30.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.tell = tell
        self.delay = delay
        self.clock = clock
        self._news: dict[int, _Pending] = {}
        self._lock = threading.Lock()

    def note(self, proposal_id: int, joined: list[str], left: list[str]) -> None:
        if not joined and not left:
            return
        with self._lock:
            news = self._news.setdefault(proposal_id, _Pending(self.clock()))
            for user in joined:
                if user in news.left:
                    news.left.remove(user)
                elif user not in news.joined:
                    news.joined.append(user)
            for user in left:
                if user in news.joined:
                    news.joined.remove(user)
                elif user not in news.left:
                    news.left.append(user)

    def pending(self) -> bool:
        with self._lock:
            return bool(self._news)

    def run_once(self, *, force: bool = False) -> None:
        now = self.clock()
        with self._lock:
            ready = [
                (pid, news)
                for pid, news in self._news.items()
                if force or now - news.first >= self.delay
            ]
            for pid, _ in ready:
                del self._news[pid]
        for pid, news in ready:
            if news.joined or news.left:
                self.tell(pid, news.joined, news.left)
