"""The kickoff rush in Socket Mode, the default mode: a flood of reaction envelopes while people
run /propose, against the real bot (`slackbot run` with SLACK_APP_TOKEN) and, in the same run,
a bare Bolt app on Bolt's websocket-client Socket Mode adapter (the one the bot's adapter is
built on, with slack_sdk's one FIFO queue: the previous design's routing), each connected to
its own stand-in of Slack (whose Socket Mode server records every ack).

The flood: `--events` reaction envelopes on one post, sent at once from `--senders` threads
(the stand-in waits for each ack before its sender sends the next); a /propose every 0.5 s
meanwhile. Printed for each app: acks per second, ack p50/p99, acks later than Slack's 3 s,
envelopes never acked, and for /propose how long until views.open reached Slack (a trigger
dies 3 s after the command; "late" is over 1 s).

Usage: python bench/socket_flood.py [--events 3000] [--senders 60] [--runs 1]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import people, percentile
from slackbot.bot_process import BotProcess
from slackbot.local import CHANNEL, proposal_values
from slackbot.sandbox import FakeSlack

BARE_SOCKET_APP = textwrap.dedent(
    """
    import sys, threading
    from slack_bolt import App
    from slack_sdk import WebClient
    from slack_bolt.adapter.socket_mode.websocket_client import SocketModeHandler

    client = WebClient(token=sys.argv[3], base_url=sys.argv[2])
    app = App(client=client, token_verification_enabled=False, process_before_response=True)
    for event in ("reaction_added", "reaction_removed"):
        app.event(event)(lambda: None)

    @app.command("/propose")
    def propose(ack, body, client):
        ack()
        client.views_open(trigger_id=body["trigger_id"], view={
            "type": "modal", "title": {"type": "plain_text", "text": "Propose"},
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "hi"}}]})

    handler = SocketModeHandler(app, sys.argv[1])  # Bolt's websocket-client adapter
    handler.connect()
    threading.Event().wait()
    """
)


def workspace(slack: FakeSlack) -> tuple[list[str], list[str]]:
    slack.add_user("U0ALICE", "alice")
    slack.add_user("U0ORG1", "org")
    slack.add_channel(CHANNEL, members=["U0ALICE", "U0ORG1"])
    return people(slack, 1500, "U2"), people(slack, 200, "U3")


def a_post(slack: FakeSlack, bot: bool) -> str:
    if not bot:
        return slack.add_message(CHANNEL, "U0ALICE", "a post")
    slack.slash_command("U0ALICE", "/propose")
    view = slack.wait_for(lambda: slack.views("U0ALICE"), timeout=10)[-1]
    values = proposal_values("PreTrain RoBERTa from scratch in Hindi", languages=["hindi"])
    slack.submit_view("U0ALICE", view["id"], values)
    return str(slack.wait_for(lambda: slack.messages(CHANNEL), timeout=10)[-1]["ts"])


def measure(slack: FakeSlack, ts: str, flooders: list[str], proposers: list[str], args) -> dict:  # type: ignore[no-untyped-def]
    channel = slack.channel_id(CHANNEL)
    slack.reset_calls()
    assert slack.socket is not None
    slack.socket.acks.clear()
    stop = threading.Event()
    sent_at: list[float] = []

    def keep_proposing() -> None:
        for user in proposers:
            if stop.is_set():
                return
            began = time.monotonic()
            sent_at.append(began)
            slack.slash_command(user, "/propose")
            time.sleep(max(0.0, 0.5 - (time.monotonic() - began)))

    statuses: list[int] = []
    added: dict[str, bool] = {}

    def one(n: int) -> None:
        user = flooders[n % len(flooders)]
        act: Callable[..., object] = slack.unreact if added.get(user) else slack.react
        added[user] = not added.get(user)
        response = act(user, channel, ts, "raised_hand")
        statuses.append(getattr(response, "status", 0))

    proposing = threading.Thread(target=keep_proposing, daemon=True)
    proposing.start()
    started = time.monotonic()
    with ThreadPoolExecutor(args.senders) as pool:
        list(pool.map(one, range(args.events)))
    wall = time.monotonic() - started
    stop.set()
    proposing.join()
    time.sleep(1.5)  # the last modals
    acks = [a for a in slack.socket.acks if a.type == "events_api"]
    elapsed = sorted(a.elapsed for a in acks)
    opens = sorted(c.at for c in slack.calls_to("views.open") if c.status == 200)
    delays = [o - s for s, o in zip(sorted(sent_at), opens, strict=False)]
    return {
        "rate": len(acks) / wall,
        "p50": statistics.median(elapsed) if elapsed else float("nan"),
        "p99": percentile(elapsed, 0.99) if elapsed else float("nan"),
        "late": sum(1 for e in elapsed if e > 3.0),
        "lost": sum(1 for s in statuses if s != 200),
        "proposes": len(sent_at),
        "opened": len(opens),
        "modal_late": sum(1 for d in delays if d > 1.0) + max(0, len(sent_at) - len(opens)),
        "modal_max": max(delays) if delays else float("nan"),
    }


def run_bot(args) -> dict:  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory() as workdir, FakeSlack() as slack:
        flooders, proposers = workspace(slack)
        slack.connect_socket_mode(ack_timeout=30.0)
        bot = BotProcess(
            slack, Path(workdir), socket_mode=True, TEAM_SIZE_MAX="100", LOG_LEVEL="WARNING"
        ).start()
        try:
            ts = a_post(slack, bot=True)
            return measure(slack, ts, flooders, proposers, args)
        finally:
            bot.stop()


def run_bare(args) -> dict:  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory() as workdir, FakeSlack() as slack:
        flooders, proposers = workspace(slack)
        slack.join(CHANNEL, slack.bot_user_id)  # Slack sends reactions only where the app is
        server = slack.connect_socket_mode(ack_timeout=30.0)
        script = Path(workdir) / "bare_socket.py"
        script.write_text(BARE_SOCKET_APP)
        root = str(Path(__file__).resolve().parents[1])
        process = subprocess.Popen(
            [sys.executable, str(script), slack.app_token, slack.api_url, slack.bot_token],
            env={**os.environ, "PYTHONPATH": root},
        )
        try:
            server.wait_connected(timeout=20)
            ts = a_post(slack, bot=False)
            return measure(slack, ts, flooders, proposers, args)
        finally:
            process.kill()
            process.wait()


def show(name: str, r: dict) -> None:  # type: ignore[type-arg]
    print(
        f"{name:<14} {r['rate']:7.0f} acks/s  p50 {r['p50'] * 1000:6.0f} ms  "
        f"p99 {r['p99'] * 1000:6.0f} ms  later than 3 s: {r['late']:5d}  never acked: "
        f"{r['lost']}  /propose: {r['opened']} of {r['proposes']} modals, "
        f"{r['modal_late']} later than 1 s (max {r['modal_max'] * 1000:.0f} ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=3000)
    parser.add_argument("--senders", type=int, default=60)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    for run in range(args.runs):
        bare = run_bare(args)
        bot = run_bot(args)
        print(f"run {run + 1}: {args.events} reaction envelopes, {args.senders} senders")
        show("bare Bolt app", bare)
        show("the bot", bot)
        if bare["rate"]:
            print(f"{'':<14} ratio {bot['rate'] / bare['rate']:.2f}x")


if __name__ == "__main__":
    main()
