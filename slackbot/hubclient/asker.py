"""Questions to the Hub, asked on daemon threads of their own.

The bot's listener threads must acknowledge Slack within 3 seconds, so they never wait on the
Hub's network: they hand a question to the `Asker` and wait for its `Future` at most the time
box. A question already being asked is not asked twice (the same `Future` is shared). The
threads are daemons and the queue is bounded: a Hub that never answers holds two threads and
drops new questions, never the bot, and never keeps the process from exiting.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from typing import Any

log = logging.getLogger("slackbot.hub")


class Asker:
    def __init__(self, workers: int = 2, queue_max: int = 64) -> None:
        self._queue: queue.Queue[tuple[Hashable, Callable[[], Any], Future[Any]] | None] = (
            queue.Queue(maxsize=queue_max)
        )
        self._pending: dict[Hashable, Future[Any]] = {}
        self._lock = threading.Lock()
        self._stopped = False
        self._threads = [
            threading.Thread(target=self._work, name=f"hub-asker-{n}", daemon=True)
            for n in range(workers)
        ]
        for thread in self._threads:
            thread.start()

    def ask(self, key: Hashable, question: Callable[[], Any]) -> Future[Any] | None:
        """The future answer to `question` (shared with the same `key` asked already), or None
        when too many questions wait (the Hub is too slow to be worth asking more)."""
        with self._lock:
            if self._stopped:
                return None
            pending = self._pending.get(key)
            if pending is not None:
                return pending
            future: Future[Any] = Future()
            try:
                self._queue.put_nowait((key, question, future))
            except queue.Full:
                log.info("hub_question_dropped key=%s (queue full)", key)
                return None
            self._pending[key] = future
            return future

    def pending(self, key: Hashable) -> Future[Any] | None:
        """The question with `key` being asked, if it is."""
        with self._lock:
            return self._pending.get(key)

    def _work(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            key, question, future = item
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(question())
                except BaseException as exc:
                    future.set_exception(exc)
            with self._lock:
                self._pending.pop(key, None)

    def stop(self) -> None:
        """Ask nothing more; the threads end once the question they ask (if any) ends."""
        with self._lock:
            self._stopped = True
        for _ in self._threads:
            try:
                self._queue.put_nowait(None)
            except queue.Full:
                break  # daemons: they end with the process
