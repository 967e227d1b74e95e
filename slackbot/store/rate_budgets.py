"""Slack's rate limits as one budget for the whole bot, however many processes run it.

Slack counts calls per app per workspace, so a limit held per process doubles with two
processes. Every budgeted call is logged here, in the database all processes share: a call may
go when, for each of its windows, fewer than `limit` calls were logged under its key in the last
`period` seconds. The check and the log are one write-locked transaction (BEGIN IMMEDIATE), so
two processes cannot both take the last slot. A sliding log rather than a token bucket: Slack's
tiers are "N per minute", and a bucket's burst on top of its rate can exceed N in a minute.

Rows older than the longest window are useless and deleted as calls are logged; the table
holds at most about one minute of calls (a few hundred rows).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import NamedTuple

from slackbot.store.db import Store


class Window(NamedTuple):
    """At most `limit` calls logged under `key` in any `period` seconds."""

    key: str
    limit: int
    period: float  # seconds


class RateBudgets:
    def __init__(self, store: Store, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.clock = clock

    def spend(self, given: Sequence[tuple[str, int, float]], *, force: bool = False) -> float:
        """Log one call under each window's key if every window has room and return 0.0;
        otherwise return how many seconds until one might. With `force` the call is logged
        regardless (a call that cannot wait, such as views.open inside a trigger's 3 seconds):
        later callers then wait for it."""
        windows = [Window(*w) for w in given]
        keys = sorted({w.key for w in windows})
        with self.store.transaction() as conn:
            now = self.clock()
            for key in keys:
                longest = max(w.period for w in windows if w.key == key)
                conn.execute(
                    "DELETE FROM rate_sends WHERE key = ? AND at <= ?", (key, now - longest)
                )
            wait = 0.0
            for window in windows:
                row = conn.execute(
                    "SELECT COUNT(*), MIN(at) FROM ("
                    " SELECT at FROM rate_sends WHERE key = ? AND at > ? ORDER BY at DESC LIMIT ?"
                    ")",
                    (window.key, now - window.period, window.limit),
                ).fetchone()
                if int(row[0]) >= window.limit:
                    # The oldest of the last `limit` calls must leave the window first.
                    wait = max(wait, float(row[1]) + window.period - now)
            if wait > 0 and not force:
                return max(wait, 0.001)
            conn.executemany(
                "INSERT INTO rate_sends (key, at) VALUES (?, ?)", [(key, now) for key in keys]
            )
            return 0.0

    def sent(self, key: str, period: float) -> int:
        """Calls logged under `key` in the last `period` seconds."""
        row = self.store.conn.execute(
            "SELECT COUNT(*) FROM rate_sends WHERE key = ? AND at > ?",
            (key, self.clock() - period),
        ).fetchone()
        return int(row[0])
