"""The real entry point, `python -m slackbot run`, as a separate process against the stand-in
(the tests' drills and the benchmarks)."""

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


class BotProcess:
    """`slackbot run` in HTTP mode (default) or Socket Mode (`socket_mode=True`)."""

    def __init__(
        self,
        slack: FakeSlack,
        workdir: Path,
        *,
        socket_mode: bool = False,
        database: Path | None = None,
        command: list[str] | None = None,
        **settings: str,
    ) -> None:
        self.slack = slack
        self.workdir = workdir
        self.socket_mode = socket_mode
        self.command = command or [sys.executable, "-m", "slackbot", "run"]
        self.port = free_port()
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "SLACK_BOT_TOKEN": slack.bot_token,
            "SLACK_API_URL": slack.api_url,
            "DATABASE_PATH": str(database or workdir / "bot.db"),
            "PROPOSALS_CHANNEL": CHANNEL,
            "ORGANIZER_IDS": "U0ORG1,U0ORG2",
            "DIGEST_CRON": "off",
            "HUB_CHECKS": "off",  # no Hub stand-in here: never the real one
            "PYTHONUNBUFFERED": "1",
        }
        # The test session's time zone and moved clock (tests/conftest.py) reach the bot too.
        for name in ("TZ", "PYTHONPATH", "TEST_CLOCK_OFFSET"):
            if os.environ.get(name):
                self.env[name] = os.environ[name]
        if socket_mode:
            self.env["SLACK_APP_TOKEN"] = slack.app_token
        else:
            self.env.update(
                SLACK_SIGNING_SECRET=slack.signing_secret, PORT=str(self.port), HOST="127.0.0.1"
            )
        self.env.update(settings)
        self.process: subprocess.Popen[str] | None = None
        self.output = ""

    def start(self, *, wait: bool = True, timeout: float = 30.0) -> BotProcess:
        self.log = open(self.workdir / f"bot-{time.monotonic_ns()}.log", "w+")  # noqa: SIM115
        self.process = subprocess.Popen(
            self.command,
            env=self.env,
            cwd=self.workdir,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        if wait:
            self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        if self.socket_mode:
            assert self.slack.socket is not None
            while self.slack.socket.live_connections() == 0:
                self._check_alive(deadline)
                time.sleep(0.05)
            return
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=1):
                    break
            except OSError:
                self._check_alive(deadline)
                time.sleep(0.05)
        self.slack.connect_app(f"http://127.0.0.1:{self.port}/slack/events")

    def _check_alive(self, deadline: float) -> None:
        assert self.process is not None
        if self.process.poll() is not None:
            raise RuntimeError(f"the bot exited with {self.process.returncode}:\n{self.read_log()}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"the bot did not come up:\n{self.read_log()}")

    def read_log(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20.0) -> int:
        """Send `sig` and wait for the exit code (SIGKILL: a crash)."""
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            code = self.process.wait(timeout=timeout)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            self.output = self.read_log()
            self.log.close()
        return code

    def wait_exit(self, timeout: float = 30.0) -> int:
        assert self.process is not None
        code = self.process.wait(timeout=timeout)
        self.output = self.read_log()
        self.log.close()
        return code
