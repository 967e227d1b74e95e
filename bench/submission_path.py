"""The path of one /propose submission, as a newcomer would follow it: every file of the bot
it passes from the listener down to the result and back to the blocks that draw the ack, in
the order first met; the calls the listener itself makes into the services (one: the command
to the bus); and every call from a lower layer up into a higher one (there should be none).
Run it on an older checkout (PYTHONPATH=that/checkout) for the previous design's figures.

Usage: python bench/submission_path.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from types import FrameType
from typing import Any

from slack_bolt import BoltContext

from slackbot.blocks.proposal_form import ACTION_ID
from slackbot.domain.template import SECTIONS
from slackbot.listeners.deferral import RUNTIME
from slackbot.listeners.views import proposal_submission
from slackbot.local import CHANNEL, LocalBot
from slackbot.sandbox import FakeSlack

# The import contracts' layers, highest first (config is read from anywhere).
RANK = {"listeners": 5, "services": 4, "machinery": 3, "blocks": 2, "store": 2, "slack": 2}
RANK |= {"hubclient": 2, "domain": 1}
ANSWERS = {
    "name": "PreTrain RoBERTa from scratch in Hindi",
    "description": "We pretrain RoBERTa on Hindi OSCAR and share it on the Hub.",
    "model": "roberta-base",
    "datasets": "oscar",
    "training_scripts": "run_mlm_flax.py",
}


def ours(path: str) -> str | None:
    if "/slackbot/" not in path or "/slackbot/sandbox/" in path:
        return None
    return path.split("/slackbot/", 1)[1]


def main() -> None:
    os.environ["HUB_CHECKS"] = "off"
    fake = FakeSlack().start()
    fake.add_user("U0ALICE", "alice")
    fake.add_channel(CHANNEL, members=["U0ALICE"])
    bot = LocalBot(fake, Path(tempfile.mkdtemp()) / "week.db", ORGANIZER_IDS="U0ORG1").start()
    values: dict[str, Any] = {
        s.id: {ACTION_ID: {"type": "plain_text_input", "value": ANSWERS.get(s.id, "")}}
        for s in SECTIONS
    }
    chosen = [{"value": "hindi"}]
    values["languages"] = {ACTION_ID: {"type": "multi_static_select", "selected_options": chosen}}
    view = {"id": "V0PATH", "hash": "h", "private_metadata": "{}", "state": {"values": values}}
    body = {"type": "view_submission", "user": {"id": "U0ALICE"}, "view": view}
    context = BoltContext()
    context[RUNTIME] = bot.rt
    acks: list[dict[str, Any]] = []
    files: list[str] = []
    upward: set[str] = set()
    asked: list[str] = []  # what the listener itself called in services/, in order
    past: list[str] = []  # what it reached past them (the store, the Slack client)

    def watch(frame: FrameType, event: str, arg: object) -> None:
        if event != "call":
            return
        callee = ours(frame.f_code.co_filename)
        if callee is None:
            return
        if callee not in files:
            files.append(callee)
        caller = ours(frame.f_back.f_code.co_filename) if frame.f_back else None
        if (caller or "").startswith("listeners/") and callee.startswith("services/"):
            asked.append(f"{callee}:{frame.f_code.co_name}")
        if (caller or "").startswith("listeners/") and callee.startswith(("store/", "slack/")):
            past.append(f"{callee}:{frame.f_code.co_name}")
        low, high = RANK.get((caller or "").split("/")[0]), RANK.get(callee.split("/")[0])
        if low is not None and high is not None and high > low:
            upward.add(f"{caller} -> {callee}:{frame.f_code.co_name}")

    sys.setprofile(watch)
    try:
        proposal_submission.handle_submission(lambda **kw: acks.append(kw), body, view, context)
    finally:
        sys.setprofile(None)
        bot.stop()
        fake.stop()
    shown = acks[0].get("view")
    title = shown.to_dict()["title"]["text"] if hasattr(shown, "to_dict") else acks[0]
    print(f"the ack: {acks[0].get('response_action')} to “{title}”")
    print(f"files passed: {len(files)}")
    for path in files:
        print(f"  {path}")
    print(f"calls the listener makes into the services: {len(asked)}")
    for call in asked:
        print(f"  {call}")
    print(f"calls the listener makes past the services (store, slack): {len(past)}")
    for call in past:
        print(f"  {call}")
    print(f"calls from a lower layer up into a higher one: {len(upward)}")
    for call in sorted(upward):
        print(f"  {call}")


if __name__ == "__main__":
    main()
