"""One unit of work per use case (cosmicpython's `unit_of_work.py`): it owns the transaction,
holds the repositories the use case works with, and keeps the events the use case raised until
the transaction commits.

    with uow:
        team = uow.compute.next_free()
        ...
        uow.emit(ComputeGiven(...))
        uow.commit()

Leaving the block without `commit()` rolls back: nothing half-done is ever stored. Inside an
outer transaction (a use case called from another's), the unit joins it and the outer one
decides. Events are handed to the message bus only once the outermost commit is done.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any

from slackbot.domain.events import Event
from slackbot.store.db import Store


class UnitOfWork:
    """Repositories are built once, by the bootstrap, from `repositories` (name → factory
    given the store) and read as attributes: `uow.compute`, `uow.audit`."""

    def __init__(
        self, store: Store, repositories: dict[str, Callable[[Store], Any]] | None = None
    ) -> None:
        self.store = store
        self._repositories = {name: make(store) for name, make in (repositories or {}).items()}
        self._local = threading.local()

    def __getattr__(self, name: str) -> Any:
        repositories = self.__dict__.get("_repositories", {})
        if name in repositories:
            return repositories[name]
        raise AttributeError(name)

    @property
    def _state(self) -> dict[str, Any]:
        state: dict[str, Any] | None = getattr(self._local, "state", None)
        if state is None:
            state = {"depth": 0, "owner": False, "committed": False, "events": [], "ready": []}
            self._local.state = state
        return state

    def __enter__(self) -> UnitOfWork:
        state = self._state
        if state["depth"] == 0:
            conn = self.store.conn
            state["owner"] = not conn.in_transaction
            if state["owner"]:
                conn.execute("BEGIN IMMEDIATE")
            state["committed"] = False
        state["depth"] += 1
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        state = self._state
        state["depth"] -= 1
        if state["depth"] > 0:
            return
        if not state["committed"]:
            self._rollback()

    def commit(self) -> None:
        state = self._state
        if state["depth"] > 1:
            return  # the outermost unit commits
        if state["owner"]:
            self.store.conn.execute("COMMIT")
        state["committed"] = True
        state["ready"].extend(state["events"])
        state["events"].clear()

    def _rollback(self) -> None:
        state = self._state
        if state["owner"] and self.store.conn.in_transaction:
            self.store.conn.execute("ROLLBACK")
        state["events"].clear()

    @contextmanager
    def writing(self) -> Iterator[UnitOfWork]:
        """A unit that commits when its block ends without an error: for a use case's one
        write between two Slack calls (`with uow.writing(): uow.alerts.sent(…)`). A unit is
        never held open across a Slack call: it holds the database's write lock."""
        with self:
            yield self
            self.commit()

    def emit(self, event: Event) -> None:
        """Say what happened; heard only if this unit commits."""
        self._state["events"].append(event)

    def collect_new_events(self) -> Iterator[Event]:
        """The committed events not yet handed out (the message bus takes them)."""
        ready: list[Event] = self._state["ready"]
        while ready:
            yield ready.pop(0)
