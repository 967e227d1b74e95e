"""The message bus and the unit of work alone: a command's result comes back; its events are
heard only after its transaction committed; a rolled-back change raises nothing; a failing
follow-up neither undoes the change nor stops the others."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from slackbot.domain.events import Event, TeamMadeOfficial
from slackbot.services.messagebus import MessageBus, inject_dependencies
from slackbot.store.db import Store
from slackbot.store.people import People
from slackbot.store.unit_of_work import UnitOfWork
from tests.fakes import FakeMessenger


@dataclass(frozen=True)
class Greet:
    user: str
    fail: bool = False


@dataclass(frozen=True)
class Greeted(Event):
    user: str


def greet(command: Greet, uow: UnitOfWork) -> str:
    with uow:
        uow.people.remember(command.user, "Ada")
        uow.emit(Greeted(command.user))
        if command.fail:
            raise ValueError("refused")
        uow.commit()
    return f"hello {command.user}"


@pytest.fixture
def uow(tmp_path: Path) -> UnitOfWork:
    store = Store(tmp_path / "week.db")
    store.migrate()
    return UnitOfWork(store, {"people": People})


def bus_for(uow: UnitOfWork, heard: list[str], messenger: FakeMessenger) -> MessageBus:
    def say_hello(event: Greeted, messenger: FakeMessenger) -> None:
        messenger.dm(event.user, "Welcome")

    def broken(event: Greeted) -> None:
        raise RuntimeError("a follow-up failed")

    def note(event: Greeted) -> None:
        heard.append(event.user)

    deps = {"uow": uow, "messenger": messenger}
    return MessageBus(
        uow,
        {Greet: inject_dependencies(greet, deps)},
        {Greeted: [inject_dependencies(h, deps) for h in (broken, say_hello, note)]},
    )


def test_a_committed_command_returns_its_result_and_its_events_are_heard(
    uow: UnitOfWork,
) -> None:
    heard: list[str] = []
    messenger = FakeMessenger()
    assert bus_for(uow, heard, messenger).handle(Greet("U1")) == "hello U1"
    assert heard == ["U1"]  # after the broken handler: it did not stop the others
    assert [s.to for s in messenger.sent] == ["U1"]
    assert uow.people.names(["U1"]) == {"U1": "Ada"}


def test_a_rolled_back_command_stores_nothing_and_raises_no_event(uow: UnitOfWork) -> None:
    heard: list[str] = []
    bus = bus_for(uow, heard, FakeMessenger())
    with pytest.raises(ValueError):
        bus.handle(Greet("U2", fail=True))
    assert heard == [] and uow.people.names(["U2"]) == {}
    bus.handle(Greet("U3"))  # the unit is usable again, and U2's event never surfaces
    assert heard == ["U3"]


def test_a_unit_inside_another_commits_with_the_outer_one(uow: UnitOfWork) -> None:
    with uow:
        with uow:
            uow.people.remember("U4", "Grace")
            uow.emit(TeamMadeOfficial(1, ("U4",), None))
            uow.commit()  # inner: the outer decides
        assert list(uow.collect_new_events()) == []
        uow.commit()
    assert [e for e in uow.collect_new_events()] == [TeamMadeOfficial(1, ("U4",), None)]
    assert uow.people.names(["U4"]) == {"U4": "Grace"}


def test_a_handler_naming_what_nothing_provides_fails_at_start_up() -> None:
    with pytest.raises(TypeError, match="needs uow"):
        inject_dependencies(greet, {})
