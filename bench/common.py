"""What the benchmarks share: the bare ack-only Bolt app (the fair floor), people in the
stand-in, and figures."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from slackbot.bot_process import free_port
from slackbot.local import CHANNEL
from slackbot.sandbox import FakeSlack

BARE_APP = textwrap.dedent(
    """
    import logging, sys
    from slack_bolt import App
    from waitress import serve
    from slack_bolt.adapter.wsgi import SlackRequestHandler

    from slack_sdk import WebClient

    client = WebClient(token=sys.argv[4], base_url=sys.argv[3])
    app = App(signing_secret=sys.argv[2], client=client, token_verification_enabled=False)
    for event in ("reaction_added", "reaction_removed", "app_home_opened"):
        app.event(event)(lambda: None)
    app.command("/propose")(lambda ack: ack())
    app.view("proposal_submit")(lambda ack: ack())
    logging.getLogger("waitress").setLevel(logging.ERROR)  # "Task queue depth is N"
    serve(SlackRequestHandler(app), host="127.0.0.1", port=int(sys.argv[1]), threads=8,
          _quiet=True)
    """
)


def start_bare(slack: FakeSlack, workdir: Path) -> subprocess.Popen[bytes]:
    """The bare app, connected to the stand-in and answering."""
    script = workdir / "bare.py"
    script.write_text(BARE_APP)
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            str(script),
            str(port),
            slack.signing_secret,
            slack.api_url,
            slack.bot_token,
        ],
        env={**os.environ, "PYTHONPATH": ""},
    )
    slack.connect_app(f"http://127.0.0.1:{port}/slack/events")
    deadline = time.monotonic() + 20
    while True:
        try:
            slack.slash_command(next(iter(slack.members(CHANNEL))), "/propose")
            return process
        except OSError:
            if time.monotonic() > deadline:
                process.kill()
                raise
            time.sleep(0.1)


def people(slack: FakeSlack, count: int, prefix: str) -> list[str]:
    users = [f"{prefix}{n:04d}" for n in range(count)]
    for user in users:
        slack.add_user(user, user.lower())
        slack.join(CHANNEL, user)
    return users


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]
