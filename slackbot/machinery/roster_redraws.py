"""Keeping each proposal's post showing its live team, without flooding chat.update.

A membership change marks its post in the database (`store.redraw_marks`: a crash or a restart
cannot lose it). Marked posts are redrawn no sooner than `debounce` after the first change (so
a burst becomes one update), no more often than `min_interval` per post, and only when
chat.update's budget, shared by every process (`slack.budgets`), has room: `spend` never
waits, so the oldest marks go first when room comes back. Each
redraw renders the state as it is then, so the last update always shows the final team.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from slackbot.store.redraw_marks import RedrawMarks

log = logging.getLogger("slackbot.rosters")

CLAIM_SECONDS = 60.0  # longer than one chat.update can take with its retries

# redraw(proposal_id, may_send) -> (outcome, retry delay): see posting.redraw_post.
Redraw = Callable[[int, Callable[[], bool]], tuple[str, float]]


class RosterRedraws:
    def __init__(
        self,
        marks: RedrawMarks,
        redraw: Redraw,
        *,
        debounce: float = 1.5,
        min_interval: float = 4.0,
        spend: Callable[[], bool] = lambda: True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.marks = marks
        self.redraw = redraw
        self.debounce = debounce
        self.min_interval = min_interval
        self.clock = clock
        self.spend = spend
        self._last: dict[int, float] = {}
        self._lock = threading.Lock()

    def mark(self, proposal_id: int) -> None:
        self.marks.mark(proposal_id)

    def pending(self) -> bool:
        return self.marks.count() > 0

    def run_once(self, *, force: bool = False) -> int:
        """Redraw what is due; returns how many chat.update calls were made."""
        sent = 0
        with self._lock:
            now, wall = self.clock(), time.time()
            due = self.marks.due(wall if force else wall - self.debounce, wall, limit=100)
            for mark in due:
                if not force and now - self._last.get(mark.proposal_id, -1e9) < self.min_interval:
                    continue
                claimed = self.marks.claim(mark, wall, CLAIM_SECONDS)
                if claimed is None:
                    continue  # another process is redrawing it
                outcome, delay = self.redraw(claimed.proposal_id, self._may_send(claimed, now))
                if outcome == "budget":
                    self.marks.release(claimed, 0.0)  # the window is full: the rest waits
                    break
                if outcome == "retry":
                    self.marks.release(claimed, wall + delay)
                elif outcome == "gone":
                    self.marks.drop(claimed)
                else:
                    self.marks.unmark(claimed)
                    sent += outcome == "sent"
        return sent

    def _may_send(self, mark: object, now: float) -> Callable[[], bool]:
        proposal_id = getattr(mark, "proposal_id", 0)

        def may_send() -> bool:
            if not self.spend():
                return False
            self._last[proposal_id] = now
            return True

        return may_send
