"""Backups of the database, and the lock that says a bot process is using it.

A backup is SQLite's online backup of the live file: consistent while the bot writes, taken
page by page without stopping it. It holds what Slack does not (the audit trail, notices,
people's names, alert decisions); the posts in Slack hold the rest, and a start after a restore
catches up from them (`services.rebuild`).

Every bot process holds a shared lock on `DATABASE_PATH.lock` while it runs; a restore takes
it exclusively, so it is refused while any process of this host still uses the file.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from slackbot.store.db import Store
from slackbot.store.migrations import MIGRATIONS

CATCH_UP_KEY = "catch_up_from_slack"
TAKEN_KEY = "backup_taken_at"


class BackupError(Exception):
    """A backup that cannot be made or restored, with the reason in one sentence."""


def lock_path(database: str | Path) -> Path:
    return Path(str(database) + ".lock")


def hold_shared(database: str | Path) -> IO[str]:
    """The running bot's hold on its database (kept open while it runs)."""
    handle = open(lock_path(database), "a")  # noqa: SIM115 - held for the process's life
    fcntl.flock(handle, fcntl.LOCK_SH)
    return handle


def backup(database: str | Path, target: str | Path) -> Path:
    """A consistent copy of `database` at `target` (written beside it, then renamed)."""
    target = Path(target)
    partial = target.with_name(target.name + ".partial")
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy)
            with copy:
                copy.execute(
                    "INSERT INTO meta (key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (TAKEN_KEY, repr(time.time())),
                )
        finally:
            copy.close()
    finally:
        source.close()
    os.replace(partial, target)
    return target


def scheduled_backup(database: str | Path, folder: str | Path, keep: int) -> Path:
    """One timed backup into `folder`, keeping the newest `keep` of them."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stem = Path(database).stem
    made = backup(database, folder / f"{stem}-{time.strftime('%Y%m%d-%H%M%S', time.gmtime())}.db")
    kept = sorted(folder.glob(f"{stem}-*.db"))
    for old in kept[: max(0, len(kept) - keep)]:
        old.unlink(missing_ok=True)
    return made


@dataclass(frozen=True)
class BackupInfo:
    schema_version: int
    proposals: int


def check(path: str | Path) -> BackupInfo:
    """What a backup holds, or BackupError saying why it is none this bot can restore."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"there is no file at {path}")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{path} is damaged (SQLite's integrity check failed)")
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if not 1 <= version <= len(MIGRATIONS):
                raise BackupError(
                    f"{path} has schema version {version}; this bot knows 1 to "
                    f"{len(MIGRATIONS)}: it is not a backup of this bot's database"
                )
            proposals = int(conn.execute("SELECT COUNT(*) FROM proposals").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a backup of this bot's database ({exc})") from None
    return BackupInfo(version, proposals)


def restore(path: str | Path, database: str | Path) -> Path | None:
    """Put the backup at `path` in place of `database` (set aside, never deleted; returned),
    marked so that the next start catches up from Slack. Refused while a bot process holds
    the database."""
    check(path)
    database = Path(database)
    with open(lock_path(database), "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BackupError(
                f"a bot process is using {database}: stop it (every process), then restore"
            ) from None
        aside = None
        if database.exists():
            aside = database.with_name(
                f"{database.name}.replaced-{time.strftime('%Y%m%d-%H%M%S', time.gmtime())}"
            )
            # Fold the write-ahead log into the file first, so the file set aside is whole.
            with closing(sqlite3.connect(database)) as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            os.replace(database, aside)
        for suffix in ("-wal", "-shm"):
            Path(str(database) + suffix).unlink(missing_ok=True)
        backup(path, database)
        with closing(sqlite3.connect(database)) as conn, conn:
            conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, '1') "
                "ON CONFLICT(key) DO UPDATE SET value = '1'",
                (CATCH_UP_KEY,),
            )
    return aside


class CatchUp:
    """Whether the next start must catch up from Slack (set by a restore)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def due(self) -> bool:
        row = self.store.conn.execute(
            "SELECT value FROM meta WHERE key = ?", (CATCH_UP_KEY,)
        ).fetchone()
        return row is not None and row[0] == "1"

    def done(self) -> int:
        """Caught up. The notices the backup held unsent were almost surely sent by the
        running bot just after it was taken (they wait seconds): they are dropped rather than
        sent twice. Returns how many."""
        with self.store.transaction() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = ?", (TAKEN_KEY,)).fetchone()
            dropped = 0
            if row is not None and self.due():
                dropped = conn.execute(
                    "DELETE FROM notices WHERE sent_at IS NULL AND created_at <= ?",
                    (float(row[0]),),
                ).rowcount
            conn.execute("DELETE FROM meta WHERE key = ?", (CATCH_UP_KEY,))
        return dropped
