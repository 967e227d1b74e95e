"""Scheduled jobs run in one process at a time, however many processes run the bot.

Every process schedules every job; before a run, the process takes the job's lease row. A
lease is free when it has expired or when its holder is a dead process of this host
(`claims.owner_gone`). While a job runs its lease is held for `RUNNING` seconds; when it ends
the lease is held until the job's next run is due, so another process's timer that fires in
between finds it taken and skips that run.
"""

from __future__ import annotations

import time

from slackbot.store.claims import owner_gone, this_process
from slackbot.store.db import Store

RUNNING = 15 * 60.0  # longer than any job takes; a crash on another host frees it after this


class JobLeases:
    def __init__(self, store: Store) -> None:
        self.store = store

    def take(self, job: str, *, hold: float = RUNNING, now: float | None = None) -> bool:
        now = time.time() if now is None else now
        with self.store.transaction() as conn:
            row = conn.execute(
                "SELECT owner, until FROM job_leases WHERE job = ?", (job,)
            ).fetchone()
            if row is not None and row[1] > now and not owner_gone(row[0]):
                return False
            conn.execute(
                "INSERT INTO job_leases (job, owner, until) VALUES (?, ?, ?) "
                "ON CONFLICT(job) DO UPDATE SET owner = excluded.owner, until = excluded.until",
                (job, this_process(), now + hold),
            )
            return True

    def finish(self, job: str, *, free_at: float) -> None:
        """The run is over; other processes may run the job from `free_at` on."""
        self.store.conn.execute(
            "UPDATE job_leases SET until = ? WHERE job = ? AND owner = ?",
            (free_at, job, this_process()),
        )

    def holder(self, job: str) -> str | None:
        row = self.store.conn.execute(
            "SELECT owner FROM job_leases WHERE job = ? AND until > ?", (job, time.time())
        ).fetchone()
        return None if row is None else str(row[0])
