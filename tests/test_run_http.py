"""`slackbot run` (the Procfile's command) serves HTTP mode on $PORT and stops on SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from slackbot.local import CHANNEL
from slackbot.sandbox import FakeSlack


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_real_entry_point_serves_signed_requests(slack: FakeSlack, tmp_path: Path) -> None:
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "SLACK_BOT_TOKEN": slack.bot_token,
        "SLACK_SIGNING_SECRET": slack.signing_secret,
        "SLACK_API_URL": slack.api_url,
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "DATABASE_PATH": str(tmp_path / "run.db"),
        "DIGEST_CRON": "off",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "slackbot", "run"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                    assert r.read() == b"ok"
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.1)
        slack.connect_app(f"http://127.0.0.1:{port}/slack/events")
        response = slack.slash_command("U0ALICE", "/propose", "GPT2 poetry generation in German")
        assert response.status == 200
        slack.wait_for(lambda: slack.views("U0ALICE"), timeout=5)
        assert slack.calls_to("conversations.list")  # found the channel by name at start-up
        assert slack.channel_id(CHANNEL)
        forged = slack.post_signed(
            b"command=/propose", "application/x-www-form-urlencoded", signature="v0=" + "0" * 64
        )
        assert forged.status == 401
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=20)
    assert process.returncode == 0, output
    assert "xoxb" not in output  # the token never reaches the log
