"""How fast each Socket Mode adapter is back after a fault, against the in-package stand-in.

For each adapter (and ping interval), a bare ack-only Bolt app connects to the stand-in's
WebSocket; then each fault happens and, at that same moment, Slack wants to deliver a slash
command. The figure is the time until that command's ack came back: what the person waits.

- refresh: Slack's {"type": "disconnect", "reason": "refresh_requested"};
- close: the server closes the connection with a close frame;
- dead: the TCP connection goes silent, no close frame (only pings notice).

Slack gives up on an ack after 3 s. Usage: python bench/socket_reconnect.py [--rounds N]
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from slack_bolt import App
from slack_sdk import WebClient

from slackbot.sandbox import FakeSlack
from slackbot.socket_mode import socket_mode_handler

FAULTS = ("refresh", "close", "dead")


def builtin(app: App, token: str, ping: float) -> Any:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    return SocketModeHandler(app, token, ping_interval=ping)


def websocket_client(app: App, token: str, ping: float) -> Any:
    from slack_bolt.adapter.socket_mode.websocket_client import SocketModeHandler

    return SocketModeHandler(app, token, ping_interval=ping)


def ours(app: App, token: str, ping: float) -> Any:
    return socket_mode_handler(app, token)  # its own ping interval and pong deadline


ADAPTERS: dict[str, tuple[Callable[[App, str, float], Any], float]] = {
    "built-in, Bolt's default (ping 10 s)": (builtin, 10.0),
    "built-in, ping 5 s": (builtin, 5.0),
    "websocket-client (ping 10 s)": (websocket_client, 10.0),
    "the bot's (ping 4 s, pong deadline 2 s)": (ours, 0.0),
}


GIVE_UP = 60.0  # seconds: past this, "never" (the adapter did not come back on its own)


def trial(make: Callable[[App, str, float], Any], ping: float, fault: str) -> float:
    """One fault on a fresh connection: seconds until the command sent at that moment is
    acked (inf: not within GIVE_UP)."""
    with FakeSlack() as slack:
        slack.add_user("U0ALICE", "alice")
        server = slack.connect_socket_mode(wait_for_connection=GIVE_UP, ack_timeout=GIVE_UP)
        client = WebClient(base_url=slack.api_url, token=slack.bot_token)
        app = App(
            client=client, request_verification_enabled=False, token_verification_enabled=False
        )
        app.command("/ping")(lambda ack: ack())
        handler = make(app, slack.app_token, ping)
        handler.connect()
        try:
            server.wait_connected()
            time.sleep(0.5)
            faults = {"refresh": server.refresh, "close": server.close_all, "dead": server.kill_all}
            faults[fault]()
            response = slack.slash_command("U0ALICE", "/ping")
            return response.elapsed if response.status == 200 else float("inf")
        finally:
            handler.close()


def measure(
    make: Callable[[App, str, float], Any], ping: float, rounds: int
) -> dict[str, list[float]]:
    figures: dict[str, list[float]] = {f: [] for f in FAULTS}
    for fault in FAULTS:
        for _ in range(rounds):
            figures[fault].append(trial(make, ping, fault))
            if figures[fault][-1] == float("inf"):
                break  # it does not come back: once is enough to say so
    return figures


def cell(values: list[float]) -> str:
    if max(values) == float("inf"):
        return f"never (>{GIVE_UP:.0f} s)"
    return f"{statistics.median(values):6.2f} ({max(values):6.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    logging.basicConfig(level=logging.CRITICAL)
    print(
        "Seconds from the fault to the ack of the command sent at that moment "
        f"(median of {args.rounds}, max); Slack's limit is 3 s.\n"
    )
    print(f"{'adapter':40} " + " ".join(f"{f:>16}" for f in FAULTS))
    for name, (make, ping) in ADAPTERS.items():
        figures = measure(make, ping, args.rounds)
        cells = [cell(figures[f]) for f in FAULTS]
        print(f"{name:40} " + " ".join(f"{c:>16}" for c in cells), flush=True)


if __name__ == "__main__":
    main()
