"""Keeping each proposal's post showing its live team, without flooding chat.update.

Membership changes only mark a post dirty. A worker flushes dirty posts: no sooner than
`debounce` after the first change (so a burst becomes one update), no more often than
`min_interval` per post, and never more than `per_minute` updates in any 60 s for the whole bot
(chat.update is Tier 3: 50+/min). Each flush renders the state as it is then, so the last
update always shows the final team. The proposer's join/leave news is batched the same way.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from slack_sdk.errors import SlackApiError

from slackbot.ratelimit import SlidingWindow
from slackbot.runtime import Runtime

log = logging.getLogger("slackbot.rosters")


@dataclass
class _Pending:
    first: float
    joined: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)


class RosterUpdater:
    def __init__(
        self,
        rt: Runtime,
        *,
        debounce: float = 1.5,
        min_interval: float = 4.0,
        per_minute: int = 50,
        dm_delay: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rt = rt
        self.debounce = debounce
        self.min_interval = min_interval
        self.dm_delay = dm_delay
        self.clock = clock
        self.window = SlidingWindow(per_minute, 60.0, clock)
        self._dirty: dict[int, float] = {}
        self._last: dict[int, float] = {}
        self._news: dict[int, _Pending] = {}
        self._homes: set[str] = set()
        self.home_window = SlidingWindow(90, 60.0, clock)  # views.publish is Tier 4
        self._lock = threading.Lock()
        self._flush_lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # --- marking -------------------------------------------------------------------------
    def mark(self, proposal_id: int) -> None:
        with self._lock:
            self._dirty.setdefault(proposal_id, self.clock())

    def note(self, proposal_id: int, joined: list[str], left: list[str]) -> None:
        """Remember join/leave news for the proposer's next batched DM."""
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

    def mark_homes(self, users: set[str]) -> None:
        with self._lock:
            self._homes |= users

    # --- flushing ------------------------------------------------------------------------
    def _due(self, now: float, force: bool) -> list[int]:
        with self._lock:
            due = [
                pid
                for pid, first in self._dirty.items()
                if force
                or (
                    now - first >= self.debounce
                    and now - self._last.get(pid, -1e9) >= self.min_interval
                )
            ]
        return sorted(due, key=lambda pid: self._dirty.get(pid, now))

    def run_once(self, *, force: bool = False) -> int:
        """Flush what is due; returns how many chat.update calls were made."""
        sent = 0
        with self._flush_lock:
            now = self.clock()
            for pid in self._due(now, force):
                if not self.window.try_acquire(now):
                    break  # the rest waits for the window; they stay dirty
                with self._lock:
                    self._dirty.pop(pid, None)
                    self._last[pid] = now
                if self._update_post(pid):
                    sent += 1
            self._send_news(now, force)
            self._refresh_homes(now)
        return sent

    def _refresh_homes(self, now: float) -> None:
        from slackbot.services.home import publish_home, visitors_among

        with self._lock:
            users, self._homes = self._homes, set()
        for user in visitors_among(self.rt, users):
            if not self.home_window.try_acquire(now):
                with self._lock:
                    self._homes.add(user)
                continue
            publish_home(self.rt, user)

    def _update_post(self, proposal_id: int) -> bool:
        from slackbot.services.publishing import render

        proposal = self.rt.proposals.get(proposal_id)
        if proposal is None or proposal.channel is None or proposal.ts is None:
            return False
        text, blocks = render(self.rt, proposal)
        digest = hashlib.sha1(json.dumps(blocks, sort_keys=True).encode()).hexdigest()
        row = self.rt.store.conn.execute(
            "SELECT last_roster_hash FROM proposals WHERE id = ?", (proposal_id,)
        ).fetchone()
        if row is not None and row[0] == digest:
            return False
        try:
            self.rt.client.chat_update(
                channel=proposal.channel, ts=proposal.ts, text=text, blocks=blocks
            )
        except SlackApiError as exc:
            status = exc.response.status_code
            log.warning(
                "roster_update_failed proposal_id=%s error=%s",
                proposal_id,
                exc.response.get("error"),
            )
            if status == 429 or status >= 500:
                self.mark(proposal_id)  # try again later
            # Permanent refusals (message_not_found, cant_update_message…) are dropped: retried,
            # they would eat the whole bot's chat.update budget.
            return False
        except OSError as exc:
            log.warning("roster_update_failed proposal_id=%s error=%s", proposal_id, exc)
            self.mark(proposal_id)
            return False
        self.rt.store.conn.execute(
            "UPDATE proposals SET last_roster_hash = ? WHERE id = ?", (digest, proposal_id)
        )
        log.info("roster_updated proposal_id=%s", proposal_id)
        return True

    def _send_news(self, now: float, force: bool) -> None:
        from slackbot.services.teams import tell_proposer

        with self._lock:
            ready = [
                (pid, news)
                for pid, news in self._news.items()
                if force or now - news.first >= self.dm_delay
            ]
            for pid, _ in ready:
                del self._news[pid]
        for pid, news in ready:
            if news.joined or news.left:
                tell_proposer(self.rt, pid, news.joined, news.left)

    def pending(self) -> bool:
        with self._lock:
            return bool(self._dirty or self._news or self._homes)

    def drain(self, timeout: float = 10.0) -> None:
        """Flush everything now (tests, shutdown), waiting for the rate window if needed."""
        deadline = time.monotonic() + timeout
        while self.pending() and time.monotonic() < deadline:
            self.run_once(force=True)
            if self.pending():
                time.sleep(0.05)

    # --- worker --------------------------------------------------------------------------
    def start(self, tick: float = 0.25) -> RosterUpdater:
        def loop() -> None:
            while not self._stop.wait(tick):
                try:
                    self.run_once()
                except Exception:
                    log.exception("roster_worker_failed")

        self._thread = threading.Thread(target=loop, name="rosters", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
