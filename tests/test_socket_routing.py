"""Socket Mode's routing of envelopes (slackbot/socket_mode.py), without a network: a person's
envelope is never queued behind events, and an event the fast path records is acknowledged
without Bolt's dispatch (as in HTTP mode)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from slackbot.socket_mode import PongCheckingClient


@pytest.fixture
def client() -> Iterator[PongCheckingClient]:
    made = PongCheckingClient(app_token="xapp-test", auto_reconnect_enabled=False)
    yield made
    made.close()


def envelope(kind: str, n: int, payload: dict[str, Any]) -> str:
    return json.dumps({"envelope_id": f"e{n}", "type": kind, "payload": payload})


REACTION = {
    "type": "event_callback",
    "event_id": "Ev1",
    "event": {"type": "reaction_added", "user": "U1", "reaction": "raised_hand"},
}


def test_a_slash_command_is_handled_while_every_event_worker_is_busy(
    client: PongCheckingClient,
) -> None:
    """slack_sdk's one FIFO queue and its 10 workers: 40 slow events ahead of a /propose held
    it until they were done (its trigger expired). Routed, it is handled at once."""
    release = threading.Event()
    handled: list[str] = []

    def listener(_client: Any, request: Any) -> None:
        if request.type == "events_api":
            release.wait(10)  # Bolt's dispatch of an event, slow under a flood
        else:
            handled.append(request.type)

    client.socket_mode_request_listeners.append(listener)
    try:
        for n in range(40):  # more than slack_sdk's 10 workers, and than the event workers
            client.enqueue_message(envelope("events_api", n, REACTION))
        client.enqueue_message(envelope("slash_commands", 99, {"command": "/propose"}))
        for _ in range(300):
            if handled:
                break
            threading.Event().wait(0.01)
        assert handled == ["slash_commands"]  # while every event is still held
    finally:
        release.set()


def test_an_event_the_fast_path_records_is_acked_without_bolt(
    client: PongCheckingClient,
) -> None:
    seen: list[dict[str, Any]] = []
    acked: list[dict[str, Any]] = []
    through_bolt: list[str] = []
    client.events = lambda payload: seen.append(payload) or True
    client.send_socket_mode_response = acked.append  # type: ignore[method-assign,assignment]
    client.socket_mode_request_listeners.append(lambda c, r: through_bolt.append(r.type))
    client.enqueue_message(envelope("events_api", 1, REACTION))
    client.event_workers.submit(lambda: None).result(timeout=5)
    for _ in range(100):
        if acked:
            break
        threading.Event().wait(0.01)
    assert seen == [REACTION] and acked == [{"envelope_id": "e1"}] and through_bolt == []
    # An event the fast path does not take goes through Bolt.
    client.events = lambda payload: False
    client.enqueue_message(envelope("events_api", 2, REACTION))
    for _ in range(100):
        if through_bolt:
            break
        threading.Event().wait(0.01)
    assert through_bolt == ["events_api"]
