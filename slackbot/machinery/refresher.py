"""What people see, kept current in the background: posts' rosters (`roster_redraws`), the
notices people get about their place (`notices`, a durable outbox) and Home tabs
(`home_refresh`), flushed by one thread; and
organizer alerts, sent by a thread of their own as soon as one is claimed (DMs are paced at
about one a second per conversation: sent inline, a burst of teams becoming ready would hold
up the worker that applied the reactions, or a reconcile pass).

Each part is given the functions it calls (built in `bootstrap`), not the whole runtime. At
shutdown the refresher finishes what it can within a bound; marked rosters outlive a crash.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from slackbot.machinery.home_refresh import HomeRefresh
from slackbot.machinery.notice_sender import NoticeSender
from slackbot.machinery.roster_redraws import RosterRedraws

log = logging.getLogger("slackbot.refresher")


class Refresher:
    def __init__(
        self,
        rosters: RosterRedraws,
        notices: NoticeSender,
        homes: HomeRefresh,
        alerts: Callable[[Callable[[], bool]], object] = lambda keep_going: 0,
        alert_copies: Callable[[int], bool] = lambda proposal_id: True,
        paused: Callable[[], bool] = lambda: False,
    ) -> None:
        self.paused = paused  # Slack no longer lets the bot act: nothing is sent
        self.alert_copies = alert_copies
        self._alert_copies: set[int] = set()
        self._alert_copies_lock = threading.Lock()
        self.rosters = rosters
        self.notices = notices
        self.homes = homes
        self.alerts = alerts
        self._alerts_due = threading.Event()
        self._sending = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._alert_thread: threading.Thread | None = None

    # --- what changed ----------------------------------------------------------------------
    def mark(self, proposal_id: int) -> None:
        """The project's team (or answers) changed: redraw its post."""
        self.rosters.mark(proposal_id)

    def mark_alerts(self, proposal_id: int) -> None:
        """A team whose alerts organizers act on changed: redraw their copies (within
        chat.update's budget, never holding a worker)."""
        with self._alert_copies_lock:
            self._alert_copies.add(proposal_id)

    def _redraw_alert_copies(self) -> None:
        with self._alert_copies_lock:
            due = sorted(self._alert_copies)
        for proposal_id in due:
            if not self.alert_copies(proposal_id):
                return  # no room in the budget now: the next tick goes on
            with self._alert_copies_lock:
                self._alert_copies.discard(proposal_id)

    def mark_homes(self, users: set[str]) -> None:
        """These people's Home tabs show something that changed."""
        self.homes.mark(users)

    def alerts_due(self) -> None:
        """An alert was claimed (in the database): send what is due, soon."""
        self._alerts_due.set()

    def _send_alerts(self) -> None:
        with self._sending:
            self._alerts_due.clear()
            try:
                self.alerts(lambda: not self._stop.is_set())
            except Exception:
                log.exception("alerts_failed")

    def alerts_sent(self, timeout: float = 30.0) -> bool:
        """Wait until no claimed alert is waiting for the alert thread (tests, the demo)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._sending:
                if not self._alerts_due.is_set() or self._stop.is_set():
                    return True  # stopped: what is claimed waits in the database
            time.sleep(0.01)
        return False

    # --- flushing --------------------------------------------------------------------------
    def run_once(self, *, force: bool = False) -> int:
        if self.paused():
            return 0
        sent = self.rosters.run_once(force=force)
        self._redraw_alert_copies()
        self.notices.run_once(force=force)
        self.homes.run_once(force=force)
        return sent

    def pending(self, *, outbox: bool = True) -> bool:
        return (
            self._alerts_due.is_set()
            or (outbox and self.notices.pending())
            or self.homes.pending()
            or self.rosters.pending()
            or bool(self._alert_copies)
        )

    def drain(self, timeout: float = 10.0, *, outbox: bool = True) -> None:
        """Flush everything now (tests, shutdown), waiting for the rate windows if needed.
        Without `outbox`, the notices are left to the next start (they are in the database;
        a burst's DMs could outlast the shutdown's bound)."""
        deadline = time.monotonic() + timeout
        while not self.paused() and self.pending(outbox=outbox) and time.monotonic() < deadline:
            if self._alerts_due.is_set() and not self._stop.is_set():
                self._send_alerts()  # at shutdown they wait, claimed, for the next start
            self.rosters.run_once(force=True)
            self._redraw_alert_copies()
            if outbox:
                self.notices.run_once(force=True)
            self.homes.run_once(force=True)
            if self.pending(outbox=outbox):
                time.sleep(0.05)

    def start(self, tick: float = 0.25) -> Refresher:
        def loop() -> None:
            while not self._stop.wait(tick):
                try:
                    self.run_once()
                except Exception:
                    log.exception("refresher_failed")

        def alert_loop() -> None:
            while not self._stop.is_set():
                if self._alerts_due.wait(0.5) and not self._stop.is_set():
                    self._send_alerts()

        self._thread = threading.Thread(target=loop, name="refresher", daemon=True)
        self._thread.start()
        self._alert_thread = threading.Thread(target=alert_loop, name="alerts", daemon=True)
        self._alert_thread.start()
        return self

    def stop(self, *, drain: float = 0.0) -> None:
        """Stop the thread; with `drain`, first redraw what can be within that many seconds
        (what is left stays marked for the next start)."""
        self._stop.set()
        for thread in (self._thread, self._alert_thread):
            if thread is not None:
                thread.join(timeout=5)
        if drain > 0:
            try:
                self.drain(timeout=drain, outbox=False)
            except Exception:
                log.exception("refresher_drain_failed")
