"""The guard that fails a test whose use case wrote outside its unit of work can fail."""

from __future__ import annotations

from pathlib import Path

import pytest

from slackbot.store.audit_log import Audit
from slackbot.store.db import Store
from slackbot.store.unit_of_work import UnitOfWork
from tests import uow_guard


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    store = Store(tmp_path / "guard.db")
    store.migrate()
    # As if a service made the call (a test's own writes are not a use case's).
    monkeypatch.setattr(uow_guard, "_site", lambda: "services/somewhere.py:do_it")
    return store


def test_a_write_outside_a_unit_of_work_is_named(store: Store) -> None:
    Audit(store).record("U0ORG1", "close", 1, {}, {})
    assert uow_guard.take() == ["services/somewhere.py:do_it wrote 'audit'"]


def test_a_write_inside_one_is_not(store: Store) -> None:
    uow = UnitOfWork(store, {"audit": Audit})
    with uow:
        uow.audit.record("U0ORG1", "close", 1, {}, {})
        uow.commit()
    assert uow_guard.take() == []


def test_the_machinery_bookkeeping_is_exempt(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(uow_guard, "_site", lambda: "machinery/workers.py:run")
    Audit(store).record("U0ORG1", "close", 1, {}, {})
    assert uow_guard.take() == []


def test_a_transaction_a_repository_opens_for_itself_is_named(store: Store) -> None:
    with store.transaction() as conn:  # as a repository's claim does, outside any unit
        conn.execute("INSERT INTO meta (key, value) VALUES ('k', 'v')")
    assert uow_guard.take() == ["services/somewhere.py:do_it opened the store's own transaction"]


def test_inside_a_unit_of_work_it_joins_the_unit_and_is_not(store: Store) -> None:
    uow = UnitOfWork(store)
    with uow:
        with store.transaction() as conn:
            conn.execute("INSERT INTO meta (key, value) VALUES ('k', 'v')")
        uow.commit()
    assert uow_guard.take() == []
