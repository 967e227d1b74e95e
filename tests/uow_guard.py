"""Every write of a use case goes through its unit of work (issue 23): a guard over the whole
suite. Each connection the store opens in the test process reports the statements it runs
(sqlite3's trace callback); a write that runs outside any transaction is a write with no owner,
and so is a transaction a repository opened for itself (the store's `transaction()`) outside
any unit of work; the code that asked is named. The conftest fails the test it happened in.

The machinery's own bookkeeping is exempt, each for its reason (below): it is not a use case's
change, and each of those writes is one statement that stands alone.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
import traceback
from collections.abc import Callable

from slackbot.store import db

# Where the write was made (the innermost frame of ours outside the store) → why it may write
# on its own.
EXEMPT = {
    "machinery/workers.py": "the inbox's own bookkeeping (claim, done, retry) around each unit",
    "machinery/roster_redraws.py": "a redraw mark: the refresher's queue, not a change",
    "jobs/scheduler.py": "a job's lease: which process runs the job, taken before any work",
    "bootstrap.py": "start-up: the migrations, the standings and dead claims, before any use case",
    "slack/budgets.py": "a Slack call's entry in its method's rate budget, shared by processes",
    "services/hub_checks.py": "the Hub's answers cache, one row per model asked, on the Hub's "
    "own threads: a copy of what the Hub said, not a change of the week's",
}

_WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
_TABLE = re.compile(r"(?:INTO|UPDATE|FROM)\s+\[?\"?(\w+)", re.IGNORECASE)

# Also name a repository's own transaction (its claim, its lease) opened outside any unit of
# work: the unit owns every transaction. UOW_GUARD_STRICT=0 leaves only the writes with no
# transaction at all (to tell the two apart when one is found).
STRICT = os.environ.get("UOW_GUARD_STRICT", "1") != "0"
_lock = threading.Lock()
offences: list[str] = []


def _site() -> str | None:
    """Ours, outside the store and the stand-ins: who asked for the write (None: a test)."""
    for frame in reversed(traceback.extract_stack()[:-3]):
        path = frame.filename.replace("\\", "/")
        if "/slackbot/" not in path:
            continue
        where = path.rsplit("/slackbot/", 1)[1]
        if where.startswith(("store/", "sandbox/")):
            continue
        return f"{where}:{frame.name}"
    return None


def _opened_by_the_store() -> bool:
    """Is this BEGIN the store's own `transaction()` (a repository's), not a unit of work's?"""
    for frame in reversed(traceback.extract_stack()[:-2]):
        path = frame.filename.replace("\\", "/")
        if path.endswith("/slackbot/store/unit_of_work.py"):
            return False
        if path.endswith("/slackbot/store/db.py") and frame.name == "transaction":
            return True
    return False


def _watch(conn: sqlite3.Connection) -> None:
    def trace(sql: str) -> None:
        if STRICT and sql.lstrip().upper().startswith("BEGIN") and _opened_by_the_store():
            site = _site()
            if site is not None and site.split(":")[0] not in EXEMPT:
                with _lock:
                    offences.append(f"{site} opened the store's own transaction")
            return
        if conn.in_transaction or not _WRITE.match(sql):
            return
        site = _site()
        if site is None or site.split(":")[0] in EXEMPT:
            return
        table = _TABLE.search(sql)
        with _lock:
            offences.append(f"{site} wrote {table.group(1) if table else sql[:40]!r}")

    conn.set_trace_callback(trace)


def install() -> None:
    """Watch every connection the store opens from now on (once per process)."""
    if getattr(db.Store._connect, "_guarded", False):
        return
    connect: Callable[[db.Store], sqlite3.Connection] = db.Store._connect

    def guarded(self: db.Store) -> sqlite3.Connection:
        conn = connect(self)
        _watch(conn)
        return conn

    guarded._guarded = True  # type: ignore[attr-defined]
    db.Store._connect = guarded  # type: ignore[method-assign]


def take() -> list[str]:
    """The offences since the last call, each once."""
    with _lock:
        found = sorted(set(offences))
        offences.clear()
    return found
