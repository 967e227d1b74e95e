"""Work after the ack, on the bot's own threads, in lanes that cannot starve each other.

Listeners answer Slack at once and hand the rest to `Workers.defer`: the request is recorded in
the inbox (so a crash loses nothing) and queued on its lane. Each lane has its own threads and
a bounded queue, so a flood of reactions never delays the `views.open` of a `/propose` (its
trigger dies 3 s after the command) or the posting of a proposal. A full lane sheds: the work
stays in the inbox and the sweeper queues it again when there is room. Slow Slack answers and
Retry-After sleeps happen here, never on a thread that owes Slack an ack.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from slackbot.slack.budgets import AccessLost
from slackbot.store.claims import release_dead_claims
from slackbot.store.inbox import Inbox, Work
from slackbot.store.unit_of_work import UnitOfWork

log = logging.getLogger("slackbot.workers")

METRICS_LOG_EVERY = 60.0  # seconds; the counters are logged when they changed

Handler = Callable[[dict[str, Any]], None]
# Many payloads applied in the worker's unit of work (which also marks them done); returns what
# to do once that is committed (the events they raised, heard: the Slack calls).
BatchHandler = Callable[[list[dict[str, Any]]], Callable[[], None]]
BATCH_MAX = 250
# Lanes whose work may wait while requests are pouring in (acks first), and for how long at most.
YIELDING_LANES = frozenset({"events"})
YIELD_FOR = 2.0  # seconds: the oldest waiting reaction is applied by then, flood or not
BUSY = 0.02  # seconds: a request this recent means Slack is still sending
# A failure of these may pass (Slack down, rate limited, a timeout): the work is tried again.
RETRY_DELAYS = (5.0, 30.0, 120.0, 600.0)


@dataclass(frozen=True)
class Lane:
    name: str
    threads: int
    capacity: int


LANES = (
    Lane("ui", threads=4, capacity=500),  # views.open / views.update within a trigger's life
    Lane("post", threads=2, capacity=500),  # posting proposals
    Lane("events", threads=2, capacity=20000),  # reactions: joins and leaves
    Lane("home", threads=2, capacity=500),  # Home tabs
    Lane("default", threads=2, capacity=500),  # organizer commands, buttons
)


ACCESS_LOST_WAIT = 24 * 3600.0  # resumed at the next start (with a new token) in any case


class Workers:
    def __init__(
        self,
        inbox: Inbox,
        handlers: Mapping[str, tuple[str, Handler]],
        *,
        retryable: tuple[type[BaseException], ...],
        on_failure: Callable[[Work, BaseException], None],
        batches: Mapping[str, BatchHandler] | None = None,
        uow: UnitOfWork | None = None,
        lanes: tuple[Lane, ...] = LANES,
        sweep_every: float = 1.0,
    ) -> None:
        self.inbox = inbox
        # A batch's transaction: the use cases' unit of work, so the events they raise in it
        # are ready only when it commits (a unit of their own would say so at their commit).
        self.uow = uow or UnitOfWork(inbox.store)
        self.handlers = dict(handlers)
        self.batches = dict(batches or {})
        self.retryable = retryable
        self.on_failure = on_failure
        self.lanes = {lane.name: lane for lane in lanes}
        unknown = {lane for lane, _ in self.handlers.values()} - set(self.lanes)
        if unknown:
            raise ValueError(f"handlers name lanes that do not exist: {sorted(unknown)}")
        self.sweep_every = sweep_every
        self.stats: Counter[str] = Counter()
        self.last_request = 0.0  # monotonic time of the last request acknowledged
        self._last_logged: dict[str, int] = {}
        self._queues = {
            name: queue.Queue[Work | None](maxsize=lane.capacity)
            for name, lane in self.lanes.items()
        }
        self._held: set[int] = set()  # queued or running here
        self._lock = threading.Condition()
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []

    # --- taking work ---------------------------------------------------------------------
    def defer(
        self,
        key: str,
        handler: str,
        body: dict[str, Any],
        *,
        user_id: str | None = None,
    ) -> bool:
        """Record the work (before the ack) and queue it; False if `key` was seen before."""
        lane, _ = self.handlers[handler]
        work_id = self.inbox.record(key, handler, lane, body, user_id=user_id)
        if work_id is None:
            self.stats["duplicate"] += 1
            log.info("work_duplicate handler=%s key=%s", handler, key)
            return False
        self._queue(Work(work_id, handler, lane, body, user_id, 0, time.time()))
        return True

    def _queue(self, work: Work) -> bool:
        with self._lock:
            if work.id in self._held:
                return True
            self._held.add(work.id)
        try:
            self._queues[work.lane].put_nowait(work)
        except queue.Full:
            with self._lock:
                self._held.discard(work.id)
                self._lock.notify_all()
            self.stats[f"shed:{work.lane}"] += 1
            log.warning("work_shed lane=%s handler=%s id=%s", work.lane, work.handler, work.id)
            return False
        return True

    def metrics(self) -> dict[str, int]:
        """Counters since start (done, failed, retry, duplicate, batches, shed:<lane>) and
        each lane's queue now (queued:<lane>): for `GET /metrics` and the periodic log."""
        figures = {name: int(count) for name, count in self.stats.items()}
        for lane in self.lanes:
            figures.setdefault(f"shed:{lane}", 0)
            figures[f"queued:{lane}"] = self._queues[lane].qsize()
        return figures

    def _log_metrics(self) -> None:
        figures = self.metrics()
        if figures != self._last_logged:
            self._last_logged = figures
            log.info("work_stats %s", " ".join(f"{k}={v}" for k, v in sorted(figures.items())))

    def sweep(self) -> int:
        """Queue the inbox's due work that nobody is doing: what a crash left (at start-up),
        what a full lane shed, retries that are due, a dead process's work."""
        queued = 0
        for work in self.inbox.take_over():
            if work.handler not in self.handlers:
                self.inbox.failed(work.id, f"no handler named {work.handler}")
                continue
            with self._lock:
                if work.id in self._held:
                    continue
            if self._queue(work):
                queued += 1
        if queued:
            log.info("work_resumed count=%s", queued)
        return queued

    # --- doing work ----------------------------------------------------------------------
    def run(self, work: Work) -> None:
        """Do one piece of work and record how it went (workers call it; so may tests)."""
        _, handler = self.handlers[work.handler]
        started = time.monotonic()
        try:
            handler(work.body)
        except AccessLost:  # the app uninstalled: the work waits for the next start
            self.inbox.retry_later(work.id, "slack access lost", ACCESS_LOST_WAIT)
            return
        except self.retryable as exc:
            if work.attempts < len(RETRY_DELAYS):
                delay = RETRY_DELAYS[work.attempts]
                self.inbox.retry_later(work.id, repr(exc), delay)
                self.stats["retry"] += 1
                log.warning(
                    "work_retry handler=%s id=%s in=%ss error=%s", work.handler, work.id, delay, exc
                )
                return
            self.inbox.failed(work.id, repr(exc))
            self.stats["failed"] += 1
            self.on_failure(work, exc)
            return
        except Exception as exc:
            self.inbox.failed(work.id, repr(exc))
            self.stats["failed"] += 1
            self.on_failure(work, exc)
            return
        self.inbox.done(work.id)
        self.stats["done"] += 1
        log.debug(
            "work_done handler=%s id=%s ms=%.1f",
            work.handler,
            work.id,
            (time.monotonic() - started) * 1000,
        )

    def run_batch(self, works: list[Work]) -> None:
        """Do many pieces of work of one batchable kind in one transaction, marked done in
        it; if the batch fails, each piece is done on its own (one bad payload fails alone)."""
        batch = self.batches[works[0].handler]
        try:
            with self.uow:
                follow_up = batch([w.body for w in works])
                self.inbox.done_many([w.id for w in works])
                self.uow.commit()
        except Exception as exc:
            log.warning(
                "work_batch_failed handler=%s size=%s error=%r", works[0].handler, len(works), exc
            )
            for work in works:
                self.run(work)
            return
        self.stats["done"] += len(works)
        self.stats["batches"] += 1
        try:
            follow_up()
        except Exception:  # the work is applied; what follows has its own retries (alerts…)
            log.exception("work_follow_up_failed handler=%s", works[0].handler)

    def _take_batch(self, first: Work, jobs: queue.Queue[Work | None]) -> tuple[list[Work], list]:
        """`first` and the queued work of the same kind behind it (up to BATCH_MAX); the
        rest taken out of the queue on the way, to do after."""
        same: list[Work] = [first]
        other: list[Work | None] = []
        while len(same) < BATCH_MAX:
            try:
                more = jobs.get_nowait()
            except queue.Empty:
                break
            if more is not None and more.handler == first.handler:
                same.append(more)
            else:
                other.append(more)
        return same, other

    def request_seen(self) -> None:
        """A request was just acknowledged (the HTTP layer tells): yielding lanes wait."""
        self.last_request = time.monotonic()

    def _yield_to_requests(self, work: Work) -> None:
        """While requests keep coming, let the threads that acknowledge them have the
        interpreter: this work waits, up to YIELD_FOR after it arrived, and then is done in a
        bigger batch."""
        deadline = time.monotonic() + max(0.0, YIELD_FOR - (time.time() - work.received_at))
        while time.monotonic() - self.last_request < BUSY and time.monotonic() < deadline:
            if self._stopping.wait(BUSY):
                return

    def _loop(self, lane: str) -> None:
        jobs = self._queues[lane]
        backlog: list[Work | None] = []
        yielding = lane in YIELDING_LANES
        while True:
            work = backlog.pop(0) if backlog else jobs.get()
            if work is None:
                return
            if yielding:
                self._yield_to_requests(work)
            done = [work]
            try:
                if work.handler in self.batches:
                    done, rest = self._take_batch(work, jobs)
                    backlog.extend(rest)
                    self.run_batch(done)
                else:
                    self.run(work)
            except Exception:  # recording the outcome failed (the database): swept again later
                log.exception("work_crashed handler=%s id=%s", work.handler, work.id)
            finally:
                with self._lock:
                    for each in done:
                        self._held.discard(each.id)
                    self._lock.notify_all()

    def _sweep_loop(self) -> None:
        logged = time.monotonic()
        while not self._stopping.wait(self.sweep_every):
            try:
                self.sweep()
            except Exception:
                log.exception("work_sweep_failed")
            if time.monotonic() - logged >= METRICS_LOG_EVERY:
                logged = time.monotonic()
                self._log_metrics()
            try:
                # Another process of this host died: its claims (posts, alerts, redraws) are
                # taken back at once rather than when they expire.
                release_dead_claims(self.inbox.store)
            except Exception:
                log.exception("claims_release_failed")

    def start(self) -> Workers:
        for name, lane in self.lanes.items():
            for n in range(lane.threads):
                thread = threading.Thread(
                    target=self._loop, args=(name,), name=f"work-{name}-{n}", daemon=True
                )
                thread.start()
                self._threads.append(thread)
        sweeper = threading.Thread(target=self._sweep_loop, name="work-sweeper", daemon=True)
        sweeper.start()
        self._threads.append(sweeper)
        self.sweep()  # what the last run left, at once
        return self

    def idle(self) -> bool:
        with self._lock:
            return not self._held

    def wait_idle(self, timeout: float = 30.0) -> bool:
        with self._lock:
            return self._lock.wait_for(lambda: not self._held, timeout=timeout)

    def stop(self, timeout: float = 5.0) -> None:
        """Finish what is queued, within `timeout`; the rest stays in the inbox for next time."""
        self._stopping.set()
        self.wait_idle(timeout)
        for jobs in self._queues.values():
            for _ in range(len(self._threads)):
                try:
                    jobs.put_nowait(None)
                except queue.Full:
                    break
        deadline = time.monotonic() + 1.0
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
