"""Asking the Hugging Face Hub about the models and datasets a proposal names, never in the
proposer's way.

`check(refs)` answers from the cache (`store.hub_answers`), asks the Hub for the rest on the
asker's threads, and waits for them at most the time box (HUB_TIME_BOX_SECONDS, 1.5 s): what
has not come by then is left out, and the "Before you post" step says nothing about it. The
question goes on in the background and its answer is cached; `when_known` lets a post drawn
without it be redrawn once it comes (its ✓ appears at the next redraw). After the Hub failed
or let a time box pass, it is asked nothing new for a minute: a Hub that is down or slow costs
one time box, not one per submission (the questions already asked still bring their answers).
With HUB_CHECKS=off nothing is asked and every answer is unknown.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, wait
from functools import partial

from slackbot.domain.hub import DATASET, HubAnswer, HubRef, hub_refs
from slackbot.domain.proposal import Proposal
from slackbot.hubclient import Asker, HubClient, HubUnavailable
from slackbot.store.hub_answers import HubAnswers

log = logging.getLogger("slackbot.hub")

QUIET_AFTER_FAILURE_SECONDS = 60.0

Facts = dict[tuple[str, str], HubAnswer]


class Pending:
    """Questions on their way: the cached answers, and the rest until the time box ends."""

    def __init__(
        self,
        facts: Facts,
        futures: dict[tuple[str, str], Future[HubAnswer]],
        deadline: float,
        on_late: Callable[[], None] = lambda: None,
    ) -> None:
        self.facts = facts
        self.futures = futures
        self.deadline = deadline
        self.on_late = on_late

    def wait(self, within: float | None = None) -> Facts:
        facts = dict(self.facts)
        if not self.futures:
            return facts
        left = self.deadline - time.monotonic() if within is None else within
        done, _ = wait(self.futures.values(), timeout=max(0.0, left))
        for key, future in self.futures.items():
            if future in done and future.exception() is None:
                facts[key] = future.result()
        answered = len(facts) - len(self.facts)
        log.info("hub_checked asked=%s answered=%s", len(self.futures), answered)
        if len(done) < len(self.futures):
            self.on_late()
        return facts


class HubChecks:
    def __init__(
        self,
        client: HubClient | None,
        answers: HubAnswers,
        *,
        time_box: float,
        asker: Asker | None = None,
    ) -> None:
        self.client = client
        self.answers = answers
        self.time_box = time_box
        self.asker = asker if asker is not None or client is None else Asker()
        self._quiet_until = 0.0
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.client is not None

    def known(self, refs: Iterable[HubRef]) -> Facts:
        """What the cache holds for `refs`, asking nothing."""
        if not self.enabled:
            return {}
        return self.answers.fresh(r.key for r in refs)

    def known_of(self, proposals: Iterable[Proposal]) -> Facts:
        """What the cache holds of the models and datasets these proposals name, asking
        nothing: safe inside an acknowledgement (a list, a modal), where the Hub is never
        asked. Every surface that shows the answers shows these (the same ✓ everywhere)."""
        return self.known(ref for p in proposals for ref in hub_refs(p.answers))

    def check(self, refs: Iterable[HubRef], within: float | None = None) -> Facts:
        """The answers for `refs` that are cached or come within the time box."""
        return self.ask(refs).wait(within)

    def ask(self, refs: Iterable[HubRef]) -> Pending:
        """Start asking about `refs` (the time box starts now); `wait()` for the answers."""
        wanted = list(dict.fromkeys(refs))
        facts = self.known(wanted)
        futures = self._ask([r for r in wanted if r.key not in facts])
        return Pending(facts, futures, time.monotonic() + self.time_box, self._go_quiet)

    def when_known(self, refs: Iterable[HubRef], then: Callable[[], None]) -> None:
        """Ask the Hub about the `refs` not cached yet; call `then` (once) when a new answer
        came. Nothing is called when the Hub does not answer."""
        wanted = list(dict.fromkeys(refs))
        facts = self.known(wanted)
        futures = self._ask([r for r in wanted if r.key not in facts])
        if not futures:
            return
        called = threading.Event()

        def on_answer(future: Future[HubAnswer]) -> None:
            if future.cancelled() or future.exception() is not None or called.is_set():
                return
            called.set()
            try:
                then()
            except Exception:
                log.exception("hub_answer_follow_up_failed")

        for future in futures.values():
            future.add_done_callback(on_answer)

    def close(self) -> None:
        if self.asker is not None:
            self.asker.stop()

    def _go_quiet(self) -> None:
        with self._lock:
            self._quiet_until = time.monotonic() + QUIET_AFTER_FAILURE_SECONDS
        log.info("hub_quiet seconds=%s", QUIET_AFTER_FAILURE_SECONDS)

    def _ask(self, refs: list[HubRef]) -> dict[tuple[str, str], Future[HubAnswer]]:
        if not refs or self.client is None or self.asker is None:
            return {}
        with self._lock:
            quiet = time.monotonic() < self._quiet_until
        if quiet:  # nothing new; the questions on their way still answer
            in_flight = {r.key: self.asker.pending(r.key) for r in refs}
            return {k: f for k, f in in_flight.items() if f is not None}
        futures: dict[tuple[str, str], Future[HubAnswer]] = {}
        for ref in refs:
            future = self.asker.ask(ref.key, partial(self._lookup, ref))
            if future is not None:
                futures[ref.key] = future
        return futures

    def _lookup(self, ref: HubRef) -> HubAnswer:
        """On an asker thread: ask the Hub, cache the answer."""
        assert self.client is not None
        try:
            if ref.kind == DATASET:
                answer = self.client.dataset(ref.id)
            else:
                answer = self.client.model(ref.id)
        except HubUnavailable:
            self._go_quiet()
            raise
        self.answers.put(ref.key, answer)
        log.info(
            "hub_answered kind=%s repo_id=%s found=%s flax=%s gated=%s",
            ref.kind,
            ref.id,
            answer.found,
            answer.flax,
            answer.gated,
        )
        return answer
