"""The SQLite database: connections, transactions and schema migrations.

sqlite3 connections cannot be shared across Bolt's listener threads, so each thread gets its own
(`Store.db`). WAL mode lets readers run beside the single writer; a busy timeout makes writers
wait for each other instead of failing with "database is locked". Writes that must be atomic go
through `Store.transaction()`, which takes the write lock up front (BEGIN IMMEDIATE) so two
processes cannot both read-then-write the same row.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlite_utils

from slackbot.store.migrations import MIGRATIONS

BUSY_TIMEOUT_MS = 15_000


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch the file to WAL (it stays so). SQLite answers "database is locked" at once,
    without the busy handler, when processes starting together on a new file all ask."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


class Store:
    """Owns the database file; hands each thread its own connection."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        _use_wal(conn)
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        with self._lock:
            self._all.append(conn)
        return conn

    @property
    def conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            self._local.conn = conn
        return conn

    @property
    def db(self) -> sqlite_utils.Database:
        db: sqlite_utils.Database | None = getattr(self._local, "db", None)
        if db is None:
            db = sqlite_utils.Database(self.conn)
            self._local.db = db
        return db

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """An immediate (write-locked) transaction on this thread's connection."""
        conn = self.conn
        if conn.in_transaction:  # nested: join the outer transaction
            yield conn
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def migrate(self) -> int:
        """Bring the schema up to date; safe to run from several processes at once."""
        with self.transaction() as conn:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if version > len(MIGRATIONS):
                raise RuntimeError(
                    f"database {self.path} has schema version {version}, newer than this bot "
                    f"({len(MIGRATIONS)}): upgrade the bot"
                )
            db = sqlite_utils.Database(conn)
            for number in range(version, len(MIGRATIONS)):
                MIGRATIONS[number](db)
            conn.execute(f"PRAGMA user_version={len(MIGRATIONS)}")
        return len(MIGRATIONS)

    def tuples(
        self, sql: str, params: Sequence[object] | Mapping[str, object] = ()
    ) -> list[tuple[Any, ...]]:
        """Plain tuples, for bulk reads where sqlite3.Row objects cost more than the query."""
        cursor = self.conn.cursor()
        cursor.row_factory = None
        return cursor.execute(sql, params).fetchall()

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                # sqlite3 refuses to close another thread's connection in some versions.
                with contextlib.suppress(sqlite3.ProgrammingError):
                    conn.close()
            self._all.clear()
        self._local = threading.local()
