"""The message bus (cosmicpython's `service_layer/messagebus.py`): a command goes to its one
handler, whose result is returned to the caller (a listener, which renders it); the events the
handler's unit of work committed then go to every handler of each, in order, and so do the
events those raise. An event handler that fails is logged and the rest still run: the change
that raised the event is already stored, and each follow-up is written to be run again (a
start-up catch-up or the next trigger finishes what a crash interrupted).

Handlers are plain functions whose other parameters (repositories, the unit of work, Slack
adapters, settings) are bound by `slackbot.bootstrap`, which names what each one needs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from slackbot.domain.events import Event

log = logging.getLogger("slackbot.bus")


class EventSource(Protocol):
    def collect_new_events(self) -> Iterable[Event]: ...


CommandHandler = Callable[[Any], Any]
EventHandler = Callable[[Any], Iterable[Event] | None]  # may say what followed


class MessageBus:
    def __init__(
        self,
        uow: EventSource,
        command_handlers: dict[type, CommandHandler],
        event_handlers: dict[type[Event], list[EventHandler]],
    ) -> None:
        self.uow = uow
        self.command_handlers = command_handlers
        self.event_handlers = event_handlers

    def handle(self, command: Any) -> Any:
        """Run `command`'s handler and return its result; then the events that followed."""
        handler = self.command_handlers[type(command)]
        result = handler(command)
        self.publish_committed()
        return result

    def publish(self, event: Event) -> None:
        """An event raised outside a unit of work (by code that commits its own way)."""
        self._dispatch(event)
        self.publish_committed()

    def publish_committed(self) -> None:
        for event in list(self.uow.collect_new_events()):
            self._dispatch(event)

    def _dispatch(self, event: Event) -> None:
        for handler in self.event_handlers.get(type(event), []):
            try:
                followed = handler(event)
            except Exception:
                followed = None
                log.exception(
                    "event_handler_failed event=%s handler=%s",
                    type(event).__name__,
                    getattr(handler, "__name__", repr(handler)),
                )
            for follow_up in [*(followed or ()), *self.uow.collect_new_events()]:
                self._dispatch(follow_up)


def inject_dependencies(handler: Callable[..., Any], dependencies: dict[str, Any]) -> Callable:
    """`handler` with the parameters it names, beyond its first (the message), bound from
    `dependencies`; a parameter nothing provides is an error at start-up, not at first use."""
    import inspect
    from functools import partial

    params = list(inspect.signature(handler).parameters)[1:]
    missing = [name for name in params if name not in dependencies]
    if missing:
        raise TypeError(f"{handler.__name__} needs {', '.join(missing)}: nothing provides it")
    bound = partial(handler, **{name: dependencies[name] for name in params})
    bound.__name__ = handler.__name__  # type: ignore[attr-defined]
    return bound
