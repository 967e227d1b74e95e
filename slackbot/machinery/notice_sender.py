"""The refresher's part that sends due notices (the outbox and what it says: notices.py).
Kept apart so the refresher knows nothing of the runtime."""

from __future__ import annotations

import time
from collections.abc import Callable


class NoticeSender:
    """The refresher's part that sends due notices (see the module's docstring)."""

    def __init__(self, send: Callable[[float], int], pending: Callable[[], bool]) -> None:
        self.send = send
        self._pending = pending

    def run_once(self, *, force: bool = False) -> int:
        return self.send(float("inf") if force else time.time())

    def pending(self) -> bool:
        return self._pending()
