"""Every write of a use case goes through its unit of work (issue 23): a guard over the whole
suite. Each connection the store opens in the test process reports the statements it runs
(sqlite3's trace callback); a write that runs outside any transaction is a write with no owner,
and the code that made it is named. The conftest fails the test it happened in.

The machinery's own bookkeeping is exempt, each for its reason (below): it is not a use case's
change, and each of those writes is one statement that stands alone.
"""

from __future__ import annotations

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
    "services/hub_checks.py": "the Hub's answers cache, one row per model asked, on the Hub's "
    "own threads: a copy of what the Hub said, not a change of the week's",
}

_WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
_TABLE = re.compile(r"(?:INTO|UPDATE|FROM)\s+\[?\"?(\w+)", re.IGNORECASE)

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


def _watch(conn: sqlite3.Connection) -> None:
    def trace(sql: str) -> None:
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
