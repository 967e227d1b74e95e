"""Keeping each proposal's post showing its live team, without flooding chat.update.

A membership change marks its post in the database (`store.redraws`: a crash or a restart
cannot lose it). The updater redraws marked posts: no sooner than `debounce` after the first
change (so a burst becomes one update), no more often than `min_interval` per post, and never
more than `per_minute` updates in any 60 s for the whole bot (chat.update is Tier 3: 50+/min).
Each redraw renders the state as it is then, so the last update always shows the final team.
At shutdown it redraws what it can within a bound; at start-up it finds what is still marked.
The proposer's join/leave news is batched the same way (in memory).
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

from slackbot.runtime import Runtime
from slackbot.slack.rate_windows import SlidingWindow
from slackbot.store.redraws import Redraws

log = logging.getLogger("slackbot.rosters")

CLAIM_SECONDS = 60.0  # longer than one chat.update can take with its retries
RETRY_SECONDS = 10.0


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
        self.redraws = Redraws(rt.store)
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
        self.redraws.mark(proposal_id)

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
    def run_once(self, *, force: bool = False) -> int:
        """Redraw what is due; returns how many chat.update calls were made."""
        sent = 0
        with self._flush_lock:
            now, wall = self.clock(), time.time()
            marks = self.redraws.due(wall if force else wall - self.debounce, wall, limit=100)
            for mark in marks:
                if not force and now - self._last.get(mark.proposal_id, -1e9) < self.min_interval:
                    continue
                claimed = self.redraws.claim(mark, wall, CLAIM_SECONDS)
                if claimed is None:
                    continue  # another process is redrawing it
                outcome, delay = self._update_post(claimed.proposal_id, now)
                if outcome == "budget":
                    self.redraws.release(claimed, 0.0)  # the window is full: the rest waits
                    break
                if outcome == "retry":
                    self.redraws.release(claimed, wall + delay)
                elif outcome == "gone":
                    self.redraws.drop(claimed)
                else:
                    self.redraws.unmark(claimed)
                    sent += outcome == "sent"
            self._send_news(now, force)
            self._refresh_homes(now)
        return sent

    def _refresh_homes(self, now: float) -> None:
        from slackbot.services.home_pages import publish_home

        with self._lock:
            users, self._homes = self._homes, set()
        for user in self.rt.visitors.among(users):
            if not self.home_window.try_acquire(now):
                with self._lock:
                    self._homes.add(user)
                continue
            publish_home(self.rt, user)

    def _update_post(self, proposal_id: int, now: float) -> tuple[str, float]:
        """Redraw one post: "sent", "same" (already shows this), "budget" (no room in the
        window), "retry" (Slack failed for now: after the delay returned with it) or "gone"
        (nothing to redraw, or refused for good)."""
        from slackbot.services.posting import render

        proposal = self.rt.proposals.get(proposal_id)
        if proposal is None or proposal.channel is None or proposal.ts is None:
            return "gone", 0.0
        text, blocks = render(self.rt, proposal)
        digest = hashlib.sha1(json.dumps(blocks, sort_keys=True).encode()).hexdigest()
        if self.rt.proposals.roster_hash(proposal_id) == digest:
            return "same", 0.0
        if not self.window.try_acquire(now):
            return "budget", 0.0
        self._last[proposal_id] = now
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
            # Permanent refusals (message_not_found, cant_update_message…) are dropped: retried,
            # they would eat the whole bot's chat.update budget.
            if status == 429:
                return "retry", float(exc.response.headers.get("Retry-After") or RETRY_SECONDS)
            return ("retry", RETRY_SECONDS) if status >= 500 else ("gone", 0.0)
        except OSError as exc:
            log.warning("roster_update_failed proposal_id=%s error=%s", proposal_id, exc)
            return "retry", RETRY_SECONDS
        self.rt.proposals.set_roster_hash(proposal_id, digest)
        log.info("roster_updated proposal_id=%s", proposal_id)
        return "sent", 0.0

    def _send_news(self, now: float, force: bool) -> None:
        from slackbot.services.joining import tell_proposer

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
            if self._news or self._homes:
                return True
        return self.redraws.count() > 0

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

    def stop(self, *, drain: float = 0.0) -> None:
        """Stop the worker; with `drain`, first redraw what can be within that many seconds
        (what is left stays marked for the next start)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if drain > 0:
            try:
                self.drain(timeout=drain)
            except Exception:
                log.exception("roster_drain_failed")
