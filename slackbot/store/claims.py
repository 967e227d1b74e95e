"""Who holds a claim, and taking back the claims of a process that died.

Work that must happen once (posting a proposal, sending an alert, redrawing a post, doing an
inbox request) is claimed in the database with an owner (host:pid) and an expiry. A claim
outlives a crash only until it expires; on the same host a dead owner is recognised at once, so
a restart after `kill -9` resumes the work in seconds instead of waiting out every lease.
"""

from __future__ import annotations

import os
import socket
import time

from slackbot.store.db import Store

HOST = socket.gethostname()

# (table, owner column, expiry column) of every claim the bot takes.
CLAIMS = (
    ("inbox", "owner", "lease_until"),
    ("alert_deliveries", "owner", "claimed_until"),
    ("redraws", "owner", "claimed_until"),
    ("proposals", "post_owner", "post_claim_until"),
    ("job_leases", "owner", "until"),
    ("compute_sent", "owner", "claimed_until"),
)


def this_process() -> str:
    return f"{HOST}:{os.getpid()}"


def owner_gone(owner: str | None) -> bool:
    """True when `owner` is a process of this host that no longer runs."""
    if not owner:
        return True
    host, _, pid = owner.rpartition(":")
    if host != HOST or not pid.isdigit():
        return False  # another host: only the expiry can tell
    if int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def release_dead_claims(store: Store, now: float | None = None) -> int:
    """Expire every live claim held by a dead process of this host; returns how many."""
    now = time.time() if now is None else now
    released = 0
    for table, owner, until in CLAIMS:
        owners = store.conn.execute(
            f"SELECT DISTINCT {owner} FROM {table} WHERE {owner} IS NOT NULL AND {until} > ?",
            (now,),
        ).fetchall()
        for (holder,) in owners:
            if holder != this_process() and owner_gone(holder):
                cursor = store.conn.execute(
                    f"UPDATE {table} SET {until} = 0 WHERE {owner} = ? AND {until} > ?",
                    (holder, now),
                )
                released += cursor.rowcount
    return released
