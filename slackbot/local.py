"""The real bot, in HTTP mode, wired to a local Slack stand-in: for the tests and the demo.

Everything is the production path (settings, runtime, Bolt, waitress, signature checks, the
database); only SLACK_API_URL points at the stand-in, which signs the requests it sends.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from slack_bolt import App

from slackbot.app import build_app, event_acker
from slackbot.blocks.before_you_post import CALLBACK_ID as STEP_CALLBACK_ID
from slackbot.bootstrap import build_runtime
from slackbot.config import Settings
from slackbot.http_server import HttpServer
from slackbot.sandbox import FakeSlack
from slackbot.sandbox.hub import FakeHub
from slackbot.services.runtime import Runtime

CHANNEL = "flax-jax-community-week"


def sandbox_settings(fake: FakeSlack, database: str | Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "SLACK_BOT_TOKEN": fake.bot_token,
        "SLACK_SIGNING_SECRET": fake.signing_secret,
        "SLACK_API_URL": fake.api_url,
        "DATABASE_PATH": str(database),
        "PROPOSALS_CHANNEL": CHANNEL,
        "DIGEST_CRON": "off",
        # The Hub is asked only by a test that brings its stand-in (HF_ENDPOINT, HUB_CHECKS).
        "HUB_CHECKS": False,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def hub_settings(hub: FakeHub) -> dict[str, Any]:
    """The bot's settings that point it at a Hub stand-in and turn the checks on."""
    return {"HUB_CHECKS": True, "HF_ENDPOINT": hub.endpoint}


class LocalBot:
    """One running bot process, as far as Slack can tell."""

    def __init__(self, fake: FakeSlack, database: str | Path, **overrides: Any) -> None:
        self.fake = fake
        self.database = Path(database)
        self.overrides = overrides
        self.settings = sandbox_settings(fake, database, **overrides)
        self.rt: Runtime
        self.app: App
        self.server: HttpServer
        self._running = False

    def start(self) -> LocalBot:
        self.rt = build_runtime(self.settings)
        self.app = build_app(self.rt)
        self.rt.start()
        self.server = HttpServer(
            self.app,
            host="127.0.0.1",
            port=0,
            signing_secret=self.settings.SLACK_SIGNING_SECRET or "",
            events=event_acker(self.rt),
            metrics=self.rt.workers.metrics,
        ).start()
        self.fake.connect_app(self.server.url)
        self._hook_delivery()
        self._running = True
        return self

    def _hook_delivery(self) -> None:
        """Slack shows the result of an action (a modal, a post) a moment after the bot's ack.
        For tests and the demo, a request sent through the stand-in returns once the bot's
        workers have done what it deferred; its `elapsed` still measures the ack alone."""
        original = getattr(self.fake.post_signed, "__wrapped__", self.fake.post_signed)

        @functools.wraps(original)
        def post_signed(*args: Any, **kwargs: Any) -> Any:
            response = original(*args, **kwargs)
            self.settle()
            return response

        self.fake.post_signed = post_signed

    def settle(self, timeout: float = 30.0) -> None:
        if not self.rt.workers.wait_idle(timeout):
            raise TimeoutError(
                f"the bot's workers were still busy after {timeout} s:\n{_busy_threads()}"
            )
        if not self.rt.updates.alerts_sent(timeout):
            raise TimeoutError(f"the bot's alerts were still being sent after {timeout} s")

    def stop(self) -> None:
        if self._running:
            self._running = False
            self.server.stop()
            self.rt.close()

    def restart(self, **overrides: Any) -> LocalBot:
        """Stop and start again on the same database, as after a deploy or a crash."""
        self.stop()
        self.overrides = {**self.overrides, **overrides}
        self.settings = sandbox_settings(self.fake, self.database, **self.overrides)
        return self.start()


def proposal_values(name: str, /, **answers: object) -> dict[str, object]:
    """Modal values (block_id -> value) for a complete, valid proposal, changed by `answers`."""
    values: dict[str, object] = {
        "name": name,
        "description": f"{name}. We will fine-tune the model and share it on the hub.",
        "languages": ["english"],
        "model": "t5-base",
        "datasets": "https://huggingface.co/datasets/oscar",
        "training_scripts": "run_summarization_flax.py from the transformers examples",
    }
    values.update(answers)
    return values


def open_propose_modal(fake: FakeSlack, user: str, text: str = "") -> str:
    """Run `/propose` as `user`; returns the id of the modal Slack shows them."""
    response = fake.slash_command(user, "/propose", text)
    if response.status != 200:
        raise RuntimeError(f"/propose answered HTTP {response.status}")
    views = fake.views(user)
    if not views:
        raise RuntimeError("/propose opened no modal")
    return str(views[-1]["id"])


def post_proposal(fake: FakeSlack, user: str, name: str, **answers: object) -> str:
    """Propose through the modal as `user` (posting as it is if the "Before you post" step
    shows); returns the ts of the post in the channel."""
    view_id = open_propose_modal(fake, user)
    response = fake.submit_view(user, view_id, proposal_values(name, **answers))
    body = response.json or {}
    if body.get("response_action") == "errors":
        raise ValueError(f"proposal refused: {body['errors']}")
    if (body.get("view") or {}).get("callback_id") == STEP_CALLBACK_ID:
        fake.submit_view(user, view_id, {})
    return str(fake.messages(CHANNEL)[-1]["ts"])


def _busy_threads() -> str:
    """Where each worker thread is, for a test that waited too long (which work hangs)."""
    import sys
    import threading
    import traceback

    frames = sys._current_frames()
    out = []
    for thread in threading.enumerate():
        frame = frames.get(thread.ident or 0)
        if frame is not None and thread.name.startswith("work-") and "sweeper" not in thread.name:
            stack = "".join(traceback.format_stack(frame)[-6:])
            out.append(f"--- {thread.name}\n{stack}")
    return "\n".join(out) or "(no worker thread found)"
