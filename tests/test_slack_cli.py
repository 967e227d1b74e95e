"""The Slack CLI's hooks, called the way the CLI calls them.

The CLI reads .slack/hooks.json, runs its get-hooks command through a shell in the project's
folder with ``--protocol message-boundaries --boundary <B>`` appended (protocols the hook
supports), and parses the JSON it prints between two B's; then it runs the hooks named there the
same way: get-manifest for `slack manifest`, start for `slack run` (a long-lived process with
SLACK_BOT_TOKEN and SLACK_APP_TOKEN in its environment).
"""

from __future__ import annotations

import json
import os
import secrets
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from slackbot.bot_process import BotProcess
from slackbot.sandbox import FakeSlack
from tests.test_manifest import schema_errors

ROOT = Path(__file__).parents[1]
# `python3` in hooks.json is the one of the activated virtual environment.
PATH = f"{Path(sys.executable).parent}:/usr/bin:/bin"


def hook_command(name: str, hooks: dict[str, Any] | None = None) -> str:
    if hooks is None:
        hooks = json.loads((ROOT / ".slack" / "hooks.json").read_text())["hooks"]
    return str(hooks[name])


def call_hook(command: str, *, boundaries: bool) -> tuple[Any, str]:
    """Run a hook as the CLI does; returns (the parsed answer, stdout)."""
    boundary = secrets.token_hex(8)
    if boundaries:
        command += f" --protocol message-boundaries --boundary {boundary}"
    done = subprocess.run(
        ["/bin/sh", "-c", command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PATH": PATH},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    if boundaries:
        parts = out.split(boundary)
        assert len(parts) == 3, f"the answer must sit between two boundaries: {out!r}"
        return json.loads(parts[1]), out
    return json.loads(out), out


@pytest.mark.parametrize("boundaries", [True, False])
def test_get_hooks_names_every_hook_the_cli_needs(boundaries: bool) -> None:
    answer, _ = call_hook(hook_command("get-hooks"), boundaries=boundaries)
    assert {"get-manifest", "start"} <= set(answer["hooks"])
    config = answer["config"]
    assert "message-boundaries" in config["protocol-version"]
    assert config["sdk-managed-connection-enabled"] is True
    assert config["watch"]["manifest"]["paths"] == ["manifest.yml"]
    assert (ROOT / config["watch"]["app"]["paths"][0]).is_dir()
    local = json.loads((ROOT / ".slack" / "config.json").read_text())
    assert local["manifest"]["source"] == "local"  # the CLI asks get-manifest, not app settings


@pytest.mark.parametrize("boundaries", [True, False])
def test_get_manifest_answers_with_manifest_yml_as_json(boundaries: bool) -> None:
    hooks, _ = call_hook(hook_command("get-hooks"), boundaries=True)
    manifest, _ = call_hook(hook_command("get-manifest", hooks["hooks"]), boundaries=boundaries)
    assert manifest == yaml.safe_load((ROOT / "manifest.yml").read_text())
    assert schema_errors(manifest) == []
    assert manifest["settings"]["socket_mode_enabled"] is True


def test_slack_run_starts_the_bot_in_socket_mode(slack: FakeSlack, tmp_path: Path) -> None:
    hooks, _ = call_hook(hook_command("get-hooks"), boundaries=True)
    start = hook_command("start", hooks["hooks"])
    command = [*shlex.split(start), "--protocol", "message-boundaries", "--boundary", "B0"]
    slack.connect_socket_mode()
    bot = BotProcess(slack, tmp_path, socket_mode=True, command=command)
    bot.env["PATH"] = PATH + ":" + os.environ.get("PATH", "")
    bot.start()
    try:
        assert slack.slash_command("U0ALICE", "/propose").status == 200
        slack.wait_for(lambda: slack.views("U0ALICE"), timeout=5)
    finally:
        assert bot.stop() == 0, bot.output
